/**
 * Controls on read replicas and connection poolers (providers/<cloud>/database.ts): the pooler control on
 * each cloud, and the existing database controls judging replicas sensibly (exempt from backups and HA of
 * their own, never from encryption or public exposure). Accepting cases carry the arguments the program
 * sends.
 */
import { controlCases } from "./cases";
import type { TestResource } from "./harness";

const r = (type: string, name: string, props: Record<string, unknown>): TestResource => ({
  type,
  name,
  props,
});
const kmsKey = "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const gcpKey = "projects/p/locations/europe-west4/keyRings/r/cryptoKeys/k";
const identity =
  "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id";

const proxy = (extra: Record<string, unknown>) =>
  r("aws:rds/proxy:Proxy", "proxy", {
    engineFamily: "POSTGRESQL",
    requireTls: true,
    roleArn: "arn:aws:iam::222222222222:role/proxy",
    vpcSubnetIds: ["subnet-a", "subnet-b"],
    auths: [
      {
        authScheme: "SECRETS",
        secretArn: "arn:aws:secretsmanager:us-east-1:222222222222:secret:master-abc",
        iamAuth: "REQUIRED",
        clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256",
      },
    ],
    ...extra,
  });
const rdsReplica = (extra: Record<string, unknown>) =>
  r("aws:rds/instance:Instance", "replica", {
    replicateSourceDb: "prod-primary-pg",
    instanceClass: "db.m7g.large",
    storageEncrypted: true,
    kmsKeyId: kmsKey,
    multiAz: false,
    publiclyAccessible: false,
    backupRetentionPeriod: 0,
    deletionProtection: true,
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: kmsKey,
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    ...extra,
  });
const azureServer = (extra: Record<string, unknown>) =>
  r("azure-native:dbforpostgresql:Server", "pg", {
    serverName: "psql-prod-secondary-abc123",
    sku: { name: "Standard_D4ds_v5", tier: "GeneralPurpose" },
    authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Disabled" },
    dataEncryption: {
      type: "AzureKeyVault",
      primaryKeyURI: "https://kv.vault.azure.net/keys/site",
      primaryUserAssignedIdentityId: identity,
    },
    network: { delegatedSubnetResourceId: "/subnets/data", publicNetworkAccess: "Disabled" },
    highAvailability: { mode: "ZoneRedundant", standbyAvailabilityZone: "2" },
    backup: { backupRetentionDays: 35, geoRedundantBackup: "Enabled" },
    ...extra,
  });
const azureReplica = (extra: Record<string, unknown>) =>
  azureServer({
    serverName: "psql-prod-secondary-r1-abc123",
    createMode: "Replica",
    sourceServerResourceId:
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-prod-secondary-abc123",
    highAvailability: { mode: "Disabled" },
    backup: undefined,
    ...extra,
  });
const config = (name: string, value: string) =>
  r("azure-native:dbforpostgresql:Configuration", `pg-${name}`, {
    serverName: "psql-prod-secondary-abc123",
    configurationName: name,
    value,
    source: "user-override",
  });
const cloudSqlReplica = (extra: Record<string, unknown>) =>
  r("gcp:sql/databaseInstance:DatabaseInstance", "replica", {
    name: "prod-primary-pg-r1-abc123",
    masterInstanceName: "prod-primary-pg-abc123",
    databaseVersion: "POSTGRES_16",
    encryptionKeyName: gcpKey,
    deletionProtection: true,
    settings: {
      tier: "db-custom-4-16384",
      availabilityType: "ZONAL",
      deletionProtectionEnabled: true,
      ipConfiguration: {
        ipv4Enabled: false,
        privateNetwork: "projects/p/global/networks/n",
        sslMode: "ENCRYPTED_ONLY",
      },
      backupConfiguration: { enabled: false },
      databaseFlags: [
        { name: "cloudsql.iam_authentication", value: "on" },
        { name: "log_connections", value: "on" },
        { name: "log_disconnections", value: "on" },
      ],
    },
    ...extra,
  });
const pooledCloudSql = (flags: { name: string; value: string }[], sslMode = "ENCRYPTED_ONLY") =>
  r("gcp:sql/databaseInstance:DatabaseInstance", "pooled", {
    databaseVersion: "POSTGRES_16",
    encryptionKeyName: gcpKey,
    settings: {
      edition: "ENTERPRISE_PLUS",
      ipConfiguration: { ipv4Enabled: false, sslMode },
      databaseFlags: flags,
      connectionPoolConfigs: [{ connectionPoolingEnabled: true }],
    },
  });
const iamFlag = [{ name: "cloudsql.iam_authentication", value: "on" }];

describe("database replica and pooler controls", () => {
  controlCases("enforce-database-proxy-tls-and-iam-auth", [
    { cloud: "aws", expect: "accept", resource: proxy({}) },
    {
      cloud: "aws",
      expect: "accept",
      title: "end-to-end IAM authentication (no secret)",
      resource: proxy({ auths: undefined, defaultAuthScheme: "IAM_AUTH" }),
    },
    { cloud: "aws", expect: "reject", resource: proxy({ requireTls: false }), match: /requireTls/ },
    {
      cloud: "aws",
      expect: "reject",
      title: "passwords accepted from clients",
      resource: proxy({ auths: [{ authScheme: "SECRETS", secretArn: "arn:x", iamAuth: "DISABLED" }] }),
      match: /iamAuth is DISABLED/,
    },
    {
      cloud: "azure",
      expect: "accept",
      title: "PgBouncer on an Entra-only server with TLS required",
      stack: [azureServer({}), config("pgbouncer.enabled", "true"), config("require_secure_transport", "on")],
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "PgBouncer while password authentication is on",
      stack: [
        azureServer({ authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Enabled" } }),
        config("pgbouncer.enabled", "true"),
      ],
      on: "pg",
      match: /password authentication is on/,
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "PgBouncer while TLS is optional",
      stack: [
        azureServer({}),
        config("pgbouncer.enabled", "true"),
        config("require_secure_transport", "off"),
      ],
      on: "pg",
      match: /require_secure_transport is off/,
    },
    { cloud: "gcp", expect: "accept", title: "no managed pooling", resource: cloudSqlReplica({}) },
    { cloud: "gcp", expect: "accept", title: "pooling with TLS and IAM", resource: pooledCloudSql(iamFlag) },
    {
      cloud: "gcp",
      expect: "reject",
      title: "pooling without IAM database authentication",
      resource: pooledCloudSql([]),
      match: /cloudsql.iam_authentication/,
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "pooling without required TLS",
      resource: pooledCloudSql(iamFlag, "ALLOW_UNENCRYPTED_AND_ENCRYPTED"),
      match: /sslMode/,
    },
  ]);

  // Replicas have no backups or standby of their own: no false mandatory violations.
  controlCases("enforce-database-high-availability", [
    { cloud: "aws", expect: "accept", title: "RDS read replica, single-AZ", resource: rdsReplica({}) },
    { cloud: "azure", expect: "accept", title: "flexible-server read replica", resource: azureReplica({}) },
    {
      cloud: "azure",
      expect: "reject",
      title: "a primary (not a replica) without HA",
      resource: azureServer({ highAvailability: { mode: "Disabled" } }),
      match: /ZoneRedundant/,
    },
    { cloud: "gcp", expect: "accept", title: "Cloud SQL read replica, ZONAL", resource: cloudSqlReplica({}) },
  ]);
  controlCases("enforce-database-backup-retention", [
    { cloud: "aws", expect: "accept", title: "RDS read replica without backups", resource: rdsReplica({}) },
    { cloud: "azure", expect: "accept", title: "flexible-server read replica", resource: azureReplica({}) },
    {
      cloud: "azure",
      expect: "reject",
      title: "a primary left at the 7-day default in production",
      resource: azureServer({ backup: undefined }),
      match: /require at least 35/,
    },
    { cloud: "gcp", expect: "accept", title: "Cloud SQL read replica", resource: cloudSqlReplica({}) },
  ]);
  // ... but never from encryption with the site key or from public exposure.
  controlCases("enforce-database-encryption-cmk", [
    { cloud: "aws", expect: "accept", title: "replica with the site key", resource: rdsReplica({}) },
    {
      cloud: "aws",
      expect: "reject",
      title: "unencrypted replica",
      resource: rdsReplica({ storageEncrypted: false, kmsKeyId: undefined }),
      match: /storageEncrypted/,
    },
    { cloud: "azure", expect: "accept", title: "replica with the site key", resource: azureReplica({}) },
    {
      cloud: "azure",
      expect: "reject",
      title: "replica with a service-managed key",
      resource: azureReplica({ dataEncryption: undefined }),
      match: /AzureKeyVault/,
    },
    { cloud: "gcp", expect: "accept", title: "replica with the site key", resource: cloudSqlReplica({}) },
    {
      cloud: "gcp",
      expect: "reject",
      title: "replica with a Google-managed key",
      resource: cloudSqlReplica({ encryptionKeyName: undefined }),
      match: /encryptionKeyName/,
    },
  ]);
  controlCases("disallow-public-database-endpoints", [
    {
      cloud: "aws",
      expect: "reject",
      title: "public replica",
      resource: rdsReplica({ publiclyAccessible: true }),
      match: /publiclyAccessible/,
    },
    { cloud: "aws", expect: "accept", title: "private replica", resource: rdsReplica({}) },
    {
      cloud: "azure",
      expect: "reject",
      title: "replica with public access",
      resource: azureReplica({ network: { publicNetworkAccess: "Enabled" } }),
      match: /publicNetworkAccess/,
    },
    { cloud: "azure", expect: "accept", title: "VNet-integrated replica", resource: azureReplica({}) },
    {
      cloud: "gcp",
      expect: "reject",
      title: "replica with a public IP",
      resource: cloudSqlReplica({
        settings: { ipConfiguration: { ipv4Enabled: true, sslMode: "ENCRYPTED_ONLY" } },
      }),
      match: /ipv4Enabled/,
    },
    { cloud: "gcp", expect: "accept", title: "private-IP replica", resource: cloudSqlReplica({}) },
  ]);
});
