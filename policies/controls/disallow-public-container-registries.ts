import { defineControl } from "../lib/define";
import { get, isTrue, lower } from "../lib/props";

export const disallowPublicContainerRegistries = defineControl({
  id: "disallow-public-container-registries",
  title: "Container registries are private: no public network access, admin user or anonymous pull",
  severity: "high",
  category: "exposure",
  kind: "security",
  rationale:
    "A registry reachable from the internet with a shared admin password or anonymous pull leaks images (and the secrets and code in their layers) and lets a stolen password push a poisoned image every cluster trusts (PCI DSS 1.3.1, 7.2.1, 8.2.2; SOC 2 CC6.1, CC6.6; Checkov CKV_AZURE_137, CKV_AZURE_139).",
  remediation: [
    'Azure ACR: publicNetworkAccess "Disabled" with a private endpoint (or networkRuleSet.defaultAction "Deny"), adminUserEnabled false, anonymousPullEnabled false; pull with Microsoft Entra identities (AcrPull).',
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.6"],
    iso27001: ["A.5.15", "A.8.20", "A.8.22"],
    pciDss: ["1.3.1", "7.2.1", "8.2.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: ["No CIS Azure Foundations recommendation covers ACR network access; none is mapped."],
  resources: {
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
