import { controlCases } from "./cases";
import { UNKNOWN, type TestResource } from "./harness";

const r = (
  type: string,
  name: string,
  props: Record<string, unknown>,
  extra: Partial<TestResource> = {},
): TestResource => ({ type, name, props, ...extra });
const bucket = r("aws:s3/bucket:Bucket", "data", { bucket: "acme-data" });
const lockedBucket = r("aws:s3/bucket:Bucket", "vault", { bucket: "acme-vault", objectLockEnabled: true });
const dev = { environment: "dev" };

describe("resilience controls", () => {
  controlCases("enforce-database-backup-retention", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:rds/instance:Instance", "db", { backupRetentionPeriod: 7 }),
      match: /at least 35/,
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:rds/instance:Instance", "db", { backupRetentionPeriod: 35 }),
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "7 days outside production",
      resource: r("aws:rds/cluster:Cluster", "c", { backupRetentionPeriod: 7 }),
      settings: dev,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "custom production threshold",
      resource: r("aws:rds/cluster:Cluster", "c", { backupRetentionPeriod: 14 }),
      settings: { productionBackupRetentionDays: 30 },
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:dbforpostgresql:Server", "pg", { backup: { backupRetentionDays: 7 } }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:dbforpostgresql:Server", "pg", { backup: { backupRetentionDays: 35 } }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "sql", {
        settings: { backupConfiguration: { enabled: false } },
      }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "sql", {
        settings: {
          backupConfiguration: { enabled: true, backupRetentionSettings: { retainedBackups: 35 } },
        },
      }),
    },
  ]);

  controlCases("enable-database-point-in-time-recovery", [
    { cloud: "aws", expect: "reject", resource: r("aws:dynamodb/table:Table", "t", { hashKey: "id" }) },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:dynamodb/table:Table", "t", { hashKey: "id", pointInTimeRecovery: { enabled: true } }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:cosmosdb:DatabaseAccount", "cosmos", { backupPolicy: { type: "Periodic" } }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:cosmosdb:DatabaseAccount", "cosmos", {
        backupPolicy: { type: "Continuous" },
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "sql", {
        databaseVersion: "POSTGRES_16",
        settings: { backupConfiguration: { enabled: true } },
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "my", {
        databaseVersion: "MYSQL_8_0",
        settings: { backupConfiguration: { enabled: true } },
      }),
      match: /binaryLogEnabled/,
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "sql", {
        databaseVersion: "POSTGRES_16",
        settings: { backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true } },
      }),
    },
  ]);

  controlCases("enforce-database-high-availability", [
    { cloud: "aws", expect: "reject", resource: r("aws:rds/instance:Instance", "db", { multiAz: false }) },
    { cloud: "aws", expect: "accept", resource: r("aws:rds/instance:Instance", "db", { multiAz: true }) },
    {
      cloud: "aws",
      expect: "accept",
      title: "single-AZ allowed outside production",
      resource: r("aws:rds/instance:Instance", "db", { multiAz: false }),
      settings: dev,
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:dbforpostgresql:Server", "pg", { highAvailability: { mode: "Disabled" } }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:dbforpostgresql:Server", "pg", {
        highAvailability: { mode: "ZoneRedundant" },
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "sql", {
        settings: { availabilityType: "ZONAL" },
      }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "sql", {
        settings: { availabilityType: "REGIONAL" },
      }),
    },
  ]);

  controlCases("enforce-database-deletion-protection", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:rds/cluster:Cluster", "c", { deletionProtection: false }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:rds/cluster:Cluster", "c", { deletionProtection: true }),
    },
    { cloud: "azure", expect: "reject", resource: r("azure-native:dbforpostgresql:Server", "pg", {}) },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:dbforpostgresql:Server", "pg", {}, { protect: true }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "sql", {
        deletionProtection: false,
        settings: {},
      }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "sql", {
        deletionProtection: true,
        settings: { deletionProtectionEnabled: true },
      }),
    },
  ]);

  controlCases("enforce-protect-on-stateful-resources", [
    { cloud: "aws", expect: "reject", resource: r("aws:kms/key:Key", "k", {}) },
    { cloud: "aws", expect: "accept", resource: r("aws:kms/key:Key", "k", {}, { protect: true }) },
    { cloud: "azure", expect: "reject", resource: r("azure-native:storage:StorageAccount", "sa", {}) },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:storage:StorageAccount", "sa", {}, { protect: true }),
    },
    {
      cloud: "azure",
      expect: "accept",
      title: "not required outside production",
      resource: r("azure-native:storage:StorageAccount", "sa", {}),
      settings: dev,
    },
    { cloud: "gcp", expect: "reject", resource: r("gcp:sql/databaseInstance:DatabaseInstance", "sql", {}) },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "sql", {}, { protect: true }),
    },
  ]);

  const versioning = (status: string) =>
    r(
      "aws:s3/bucketVersioning:BucketVersioning",
      "data-versioning",
      { bucket: UNKNOWN, versioningConfiguration: { status } },
      { propertyDependencies: { bucket: ["data"] } },
    );
  const account = r("azure-native:storage:StorageAccount", "sa", { accountName: "acmesa" });
  controlCases("enable-object-versioning", [
    { cloud: "aws", expect: "reject", on: "data", stack: [bucket] },
    { cloud: "aws", expect: "reject", stack: [bucket, versioning("Suspended")], match: /not Enabled/ },
    { cloud: "aws", expect: "accept", stack: [bucket, versioning("Enabled")] },
    {
      cloud: "aws",
      expect: "reject",
      title: "the suspended BucketVersioning resource itself is reported",
      stack: [bucket, versioning("Suspended")],
      on: "data-versioning",
      match: /status is Suspended/,
    },
    { cloud: "azure", expect: "reject", stack: [account], on: "sa" },
    {
      cloud: "azure",
      expect: "reject",
      title: "BlobServiceProperties with versioning off is reported on itself",
      stack: [
        account,
        r("azure-native:storage:BlobServiceProperties", "blob", {
          accountName: "acmesa",
          isVersioningEnabled: false,
        }),
      ],
      on: "blob",
    },
    {
      cloud: "azure",
      expect: "accept",
      stack: [
        account,
        r("azure-native:storage:BlobServiceProperties", "blob", {
          accountName: "acmesa",
          isVersioningEnabled: true,
        }),
      ],
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:storage/bucket:Bucket", "b", { versioning: { enabled: false } }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:storage/bucket:Bucket", "b", { versioning: { enabled: true } }),
    },
  ]);

  const backupVault = r("aws:backup/vault:Vault", "bv", {
    name: "prod-primary-vault",
    kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/k",
  });
  const vaultLock = (props: Record<string, unknown>) =>
    r("aws:backup/vaultLockConfiguration:VaultLockConfiguration", "bv-lock", {
      backupVaultName: "prod-primary-vault",
      minRetentionDays: 35,
      maxRetentionDays: 365,
      ...props,
    });
  const dataProtectionVault = (state: string) =>
    r("azure-native:dataprotection:BackupVault", "dpv", {
      vaultName: "bv-prod-secondary",
      properties: {
        storageSettings: [{ datastoreType: "VaultStore", type: "GeoRedundant" }],
        securitySettings: { immutabilitySettings: { state } },
      },
    });
  controlCases("enforce-immutable-backups", [
    { cloud: "aws", expect: "reject", stack: [bucket], on: "data", match: /objectLockEnabled/ },
    {
      cloud: "aws",
      expect: "reject",
      title: "AWS Backup vault without a vault lock",
      stack: [backupVault],
      on: "bv",
      match: /no aws\.backup\.VaultLockConfiguration/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "AWS Backup vault lock in governance mode in production",
      stack: [backupVault, vaultLock({})],
      on: "bv",
      match: /governance mode/,
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "AWS Backup vault lock in compliance mode",
      stack: [backupVault, vaultLock({ changeableForDays: 3 })],
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "Backup vault with immutability disabled",
      stack: [dataProtectionVault("Disabled")],
      on: "dpv",
      match: /immutabilitySettings\.state/,
    },
    {
      cloud: "azure",
      expect: "accept",
      title: "Backup vault with locked immutability",
      stack: [dataProtectionVault("Locked")],
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "Backup and DR vault enforcing less than a day",
      resource: r("gcp:backupdisasterrecovery/backupVault:BackupVault", "bdr", {
        backupVaultId: "prod-primary-backup-vault",
        location: "europe-west1",
        backupMinimumEnforcedRetentionDuration: "3600s",
      }),
      match: /at least one day/,
    },
    {
      cloud: "gcp",
      expect: "accept",
      title: "Backup and DR vault enforcing 35 days",
      resource: r("gcp:backupdisasterrecovery/backupVault:BackupVault", "bdr", {
        backupVaultId: "prod-primary-backup-vault",
        location: "europe-west1",
        backupMinimumEnforcedRetentionDuration: "3024000s",
      }),
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "object lock without default retention",
      stack: [lockedBucket],
      on: "vault",
    },
    {
      cloud: "aws",
      expect: "accept",
      stack: [
        lockedBucket,
        r("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "vault-lock", {
          bucket: "acme-vault",
          rule: { defaultRetention: { mode: "COMPLIANCE", days: 35 } },
        }),
      ],
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "not required outside production",
      stack: [bucket],
      settings: dev,
    },
    { cloud: "azure", expect: "reject", stack: [account], on: "sa" },
    {
      cloud: "azure",
      expect: "accept",
      stack: [
        r("azure-native:storage:StorageAccount", "sa", { immutableStorageWithVersioning: { enabled: true } }),
      ],
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:storage/bucket:Bucket", "b", {
        retentionPolicy: { retentionPeriod: "2592000", isLocked: false },
      }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:storage/bucket:Bucket", "b", {
        retentionPolicy: { retentionPeriod: "2592000", isLocked: true },
      }),
    },
  ]);

  controlCases("enforce-storage-geo-redundancy", [
    { cloud: "aws", expect: "reject", stack: [bucket], on: "data" },
    {
      cloud: "aws",
      expect: "accept",
      title: "replicated bucket and its replica",
      stack: [
        bucket,
        r("aws:s3/bucket:Bucket", "replica", { bucket: "acme-data-replica", region: "eu-central-1" }),
        r("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "repl", {
          bucket: "acme-data",
          role: "arn",
          rules: [{ status: "Enabled", destination: { bucket: "arn:aws:s3:::acme-data-replica" } }],
        }),
      ],
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:storage:StorageAccount", "sa", { sku: { name: "Standard_LRS" } }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:storage:StorageAccount", "sa", { sku: { name: "Standard_RAGZRS" } }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:storage/bucket:Bucket", "b", { location: "EUROPE-WEST1" }),
    },
    { cloud: "gcp", expect: "accept", resource: r("gcp:storage/bucket:Bucket", "b", { location: "EU" }) },
  ]);

  const site = (type: string, name: string, role: string, property = "tags") =>
    r(type, name, { [property]: { "site-role": role } });
  controlCases("enforce-secondary-site-different-cloud", [
    {
      cloud: "aws",
      expect: "reject",
      stack: [site("aws:ec2/vpc:Vpc", "p", "primary"), site("aws:ec2/vpc:Vpc", "s", "secondary")],
      on: "s",
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "production without a secondary site",
      stack: [site("aws:ec2/vpc:Vpc", "p", "primary")],
      match: /no secondary site/,
    },
    {
      cloud: "aws",
      expect: "accept",
      stack: [
        site("aws:ec2/vpc:Vpc", "p", "primary"),
        site("azure-native:network:VirtualNetwork", "s", "secondary"),
      ],
    },
    {
      cloud: "azure",
      expect: "reject",
      stack: [
        site("azure-native:network:VirtualNetwork", "p", "primary"),
        site("azure-native:network:VirtualNetwork", "s", "secondary"),
      ],
      on: "s",
    },
    {
      cloud: "azure",
      expect: "accept",
      stack: [
        site("azure-native:network:VirtualNetwork", "p", "primary"),
        site("gcp:compute/network:Network", "s", "secondary", "labels"),
      ],
    },
    {
      cloud: "gcp",
      expect: "reject",
      stack: [
        site("gcp:compute/network:Network", "p", "primary", "labels"),
        site("gcp:compute/network:Network", "s", "secondary", "labels"),
      ],
      on: "s",
    },
    {
      cloud: "gcp",
      expect: "accept",
      stack: [
        site("gcp:compute/network:Network", "p", "primary", "labels"),
        site("aws:ec2/vpc:Vpc", "s", "secondary"),
      ],
    },
    {
      cloud: "gcp",
      expect: "accept",
      title: "same cloud allowed outside production",
      stack: [
        site("gcp:compute/network:Network", "p", "primary", "labels"),
        site("gcp:compute/network:Network", "s", "secondary", "labels"),
      ],
      settings: dev,
    },
  ]);

  describe("backup plans", () => {
    const awsPlan = (deleteAfter: number, copyDays = deleteAfter) =>
      r("aws:backup/plan:Plan", "plan", {
        name: "prod-primary-daily",
        rules: [
          {
            ruleName: "daily",
            targetVaultName: "prod-primary-vault",
            schedule: "cron(0 3 * * ? *)",
            lifecycle: { deleteAfter },
            copyActions: [
              {
                destinationVaultArn: "arn:aws:backup:us-west-2:1:backup-vault:copy",
                lifecycle: { deleteAfter: copyDays },
              },
            ],
          },
        ],
      });
    const vaultStore = { dataStoreType: "VaultStore", objectType: "DataStoreInfoBase" };
    const azurePolicy = (duration: string) =>
      r("azure-native:dataprotection:BackupPolicy", "policy", {
        backupPolicyName: "bkpol-prod-secondary-postgres",
        properties: {
          objectType: "BackupPolicy",
          datasourceTypes: ["Microsoft.DBforPostgreSQL/flexibleServers"],
          policyRules: [
            {
              objectType: "AzureBackupRule",
              name: "BackupDaily",
              backupParameters: { objectType: "AzureBackupParams", backupType: "Full" },
              dataStore: vaultStore,
              trigger: {
                objectType: "ScheduleBasedTriggerContext",
                schedule: { repeatingTimeIntervals: ["R/2024-01-01T03:00:00+00:00/P1D"], timeZone: "UTC" },
              },
            },
            {
              objectType: "AzureRetentionRule",
              name: "Default",
              isDefault: true,
              lifecycles: [
                {
                  sourceDataStore: vaultStore,
                  deleteAfter: { objectType: "AbsoluteDeleteOption", duration },
                },
              ],
            },
          ],
        },
      });
    const gcpPlan = (days: number | undefined) =>
      r("gcp:backupdisasterrecovery/backupPlan:BackupPlan", "plan", {
        backupPlanId: "prod-primary-filestore-daily",
        location: "europe-west1",
        resourceType: "file.googleapis.com/Instance",
        backupVault: "projects/p/locations/europe-west1/backupVaults/prod-primary-backup-vault",
        backupRules: [
          {
            ruleId: "daily",
            ...(days === undefined ? {} : { backupRetentionDays: days }),
            standardSchedule: {
              recurrenceType: "DAILY",
              timeZone: "UTC",
              backupWindow: { startHourOfDay: 3, endHourOfDay: 9 },
            },
          },
        ],
      });
    controlCases("enforce-backup-plan-retention", [
      {
        cloud: "aws",
        expect: "reject",
        resource: awsPlan(7),
        match: /rule daily keeps recovery points 7 day\(s\); require at least 35/,
      },
      {
        cloud: "aws",
        expect: "reject",
        title: "a short-lived copy",
        resource: awsPlan(35, 3),
        match: /copy action keeps recovery points 3/,
      },
      { cloud: "aws", expect: "accept", resource: awsPlan(35) },
      {
        cloud: "aws",
        expect: "accept",
        title: "7 days outside production",
        resource: awsPlan(7),
        settings: dev,
      },
      {
        cloud: "azure",
        expect: "reject",
        resource: azurePolicy("P14D"),
        match: /retention rule Default keeps recovery points 14 day/,
      },
      { cloud: "azure", expect: "accept", resource: azurePolicy("P35D") },
      { cloud: "azure", expect: "accept", title: "five weeks", resource: azurePolicy("P5W") },
      {
        cloud: "gcp",
        expect: "reject",
        resource: gcpPlan(7),
        match: /backupRules daily keeps recovery points 7 day/,
      },
      {
        cloud: "gcp",
        expect: "reject",
        title: "no retention",
        resource: gcpPlan(undefined),
        match: /no backupRetentionDays/,
      },
      { cloud: "gcp", expect: "accept", resource: gcpPlan(35) },
      {
        cloud: "gcp",
        expect: "accept",
        title: "7 days outside production",
        resource: gcpPlan(7),
        settings: dev,
      },
    ]);
  });
});
