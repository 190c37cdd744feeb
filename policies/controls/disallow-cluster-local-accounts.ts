import { defineControl } from "../lib/define";
import { get, isTrue } from "../lib/props";

export const disallowClusterLocalAccounts = defineControl({
  id: "disallow-cluster-local-accounts",
  title: "Kubernetes clusters have no local (static) admin accounts",
  severity: "high",
  category: "identity",
  kind: "security",
  rationale:
    "A cluster's local admin credential (AKS clusterAdmin kubeconfig with a static client certificate) bypasses the identity provider: it cannot be tied to a person, MFA or conditional access, is not revoked when someone leaves and keeps working until the cluster certificates are rotated (PCI DSS 8.2.1, 8.2.2; SOC 2 CC6.1; CIS AKS 3.x/5.x local accounts).",
  remediation: [
    "Azure AKS: disableLocalAccounts true (requires Microsoft Entra integration: aadProfile.managed true); use kubelogin with Entra tokens.",
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.2"],
    iso27001: ["A.5.16", "A.5.17", "A.8.5"],
    pciDss: ["8.2.1", "8.2.2", "8.3.1"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 19"],
    cis: ["CIS AKS 5.x (disable local accounts)"],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the id given is indicative."],
  resources: {
    azure: {
      "azure-native:containerservice:ManagedCluster": (props) =>
        isTrue(get(props, "disableLocalAccounts"))
          ? []
          : ["disableLocalAccounts is not true (the static clusterAdmin credential stays available)"],
    },
  },
});
