/**
 * Cache settings the cloud checks only when `pulumi up` creates the cache (the providers pass them
 * through): ElastiCache refuses AUTH without in-transit encryption, automatic failover or Multi-AZ with a
 * single node, and snapshot retention above 35 days; Azure Managed Redis takes only a versioned key URL
 * for its customer-managed key and only the database name `default`; Memorystore for Redis refuses read
 * replicas outside the Standard Tier or on nodes below 5 GB, more than 5 replicas, and a CMEK key of
 * another region.
 */
import { get, isSet, isTrue, lower, num, str } from "../../lib/props";
import type { Rule, Source } from "../lib/rule";

const sources = {
  auth: {
    url: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html",
    quote:
      "Tokens, or passwords, must be 16–128 printable characters. AUTH can only be enabled for encryption in-transit enabled Valkey or Redis OSS clusters.",
  },
  failover: {
    url: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html",
    quote:
      "AutomaticFailoverEnabled: must be enabled for Valkey or Redis OSS (cluster mode enabled) replication groups and requires at least one replica; MultiAZEnabled requires automatic failover. SnapshotRetentionLimit: the number of days for which ElastiCache retains automatic snapshots (0-35).",
  },
  amrKey: {
    url: "https://learn.microsoft.com/azure/redis/how-to-encryption",
    quote:
      "keyEncryptionKeyUrl: key encryption key URL, versioned only (https://<vault>.vault.azure.net/keys/<key>/<version>); the user-assigned identity must have access to the key.",
  },
  amrDatabase: {
    url: "https://learn.microsoft.com/azure/redis/overview",
    quote: "An Azure Managed Redis instance has a single database, named default.",
  },
  readReplicas: {
    url: "https://cloud.google.com/memorystore/docs/redis/read-replicas",
    quote:
      "Standard Tier instances can have 1 to 5 read replicas. Read replicas are only supported for instance sizes with nodes >= 5 GB.",
  },
  memorystoreCmek: {
    url: "https://cloud.google.com/memorystore/docs/redis/use-cmek",
    quote: "Create the key ring and key in the same region as the Memorystore for Redis instance.",
  },
} satisfies Record<string, Source>;

export const requireCacheCreateTimeSettings: Rule = {
  id: "require-cache-create-time-settings",
  title: "Cache settings are combinations the cloud accepts when it creates the cache",
  category: "topology",
  severity: "critical",
  refuses:
    "ElastiCache refuses AUTH without in-transit encryption, failover or Multi-AZ with one node and retention above 35 days; Azure Managed Redis refuses an unversioned key URL and database names other than default; Memorystore refuses read replicas outside STANDARD_HA or below 5 GB, more than 5 replicas, and a CMEK key of another region.",
  remediation:
    "ElastiCache: transitEncryptionEnabled with authToken, numCacheClusters >= 2 with automaticFailoverEnabled/multiAzEnabled, snapshotRetentionLimit 0-35. Azure Managed Redis: the key's versioned URL (keyUriWithVersion), databaseName default. Memorystore: STANDARD_HA and memorySizeGb >= 5 for read replicas, replicaCount 1-5, a key of the instance's region.",
  sources: Object.values(sources),
  resources: {
    aws: {
      "aws:elasticache/replicationGroup:ReplicationGroup": (props) => {
        const out: string[] = [];
        if (
          (isSet(props, "authToken") || isSet(props, "authTokenWo")) &&
          !isTrue(get(props, "transitEncryptionEnabled"))
        )
          out.push(`authToken is set without transitEncryptionEnabled. Source: ${sources.auth.url}`);
        const nodes = num(get(props, "numCacheClusters"));
        if (nodes !== undefined && nodes < 2 && isTrue(get(props, "automaticFailoverEnabled")))
          out.push(
            `automaticFailoverEnabled with numCacheClusters ${nodes} (needs a replica). Source: ${sources.failover.url}`,
          );
        if (isTrue(get(props, "multiAzEnabled")) && !isTrue(get(props, "automaticFailoverEnabled")))
          out.push(`multiAzEnabled without automaticFailoverEnabled. Source: ${sources.failover.url}`);
        const days = num(get(props, "snapshotRetentionLimit"));
        if (days !== undefined && (days < 0 || days > 35))
          out.push(
            `snapshotRetentionLimit is ${days}; ElastiCache accepts 0-35. Source: ${sources.failover.url}`,
          );
        return out;
      },
    },
    azure: {
      "azure-native:redisenterprise:RedisEnterprise": (props) => {
        const url = str(get(props, "encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl"));
        return url !== undefined && !/\/keys\/[^/]+\/[0-9a-fA-F]{32}\/?$/.test(url)
          ? [
              `keyEncryptionKeyUrl ${url} is not a versioned key URL (…/keys/<key>/<version>). Source: ${sources.amrKey.url}`,
            ]
          : [];
      },
      "azure-native:redisenterprise:Database": (props) => {
        const name = str(get(props, "databaseName"));
        return name !== undefined && name !== "default"
          ? [
              `databaseName is ${name}; Azure Managed Redis has one database, named default. Source: ${sources.amrDatabase.url}`,
            ]
          : [];
      },
    },
    gcp: {
      "gcp:redis/instance:Instance": (props) => {
        const out: string[] = [];
        if (str(get(props, "readReplicasMode")) === "READ_REPLICAS_ENABLED") {
          if (str(get(props, "tier")) !== "STANDARD_HA")
            out.push(
              `read replicas need tier STANDARD_HA, found ${str(get(props, "tier")) ?? "BASIC"}. Source: ${sources.readReplicas.url}`,
            );
          const gb = num(get(props, "memorySizeGb"));
          if (gb !== undefined && gb < 5)
            out.push(
              `read replicas need nodes of at least 5 GB, memorySizeGb is ${gb}. Source: ${sources.readReplicas.url}`,
            );
          const replicas = num(get(props, "replicaCount"));
          if (replicas !== undefined && (replicas < 1 || replicas > 5))
            out.push(
              `replicaCount is ${replicas}; Memorystore accepts 1-5 read replicas. Source: ${sources.readReplicas.url}`,
            );
        }
        const key = str(get(props, "customerManagedKey"));
        const region = str(get(props, "region"));
        const keyRegion = key ? /\/locations\/([^/]+)\//.exec(key)?.[1] : undefined;
        if (keyRegion !== undefined && region !== undefined && lower(keyRegion) !== lower(region))
          out.push(
            `customerManagedKey is in ${keyRegion}, the instance in ${region}: the key must be in the instance's region. Source: ${sources.memorystoreCmek.url}`,
          );
        return out;
      },
    },
  },
};
