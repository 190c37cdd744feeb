import { defineControl } from "../lib/define";
import { get, isFalse, isTrue } from "../lib/props";

export const enforceClusterCloudRbac = defineControl({
  id: "enforce-cluster-cloud-rbac",
  title: "Kubernetes authorization uses RBAC tied to the cloud's identity provider",
  severity: "high",
  category: "identity",
  kind: "security",
  rationale:
    "Kubernetes API access is granted to identities of the organisation's identity provider through RBAC, so joiners, movers and leavers are handled in one place and every API call is attributable; legacy or no authorization lets any authenticated principal act (PCI DSS 7.2.1, 7.2.2; SOC 2 CC6.1, CC6.3; CIS AKS 5.x).",
  remediation: [
    "Azure AKS: enableRBAC true, aadProfile { managed: true, enableAzureRBAC: true } (Azure role assignments authorize Kubernetes actions).",
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.3"],
    iso27001: ["A.5.15", "A.5.18", "A.8.2"],
    pciDss: ["7.2.1", "7.2.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 19"],
    cis: ["CIS AKS 5.x (Microsoft Entra integration, Azure RBAC)"],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the id given is indicative."],
  resources: {
    azure: {
      "azure-native:containerservice:ManagedCluster": (props) => {
        const out: string[] = [];
        if (isFalse(get(props, "enableRBAC"))) out.push("enableRBAC is false");
        if (!isTrue(get(props, "aadProfile.managed")))
          out.push("aadProfile.managed is not true (no Microsoft Entra integration)");
        if (!isTrue(get(props, "aadProfile.enableAzureRBAC")))
          out.push(
            "aadProfile.enableAzureRBAC is not true (Kubernetes authorization not tied to Azure RBAC)",
          );
        return out;
      },
    },
  },
});
