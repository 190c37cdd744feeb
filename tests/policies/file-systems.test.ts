/**
 * File-system controls on the resource types the file storage component creates (EFS file systems,
 * policies, backup policies and mount-target security group rules; Azure FileStorage accounts and file
 * services; Filestore instances), each on the shape the program sends: the accepting cases carry the
 * arguments providers/<cloud>/filestore.ts sets.
 */
import { controlCases } from "./cases";
import { UNKNOWN, type TestResource } from "./harness";

const r = (type: string, name: string, props: Record<string, unknown>): TestResource => ({
  type,
  name,
  props,
});
const kmsKey = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const fsArn = "arn:aws:elasticfilesystem:eu-west-1:111111111111:file-system/fs-0123456789abcdef0";
const efs = r("aws:efs/fileSystem:FileSystem", "efs", {
  creationToken: "prod-primary-files",
  encrypted: true,
  kmsKeyId: kmsKey,
  performanceMode: "generalPurpose",
  throughputMode: "elastic",
});
const denyTls = {
  Sid: "DenyWithoutTls",
  Effect: "Deny",
  Principal: { AWS: "*" },
  Action: "*",
  Resource: fsArn,
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const accountAllow = {
  Sid: "AccountClientsThroughMountTargets",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::111111111111:root" },
  Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
  Resource: fsArn,
  Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
};
const efsPolicy = (...statements: unknown[]) =>
  r("aws:efs/fileSystemPolicy:FileSystemPolicy", "efs-policy", {
    fileSystemId: "efs",
    policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
  });
const backupPolicy = (status: string) =>
  r("aws:efs/backupPolicy:BackupPolicy", "efs-backup", { fileSystemId: "efs", backupPolicy: { status } });
const nfsRule = (extra: Record<string, unknown>) =>
  r("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "efs-sg-nfs-in", {
    securityGroupId: "sg-0123",
    ipProtocol: "tcp",
    fromPort: 2049,
    toPort: 2049,
    ...extra,
  });

const nfsAccount = (extra: Record<string, unknown>) =>
  r("azure-native:storage:StorageAccount", "nfs", {
    accountName: "nfsprodsecabc123",
    kind: "FileStorage",
    sku: { name: "Premium_ZRS" },
    enableHttpsTrafficOnly: false,
    minimumTlsVersion: "TLS1_2",
    allowSharedKeyAccess: false,
    publicNetworkAccess: "Disabled",
    networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices, Logging, Metrics" },
    encryption: {
      keySource: "Microsoft.Keyvault",
      keyVaultProperties: { keyName: "k", keyVaultUri: "https://kv" },
    },
    ...extra,
  });
const fileService = (enabled: boolean) =>
  r("azure-native:storage:FileServiceProperties", "nfs-file-service", {
    accountName: "nfsprodsecabc123",
    fileServicesName: "default",
    shareDeleteRetentionPolicy: { enabled, days: 30 },
  });

const filestore = (extra: Record<string, unknown>) =>
  r("gcp:filestore/instance:Instance", "files", {
    name: "prod-primary-files",
    location: "europe-west1",
    tier: "REGIONAL",
    kmsKeyName: "projects/p/locations/europe-west1/keyRings/r/cryptoKeys/k",
    fileShares: {
      name: "data",
      capacityGb: 1024,
      nfsExportOptions: [
        { ipRanges: ["10.20.64.0/18"], accessMode: "READ_WRITE", squashMode: "ROOT_SQUASH" },
      ],
    },
    networks: [{ network: "vpc", modes: ["MODE_IPV4"], connectMode: "PRIVATE_SERVICE_ACCESS" }],
    deletionProtectionEnabled: true,
    ...extra,
  });

/** The Backup and DR association providers/gcp/backup.ts creates for the site's Filestore instance. */
const filestoreAssociation = (extra: Record<string, unknown>) =>
  r("gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation", "files-bpa", {
    project: "p",
    location: "europe-west1",
    backupPlanAssociationId: "prod-primary-filestore",
    backupPlan: "projects/p/locations/europe-west1/backupPlans/prod-primary-filestore-daily",
    resourceType: "file.googleapis.com/Instance",
    resource: "projects/p/locations/europe-west1/instances/prod-primary-files",
    ...extra,
  });

describe("file-system controls", () => {
  controlCases("enforce-file-system-tls", [
    { cloud: "aws", expect: "reject", stack: [efs], on: "efs", match: /no aws\.efs\.FileSystemPolicy/ },
    {
      cloud: "aws",
      expect: "reject",
      title: "a policy without the TLS deny",
      stack: [efs, efsPolicy(accountAllow)],
      on: "efs",
      match: /does not deny requests without TLS/,
    },
    { cloud: "aws", expect: "accept", stack: [efs, efsPolicy(denyTls, accountAllow)] },
    {
      cloud: "azure",
      expect: "reject",
      title: "NFS account open to public networks",
      resource: nfsAccount({ publicNetworkAccess: "Enabled", networkRuleSet: { defaultAction: "Allow" } }),
      match: /publicNetworkAccess is not Disabled/,
    },
    { cloud: "azure", expect: "accept", resource: nfsAccount({}) },
    {
      cloud: "azure",
      expect: "accept",
      title: "a StorageV2 account is judged by the object-storage controls",
      resource: r("azure-native:storage:StorageAccount", "sa", {
        kind: "StorageV2",
        enableHttpsTrafficOnly: true,
      }),
    },
  ]);

  controlCases("disallow-public-file-systems", [
    {
      cloud: "aws",
      expect: "reject",
      title: "policy allows everyone without a condition",
      resource: efsPolicy(denyTls, {
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: "elasticfilesystem:*",
      }),
      match: /Principal "\*"/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "NFS from the internet",
      resource: nfsRule({ cidrIpv4: "0.0.0.0/0" }),
      match: /2049.*0\.0\.0\.0\/0/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "inline ingress of all protocols from ::/0",
      resource: r("aws:ec2/securityGroup:SecurityGroup", "sg", {
        ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }],
      }),
      match: /ingress\[0\]/,
    },
    { cloud: "aws", expect: "accept", resource: efsPolicy(denyTls, accountAllow) },
    { cloud: "aws", expect: "accept", resource: nfsRule({ referencedSecurityGroupId: "sg-private" }) },
    {
      cloud: "azure",
      expect: "reject",
      resource: nfsAccount({ publicNetworkAccess: "Enabled" }),
      match: /publicNetworkAccess is Enabled/,
    },
    { cloud: "azure", expect: "accept", resource: nfsAccount({}) },
    {
      cloud: "gcp",
      expect: "reject",
      title: "export open to 0.0.0.0/0",
      resource: filestore({
        fileShares: { name: "data", capacityGb: 1024, nfsExportOptions: [{ ipRanges: ["0.0.0.0/0"] }] },
      }),
      match: /0\.0\.0\.0\/0/,
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "no export options (every address of the network)",
      resource: filestore({ fileShares: { name: "data", capacityGb: 1024 } }),
      match: /no nfsExportOptions/,
    },
    { cloud: "gcp", expect: "accept", resource: filestore({}) },
  ]);

  controlCases("enable-file-system-backups", [
    { cloud: "aws", expect: "reject", stack: [efs], on: "efs", match: /no aws\.efs\.BackupPolicy/ },
    {
      cloud: "aws",
      expect: "reject",
      stack: [efs, backupPolicy("DISABLED")],
      on: "efs",
      match: /not "ENABLED"/,
    },
    { cloud: "aws", expect: "accept", stack: [efs, backupPolicy("ENABLED")] },
    { cloud: "azure", expect: "reject", stack: [nfsAccount({})], on: "nfs", match: /share soft delete/ },
    { cloud: "azure", expect: "reject", stack: [nfsAccount({}), fileService(false)], on: "nfs" },
    { cloud: "azure", expect: "accept", stack: [nfsAccount({}), fileService(true)] },
    {
      cloud: "gcp",
      expect: "reject",
      title: "a Regional instance no backup plan association names",
      stack: [filestore({})],
      on: "files",
      match: /no Backup and DR BackupPlanAssociation/,
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "an association of another resource type (Cloud SQL)",
      stack: [filestore({}), filestoreAssociation({ resourceType: "sqladmin.googleapis.com/Instance" })],
      on: "files",
      match: /no Backup and DR BackupPlanAssociation/,
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "a Basic tier instance (Backup and DR cannot schedule it)",
      stack: [filestore({ tier: "BASIC_HDD" })],
      on: "files",
      match: /tier BASIC_HDD cannot be backed up on a schedule/,
    },
    { cloud: "gcp", expect: "accept", stack: [filestore({}), filestoreAssociation({})] },
    {
      cloud: "gcp",
      expect: "accept",
      title: "during preview: the association refers to the instance through its property dependency",
      stack: [
        filestore({}),
        {
          ...filestoreAssociation({ resource: UNKNOWN }),
          propertyDependencies: { resource: ["files"] },
        },
      ],
    },
  ]);

  controlCases("enforce-disk-encryption-cmk", [
    {
      cloud: "gcp",
      expect: "reject",
      resource: filestore({ kmsKeyName: undefined }),
      match: /kmsKeyName is unset/,
    },
    { cloud: "gcp", expect: "accept", resource: filestore({}) },
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:efs/fileSystem:FileSystem", "efs", { encrypted: true }),
      match: /kmsKeyId/,
    },
    { cloud: "aws", expect: "accept", resource: efs },
  ]);

  describe("object-storage controls leave FileStorage accounts to the file-system controls", () => {
    controlCases("enforce-bucket-deny-insecure-transport", [
      { cloud: "azure", expect: "accept", title: "NFS FileStorage account", resource: nfsAccount({}) },
      {
        cloud: "azure",
        expect: "reject",
        title: "StorageV2 account with HTTP",
        resource: r("azure-native:storage:StorageAccount", "sa", {
          kind: "StorageV2",
          enableHttpsTrafficOnly: false,
        }),
      },
    ]);
    controlCases("enforce-storage-geo-redundancy", [
      {
        cloud: "azure",
        expect: "accept",
        title: "Premium_ZRS FileStorage account",
        resource: nfsAccount({}),
      },
    ]);
    controlCases("enable-object-versioning", [
      { cloud: "azure", expect: "accept", title: "FileStorage account (no blobs)", stack: [nfsAccount({})] },
    ]);
    controlCases("enforce-immutable-backups", [
      { cloud: "azure", expect: "accept", title: "FileStorage account (no blobs)", stack: [nfsAccount({})] },
    ]);
  });
});
