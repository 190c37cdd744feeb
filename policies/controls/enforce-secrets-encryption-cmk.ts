import { awsCmk } from "../lib/checks";
import { defineControl } from "../lib/define";
import { get, isSet, list } from "../lib/props";

export const enforceSecretsEncryptionCmk = defineControl({
  id: "enforce-secrets-encryption-cmk",
  title: "Secret stores encrypt secrets with a customer-managed key",
  severity: "medium",
  category: "data-protection",
  kind: "security",
  rationale:
    "Secrets managers hold database credentials and API keys; encrypting them with a customer-managed key separates the ability to read secrets from the ability to administer the secret store (PCI DSS 3.6.1, 8.3.2).",
  remediation: [
    "AWS Secrets Manager: kmsKeyId of a customer-managed key (the default aws/secretsmanager key is AWS-managed).",
    "GCP Secret Manager: replication.auto.customerManagedEncryption.kmsKeyName, or customerManagedEncryption on every user-managed replica.",
  ],
  frameworks: {
    soc2: ["CC6.1"],
    iso27001: ["A.8.24", "A.5.17"],
    pciDss: ["3.6.1", "8.3.2"],
    gdpr: ["Art. 32(1)(a)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: [
    "Azure Key Vault secrets are protected by the vault's own HSM-backed keys; there is no per-secret key to check, so Azure is covered by the key-vault controls instead.",
  ],
  resources: {
    aws: {
      "aws:secretsmanager/secret:Secret": (props) =>
        awsCmk(props, "kmsKeyId") ? [] : ["kmsKeyId is unset (AWS-managed aws/secretsmanager key)"],
    },
    gcp: {
      "gcp:secretmanager/secret:Secret": (props) => {
        if (isSet(props, "replication.auto")) {
          return isSet(props, "replication.auto.customerManagedEncryption.kmsKeyName")
            ? []
            : ["replication.auto.customerManagedEncryption.kmsKeyName is unset (Google-managed key)"];
        }
        const replicas = list(get(props, "replication.userManaged.replicas"));
        if (replicas.length === 0) return ["replication does not configure customer-managed encryption"];
        return replicas.every((r) => isSet(r, "customerManagedEncryption.kmsKeyName"))
          ? []
          : ["a user-managed replica lacks customerManagedEncryption.kmsKeyName"];
      },
    },
  },
});
