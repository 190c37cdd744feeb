/**
 * Backups: plan retention fits the vault's lock (AWS Vault Lock, Backup and DR enforced retention), and
 * Azure backup instances wait for the Backup vault identity's roles.
 */
import { UNKNOWN } from "../policies/harness";
import { res, ruleCases } from "./cases";

// ---------------------------------------------------------------------------------------------------------
// Retention within the vault lock

const awsVault = res("aws:backup/vault:Vault", "vault", { name: "prod-primary-vault" });
const awsLock = res(
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
  "vault-lock",
  { backupVaultName: UNKNOWN, minRetentionDays: 35, maxRetentionDays: 365, changeableForDays: 3 },
  { propertyDependencies: { backupVaultName: ["vault"] } },
);
const awsPlan = (deleteAfter: number | undefined) =>
  res(
    "aws:backup/plan:Plan",
    "plan",
    {
      name: "prod-primary-daily",
      rules: [
        {
          ruleName: "daily",
          targetVaultName: UNKNOWN,
          schedule: "cron(0 3 * * ? *)",
          ...(deleteAfter === undefined ? {} : { lifecycle: { deleteAfter } }),
        },
      ],
    },
    { propertyDependencies: { rules: ["vault"] } },
  );
const gcpVault = res("gcp:backupdisasterrecovery/backupVault:BackupVault", "bdr-vault", {
  backupVaultId: "prod-primary-backup-vault",
  location: "europe-west1",
  backupMinimumEnforcedRetentionDuration: "3024000s",
});
const gcpPlan = (days: number) =>
  res(
    "gcp:backupdisasterrecovery/backupPlan:BackupPlan",
    "bdr-plan",
    {
      backupPlanId: "prod-primary-cloudsql-daily",
      location: "europe-west1",
      resourceType: "sqladmin.googleapis.com/Instance",
      backupVault: UNKNOWN,
      backupRules: [
        {
          ruleId: "daily",
          backupRetentionDays: days,
          standardSchedule: { recurrenceType: "DAILY", timeZone: "UTC" },
        },
      ],
    },
    { propertyDependencies: { backupVault: ["bdr-vault"] } },
  );

ruleCases("require-backup-retention-within-vault-lock", [
  {
    title: "AWS plan keeping recovery points 7 days in a vault locked for at least 35",
    cloud: "aws",
    expect: "reject",
    stack: [awsVault, awsLock, awsPlan(7)],
    on: "plan",
    match: /rule 'daily' keeps recovery points 7 days, less than the vault lock's minimum of 35/,
  },
  {
    title: "AWS plan keeping recovery points forever in a vault locked to at most 365 days",
    cloud: "aws",
    expect: "reject",
    stack: [awsVault, awsLock, awsPlan(undefined)],
    on: "plan",
    match: /forever, more than the vault lock's maximum of 365/,
  },
  {
    title: "AWS plan keeping recovery points 35 days",
    cloud: "aws",
    expect: "accept",
    stack: [awsVault, awsLock, awsPlan(35)],
  },
  {
    title: "Backup and DR plan keeping backups 7 days in a vault enforcing 35",
    cloud: "gcp",
    expect: "reject",
    stack: [gcpVault, gcpPlan(7)],
    on: "bdr-plan",
    match: /less than the vault's minimum enforced retention/,
  },
  {
    title: "Backup and DR plan keeping backups 35 days",
    cloud: "gcp",
    expect: "accept",
    stack: [gcpVault, gcpPlan(35)],
  },
]);

// ---------------------------------------------------------------------------------------------------------
// Azure: backup instances wait for the vault identity's roles

const rg = res("azure-native:resources:ResourceGroup", "rg", { resourceGroupName: "rg-prod" });
const server = res(
  "azure-native:dbforpostgresql:Server",
  "pg",
  { serverName: "pg-prod-x", resourceGroupName: UNKNOWN },
  { propertyDependencies: { resourceGroupName: ["rg"] } },
);
const backupVault = res(
  "azure-native:dataprotection:BackupVault",
  "bv",
  { vaultName: "bv-prod-secondary", resourceGroupName: UNKNOWN, identity: { type: "SystemAssigned" } },
  { propertyDependencies: { resourceGroupName: ["rg"] } },
);
const roleOn = (name: string, scopeDep: string) =>
  res(
    "azure-native:authorization:RoleAssignment",
    name,
    { principalId: UNKNOWN, scope: UNKNOWN, principalType: "ServicePrincipal" },
    { propertyDependencies: { principalId: ["bv"], scope: [scopeDep] } },
  );
const ltr = roleOn("bv-postgres-ltr", "pg");
const reader = roleOn("bv-rg-reader", "rg");
const instance = (dependencies: string[]) =>
  res(
    "azure-native:dataprotection:BackupInstance",
    "bi-postgres",
    {
      vaultName: UNKNOWN,
      resourceGroupName: UNKNOWN,
      properties: {
        objectType: "BackupInstance",
        dataSourceInfo: { resourceID: UNKNOWN, datasourceType: "Microsoft.DBforPostgreSQL/flexibleServers" },
        policyInfo: { policyId: UNKNOWN },
      },
    },
    {
      propertyDependencies: { vaultName: ["bv"], resourceGroupName: ["rg"], properties: ["pg"] },
      dependencies,
    },
  );

ruleCases("require-azure-backup-grants-before-instances", [
  {
    title: "PostgreSQL backup instance created alongside the vault identity's roles",
    cloud: "azure",
    expect: "reject",
    stack: [rg, server, backupVault, ltr, reader, instance([])],
    on: "bi-postgres",
    match: /does not depend on the vault identity's role on 'pg'/,
  },
  {
    title: "PostgreSQL backup instance whose vault identity has no Reader on the resource group",
    cloud: "azure",
    expect: "reject",
    stack: [rg, server, backupVault, ltr, instance(["bv-postgres-ltr"])],
    on: "bi-postgres",
    match: /no role assignment for Reader on the server's resource group/,
  },
  {
    title: "PostgreSQL backup instance that depends on both roles",
    cloud: "azure",
    expect: "accept",
    stack: [rg, server, backupVault, ltr, reader, instance(["bv-postgres-ltr", "bv-rg-reader"])],
  },
]);

// ---------------------------------------------------------------------------------------------------------
// File-share backups the service can take

const filestore = (tier: string, location = "europe-west1") =>
  res("gcp:filestore/instance:Instance", "files", { name: "prod-primary-files", tier, location });
const filestoreAssociation = (location = "europe-west1") =>
  res(
    "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation",
    "files-bpa",
    {
      backupPlanAssociationId: "prod-primary-filestore",
      location,
      resourceType: "file.googleapis.com/Instance",
      resource: UNKNOWN,
    },
    { propertyDependencies: { resource: ["files"] } },
  );
const nfsAccount = res("azure-native:storage:StorageAccount", "nfs", {
  accountName: "nfsprodsec123456",
  kind: "FileStorage",
});
const share = (enabledProtocols: string) =>
  res(
    "azure-native:storage:FileShare",
    "share",
    { accountName: UNKNOWN, shareName: "data", enabledProtocols },
    { propertyDependencies: { accountName: ["nfs"] } },
  );
const protectedShare = res(
  "azure-native:recoveryservices:ProtectedItem",
  "share-backup",
  {
    vaultName: "rsv-prod-secondary",
    fabricName: "Azure",
    containerName: "StorageContainer;Storage;rg-prod-secondary;nfsprodsec123456",
    protectedItemName: "AzureFileShare;data",
    properties: { protectedItemType: "AzureFileShareProtectedItem", sourceResourceId: UNKNOWN },
  },
  { propertyDependencies: { properties: ["nfs"] } },
);

ruleCases("require-supported-file-backups", [
  {
    title: "a Basic HDD Filestore instance in a Backup and DR plan",
    cloud: "gcp",
    expect: "reject",
    stack: [filestore("BASIC_HDD", "europe-west1-b"), filestoreAssociation()],
    on: "files-bpa",
    match: /tier BASIC_HDD: Backup and DR protects Zonal, Regional and Enterprise instances only/,
  },
  {
    title: "an association outside the instance's region",
    cloud: "gcp",
    expect: "reject",
    stack: [filestore("REGIONAL"), filestoreAssociation("europe-west4")],
    on: "files-bpa",
    match: /location europe-west4 is not the region/,
  },
  {
    title: "a Regional instance associated in its region",
    cloud: "gcp",
    expect: "accept",
    stack: [filestore("REGIONAL"), filestoreAssociation()],
  },
  {
    title: "a Zonal instance associated in its zone's region",
    cloud: "gcp",
    expect: "accept",
    stack: [filestore("ZONAL", "europe-west1-b"), filestoreAssociation()],
  },
  {
    title: "a Recovery Services protected item for an NFS share",
    cloud: "azure",
    expect: "reject",
    stack: [nfsAccount, share("NFS"), protectedShare],
    on: "share-backup",
    match: /Azure Backup does not back up NFS shares/,
  },
  {
    title: "a protected item for an SMB share",
    cloud: "azure",
    expect: "accept",
    stack: [nfsAccount, share("SMB"), protectedShare],
  },
]);
