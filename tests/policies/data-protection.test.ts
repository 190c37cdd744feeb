import { controlCases } from "./cases";
import { UNKNOWN, secret, urnOf, type TestResource } from "./harness";

const r = (
  type: string,
  name: string,
  props: Record<string, unknown>,
  extra: Partial<TestResource> = {},
): TestResource => ({
  type,
  name,
  props,
  ...extra,
});
const cmk = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const bucket = r("aws:s3/bucket:Bucket", "data", { bucket: "acme-data" });

describe("data protection controls", () => {
  controlCases("enforce-storage-encryption-cmk", [
    {
      cloud: "aws",
      expect: "reject",
      on: "data",
      match: /no aws.s3.BucketServerSideEncryptionConfiguration/,
      stack: [bucket],
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "SSE-S3 (AES256) configuration",
      stack: [
        bucket,
        r(
          "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
          "data-sse",
          {
            bucket: UNKNOWN,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
          },
          { propertyDependencies: { bucket: ["data"] } },
        ),
      ],
      match: /sseAlgorithm is "aes256"/,
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "SSE-KMS with a key computed during preview, linked by property dependency",
      stack: [
        bucket,
        r(
          "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
          "data-sse",
          {
            bucket: UNKNOWN,
            rules: [
              {
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN },
                bucketKeyEnabled: true,
              },
            ],
          },
          { propertyDependencies: { bucket: ["data"] } },
        ),
      ],
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "deprecated V2 token linked by bucket name",
      stack: [
        bucket,
        r(
          "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
          "data-sse",
          {
            bucket: "acme-data",
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: cmk } }],
          },
        ),
      ],
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:storage:StorageAccount", "sa", {
        encryption: { keySource: "Microsoft.Storage" },
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:storage:StorageAccount", "sa", {
        encryption: {
          keySource: "Microsoft.Keyvault",
          keyVaultProperties: { keyName: "k", keyVaultUri: "https://v.vault.azure.net" },
        },
      }),
    },
    { cloud: "gcp", expect: "reject", resource: r("gcp:storage/bucket:Bucket", "b", { location: "EU" }) },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:storage/bucket:Bucket", "b", {
        location: "EU",
        encryption: { defaultKmsKeyName: UNKNOWN },
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "access-log target bucket with SSE-S3 (the only encryption AWS log delivery supports)",
      stack: [
        r("aws:s3/bucket:Bucket", "logs", { bucket: "acme-logs" }),
        r(
          "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
          "logs-sse",
          {
            bucket: "acme-logs",
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
          },
        ),
        r(
          "aws:s3/bucketLogging:BucketLogging",
          "data-logging",
          { bucket: "acme-data", targetBucket: UNKNOWN },
          { propertyDependencies: { targetBucket: ["logs"] } },
        ),
      ],
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "the same SSE-S3 configuration on a bucket that is not a log target",
      on: "logs-sse",
      stack: [
        r("aws:s3/bucket:Bucket", "logs", { bucket: "acme-logs" }),
        r(
          "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
          "logs-sse",
          {
            bucket: "acme-logs",
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
          },
        ),
      ],
    },
  ]);

  controlCases("enforce-database-encryption-cmk", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:rds/instance:Instance", "db", { engine: "postgres", storageEncrypted: true }),
      match: /kmsKeyId/,
    },
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:dynamodb/table:Table", "t", { serverSideEncryption: { enabled: true } }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:rds/instance:Instance", "db", {
        engine: "postgres",
        storageEncrypted: true,
        kmsKeyId: cmk,
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:rds/cluster:Cluster", "c", { storageEncrypted: true, kmsKeyId: UNKNOWN }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:dbforpostgresql:Server", "pg", {
        dataEncryption: { type: "SystemAssigned" },
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:dbforpostgresql:Server", "pg", {
        dataEncryption: { type: "AzureKeyVault", primaryKeyURI: "https://v/keys/k/1" },
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "sql", { databaseVersion: "POSTGRES_16" }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "sql", {
        databaseVersion: "POSTGRES_16",
        encryptionKeyName: "projects/p/locations/l/keyRings/r/cryptoKeys/k",
      }),
    },
  ]);

  controlCases("enforce-backup-vault-encryption-cmk", [
    {
      cloud: "aws",
      expect: "reject",
      title: "AWS Backup vault with the AWS managed key",
      resource: r("aws:backup/vault:Vault", "bv", { name: "prod-primary-vault" }),
      match: /kmsKeyArn is unset/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "AWS Backup vault naming the aws/backup alias",
      resource: r("aws:backup/vault:Vault", "bv", {
        name: "prod-primary-vault",
        kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:alias/aws/backup",
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:backup/vault:Vault", "bv", { name: "prod-primary-vault", kmsKeyArn: cmk }),
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "Backup vault with the platform-managed key",
      resource: r("azure-native:dataprotection:BackupVault", "dpv", {
        properties: { storageSettings: [{ datastoreType: "VaultStore", type: "LocallyRedundant" }] },
      }),
      match: /platform-managed key/,
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "Backup vault key without an identity that may use it",
      resource: r("azure-native:dataprotection:BackupVault", "dpv", {
        properties: {
          securitySettings: {
            encryptionSettings: {
              state: "Enabled",
              keyVaultProperties: { keyUri: "https://kv.vault.azure.net/keys/site" },
            },
          },
        },
      }),
      match: /kekIdentity/,
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:dataprotection:BackupVault", "dpv", {
        properties: {
          securitySettings: {
            encryptionSettings: {
              state: "Enabled",
              keyVaultProperties: { keyUri: "https://kv.vault.azure.net/keys/site" },
              kekIdentity: {
                identityType: "UserAssigned",
                identityId:
                  "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id",
              },
            },
          },
        },
      }),
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "Recovery Services vault with the platform-managed key",
      resource: r("azure-native:recoveryservices:Vault", "rsv", {
        sku: { name: "RS0", tier: "Standard" },
        properties: { publicNetworkAccess: "Disabled" },
      }),
      match: /properties\.encryption\.keyVaultProperties\.keyUri is unset/,
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "Recovery Services vault key without an identity that may use it",
      resource: r("azure-native:recoveryservices:Vault", "rsv", {
        sku: { name: "RS0", tier: "Standard" },
        properties: {
          encryption: { keyVaultProperties: { keyUri: "https://kv.vault.azure.net/keys/site" } },
        },
      }),
      match: /kekIdentity names no identity/,
    },
    {
      cloud: "azure",
      expect: "accept",
      title: "Recovery Services vault with the site key through a user-assigned identity",
      resource: r("azure-native:recoveryservices:Vault", "rsv", {
        sku: { name: "RS0", tier: "Standard" },
        properties: {
          encryption: {
            keyVaultProperties: { keyUri: "https://kv.vault.azure.net/keys/site" },
            kekIdentity: {
              userAssignedIdentity:
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id",
            },
            infrastructureEncryption: "Enabled",
          },
        },
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:backupdisasterrecovery/backupVault:BackupVault", "bdr", {
        backupVaultId: "prod-primary-backup-vault",
        backupMinimumEnforcedRetentionDuration: "3024000s",
      }),
      match: /encryptionConfig\.kmsKeyName/,
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:backupdisasterrecovery/backupVault:BackupVault", "bdr", {
        backupVaultId: "prod-primary-backup-vault",
        backupMinimumEnforcedRetentionDuration: "3024000s",
        encryptionConfig: { kmsKeyName: "projects/p/locations/europe-west1/keyRings/r/cryptoKeys/k" },
      }),
    },
  ]);

  controlCases("enforce-cache-encryption-cmk", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
        atRestEncryptionEnabled: true,
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
        atRestEncryptionEnabled: true,
        kmsKeyId: cmk,
      }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:redisenterprise:RedisEnterprise", "re", { sku: { name: "Enterprise_E10" } }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:redisenterprise:RedisEnterprise", "re", {
        encryption: {
          customerManagedKeyEncryption: {
            keyEncryptionKeyUrl: "https://v/keys/k",
            keyEncryptionKeyIdentity: { userAssignedIdentityResourceId: "/subscriptions/s/id" },
          },
        },
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:redis/instance:Instance", "redis", { tier: "STANDARD_HA" }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:redis/instance:Instance", "redis", { tier: "STANDARD_HA", customerManagedKey: "k" }),
    },
  ]);

  controlCases("enforce-disk-encryption-cmk", [
    { cloud: "aws", expect: "reject", resource: r("aws:ebs/volume:Volume", "v", { size: 10 }) },
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:ec2/instance:Instance", "vm", { rootBlockDevice: { encrypted: true } }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:ebs/volume:Volume", "v", { encrypted: true, kmsKeyId: cmk }),
    },
    { cloud: "azure", expect: "reject", resource: r("azure-native:compute:Disk", "d", { diskSizeGB: 32 }) },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:compute:Disk", "d", {
        encryption: { diskEncryptionSetId: "/subscriptions/x/des" },
      }),
    },
    { cloud: "gcp", expect: "reject", resource: r("gcp:compute/disk:Disk", "d", { size: 10 }) },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:compute/disk:Disk", "d", { diskEncryptionKey: { kmsKeySelfLink: "k" } }),
    },
  ]);

  controlCases("enforce-log-encryption-cmk", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:cloudwatch/logGroup:LogGroup", "lg", { retentionInDays: 365 }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:cloudwatch/logGroup:LogGroup", "lg", { kmsKeyId: cmk }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:operationalinsights:Cluster", "c", { sku: { name: "CapacityReservation" } }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:operationalinsights:Cluster", "c", {
        keyVaultProperties: { keyName: "k", keyVaultUri: "u" },
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:logging/projectBucketConfig:ProjectBucketConfig", "lb", { retentionDays: 400 }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:logging/projectBucketConfig:ProjectBucketConfig", "lb", {
        cmekSettings: { kmsKeyName: "k" },
      }),
    },
  ]);

  controlCases("enforce-messaging-encryption-cmk", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:sqs/queue:Queue", "q", { sqsManagedSseEnabled: true }),
    },
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:sns/topic:Topic", "t", { kmsMasterKeyId: "alias/aws/sns" }),
      match: /AWS-managed/,
    },
    { cloud: "aws", expect: "accept", resource: r("aws:sns/topic:Topic", "t", { kmsMasterKeyId: cmk }) },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:servicebus:Namespace", "sb", { sku: { name: "Premium" } }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:servicebus:Namespace", "sb", {
        encryption: { keySource: "Microsoft.KeyVault", keyVaultProperties: [{ keyName: "k" }] },
      }),
    },
    { cloud: "gcp", expect: "reject", resource: r("gcp:pubsub/topic:Topic", "t", {}) },
    { cloud: "gcp", expect: "accept", resource: r("gcp:pubsub/topic:Topic", "t", { kmsKeyName: "k" }) },
  ]);

  controlCases("enforce-secrets-encryption-cmk", [
    { cloud: "aws", expect: "reject", resource: r("aws:secretsmanager/secret:Secret", "s", {}) },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:secretsmanager/secret:Secret", "s", { kmsKeyId: cmk }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:secretmanager/secret:Secret", "s", { replication: { auto: {} } }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:secretmanager/secret:Secret", "s", {
        replication: { auto: { customerManagedEncryption: { kmsKeyName: "k" } } },
      }),
    },
  ]);

  controlCases("enforce-tls-minimum-version", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:lb/listener:Listener", "l", {
        protocol: "HTTPS",
        port: 443,
        sslPolicy: "ELBSecurityPolicy-2016-08",
      }),
    },
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:cloudfront/distribution:Distribution", "cdn", {
        viewerCertificate: { cloudfrontDefaultCertificate: true },
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:lb/listener:Listener", "l", {
        protocol: "HTTPS",
        port: 443,
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:cloudfront/distribution:Distribution", "cdn", {
        viewerCertificate: { acmCertificateArn: "arn", minimumProtocolVersion: "TLSv1.2_2021" },
      }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:storage:StorageAccount", "sa", { minimumTlsVersion: "TLS1_0" }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:redis:Redis", "redis", { minimumTlsVersion: "1.0" }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:storage:StorageAccount", "sa", { minimumTlsVersion: "TLS1_2" }),
    },
    {
      cloud: "azure",
      expect: "unknown",
      title: "minimum TLS version computed during preview",
      resource: r("azure-native:storage:StorageAccount", "sa", { minimumTlsVersion: UNKNOWN }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:compute/sSLPolicy:SSLPolicy", "p", { profile: "MODERN" }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:compute/targetHttpsProxy:TargetHttpsProxy", "proxy", { urlMap: "u" }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:compute/sSLPolicy:SSLPolicy", "p", { minTlsVersion: "TLS_1_2", profile: "MODERN" }),
    },
  ]);

  controlCases("enforce-tls-in-transit", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:lb/listener:Listener", "http", {
        protocol: "HTTP",
        port: 80,
        defaultActions: [{ type: "forward", targetGroupArn: "tg" }],
      }),
    },
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:elasticache/replicationGroup:ReplicationGroup", "c", {
        transitEncryptionEnabled: false,
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:lb/listener:Listener", "http", {
        protocol: "HTTP",
        port: 80,
        defaultActions: [
          { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
        ],
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:elasticache/replicationGroup:ReplicationGroup", "c", {
        transitEncryptionEnabled: true,
      }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:redis:Redis", "redis", { enableNonSslPort: true }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:dbforpostgresql:Configuration", "cfg", {
        configurationName: "require_secure_transport",
        value: "off",
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:redis:Redis", "redis", { enableNonSslPort: false, minimumTlsVersion: "1.2" }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "sql", {
        settings: { ipConfiguration: { sslMode: "ALLOW_UNENCRYPTED_AND_ENCRYPTED" } },
      }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "sql", {
        settings: { ipConfiguration: { sslMode: "ENCRYPTED_ONLY" } },
      }),
    },
  ]);

  const denyHttp = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: ["arn:aws:s3:::acme-data", "arn:aws:s3:::acme-data/*"],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
  controlCases("enforce-bucket-deny-insecure-transport", [
    { cloud: "aws", expect: "reject", on: "data", stack: [bucket] },
    {
      cloud: "aws",
      expect: "reject",
      title: "bucket policy without a TLS deny",
      stack: [
        bucket,
        r("aws:s3/bucketPolicy:BucketPolicy", "data-policy", {
          bucket: "acme-data",
          policy: JSON.stringify({
            Statement: [
              {
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::1:root" },
                Action: "s3:GetObject",
                Resource: "*",
              },
            ],
          }),
        }),
      ],
    },
    {
      cloud: "aws",
      expect: "accept",
      stack: [
        bucket,
        r("aws:s3/bucketPolicy:BucketPolicy", "data-policy", { bucket: "acme-data", policy: denyHttp }),
      ],
    },
    {
      cloud: "aws",
      expect: "unknown",
      title: "policy text computed during preview",
      stack: [
        bucket,
        r(
          "aws:s3/bucketPolicy:BucketPolicy",
          "data-policy",
          { bucket: UNKNOWN, policy: UNKNOWN },
          { propertyDependencies: { bucket: ["data"], policy: ["data"] } },
        ),
      ],
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:storage:StorageAccount", "sa", { enableHttpsTrafficOnly: false }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:storage:StorageAccount", "sa", { enableHttpsTrafficOnly: true }),
    },
  ]);

  controlCases("enable-key-rotation", [
    { cloud: "aws", expect: "reject", resource: r("aws:kms/key:Key", "k", { description: "data" }) },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:kms/key:Key", "k", { enableKeyRotation: true, rotationPeriodInDays: 90 }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:keyvault:Key", "k", { properties: { kty: "RSA-HSM" } }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:keyvault:Key", "k", {
        properties: {
          kty: "RSA-HSM",
          rotationPolicy: {
            lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P90D" } }],
          },
        },
      }),
    },
    { cloud: "gcp", expect: "reject", resource: r("gcp:kms/cryptoKey:CryptoKey", "k", { keyRing: "r" }) },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:kms/cryptoKey:CryptoKey", "k", { keyRing: "r", rotationPeriod: "63072000s" }),
      match: /exceeds 365/,
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:kms/cryptoKey:CryptoKey", "k", { keyRing: "r", rotationPeriod: "7776000s" }),
    },
  ]);

  controlCases("enforce-hsm-backed-keys", [
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:keyvault:Key", "k", { properties: { kty: "RSA" } }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:keyvault:Key", "k", { properties: { kty: "RSA-HSM" } }),
    },
    {
      cloud: "azure",
      expect: "accept",
      title: "software key outside production",
      resource: r("azure-native:keyvault:Key", "k2", { properties: { kty: "RSA" } }),
      settings: { environment: "dev" },
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:kms/cryptoKey:CryptoKey", "k", {
        versionTemplate: { algorithm: "GOOGLE_SYMMETRIC_ENCRYPTION", protectionLevel: "SOFTWARE" },
      }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:kms/cryptoKey:CryptoKey", "k", {
        versionTemplate: { algorithm: "GOOGLE_SYMMETRIC_ENCRYPTION", protectionLevel: "HSM" },
      }),
    },
  ]);

  controlCases("enforce-key-deletion-protection", [
    { cloud: "aws", expect: "reject", resource: r("aws:kms/key:Key", "k", { deletionWindowInDays: 7 }) },
    { cloud: "aws", expect: "accept", resource: r("aws:kms/key:Key", "k", { deletionWindowInDays: 30 }) },
    {
      cloud: "aws",
      expect: "accept",
      title: "7-day window outside production",
      resource: r("aws:kms/key:Key", "k", { deletionWindowInDays: 7 }),
      settings: { environment: "dev" },
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:keyvault:Vault", "kv", {
        properties: { tenantId: "t", sku: { family: "A", name: "premium" } },
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:keyvault:Vault", "kv", {
        properties: {
          tenantId: "t",
          sku: { family: "A", name: "premium" },
          enablePurgeProtection: true,
          softDeleteRetentionInDays: 90,
        },
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:kms/cryptoKey:CryptoKey", "k", { destroyScheduledDuration: "86400s" }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:kms/cryptoKey:CryptoKey", "k", { destroyScheduledDuration: "2592000s" }),
    },
  ]);

  controlCases("disallow-plaintext-database-passwords", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:rds/instance:Instance", "db", { username: "app", password: "hunter2hunter2" }),
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "a Pulumi secret is still a password input",
      resource: r("aws:rds/cluster:Cluster", "c", { masterPassword: secret("s3cr3t-s3cr3t") }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:rds/instance:Instance", "db", { username: "app", manageMasterUserPassword: true }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:dbforpostgresql:Server", "pg", {
        administratorLogin: "a",
        administratorLoginPassword: secret("x"),
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:dbforpostgresql:Server", "pg", {
        authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Disabled", tenantId: "t" },
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:sql/user:User", "u", { instance: "i", password: "p" }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:sql/user:User", "u", {
        instance: "i",
        type: "CLOUD_IAM_SERVICE_ACCOUNT",
        name: "sa@p.iam",
      }),
    },
  ]);

  it("URNs in test resources follow the engine's format", () => {
    if (!urnOf("aws:s3/bucket:Bucket", "x").startsWith("urn:pulumi:test::platform::aws:s3/bucket:Bucket::x"))
      throw new Error("bad urn");
  });
});
