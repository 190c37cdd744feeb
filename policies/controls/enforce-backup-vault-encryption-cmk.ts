import { awsCmk } from "../lib/checks";
import { defineControl } from "../lib/define";
import { get, isSet, lower } from "../lib/props";

export const enforceBackupVaultEncryptionCmk = defineControl({
  id: "enforce-backup-vault-encryption-cmk",
  title: "Backup vaults encrypt recovery points with a customer-managed key",
  severity: "medium",
  category: "data-protection",
  kind: "security",
  rationale:
    "A backup vault holds a copy of every protected database and bucket; its recovery points need the same key custody as the data they copy, so revoking or rotating the key covers the backups too (PCI DSS 3.5.1, ISO 27001 A.8.24).",
  remediation: [
    "AWS Backup: kmsKeyArn on aws.backup.Vault (a customer-managed key; without it AWS Backup uses the AWS managed key aws/backup).",
    "Azure Backup vault: properties.securitySettings.encryptionSettings with state Enabled, keyVaultProperties.keyUri and kekIdentity naming the identity that may use the key.",
    "Azure Recovery Services vault: properties.encryption.keyVaultProperties.keyUri with kekIdentity (useSystemAssignedIdentity true, or userAssignedIdentity holding a role on the key).",
    "GCP Backup and DR: encryptionConfig.kmsKeyName on the backup vault (a key of the vault's location, after the Backup and DR service agent's grant).",
  ],
  frameworks: {
    soc2: ["CC6.1"],
    iso27001: ["A.8.24"],
    pciDss: ["3.5.1"],
    gdpr: ["Art. 32(1)(a)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: [
    "AWS Backup encrypts recovery points of services that are not fully managed by AWS Backup (RDS among them) with the source resource's key, not the vault's; the vault key still protects fully managed types and copies (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html).",
  ],
  resources: {
    aws: {
      "aws:backup/vault:Vault": (props) =>
        awsCmk(props, "kmsKeyArn") ? [] : ["kmsKeyArn is unset (AWS managed key aws/backup)"],
    },
    azure: {
      "azure-native:dataprotection:BackupVault": (props) => {
        const base = "properties.securitySettings.encryptionSettings";
        if (
          lower(get(props, `${base}.state`)) !== "enabled" ||
          !isSet(props, `${base}.keyVaultProperties.keyUri`)
        ) {
          return [`${base} is not Enabled with a keyVaultProperties.keyUri (platform-managed key)`];
        }
        const identityType = lower(get(props, `${base}.kekIdentity.identityType`));
        return identityType === "systemassigned" || isSet(props, `${base}.kekIdentity.identityId`)
          ? []
          : [`${base}.kekIdentity names no identity that may use the key`];
      },
      "azure-native:recoveryservices:Vault": (props) => {
        const base = "properties.encryption";
        if (!isSet(props, `${base}.keyVaultProperties.keyUri`)) {
          return [`${base}.keyVaultProperties.keyUri is unset (platform-managed key)`];
        }
        return get(props, `${base}.kekIdentity.useSystemAssignedIdentity`) === true ||
          isSet(props, `${base}.kekIdentity.userAssignedIdentity`)
          ? []
          : [`${base}.kekIdentity names no identity that may use the key`];
      },
    },
    gcp: {
      "gcp:backupdisasterrecovery/backupVault:BackupVault": (props) =>
        isSet(props, "encryptionConfig.kmsKeyName")
          ? []
          : ["encryptionConfig.kmsKeyName is unset (Google-managed key)"],
    },
  },
});
