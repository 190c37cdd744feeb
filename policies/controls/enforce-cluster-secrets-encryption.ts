import { defineControl } from "../lib/define";
import { get, isSet, isTrue, list, str } from "../lib/props";

export const enforceClusterSecretsEncryption = defineControl({
  id: "enforce-cluster-secrets-encryption",
  title: "Kubernetes secrets are envelope-encrypted with the site's key",
  severity: "high",
  category: "kubernetes",
  kind: "security",
  rationale:
    "Kubernetes secrets are only base64 in etcd; envelope encryption with a customer-managed KMS key protects them in etcd backups and snapshots (PCI DSS 3.5.1, 3.6.1; CIS EKS 5.3.1, GKE 5.3.1).",
  remediation: [
    'EKS: encryptionConfig { resources: ["secrets"], provider.keyArn }.',
    "AKS: securityProfile.azureKeyVaultKms { enabled: true, keyId }.",
    'GKE: databaseEncryption { state: "ENCRYPTED", keyName }.',
  ],
  frameworks: {
    soc2: ["CC6.1"],
    iso27001: ["A.8.24"],
    pciDss: ["3.5.1", "3.6.1"],
    gdpr: ["Art. 32(1)(a)"],
    lfpdppp: ["Art. 18"],
    cis: ["CIS EKS 5.3.1", "CIS GKE 5.3.1", "CIS AKS 5.x (KMS)"],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    aws: {
      "aws:eks/cluster:Cluster": (props) =>
        list(get(props, "encryptionConfig.resources")).includes("secrets") &&
        isSet(props, "encryptionConfig.provider.keyArn")
          ? []
          : ["encryptionConfig does not encrypt secrets with a KMS key"],
    },
    azure: {
      "azure-native:containerservice:ManagedCluster": (props) =>
        isTrue(get(props, "securityProfile.azureKeyVaultKms.enabled")) &&
        isSet(props, "securityProfile.azureKeyVaultKms.keyId")
          ? []
          : ["securityProfile.azureKeyVaultKms is not enabled with a keyId"],
    },
    gcp: {
      "gcp:container/cluster:Cluster": (props) =>
        str(get(props, "databaseEncryption.state")) === "ENCRYPTED" &&
        isSet(props, "databaseEncryption.keyName")
          ? []
          : ["databaseEncryption is not ENCRYPTED with a Cloud KMS keyName"],
    },
  },
});
