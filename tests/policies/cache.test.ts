/**
 * Cache controls on the resource types the cache component creates (ElastiCache replication groups,
 * Azure Managed Redis clusters and databases, Memorystore for Redis), each on the shape the program
 * sends: the accepting cases carry the arguments providers/<cloud>/cache.ts sets.
 */
import { controlCases } from "./cases";
import type { TestResource } from "./harness";

const r = (type: string, name: string, props: Record<string, unknown>): TestResource => ({
  type,
  name,
  props,
});
const dev = { environment: "dev" };
const kmsKey = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const gcpKey = "projects/p/locations/europe-west1/keyRings/r/cryptoKeys/k";
const identity =
  "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id";

const group = (extra: Record<string, unknown>) =>
  r("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
    engine: "valkey",
    numCacheClusters: 3,
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    transitEncryptionEnabled: true,
    authToken: "[secret]",
    atRestEncryptionEnabled: true,
    kmsKey,
    kmsKeyId: kmsKey,
    snapshotRetentionLimit: 7,
    ...extra,
  });
const amrCluster = (extra: Record<string, unknown>) =>
  r("azure-native:redisenterprise:RedisEnterprise", "redis", {
    sku: { name: "Balanced_B5" },
    minimumTlsVersion: "1.2",
    publicNetworkAccess: "Disabled",
    highAvailability: "Enabled",
    encryption: {
      customerManagedKeyEncryption: {
        keyEncryptionKeyUrl: "https://kv.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef",
        keyEncryptionKeyIdentity: {
          identityType: "userAssignedIdentity",
          userAssignedIdentityResourceId: identity,
        },
      },
    },
    ...extra,
  });
const amrDatabase = (extra: Record<string, unknown>) =>
  r("azure-native:redisenterprise:Database", "redis-db", {
    clusterName: "redis",
    databaseName: "default",
    clientProtocol: "Encrypted",
    accessKeysAuthentication: "Disabled",
    persistence: { rdbEnabled: true, rdbFrequency: "1h" },
    ...extra,
  });
const memorystore = (extra: Record<string, unknown>) =>
  r("gcp:redis/instance:Instance", "redis", {
    tier: "STANDARD_HA",
    memorySizeGb: 5,
    transitEncryptionMode: "SERVER_AUTHENTICATION",
    authEnabled: true,
    customerManagedKey: gcpKey,
    persistenceConfig: { persistenceMode: "RDB", rdbSnapshotPeriod: "ONE_HOUR" },
    ...extra,
  });

describe("cache controls", () => {
  controlCases("enforce-cache-authentication", [
    { cloud: "aws", expect: "reject", resource: group({ authToken: undefined }), match: /authToken/ },
    { cloud: "aws", expect: "accept", resource: group({}) },
    {
      cloud: "aws",
      expect: "accept",
      title: "RBAC user group instead of a token",
      resource: group({ authToken: undefined, userGroupIds: ["app-users"] }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: amrDatabase({ accessKeysAuthentication: "Enabled" }),
      match: /accessKeysAuthentication/,
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "Azure Cache for Redis without AUTH",
      resource: r("azure-native:redis:Redis", "legacy", { redisConfiguration: { authnotrequired: "true" } }),
      match: /authnotrequired/,
    },
    { cloud: "azure", expect: "accept", resource: amrDatabase({}) },
    { cloud: "gcp", expect: "reject", resource: memorystore({ authEnabled: false }), match: /authEnabled/ },
    { cloud: "gcp", expect: "accept", resource: memorystore({}) },
    {
      cloud: "gcp",
      expect: "reject",
      title: "Memorystore for Valkey without IAM auth",
      resource: r("gcp:memorystore/instance:Instance", "valkey", { kmsKey: gcpKey }),
      match: /IAM_AUTH/,
    },
  ]);

  controlCases("enforce-cache-snapshot-retention", [
    {
      cloud: "aws",
      expect: "reject",
      title: "one day in production",
      resource: group({ snapshotRetentionLimit: 1 }),
      match: /at least 7/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "no snapshots outside production",
      resource: group({ snapshotRetentionLimit: undefined }),
      settings: dev,
      match: /no automatic snapshots/,
    },
    { cloud: "aws", expect: "accept", resource: group({}) },
    {
      cloud: "aws",
      expect: "accept",
      title: "one day outside production",
      resource: group({ snapshotRetentionLimit: 1 }),
      settings: dev,
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: amrDatabase({ persistence: undefined }),
      match: /persistence/,
    },
    { cloud: "azure", expect: "accept", resource: amrDatabase({}) },
    {
      cloud: "gcp",
      expect: "reject",
      resource: memorystore({ persistenceConfig: { persistenceMode: "DISABLED" } }),
      match: /RDB/,
    },
    { cloud: "gcp", expect: "accept", resource: memorystore({}) },
  ]);

  controlCases("enforce-cache-encryption-cmk", [
    {
      cloud: "azure",
      expect: "reject",
      title: "key URL without an identity that may use it",
      resource: amrCluster({
        encryption: {
          customerManagedKeyEncryption: { keyEncryptionKeyUrl: "https://kv.vault.azure.net/keys/k/1" },
        },
      }),
      match: /identity/,
    },
    { cloud: "azure", expect: "accept", resource: amrCluster({}) },
    {
      cloud: "gcp",
      expect: "reject",
      title: "Memorystore for Redis Cluster without kmsKey",
      resource: r("gcp:redis/cluster:Cluster", "cluster", { shardCount: 3 }),
      match: /kmsKey/,
    },
    { cloud: "gcp", expect: "accept", resource: memorystore({}) },
    { cloud: "aws", expect: "accept", resource: group({}) },
    { cloud: "aws", expect: "reject", resource: group({ kmsKeyId: undefined }), match: /kmsKeyId/ },
  ]);

  controlCases("enforce-tls-in-transit", [
    {
      cloud: "aws",
      expect: "reject",
      title: "transit encryption only preferred",
      resource: group({ transitEncryptionMode: "preferred" }),
      match: /preferred/,
    },
    { cloud: "aws", expect: "accept", resource: group({ transitEncryptionMode: "required" }) },
    {
      cloud: "azure",
      expect: "reject",
      resource: amrDatabase({ clientProtocol: "Plaintext" }),
      match: /Plaintext/,
    },
    { cloud: "azure", expect: "accept", resource: amrDatabase({}) },
    {
      cloud: "gcp",
      expect: "reject",
      resource: memorystore({ transitEncryptionMode: "DISABLED" }),
      match: /SERVER_AUTHENTICATION/,
    },
    { cloud: "gcp", expect: "accept", resource: memorystore({}) },
  ]);

  controlCases("enforce-database-high-availability", [
    {
      cloud: "aws",
      expect: "reject",
      title: "a single node cannot fail over",
      resource: group({ numCacheClusters: 1 }),
      match: /numCacheClusters/,
    },
    { cloud: "aws", expect: "accept", resource: group({}) },
    {
      cloud: "azure",
      expect: "reject",
      resource: amrCluster({ highAvailability: "Disabled" }),
      match: /highAvailability/,
    },
    { cloud: "azure", expect: "accept", resource: amrCluster({}) },
    {
      cloud: "azure",
      expect: "accept",
      title: "no replica outside production",
      resource: amrCluster({ highAvailability: "Disabled" }),
      settings: dev,
    },
    { cloud: "gcp", expect: "reject", resource: memorystore({ tier: "BASIC" }), match: /STANDARD_HA/ },
    { cloud: "gcp", expect: "accept", resource: memorystore({}) },
  ]);

  controlCases("disallow-public-database-endpoints", [
    {
      cloud: "azure",
      expect: "reject",
      resource: amrCluster({ publicNetworkAccess: "Enabled" }),
      match: /publicNetworkAccess/,
    },
    { cloud: "azure", expect: "accept", resource: amrCluster({}) },
  ]);
});
