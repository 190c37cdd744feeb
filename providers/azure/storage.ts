import * as pulumi from "@pulumi/pulumi";
import { BlobContainer } from "@pulumi/azure-native/storage/blobContainer";
import { BlobServiceProperties } from "@pulumi/azure-native/storage/blobServiceProperties";
import { ManagementPolicy } from "@pulumi/azure-native/storage/managementPolicy";
import { StorageAccount } from "@pulumi/azure-native/storage/storageAccount";
import { DiagnosticSetting } from "@pulumi/azure-native/monitor/diagnosticSetting";
import { uniqueName } from "../../components/naming";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type { StorageBuildInputs, StorageBuildOutputs } from "../../components/storage";
import { resourceGroupFor } from "./resource-group";
import {
  archiveTierOffered,
  siteKeyEncryption,
  storageSku,
  versionLevelImmutability,
} from "./storage-account";
import { privateEndpoint } from "./private-endpoint";

/** The data account's container (Azure Backup backs it up, vaulted: components/backup.ts). */
export const dataContainerName = "data";

/**
 * The site's Blob Storage: one StorageV2 account with one private `data` container.
 *
 * Account: encrypted with the site's Key Vault key through the site's user-assigned identity (plus
 * infrastructure double encryption); HTTPS only, TLS 1.2 minimum (the service does not accept a 1.3
 * minimum); no anonymous blob access; no shared keys (Entra ID only, OAuth by default); no cross-tenant
 * replication; firewall denying by default (trusted Azure services, logging and metrics excepted) and
 * public network access disabled in production. Data access, in every environment, through a private
 * endpoint (`blob`) in the network's endpoints subnet, registered in the `privatelink.blob` zone.
 * Redundancy (providers/azure/storage-account.ts): geo-redundant when asked (production) and the site has
 * a replica region (the region's fixed pair): RA-GZRS, or RA-GRS in a region without zones; otherwise ZRS
 * with several zones, LRS with one. Archive tier is not offered for zone-redundant accounts, so
 * lifecycle moves data to Cold there and to Archive on LRS and RA-GRS.
 * Blob service: versioning, change feed, blob and container soft delete. Production: version-level
 * immutability (WORM) as the account-level default, created Unlocked (Azure refuses Locked at creation)
 * and locked by a later `pulumi up` once the site sets `storage.lockImmutability`. Blob
 * read/write/delete logs go to the site's Log Analytics workspace.
 */
export function storage(
  name: string,
  ctx: SiteContext<"azure">,
  inputs: StorageBuildInputs<"azure">,
): StorageBuildOutputs<"azure"> {
  const { settings, keys, monitoring, network, parent } = inputs;
  if (!network) {
    // A plain Error: importing the contract's error class at run time would be an import cycle.
    throw new Error(
      "Storage: network is required on Azure (the account is closed to public networks; its private endpoint goes in the network's endpoints subnet)",
    );
  }
  const opts: pulumi.CustomResourceOptions = { parent };
  const rg = resourceGroupFor(ctx, parent);
  const immutable = settings.immutableDays > 0;
  const sku = storageSku(ctx, settings.geoRedundant);
  const geoRedundant = sku === "Standard_RAGZRS" || sku === "Standard_RAGRS";
  const archiveSupported = archiveTierOffered(sku);

  const account = new StorageAccount(
    `${name}-account`,
    {
      resourceGroupName: rg.name,
      location: ctx.site.region,
      accountName: uniqueName(
        "azureStorageAccount",
        ["st", ctx.stack.environment, ctx.role.slice(0, 3)],
        ctx.uniqueSuffix,
      ),
      kind: "StorageV2",
      sku: { name: sku },
      accessTier: "Hot",
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: "TLS1_2",
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      allowCrossTenantReplication: false,
      allowedCopyScope: "AAD",
      isHnsEnabled: false,
      isSftpEnabled: false,
      isLocalUserEnabled: false,
      publicNetworkAccess: ctx.production ? "Disabled" : "Enabled",
      networkRuleSet: {
        defaultAction: "Deny",
        bypass: "AzureServices, Logging, Metrics",
        ipRules: [],
        virtualNetworkRules: [],
      },
      sasPolicy: { sasExpirationPeriod: "0.08:00:00", expirationAction: "Block" },
      ...siteKeyEncryption(keys),
      ...(immutable ? versionLevelImmutability(ctx, settings.immutableDays) : {}),
    },
    // The account wraps its keys with the site key from its first second: after the identity's grant.
    statefulOptions(ctx, { ...opts, dependsOn: [keys.keyAccess] }),
  );

  privateEndpoint(`${name}-account`, ctx, {
    targetId: account.id,
    subresource: "blob",
    purpose: "st",
    resourceGroupName: network.privateAccess.resourceGroupName,
    subnetId: network.privateAccess.endpointsSubnetId,
    dnsZoneId: network.privateAccess.privateDnsZoneIds.blob,
    parent,
  });

  const blobService = new BlobServiceProperties(
    `${name}-blob-service`,
    {
      resourceGroupName: rg.name,
      accountName: account.name,
      blobServicesName: "default",
      isVersioningEnabled: true,
      changeFeed: { enabled: true, retentionInDays: settings.noncurrentVersionDays },
      deleteRetentionPolicy: { enabled: true, days: settings.softDeleteDays, allowPermanentDelete: false },
      containerDeleteRetentionPolicy: { enabled: true, days: settings.softDeleteDays },
    },
    opts,
  );

  const container = new BlobContainer(
    `${name}-container`,
    {
      resourceGroupName: rg.name,
      accountName: account.name,
      containerName: dataContainerName,
      publicAccess: "None",
      defaultEncryptionScope: "$account-encryption-key",
      denyEncryptionScopeOverride: true,
    },
    statefulOptions(ctx, { ...opts, dependsOn: [blobService] }),
  );

  const archive = { daysAfterModificationGreaterThan: settings.archiveAfterDays };
  new ManagementPolicy(
    `${name}-lifecycle`,
    {
      resourceGroupName: rg.name,
      accountName: account.name,
      managementPolicyName: "default",
      policy: {
        rules: [
          {
            name: "tier-current-versions",
            enabled: true,
            type: "Lifecycle",
            definition: {
              filters: { blobTypes: ["blockBlob"] },
              actions: {
                baseBlob: {
                  tierToCool: { daysAfterModificationGreaterThan: settings.coolAfterDays },
                  ...(archiveSupported ? { tierToArchive: archive } : { tierToCold: archive }),
                },
              },
            },
          },
          {
            name: "expire-noncurrent-versions",
            enabled: true,
            type: "Lifecycle",
            definition: {
              filters: { blobTypes: ["blockBlob"] },
              actions: {
                version: {
                  tierToCool: { daysAfterCreationGreaterThan: 30 },
                  delete: { daysAfterCreationGreaterThan: settings.noncurrentVersionDays },
                },
              },
            },
          },
        ],
      },
    },
    { ...opts, dependsOn: [blobService] },
  );

  let accessLogDestination: pulumi.Output<string> = pulumi.output("");
  if (monitoring) {
    const diagnostics = new DiagnosticSetting(
      `${name}-blob-diagnostics`,
      {
        name: "blob-access-logs",
        resourceUri: pulumi.interpolate`${account.id}/blobServices/default`,
        workspaceId: monitoring.logSinkId,
        logAnalyticsDestinationType: "Dedicated",
        logs: [{ categoryGroup: "allLogs", enabled: true }],
        metrics: [{ category: "Transaction", enabled: true }],
      },
      { ...opts, dependsOn: [blobService] },
    );
    accessLogDestination = diagnostics.workspaceId.apply((id) => id ?? "");
  }

  // Storage account metrics: https://learn.microsoft.com/azure/storage/blobs/monitor-blob-storage-reference
  const st = (metricName: string, aggregation: "Average" | "Total") => ({
    resourceId: account.id,
    namespace: "Microsoft.Storage/storageAccounts",
    metricName,
    aggregation,
  });
  monitoring?.dashboard.add(
    {
      cloud: "azure",
      section: "storage",
      title: "Used capacity",
      unit: "Bytes",
      metric: st("UsedCapacity", "Average"),
    },
    {
      cloud: "azure",
      section: "storage",
      title: "Availability",
      unit: "Percent",
      thresholds: { warning: 99.9, direction: "below" },
      metric: st("Availability", "Average"),
    },
    {
      cloud: "azure",
      section: "storage",
      title: "Transactions",
      unit: "Count",
      metric: st("Transactions", "Total"),
    },
  );
  return {
    storeId: account.id,
    storeName: pulumi.interpolate`${account.name}/${container.name}`,
    endpoint: account.primaryEndpoints.blob,
    accessLogDestination,
    immutable,
    geoRedundant,
    origin: {
      accountId: account.id,
      blobHost: pulumi.interpolate`${account.name}.blob.core.windows.net`,
      containerName: container.name,
    },
  };
}
