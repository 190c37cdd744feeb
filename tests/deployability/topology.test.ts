/** Topology and create-time values: subnet group zone coverage, immutability state at creation, retention ranges, network rule limits. */
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
