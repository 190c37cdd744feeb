/** Topology and create-time values: subnet group zone coverage, immutability state at creation, retention ranges. */
import { UNKNOWN, type TestResource } from "../policies/harness";
import { res, ruleCases } from "./cases";

const subnet = (name: string, az: string, id: string) =>
  res("aws:ec2/subnet:Subnet", name, {
    availabilityZone: az,
    cidrBlock: "10.0.0.0/24",
    arn: `arn:aws:ec2:eu-west-1:111111111111:subnet/${id}`,
  });
const group = (name: string, subnetIds: unknown, deps: string[]) =>
  res(
    "aws:rds/subnetGroup:SubnetGroup",
    name,
    { name, subnetIds },
    { propertyDependencies: { subnetIds: deps } },
  );

ruleCases("require-db-subnet-group-multi-az", [
  {
    title: "one subnet (a single-zone site)",
    cloud: "aws",
    expect: "reject",
    stack: [subnet("data-a", "eu-west-1a", "subnet-a"), group("pg-data", ["subnet-a"], ["data-a"])],
    on: "pg-data",
    match: /1 subnet covering only eu-west-1a.*DBSubnetGroupDoesNotCoverEnoughAZs/,
  },
  {
    title: "two subnets in the same zone (ids unknown during preview)",
    cloud: "aws",
    expect: "reject",
    stack: [
      subnet("data-a", "eu-west-1a", "subnet-a"),
      subnet("data-a2", "eu-west-1a", "subnet-a2"),
      group("pg-data", [UNKNOWN, UNKNOWN], ["data-a", "data-a2"]),
    ],
    on: "pg-data",
    match: /only eu-west-1a/,
  },
  {
    title: "two subnets in two zones (ids unknown during preview)",
    cloud: "aws",
    expect: "accept",
    stack: [
      subnet("data-a", "eu-west-1a", "subnet-a"),
      subnet("data-b", "eu-west-1b", "subnet-b"),
      group("pg-data", [UNKNOWN, UNKNOWN], ["data-a", "data-b"]),
    ],
  },
  {
    title: "two subnets in two zones, known ids",
    cloud: "aws",
    expect: "accept",
    stack: [
      subnet("data-a", "eu-west-1a", "subnet-a"),
      subnet("data-b", "eu-west-1b", "subnet-b"),
      group("pg-data", ["subnet-a", "subnet-b"], []),
    ],
  },
  {
    title: "two subnets of another stack (zones unknown): nothing to judge",
    cloud: "aws",
    expect: "accept",
    stack: [group("pg-data", ["subnet-x", "subnet-y"], [])],
  },
]);

const account = (state: string) =>
  res("azure-native:storage:StorageAccount", `st-${state.toLowerCase()}`, {
    accountName: "stprodsecse101c",
    immutableStorageWithVersioning: {
      enabled: true,
      immutabilityPolicy: {
        immutabilityPeriodSinceCreationInDays: 30,
        state,
        allowProtectedAppendWrites: false,
      },
    },
  });

ruleCases("disallow-locked-immutability-at-create", [
  {
    title: "immutability policy Locked at creation",
    cloud: "azure",
    expect: "reject",
    resource: account("Locked"),
    match: /Disabled or Unlocked/,
  },
  {
    title: "immutability policy Unlocked at creation",
    cloud: "azure",
    expect: "accept",
    resource: account("Unlocked"),
  },
  { title: "immutability policy Disabled", cloud: "azure", expect: "accept", resource: account("Disabled") },
]);

ruleCases("enforce-retention-within-cloud-limits", [
  {
    title: "Log Analytics retention 731 days",
    cloud: "azure",
    expect: "reject",
    resource: res("azure-native:operationalinsights:Workspace", "log-731", {
      workspaceName: "log-x",
      retentionInDays: 731,
    }),
    match: /Log Analytics retention \(retentionInDays\) is 731; the cloud accepts 4-730/,
  },
  {
    title: "Log Analytics retention 730 days",
    cloud: "azure",
    expect: "accept",
    resource: res("azure-native:operationalinsights:Workspace", "log-730", {
      workspaceName: "log-x",
      retentionInDays: 730,
    }),
  },
  {
    title: "Key Vault soft-delete retention 120 days",
    cloud: "azure",
    expect: "reject",
    resource: res("azure-native:keyvault:Vault", "kv-120", {
      properties: { softDeleteRetentionInDays: 120 },
    }),
    match: /7-90/,
  },
  {
    title: "PostgreSQL backup retention 36 days",
    cloud: "azure",
    expect: "reject",
    resource: res("azure-native:dbforpostgresql:Server", "pg-36", { backup: { backupRetentionDays: 36 } }),
    match: /7-35/,
  },
  {
    title: "CloudWatch Logs retention 731 (a listed value) and KMS window 30",
    cloud: "aws",
    expect: "accept",
    resource: res("aws:cloudwatch/logGroup:LogGroup", "lg-731", { retentionInDays: 731 }),
  },
  {
    title: "CloudWatch Logs retention 730 (not a listed value)",
    cloud: "aws",
    expect: "reject",
    resource: res("aws:cloudwatch/logGroup:LogGroup", "lg-730", { retentionInDays: 730 }),
    match: /one of 1, 3, 5/,
  },
  {
    title: "KMS deletion window 5 days",
    cloud: "aws",
    expect: "reject",
    resource: res("aws:kms/key:Key", "key-5", { deletionWindowInDays: 5 }),
    match: /7-30/,
  },
  {
    title: "RDS backup retention 35 days",
    cloud: "aws",
    expect: "accept",
    resource: res("aws:rds/instance:Instance", "pg-35", { backupRetentionPeriod: 35 }),
  },
  {
    title: "Cloud Logging bucket retention 4000 days",
    cloud: "gcp",
    expect: "reject",
    resource: res("gcp:logging/projectBucketConfig:ProjectBucketConfig", "lb-4000", { retentionDays: 4000 }),
    match: /1-3650/,
  },
  {
    title: "Cloud SQL transaction log retention 14 days on Enterprise edition",
    cloud: "gcp",
    expect: "reject",
    resource: res("gcp:sql/databaseInstance:DatabaseInstance", "sql-14", {
      settings: { edition: "ENTERPRISE", backupConfiguration: { transactionLogRetentionDays: 14 } },
    }),
    match: /Enterprise edition.*1-7/,
  },
  {
    title: "Cloud SQL transaction log retention 14 days on Enterprise Plus edition",
    cloud: "gcp",
    expect: "accept",
    resource: res("gcp:sql/databaseInstance:DatabaseInstance", "sql-14-plus", {
      settings: {
        edition: "ENTERPRISE_PLUS",
        backupConfiguration: {
          transactionLogRetentionDays: 14,
          backupRetentionSettings: { retainedBackups: 30 },
        },
      },
    }),
  },
]);

const cacheGroup = (extra: Record<string, unknown>): TestResource => ({
  type: "aws:elasticache/replicationGroup:ReplicationGroup",
  name: "cache",
  props: {
    numCacheClusters: 3,
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    transitEncryptionEnabled: true,
    authToken: "[secret]",
    snapshotRetentionLimit: 7,
    ...extra,
  },
});
const amr = (url: string): TestResource => ({
  type: "azure-native:redisenterprise:RedisEnterprise",
  name: "redis",
  props: { encryption: { customerManagedKeyEncryption: { keyEncryptionKeyUrl: url } } },
});
const memorystoreInstance = (extra: Record<string, unknown>): TestResource => ({
  type: "gcp:redis/instance:Instance",
  name: "redis",
  props: {
    region: "europe-west1",
    tier: "STANDARD_HA",
    memorySizeGb: 5,
    readReplicasMode: "READ_REPLICAS_ENABLED",
    replicaCount: 2,
    customerManagedKey: "projects/p/locations/europe-west1/keyRings/r/cryptoKeys/k",
    ...extra,
  },
});

ruleCases("require-cache-create-time-settings", [
  {
    title: "AUTH token without in-transit encryption",
    cloud: "aws",
    expect: "reject",
    resource: cacheGroup({ transitEncryptionEnabled: false }),
    match: /transitEncryptionEnabled/,
  },
  {
    title: "automatic failover on a single node",
    cloud: "aws",
    expect: "reject",
    resource: cacheGroup({ numCacheClusters: 1 }),
    match: /numCacheClusters 1/,
  },
  {
    title: "Multi-AZ replication group with AUTH over TLS",
    cloud: "aws",
    expect: "accept",
    resource: cacheGroup({}),
  },
  {
    title: "versionless key URL",
    cloud: "azure",
    expect: "reject",
    resource: amr("https://kv.vault.azure.net/keys/site"),
    match: /versioned/,
  },
  {
    title: "versioned key URL",
    cloud: "azure",
    expect: "accept",
    resource: amr("https://kv.vault.azure.net/keys/site/0123456789abcdef0123456789abcdef"),
  },
  {
    title: "read replicas on a 1 GB node",
    cloud: "gcp",
    expect: "reject",
    resource: memorystoreInstance({ memorySizeGb: 1 }),
    match: /5 GB/,
  },
  {
    title: "CMEK key of another region",
    cloud: "gcp",
    expect: "reject",
    resource: memorystoreInstance({
      customerManagedKey: "projects/p/locations/us-east1/keyRings/r/cryptoKeys/k",
    }),
    match: /region/,
  },
  {
    title: "Standard Tier, 5 GB, two read replicas, key of the region",
    cloud: "gcp",
    expect: "accept",
    resource: memorystoreInstance({}),
  },
]);

// ---------------------------------------------------------------------------------------------------------
// Budgets: notification and channel limits, the Azure start date

const awsNotification = (threshold: number, topics: unknown[] = [UNKNOWN]) => ({
  notificationType: "ACTUAL",
  comparisonOperator: "GREATER_THAN",
  threshold,
  thresholdType: "PERCENTAGE",
  subscriberSnsTopicArns: topics,
});
const azureNotification = (threshold: number) => ({
  enabled: true,
  operator: "GreaterThan",
  threshold,
  contactEmails: ["a@example.com"],
  contactGroups: [UNKNOWN],
});

ruleCases("require-budget-create-time-settings", [
  {
    title: "AWS budget with two SNS topics on one notification",
    cloud: "aws",
    expect: "reject",
    resource: res("aws:budgets/budget:Budget", "budget", {
      name: "prod-primary-monthly",
      budgetType: "COST",
      timeUnit: "MONTHLY",
      notifications: [awsNotification(80, ["arn:a", "arn:b"])],
    }),
    match: /more than one SNS subscriber/,
  },
  {
    title: "AWS budget with eleven notifications",
    cloud: "aws",
    expect: "reject",
    resource: res("aws:budgets/budget:Budget", "budget", {
      name: "prod-primary-monthly",
      budgetType: "COST",
      timeUnit: "MONTHLY",
      notifications: Array.from({ length: 11 }, (_, i) => awsNotification(10 * (i + 1))),
    }),
    match: /11 notifications/,
  },
  {
    title: "AWS budget with actual and forecast notifications to one topic",
    cloud: "aws",
    expect: "accept",
    resource: res("aws:budgets/budget:Budget", "budget", {
      name: "prod-primary-monthly",
      budgetType: "COST",
      timeUnit: "MONTHLY",
      notifications: [awsNotification(50), awsNotification(80), awsNotification(100)],
    }),
  },
  {
    title: "Azure budget starting mid-month",
    cloud: "azure",
    expect: "reject",
    resource: res("azure-native:consumption:Budget", "budget", {
      budgetName: "prod-secondary-monthly",
      scope: UNKNOWN,
      amount: 500,
      category: "Cost",
      timeGrain: "Monthly",
      timePeriod: { startDate: "2026-12-07T00:00:00Z" },
      notifications: { actual_80: azureNotification(80) },
    }),
    match: /not the first day of a month/,
  },
  {
    title: "Azure budget with six notifications",
    cloud: "azure",
    expect: "reject",
    resource: res("azure-native:consumption:Budget", "budget", {
      budgetName: "prod-secondary-monthly",
      scope: UNKNOWN,
      amount: 500,
      category: "Cost",
      timeGrain: "Monthly",
      timePeriod: { startDate: "2026-12-01T00:00:00Z" },
      notifications: Object.fromEntries(
        [10, 20, 30, 40, 50, 60].map((t) => [`actual_${t}`, azureNotification(t)]),
      ),
    }),
    match: /6 notifications/,
  },
  {
    title: "Azure budget from the first of the month with four notifications",
    cloud: "azure",
    expect: "accept",
    resource: res("azure-native:consumption:Budget", "budget", {
      budgetName: "prod-secondary-monthly",
      scope: UNKNOWN,
      amount: 500,
      category: "Cost",
      timeGrain: "Monthly",
      timePeriod: { startDate: "2026-12-01T00:00:00Z" },
      notifications: Object.fromEntries([50, 80, 100, 120].map((t) => [`actual_${t}`, azureNotification(t)])),
    }),
  },
  {
    title: "GCP budget notifying six channels",
    cloud: "gcp",
    expect: "reject",
    resource: res("gcp:billing/budget:Budget", "budget", {
      billingAccount: "012345-6789AB-CDEF01",
      displayName: "prod-primary-monthly",
      amount: { specifiedAmount: { currencyCode: "USD", units: "500" } },
      thresholdRules: [{ thresholdPercent: 0.5 }],
      allUpdatesRule: { monitoringNotificationChannels: ["1", "2", "3", "4", "5", "6"] },
    }),
    match: /6 monitoring channels/,
  },
  {
    title: "GCP budget notifying two channels",
    cloud: "gcp",
    expect: "accept",
    resource: res("gcp:billing/budget:Budget", "budget", {
      billingAccount: "012345-6789AB-CDEF01",
      displayName: "prod-primary-monthly",
      amount: { specifiedAmount: { currencyCode: "USD", units: "500" } },
      thresholdRules: [{ thresholdPercent: 0.5 }],
      allUpdatesRule: { monitoringNotificationChannels: [UNKNOWN, UNKNOWN] },
    }),
  },
]);

const rdsSource = (extra: Record<string, unknown>) =>
  res("aws:rds/instance:Instance", "pg", {
    identifier: "prod-primary-pg",
    engine: "postgres",
    backupRetentionPeriod: 35,
    passwordWo: "[secret]",
    passwordWoVersion: 1,
    ...extra,
  });
const rdsReplica = res("aws:rds/instance:Instance", "pg-replica", {
  identifier: "prod-primary-pg-replica-1",
  replicateSourceDb: "prod-primary-pg",
});
const flexServer = (tier: string) =>
  res("azure-native:dbforpostgresql:Server", "pg", {
    serverName: "psql-dev-primary-abc123",
    sku: { name: tier === "Burstable" ? "Standard_B2s" : "Standard_D4ds_v5", tier },
  });
const bouncer = res("azure-native:dbforpostgresql:Configuration", "pg-bouncer", {
  serverName: "psql-dev-primary-abc123",
  configurationName: "pgbouncer.enabled",
  value: "true",
});
const cloudSqlPrimary = (backup: Record<string, unknown>) =>
  res("gcp:sql/databaseInstance:DatabaseInstance", "pg", {
    name: "prod-primary-pg-abc123",
    databaseVersion: "POSTGRES_16",
    settings: { backupConfiguration: backup },
  });
const cloudSqlReplica = (backupEnabled: boolean) =>
  res("gcp:sql/databaseInstance:DatabaseInstance", "pg-replica", {
    name: "prod-primary-pg-r1-abc123",
    masterInstanceName: "prod-primary-pg-abc123",
    databaseVersion: "POSTGRES_16",
    settings: { backupConfiguration: { enabled: backupEnabled } },
  });

ruleCases("require-database-replica-create-time-settings", [
  {
    title: "replica of a source whose password RDS manages in Secrets Manager",
    cloud: "aws",
    expect: "reject",
    stack: [rdsSource({ manageMasterUserPassword: true, passwordWo: undefined }), rdsReplica],
    on: "pg-replica",
    match: /manageMasterUserPassword/,
  },
  {
    title: "replica of a source without automated backups",
    cloud: "aws",
    expect: "reject",
    stack: [rdsSource({ backupRetentionPeriod: 0 }), rdsReplica],
    on: "pg-replica",
    match: /backupRetentionPeriod 0/,
  },
  {
    title: "replica of a source with a generated password and backups",
    cloud: "aws",
    expect: "accept",
    stack: [rdsSource({}), rdsReplica],
  },
  {
    title: "PgBouncer on a Burstable server",
    cloud: "azure",
    expect: "reject",
    stack: [flexServer("Burstable"), bouncer],
    on: "pg-bouncer",
    match: /Burstable/,
  },
  {
    title: "PgBouncer on a General Purpose server",
    cloud: "azure",
    expect: "accept",
    stack: [flexServer("GeneralPurpose"), bouncer],
  },
  {
    title: "Replica create without its source",
    cloud: "azure",
    expect: "reject",
    resource: res("azure-native:dbforpostgresql:Server", "pg-replica", { createMode: "Replica" }),
    match: /sourceServerResourceId/,
  },
  {
    title: "replica of a primary without point-in-time recovery",
    cloud: "gcp",
    expect: "reject",
    stack: [cloudSqlPrimary({ enabled: true, pointInTimeRecoveryEnabled: false }), cloudSqlReplica(false)],
    on: "pg-replica",
    match: /point-in-time recovery/,
  },
  {
    title: "replica with backups of its own",
    cloud: "gcp",
    expect: "reject",
    resource: cloudSqlReplica(true),
    match: /read replicas have no backups/,
  },
  {
    title: "replica without backups of a primary with backups and PITR",
    cloud: "gcp",
    expect: "accept",
    stack: [cloudSqlPrimary({ enabled: true, pointInTimeRecoveryEnabled: true }), cloudSqlReplica(false)],
  },
]);

const filestoreInstance = (extra: Record<string, unknown>): TestResource => ({
  type: "gcp:filestore/instance:Instance",
  name: "files",
  props: {
    name: "prod-primary-files",
    location: "europe-west1",
    tier: "REGIONAL",
    protocol: "NFS_V4_1",
    kmsKeyName: "projects/p/locations/europe-west1/keyRings/r/cryptoKeys/k",
    fileShares: { name: "data", capacityGb: 1024 },
    ...extra,
  },
});
const nfsAccount = (extra: Record<string, unknown>): TestResource => ({
  type: "azure-native:storage:StorageAccount",
  name: "nfs",
  props: {
    accountName: "nfsdevprim123456",
    kind: "FileStorage",
    sku: { name: "Premium_LRS" },
    enableHttpsTrafficOnly: false,
    ...extra,
  },
});
const nfsShare = (quota: number): TestResource => ({
  type: "azure-native:storage:FileShare",
  name: "share",
  props: { accountName: "nfsdevprim123456", shareName: "data", enabledProtocols: "NFS", shareQuota: quota },
});
const efsFileSystem = (transitionToIa: string): TestResource => ({
  type: "aws:efs/fileSystem:FileSystem",
  name: "efs",
  props: { encrypted: true, lifecyclePolicies: [{ transitionToIa }] },
});

ruleCases("require-file-storage-create-time-settings", [
  {
    title: "Basic HDD below 1 TiB",
    cloud: "gcp",
    expect: "reject",
    resource: filestoreInstance({
      tier: "BASIC_HDD",
      location: "europe-west1-b",
      protocol: "NFS_V3",
      fileShares: { name: "data", capacityGb: 512 },
    }),
    match: /minimum of 1024/,
  },
  {
    title: "Regional tier in a zone, NFSv4.1 on Basic, key of another region",
    cloud: "gcp",
    expect: "reject",
    resource: filestoreInstance({ location: "europe-west1-b" }),
    match: /must be a region/,
  },
  {
    title: "NFSv4.1 on Basic SSD",
    cloud: "gcp",
    expect: "reject",
    resource: filestoreInstance({
      tier: "BASIC_SSD",
      location: "europe-west1-b",
      fileShares: { name: "data", capacityGb: 2560 },
    }),
    match: /NFS_V4_1/,
  },
  {
    title: "CMEK key of another region",
    cloud: "gcp",
    expect: "reject",
    resource: filestoreInstance({ kmsKeyName: "projects/p/locations/us-east1/keyRings/r/cryptoKeys/k" }),
    match: /instance's region/,
  },
  {
    title: "share name with a hyphen",
    cloud: "gcp",
    expect: "reject",
    resource: filestoreInstance({ fileShares: { name: "my-data", capacityGb: 1024 } }),
    match: /file share name/,
  },
  {
    title: "Regional, 1 TiB, key of the region",
    cloud: "gcp",
    expect: "accept",
    resource: filestoreInstance({}),
  },
  {
    title: "Basic HDD, 1 TiB, in a zone, NFSv3",
    cloud: "gcp",
    expect: "accept",
    resource: filestoreInstance({ tier: "BASIC_HDD", location: "europe-west1-b", protocol: "NFS_V3" }),
  },
  {
    title: "premium NFS share below 100 GiB",
    cloud: "azure",
    expect: "reject",
    resource: nfsShare(50),
    match: /100-102400/,
  },
  { title: "premium NFS share of 1 TiB", cloud: "azure", expect: "accept", resource: nfsShare(1024) },
  {
    title: "a lifecycle transition EFS does not list",
    cloud: "aws",
    expect: "reject",
    resource: efsFileSystem("AFTER_45_DAYS"),
    match: /transitionToIa/,
  },
  {
    title: "transition after 30 days",
    cloud: "aws",
    expect: "accept",
    resource: efsFileSystem("AFTER_30_DAYS"),
  },
]);

ruleCases("require-nfs-share-on-premium-file-storage", [
  {
    title: "NFS share on a StorageV2 account requiring secure transfer",
    cloud: "azure",
    expect: "reject",
    stack: [
      nfsAccount({ kind: "StorageV2", sku: { name: "Standard_LRS" }, enableHttpsTrafficOnly: true }),
      nfsShare(1024),
    ],
    on: "nfs",
    match: /FileStorage/,
  },
  {
    title: "NFS share on a premium FileStorage account with secure transfer off",
    cloud: "azure",
    expect: "accept",
    stack: [nfsAccount({}), nfsShare(1024)],
  },
]);

const aclEntry = (ruleNo: number, cidrBlock = "10.1.4.0/22") => ({
  ruleNo,
  action: "allow",
  protocol: "tcp",
  cidrBlock,
  fromPort: 5432,
  toPort: 5432,
});
const nacl = (ingress: unknown[], egress: unknown[] = [aclEntry(100)]) =>
  res("aws:ec2/networkAcl:NetworkAcl", "data-acl", { vpcId: "vpc-1", ingress, egress });
const nsgRule = (name: string, priority: number, direction = "Inbound") => ({
  name,
  priority,
  direction,
  access: "Allow",
  protocol: "Tcp",
  sourceAddressPrefix: "10.0.6.0/24",
  destinationAddressPrefix: "10.1.4.0/22",
  destinationPortRange: "5432",
});
const nsg = (securityRules: unknown[]) =>
  res("azure-native:network:NetworkSecurityGroup", "data-nsg", { resourceGroupName: "rg", securityRules });

ruleCases("enforce-network-rule-limits", [
  {
    title: "20 inbound rules plus the default deny (over the default quota of 20)",
    cloud: "aws",
    expect: "reject",
    resource: nacl(Array.from({ length: 20 }, (_, i) => aclEntry(100 + 10 * i))),
    match: /ingress: 20 IPv4 rules plus the default deny exceed the quota of 20/,
  },
  {
    title: "two inbound rules numbered 300",
    cloud: "aws",
    expect: "reject",
    resource: nacl([aclEntry(300), aclEntry(300, "10.0.6.0/24")]),
    match: /rule number 300 used more than once/,
  },
  {
    title: "a rule number in the reserved range",
    cloud: "aws",
    expect: "reject",
    resource: nacl([aclEntry(32767)]),
    match: /outside 1-32766/,
  },
  {
    title: "19 inbound rules, the same numbers in both directions",
    cloud: "aws",
    expect: "accept",
    resource: nacl(
      Array.from({ length: 19 }, (_, i) => aclEntry(100 + 10 * i)),
      Array.from({ length: 19 }, (_, i) => aclEntry(100 + 10 * i)),
    ),
  },
  {
    title: "two inbound rules with priority 200",
    cloud: "azure",
    expect: "reject",
    resource: nsg([nsgRule("allow-a", 200), nsgRule("allow-b", 200)]),
    match: /allow-a, allow-b share priority 200/,
  },
  {
    title: "a priority below 100",
    cloud: "azure",
    expect: "reject",
    resource: nsg([nsgRule("allow-a", 50)]),
    match: /outside 100-4096/,
  },
  {
    title: "two rules with the same name",
    cloud: "azure",
    expect: "reject",
    resource: nsg([nsgRule("allow-a", 100), nsgRule("allow-a", 110)]),
    match: /rule names allow-a used more than once/,
  },
  {
    title: "the same priority once per direction, names unique",
    cloud: "azure",
    expect: "accept",
    resource: nsg([
      nsgRule("allow-in", 100),
      nsgRule("allow-out", 100, "Outbound"),
      nsgRule("deny-all", 4096),
    ]),
  },
]);
