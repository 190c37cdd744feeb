import { defineControl } from "../lib/define";
import { get, isTrue, lower } from "../lib/props";
import { publicPolicyStatements } from "./disallow-public-storage-grants";

/**
 * Container registries are private and grant pull to named identities only. Cloud-tagged: each cloud's
 * implementation adds its registry types.
 */
export const disallowPublicContainerRegistries = defineControl({
  id: "disallow-public-container-registries",
  title:
    "Container registries are private: access for named identities only, no public network access, admin user or anonymous pull",
  severity: "high",
  category: "exposure",
  kind: "security",
  rationale:
    "Images carry the platform's code, configuration and sometimes baked-in secrets; a registry anyone may pull from publishes them, a shared admin password or one anyone may push to lets an attacker replace what clusters run (PCI DSS 1.3.1, 1.4.4, 7.2.1, 8.2.2; SOC 2 CC6.1, CC6.6; Checkov CKV_AZURE_137, CKV_AZURE_139).",
  remediation: [
    'AWS ECR: repository policies must not Allow Principal "*" (or AWS "*") without a restricting condition; grant pull to the cluster\'s node role ARN.',
    'Azure ACR: publicNetworkAccess "Disabled" with a private endpoint (or networkRuleSet.defaultAction "Deny"), adminUserEnabled false, anonymousPullEnabled false; pull with Microsoft Entra identities (AcrPull).',
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.6"],
    iso27001: ["A.5.15", "A.8.3", "A.8.20", "A.8.22"],
    pciDss: ["1.3.1", "1.4.4", "7.2.1", "8.2.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: [
    "No CIS AWS Foundations recommendation covers ECR repository policies, and no CIS Azure Foundations recommendation covers ACR network access; none is mapped.",
  ],
  resources: {
    aws: {
      "aws:ecr/repositoryPolicy:RepositoryPolicy": (props) => publicPolicyStatements(get(props, "policy")),
    },
    azure: {
      "azure-native:containerregistry:Registry": (props) => {
        const out: string[] = [];
        const access = lower(get(props, "publicNetworkAccess")) || "enabled";
        const defaultDeny = lower(get(props, "networkRuleSet.defaultAction")) === "deny";
        if (access !== "disabled" && !defaultDeny)
          out.push(
            `publicNetworkAccess is ${access} without networkRuleSet.defaultAction Deny (reachable from the internet)`,
          );
        if (isTrue(get(props, "adminUserEnabled")))
          out.push("adminUserEnabled is true (a shared static password)");
        if (isTrue(get(props, "anonymousPullEnabled"))) out.push("anonymousPullEnabled is true");
        return out;
      },
    },
  },
});
