import { defineControl } from "../lib/define";
import { get, lower } from "../lib/props";

export const enforceNetworkDefaultDeny = defineControl({
  id: "enforce-network-default-deny",
  title: "Production storage accounts and key vaults deny network access by default",
  severity: "high",
  category: "exposure",
  kind: "security",
  productionOnly: true,
  rationale:
    "Azure storage accounts and key vaults accept connections from any network unless their firewall defaults to Deny; in production only the private endpoints and allowed networks should reach them (PCI DSS 1.3.1, 1.4.2).",
  remediation: [
    'Storage accounts: networkRuleSet.defaultAction "Deny" (bypass AzureServices if needed) or publicNetworkAccess "Disabled" with private endpoints.',
    'Key vaults: properties.networkAcls.defaultAction "Deny" or properties.publicNetworkAccess "Disabled".',
  ],
  frameworks: {
    soc2: ["CC6.6"],
    iso27001: ["A.8.20", "A.8.22"],
    pciDss: ["1.3.1", "1.4.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["Azure 3.8 (default network access rule deny)", "Azure 8.7 (key vault private endpoints)"],
  },
  uncertain: [
    "AWS S3/KMS and GCP Cloud Storage/KMS have no default-allow network firewall of their own (access is by policy, or by VPC Service Controls outside a project's resources), so the control applies to Azure only.",
    "CIS benchmark ids differ between benchmark versions; the ids given are indicative.",
  ],
  resources: {
    azure: {
      "azure-native:storage:StorageAccount": (props) =>
        lower(get(props, "publicNetworkAccess")) === "disabled" ||
        lower(get(props, "networkRuleSet.defaultAction")) === "deny"
          ? []
          : ["networkRuleSet.defaultAction is not Deny and publicNetworkAccess is not Disabled"],
      "azure-native:keyvault:Vault": (props) =>
        lower(get(props, "properties.publicNetworkAccess")) === "disabled" ||
        lower(get(props, "properties.networkAcls.defaultAction")) === "deny"
          ? []
          : [
              "properties.networkAcls.defaultAction is not Deny and properties.publicNetworkAccess is not Disabled",
            ],
    },
  },
});
