import { defineControl } from "../lib/define";
import { get } from "../lib/props";
import { publicPolicyStatements } from "./disallow-public-storage-grants";

/**
 * Container registries grant pull to named identities only. Cloud-tagged: each cloud's implementation adds
 * its registry types (ACR anonymous pull, Artifact Registry allUsers bindings).
 */
export const disallowPublicContainerRegistries = defineControl({
  id: "disallow-public-container-registries",
  title: "Container registries grant access to named identities only, never to everyone",
  severity: "high",
  category: "exposure",
  kind: "security",
  rationale:
    "Images carry the platform's code, configuration and sometimes baked-in secrets; a registry anyone may pull from publishes them, and one anyone may push to lets an attacker replace what clusters run (PCI DSS 1.4.4, 7.2.1; SOC 2 CC6.1).",
  remediation: [
    'AWS ECR: repository policies must not Allow Principal "*" (or AWS "*") without a restricting condition; grant pull to the cluster\'s node role ARN.',
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.6"],
    iso27001: ["A.5.15", "A.8.3"],
    pciDss: ["1.4.4", "7.2.1"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: ["No CIS AWS Foundations recommendation covers ECR repository policies; none is mapped."],
  resources: {
    aws: {
      "aws:ecr/repositoryPolicy:RepositoryPolicy": (props) => publicPolicyStatements(get(props, "policy")),
    },
  },
});
