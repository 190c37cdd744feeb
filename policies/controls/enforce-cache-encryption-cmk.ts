import { awsCmk } from "../lib/checks";
import { defineControl } from "../lib/define";
import { get, isSet, isTrue, lower } from "../lib/props";

export const enforceCacheEncryptionCmk = defineControl({
  id: "enforce-cache-encryption-cmk",
  title: "Caches are encrypted at rest with a customer-managed key",
  severity: "medium",
  category: "data-protection",
  kind: "security",
  rationale:
    "Caches hold copies of database rows and session data; their snapshots and swap are storage like any other and need the same key custody (PCI DSS 3.5.1).",
  remediation: [
    "AWS ElastiCache replication group: atRestEncryptionEnabled: true and kmsKeyId (customer-managed). Serverless cache: kmsKeyId. MemoryDB: kmsKeyArn.",
    "Azure: Azure Cache for Redis Enterprise (redisenterprise) with encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl.",
    "Azure Managed Redis: encryption.customerManagedKeyEncryption with keyEncryptionKeyUrl (a versioned key URL) and keyEncryptionKeyIdentity (the user-assigned identity that holds the key grant).",
    "GCP Memorystore for Redis: customerManagedKey; Memorystore for Redis Cluster and for Valkey: kmsKey (a key of the instance's region).",
  ],
  frameworks: {
    soc2: ["CC6.1"],
    iso27001: ["A.8.24"],
    pciDss: ["3.5.1"],
    gdpr: ["Art. 32(1)(a)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: [
    "Azure Cache for Redis (Basic/Standard/Premium, azure-native:redis:Redis) offers no customer-managed key; only Azure Managed Redis and the Enterprise tiers (redisenterprise) do, so the Azure check covers redisenterprise only (https://learn.microsoft.com/azure/redis/how-to-encryption).",
  ],
  resources: {
    aws: {
      "aws:elasticache/replicationGroup:ReplicationGroup": (props) => {
        const out: string[] = [];
        if (!isTrue(get(props, "atRestEncryptionEnabled"))) out.push("atRestEncryptionEnabled is not true");
        if (!awsCmk(props, "kmsKeyId")) out.push("kmsKeyId is unset; set a customer-managed KMS key");
        return out;
      },
      "aws:elasticache/serverlessCache:ServerlessCache": (props) =>
        awsCmk(props, "kmsKeyId") ? [] : ["kmsKeyId is unset; set a customer-managed KMS key"],
      "aws:memorydb/cluster:Cluster": (props) =>
        awsCmk(props, "kmsKeyArn") ? [] : ["kmsKeyArn is unset; set a customer-managed KMS key"],
    },
    azure: {
      "azure-native:redisenterprise:RedisEnterprise": (props) =>
        isSet(props, "encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl")
          ? isSet(
              props,
              "encryption.customerManagedKeyEncryption.keyEncryptionKeyIdentity.userAssignedIdentityResourceId",
            ) ||
            lower(
              get(props, "encryption.customerManagedKeyEncryption.keyEncryptionKeyIdentity.identityType"),
            ) === "systemassignedidentity"
            ? []
            : [
                "encryption.customerManagedKeyEncryption.keyEncryptionKeyIdentity names no identity that may use the key",
              ]
          : ["encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl is unset (Microsoft-managed key)"],
    },
    gcp: {
      "gcp:redis/instance:Instance": (props) =>
        isSet(props, "customerManagedKey") ? [] : ["customerManagedKey is unset (Google-managed key)"],
      "gcp:redis/cluster:Cluster": (props) =>
        isSet(props, "kmsKey") ? [] : ["kmsKey is unset (Google-managed key)"],
      "gcp:memorystore/instance:Instance": (props) =>
        isSet(props, "kmsKey") ? [] : ["kmsKey is unset (Google-managed key)"],
    },
  },
});
