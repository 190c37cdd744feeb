import * as pulumi from "@pulumi/pulumi";
import { RoleAssignment } from "@pulumi/azure-native/authorization/roleAssignment";
import { BackupInstance } from "@pulumi/azure-native/dataprotection/backupInstance";
import { BackupPolicy } from "@pulumi/azure-native/dataprotection/backupPolicy";
import { BackupVault } from "@pulumi/azure-native/dataprotection/backupVault";
import type { BackupBuildInputs, BackupOutputs, ResolvedBackupSettings } from "../../components/backup";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import { fitName } from "../../components/naming";
import { dataContainerName } from "./storage";

/**
 * Built-in roles the Backup vault's identity needs before a backup instance is configured (Azure Backup
 * validates them when the instance is created): https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
 * and the Az.DataProtection manifests (`datasourcePermissions`, `datasourceRGPermissions`).
 */
export const backupVaultRoles = {
  /** On the PostgreSQL flexible server: PostgreSQL Flexible Server Long Term Retention Backup Role. */
  postgresLongTermRetentionBackup: "c088a766-074b-43ba-90d4-1fb21feae531",
  /** On the server's resource group: Reader. */
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  /** On the storage account: Storage Account Backup Contributor. */
  storageAccountBackupContributor: "e5e2a7ff-d759-4cd2-bb51-3152d37e2eb1",
} as const;

const postgresDatasource = "Microsoft.DBforPostgreSQL/flexibleServers";
const blobDatasource = "Microsoft.Storage/storageAccounts/blobServices";

/** A daily vaulted backup policy for one datasource type, kept `retentionDays`. */
function dailyVaultedPolicy(
  name: string,
  policyName: string,
  datasourceType: string,
  vault: BackupVault,
  resourceGroupName: pulumi.Input<string>,
  settings: ResolvedBackupSettings,
  opts: pulumi.CustomResourceOptions,
): BackupPolicy {
  const vaultStore = { dataStoreType: "VaultStore", objectType: "DataStoreInfoBase" };
  const hour = String(settings.startHourUtc).padStart(2, "0");
  return new BackupPolicy(
    name,
    {
      resourceGroupName,
      vaultName: vault.name,
      backupPolicyName: policyName,
      properties: {
        objectType: "BackupPolicy",
        datasourceTypes: [datasourceType],
        policyRules: [
          {
            objectType: "AzureBackupRule",
            name: "BackupDaily",
            backupParameters: { objectType: "AzureBackupParams", backupType: "Full" },
            dataStore: vaultStore,
            trigger: {
              objectType: "ScheduleBasedTriggerContext",
              schedule: {
                repeatingTimeIntervals: [`R/2024-01-01T${hour}:00:00+00:00/P1D`],
                timeZone: "UTC",
              },
              taggingCriteria: [{ isDefault: true, taggingPriority: 99, tagInfo: { tagName: "Default" } }],
            },
          },
          {
            objectType: "AzureRetentionRule",
            name: "Default",
            isDefault: true,
            lifecycles: [
              {
                sourceDataStore: vaultStore,
                deleteAfter: { objectType: "AbsoluteDeleteOption", duration: `P${settings.retentionDays}D` },
              },
            ],
          },
        ],
      },
    },
    opts,
  );
}

/** The last segment of an ARM id (the resource's name). */
function nameOf(id: pulumi.Output<string>): pulumi.Output<string> {
  return id.apply(
    (v) =>
      v
        .split("/")
        .filter((s) => s !== "")
        .pop() ?? v,
  );
}

/**
 * Azure Backup (Data Protection) for the site:
 *
 * - a Backup vault with a system-assigned identity (Azure Backup acts as it) and the site's
 *   user-assigned key identity, encrypted with the site's Key Vault key (customer-managed key through the
 *   key identity, which holds its role on the vault before anything uses it); immutability Locked in
 *   production (irreversible) and Unlocked elsewhere; soft delete kept 14 days (AlwaysOn, irreversible, in
 *   production); geo-redundant vault storage with cross-region restore in production, locally redundant
 *   elsewhere;
 * - daily vaulted backup policies for the PostgreSQL flexible server and for blobs, kept `retentionDays`;
 * - the vault identity's roles: PostgreSQL Flexible Server Long Term Retention Backup Role on the server,
 *   Reader on the resource group, Storage Account Backup Contributor on the storage account;
 * - backup instances for the server and for the account's `data` container, each created after the
 *   role assignments (Azure validates the vault's permissions when the instance is configured).
 *
 * Not here, on purpose: the site's NFS file share. Azure Files backup lives in a Recovery Services vault
 * (a ProtectionContainer registering the storage account, an AzureStorage protection policy, a protected
 * item per share), and Azure Backup "currently doesn't support file shares with the NFS protocol"
 * (https://learn.microsoft.com/azure/backup/azure-file-share-support-matrix, February 2026; the share is
 * not discovered, so the protected item fails at apply). A Recovery Services vault would protect nothing,
 * so none is built; the share keeps share soft delete (providers/azure/filestore.ts) and the DR runbook's
 * drill says how to copy it out. Revisit when the matrix lists NFS.
 */
export function backup(
  name: string,
  ctx: SiteContext<"azure">,
  inputs: BackupBuildInputs<"azure">,
): BackupOutputs {
  const { settings, keys, targets, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const env = ctx.stack.environment;
  const rg = targets.resourceGroupName;
  const location = ctx.site.region;
  const geo = settings.crossRegionCopy && ctx.production;

  const vault = new BackupVault(
    `${name}-vault`,
    {
      resourceGroupName: rg,
      location,
      vaultName: fitName("azureBackupVault", ["bv", env, ctx.role]),
      identity: { type: "SystemAssigned,UserAssigned", userAssignedIdentities: [keys.identityId] },
      properties: {
        storageSettings: [{ datastoreType: "VaultStore", type: geo ? "GeoRedundant" : "LocallyRedundant" }],
        featureSettings: geo ? { crossRegionRestoreSettings: { state: "Enabled" } } : undefined,
        securitySettings: {
          immutabilitySettings: { state: settings.lockMode === "compliance" ? "Locked" : "Unlocked" },
          softDeleteSettings: {
            state: ctx.production ? "AlwaysOn" : "On",
            retentionDurationInDays: settings.softDeleteDays,
          },
          encryptionSettings: {
            state: "Enabled",
            keyVaultProperties: { keyUri: keys.keyUri },
            kekIdentity: { identityType: "UserAssigned", identityId: keys.identityId },
            infrastructureEncryption: "Enabled",
          },
        },
        monitoringSettings: { azureMonitorAlertSettings: { alertsForAllJobFailures: "Enabled" } },
      },
    },
    statefulOptions(ctx, { ...opts, dependsOn: [keys.keyAccess] }),
  );

  const principalId = vault.identity.apply((i) => i?.principalId ?? "");
  const role = (id: string) =>
    `/subscriptions/${ctx.site.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${id}`;
  const grant = (suffix: string, scope: pulumi.Input<string>, roleId: string) =>
    new RoleAssignment(
      `${name}-vault-${suffix}`,
      { principalId, principalType: "ServicePrincipal", roleDefinitionId: role(roleId), scope },
      opts,
    );
  const rgId = pulumi.interpolate`/subscriptions/${ctx.site.subscriptionId}/resourceGroups/${rg}`;
  const readerGrant = grant("rg-reader", rgId, backupVaultRoles.reader);
  const databaseGrant = grant(
    "postgres-ltr",
    targets.databaseId,
    backupVaultRoles.postgresLongTermRetentionBackup,
  );
  const storageGrant = grant(
    "storage-backup",
    targets.storageAccountId,
    backupVaultRoles.storageAccountBackupContributor,
  );

  const databasePolicy = dailyVaultedPolicy(
    `${name}-postgres-policy`,
    fitName("azureName", ["bkpol", env, ctx.role, "postgres"]),
    postgresDatasource,
    vault,
    rg,
    settings,
    opts,
  );
  const blobPolicy = dailyVaultedPolicy(
    `${name}-blob-policy`,
    fitName("azureName", ["bkpol", env, ctx.role, "blob"]),
    blobDatasource,
    vault,
    rg,
    settings,
    opts,
  );

  const datasource = (id: pulumi.Output<string>, datasourceType: string, resourceType: string) => ({
    datasourceType,
    objectType: "Datasource",
    resourceID: id,
    resourceLocation: location,
    resourceName: nameOf(id),
    resourceType,
    resourceUri: id,
  });
  new BackupInstance(
    `${name}-postgres`,
    {
      resourceGroupName: rg,
      vaultName: vault.name,
      backupInstanceName: fitName("azureName", ["bi", env, ctx.role, "postgres"]),
      properties: {
        objectType: "BackupInstance",
        friendlyName: fitName("azureName", [env, ctx.role, "postgres"]),
        dataSourceInfo: datasource(targets.databaseId, postgresDatasource, postgresDatasource),
        dataSourceSetInfo: {
          ...datasource(targets.databaseId, postgresDatasource, postgresDatasource),
          objectType: "DatasourceSet",
        },
        policyInfo: { policyId: databasePolicy.id },
      },
    },
    { ...opts, dependsOn: [readerGrant, databaseGrant] },
  );
  new BackupInstance(
    `${name}-blob`,
    {
      resourceGroupName: rg,
      vaultName: vault.name,
      backupInstanceName: fitName("azureName", ["bi", env, ctx.role, "blob"]),
      properties: {
        objectType: "BackupInstance",
        friendlyName: fitName("azureName", [env, ctx.role, "blob"]),
        dataSourceInfo: datasource(
          targets.storageAccountId,
          blobDatasource,
          "Microsoft.Storage/storageAccounts",
        ),
        policyInfo: {
          policyId: blobPolicy.id,
          policyParameters: {
            backupDatasourceParametersList: [
              { objectType: "BlobBackupDatasourceParameters", containersList: [dataContainerName] },
            ],
          },
        },
      },
    },
    { ...opts, dependsOn: [readerGrant, storageGrant] },
  );

  // Backup vault health metrics: https://learn.microsoft.com/azure/backup/metrics-overview
  inputs.monitoring?.dashboard.add(
    {
      cloud: "azure",
      section: "backup",
      title: "Backup health events",
      unit: "Count",
      metric: {
        resourceId: vault.id,
        namespace: "Microsoft.DataProtection/backupVaults",
        metricName: "BackupHealthEvent",
        aggregation: "Count",
      },
    },
    {
      cloud: "azure",
      section: "backup",
      title: "Restore health events",
      unit: "Count",
      metric: {
        resourceId: vault.id,
        namespace: "Microsoft.DataProtection/backupVaults",
        metricName: "RestoreHealthEvent",
        aggregation: "Count",
      },
    },
  );
  return {
    vaultId: vault.id,
    copyVaultId: undefined,
    planId: databasePolicy.id,
    retentionDays: settings.retentionDays,
    immutableLocked: settings.lockMode === "compliance",
    fileSystemInVault: false,
    restoreTesting: false,
  };
}
