import { defineControl } from "../lib/define";
import { get, lower } from "../lib/props";

/**
 * Cluster access is granted to cloud identities through the cloud's access API, not through a credential
 * file inside the cluster. Cloud-tagged: each cloud's implementation adds its cluster type (AKS local
 * accounts, GKE basic auth / legacy ABAC).
 */
export const enforceClusterIdentityAccess = defineControl({
  id: "enforce-cluster-identity-access",
  title: "Kubernetes cluster access is granted to cloud identities through the cloud's access API",
  severity: "high",
  category: "kubernetes",
  kind: "security",
  rationale:
    "Who may administer a cluster must be visible and revocable where the rest of identity is managed. EKS's legacy aws-auth ConfigMap lives inside the cluster, is edited by hand with kubectl, is not audited by CloudTrail and locks everyone out when it is malformed; access entries (authenticationMode API) are cloud API objects with IAM-audited changes (PCI DSS 7.2.1, 8.2.2; SOC 2 CC6.2, CC6.3).",
  remediation: [
    'AWS EKS: accessConfig.authenticationMode "API" (access entries only; no aws-auth ConfigMap); grant access with aws.eks.AccessEntry and AccessPolicyAssociation.',
  ],
  frameworks: {
    soc2: ["CC6.2", "CC6.3"],
    iso27001: ["A.5.15", "A.5.18", "A.8.2"],
    pciDss: ["7.2.1", "8.2.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["CIS EKS 4.1.x (RBAC and service accounts; access entries)"],
  },
  uncertain: [
    "CIS benchmark ids differ between benchmark versions; the ids given are indicative.",
    "API_AND_CONFIG_MAP keeps the ConfigMap in force and is rejected too; it is only a migration step.",
  ],
  resources: {
    aws: {
      "aws:eks/cluster:Cluster": (props) => {
        const mode = get(props, "accessConfig.authenticationMode");
        if (lower(mode) === "api") return [];
        return [
          `accessConfig.authenticationMode is ${mode === undefined || mode === null ? "unset (CONFIG_MAP: the aws-auth ConfigMap)" : String(mode)}; set "API" (access entries only)`,
        ];
      },
    },
  },
});
