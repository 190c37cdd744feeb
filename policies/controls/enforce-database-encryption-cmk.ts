import { awsCmk } from "../lib/checks";
import { defineControl } from "../lib/define";
import { get, isFalse, isSet, isTrue, lower } from "../lib/props";
import type { ResourceCheck } from "../lib/types";

function awsEncrypted(flag: string, key: string): ResourceCheck {
  return (props) => {
    const out: string[] = [];
    if (!isTrue(get(props, flag))) out.push(`${flag} is not true`);
    if (!awsCmk(props, key))
      out.push(`${key} is unset or an AWS-managed key; set a customer-managed KMS key`);
    return out;
  };
}

function azureFlexible(props: Record<string, unknown>): string[] {
  const type = lower(get(props, "dataEncryption.type"));
  if (type !== "azurekeyvault")
    return [`dataEncryption.type is "${type || "SystemAssigned (default)"}"; use AzureKeyVault`];
  return isSet(props, "dataEncryption.primaryKeyURI") ? [] : ["dataEncryption.primaryKeyURI is unset"];
}

export const enforceDatabaseEncryptionCmk = defineControl({
  id: "enforce-database-encryption-cmk",
  title: "Databases are encrypted at rest with a customer-managed key",
  severity: "high",
  category: "data-protection",
  kind: "security",
  rationale:
    "Database storage, snapshots and backups hold the most sensitive data; encrypting them with a customer-managed key keeps key custody, rotation and revocation with the organisation (PCI DSS 3.5.1, 3.6.1; GDPR Art. 32).",
  remediation: [
    "AWS RDS/Aurora/DocumentDB: storageEncrypted: true and kmsKeyId of a customer-managed key (set at creation; existing instances need a snapshot copy).",
    "AWS DynamoDB: serverSideEncryption { enabled: true, kmsKeyArn }. Redshift: encrypted: true and kmsKeyId. OpenSearch: encryptAtRest { enabled: true, kmsKeyId }.",
    'Azure PostgreSQL/MySQL flexible server: dataEncryption { type: "AzureKeyVault", primaryKeyURI, primaryUserAssignedIdentityId }. Azure SQL: keyId (TDE protector). Cosmos DB: keyVaultKeyUri.',
    "GCP Cloud SQL: encryptionKeyName. AlloyDB: encryptionConfig.kmsKeyName. BigQuery: defaultEncryptionConfiguration.kmsKeyName.",
  ],
  frameworks: {
    soc2: ["CC6.1"],
    iso27001: ["A.8.24"],
    pciDss: ["3.5.1", "3.6.1"],
    gdpr: ["Art. 32(1)(a)"],
    lfpdppp: ["Art. 18"],
    cis: ["AWS Foundations 2.3.1 (RDS encryption)", "GCP 6.x (Cloud SQL CMEK is not a CIS item)"],
  },
  uncertain: ["CIS has no customer-managed-key item for every database service; ids given where one exists."],
  resources: {
    aws: {
      "aws:rds/instance:Instance": (props, ctx) =>
        isSet(props, "replicateSourceDb") &&
        !isSet(props, "kmsKeyId") &&
        !isFalse(get(props, "storageEncrypted"))
          ? []
          : awsEncrypted("storageEncrypted", "kmsKeyId")(props, ctx),
      "aws:rds/cluster:Cluster": awsEncrypted("storageEncrypted", "kmsKeyId"),
      "aws:docdb/cluster:Cluster": awsEncrypted("storageEncrypted", "kmsKeyId"),
      "aws:redshift/cluster:Cluster": awsEncrypted("encrypted", "kmsKeyId"),
      "aws:dynamodb/table:Table": (props) =>
        isTrue(get(props, "serverSideEncryption.enabled")) && awsCmk(props, "serverSideEncryption.kmsKeyArn")
          ? []
          : [
              "serverSideEncryption must be enabled with kmsKeyArn of a customer-managed key (default is an AWS-owned key)",
            ],
      "aws:opensearch/domain:Domain": (props) =>
        isTrue(get(props, "encryptAtRest.enabled")) && awsCmk(props, "encryptAtRest.kmsKeyId")
          ? []
          : ["encryptAtRest must be enabled with kmsKeyId of a customer-managed key"],
    },
    azure: {
      "azure-native:dbforpostgresql:Server": azureFlexible,
      "azure-native:dbforpostgresql:FlexibleServer": azureFlexible,
      "azure-native:dbformysql:Server": azureFlexible,
      "azure-native:dbformysql:FlexibleServer": azureFlexible,
      "azure-native:sql:Server": (props) =>
        isSet(props, "keyId")
          ? []
          : ["keyId (customer-managed TDE protector) is unset; service-managed TDE key in use"],
      "azure-native:cosmosdb:DatabaseAccount": (props) =>
        isSet(props, "keyVaultKeyUri") ? [] : ["keyVaultKeyUri is unset; service-managed key in use"],
    },
    gcp: {
      "gcp:sql/databaseInstance:DatabaseInstance": (props) =>
        isSet(props, "encryptionKeyName") ? [] : ["encryptionKeyName is unset (Google-managed key)"],
      "gcp:alloydb/cluster:Cluster": (props) =>
        isSet(props, "encryptionConfig.kmsKeyName")
          ? []
          : ["encryptionConfig.kmsKeyName is unset (Google-managed key)"],
      "gcp:bigquery/dataset:Dataset": (props) =>
        isSet(props, "defaultEncryptionConfiguration.kmsKeyName")
          ? []
          : ["defaultEncryptionConfiguration.kmsKeyName is unset (Google-managed key)"],
    },
  },
});
