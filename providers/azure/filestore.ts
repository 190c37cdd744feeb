import * as pulumi from "@pulumi/pulumi";
import { FileServiceProperties } from "@pulumi/azure-native/storage/fileServiceProperties";
import { FileShare } from "@pulumi/azure-native/storage/fileShare";
import { StorageAccount } from "@pulumi/azure-native/storage/storageAccount";
import { DiagnosticSetting } from "@pulumi/azure-native/monitor/diagnosticSetting";
import type { FileStoreBuildInputs, FileStoreOutputs } from "../../components/filestore";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import { fitName, uniqueName } from "../../components/naming";
import { regionInfo } from "../../components/regions";
import { resourceGroupFor } from "./resource-group";
import { siteKeyEncryption } from "./storage-account";
import { privateEndpoint } from "./private-endpoint";
import { metricAlert } from "./monitoring";

/** The NFS share's name (3-63 lowercase letters, digits, single hyphens). */
export const nfsShareName = "data";

/**
 * Azure Files NFS 4.1 on a premium FileStorage account:
 *
 * - the account: kind FileStorage (NFS shares exist only on premium file shares), Premium_ZRS in
 *   production where the region has zones, Premium_LRS otherwise; encrypted with the site's Key Vault key
 *   through the site's user-assigned identity (infrastructure double encryption), created after the
 *   identity's key grant; no shared keys; public network access disabled and a firewall denying by default;
 * - "secure transfer required" (`enableHttpsTrafficOnly`) is off: Azure refuses to mount NFS shares on an
 *   account that requires it, because NFS 4.1 on Azure Files carries no TLS of its own. Encryption in
 *   transit for NFS is the private network path: public network access disabled, the share reachable only
 *   through the private endpoint in the network's endpoints subnet (which admits the private tier only).
 *   Source: https://learn.microsoft.com/azure/storage/files/files-nfs-protocol#security-and-networking
 *   (TLS for NFS through the AZNFS mount helper is a later, client-side option);
 * - the share `data`: NFS, root squash, provisioned `capacityGb`; share soft delete (7 days, 30 in
 *   production);
 * - a private endpoint (`file`) registered in `privatelink.file.core.windows.net`;
 * - diagnostics (file service logs and metrics) to the site's workspace; an alert when the used capacity
 *   passes 85% of the share's quota.
 */
export function fileStore(
  name: string,
  ctx: SiteContext<"azure">,
  inputs: FileStoreBuildInputs<"azure">,
): FileStoreOutputs {
  const { settings, keys, network, monitoring, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const rg = resourceGroupFor(ctx, parent);
  const env = ctx.stack.environment;
  const regionHasZones = (regionInfo("azure", ctx.site.region)?.zones.length ?? 0) > 0;
  const zoneRedundant = settings.zoneRedundant && regionHasZones;

  const account = new StorageAccount(
    `${name}-account`,
    {
      resourceGroupName: rg.name,
      location: ctx.site.region,
      accountName: uniqueName("azureStorageAccount", ["nfs", env, ctx.role.slice(0, 3)], ctx.uniqueSuffix),
      kind: "FileStorage",
      sku: { name: zoneRedundant ? "Premium_ZRS" : "Premium_LRS" },
      enableHttpsTrafficOnly: false,
      minimumTlsVersion: "TLS1_2",
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      allowCrossTenantReplication: false,
      allowedCopyScope: "PrivateLink",
      isLocalUserEnabled: false,
      publicNetworkAccess: "Disabled",
      networkRuleSet: {
        defaultAction: "Deny",
        bypass: "AzureServices, Logging, Metrics",
        ipRules: [],
        virtualNetworkRules: [],
      },
      ...siteKeyEncryption(keys),
    },
    statefulOptions(ctx, { ...opts, dependsOn: [keys.keyAccess] }),
  );

  const fileService = new FileServiceProperties(
    `${name}-file-service`,
    {
      resourceGroupName: rg.name,
      accountName: account.name,
      fileServicesName: "default",
      shareDeleteRetentionPolicy: { enabled: true, days: ctx.production ? 30 : 7 },
    },
    opts,
  );
  const share = new FileShare(
    `${name}-share`,
    {
      resourceGroupName: rg.name,
      accountName: account.name,
      shareName: nfsShareName,
      enabledProtocols: "NFS",
      rootSquash: "RootSquash",
      shareQuota: settings.capacityGb,
    },
    statefulOptions(ctx, { ...opts, dependsOn: [fileService] }),
  );

  privateEndpoint(`${name}-account`, ctx, {
    targetId: account.id,
    subresource: "file",
    purpose: "nfs",
    resourceGroupName: network.privateAccess.resourceGroupName,
    subnetId: network.privateAccess.endpointsSubnetId,
    dnsZoneId: network.privateAccess.privateDnsZoneIds.file,
    parent,
  });

  if (monitoring) {
    const fileServiceId = pulumi.interpolate`${account.id}/fileServices/default`;
    new DiagnosticSetting(
      `${name}-diagnostics`,
      {
        name: "file-logs",
        resourceUri: fileServiceId,
        workspaceId: monitoring.logSinkId,
        logAnalyticsDestinationType: "Dedicated",
        logs: [{ categoryGroup: "allLogs", enabled: true }],
        metrics: [{ category: "Transaction", enabled: true }],
      },
      { ...opts, dependsOn: [fileService] },
    );
    // Azure Files metrics on the file service: https://learn.microsoft.com/azure/storage/files/storage-files-monitoring-reference
    const files = (metricName: string, aggregation: "Average" | "Total") => ({
      resourceId: fileServiceId,
      namespace: "Microsoft.Storage/storageAccounts/fileServices",
      metricName,
      aggregation,
    });
    monitoring.dashboard.add(
      {
        cloud: "azure",
        section: "fileStorage",
        title: "Capacity used",
        unit: "Bytes",
        thresholds: { warning: Math.floor(settings.capacityGb * 0.85 * 1024 ** 3) },
        metric: files("FileCapacity", "Average"),
      },
      {
        cloud: "azure",
        section: "fileStorage",
        title: "Transactions",
        unit: "Count",
        metric: files("Transactions", "Total"),
      },
    );
    metricAlert(
      `${name}-capacity-alert`,
      {
        resourceGroupName: rg.name,
        ruleName: fitName("azureName", [env, ctx.role, "nfs", "capacity"]),
        description: "NFS share above 85% of its provisioned capacity",
        severity: "high",
        scope: fileServiceId,
        metricName: "FileCapacity",
        threshold: Math.floor(settings.capacityGb * 0.85 * 1024 ** 3),
        timeAggregation: "Average",
        evaluationFrequency: "PT1H",
        windowSize: "PT1H",
      },
      monitoring.alertTargets,
      { ...opts, dependsOn: [fileService] },
    );
  }

  return {
    fileSystemId: account.id,
    backupResourceId: account.id,
    mountTarget: pulumi.interpolate`${account.name}.file.core.windows.net:/${account.name}/${share.name}`,
    nfsVersion: "4.1",
    highAvailability: zoneRedundant,
    // Azure Backup does not back up NFS file shares (neither snapshot nor vaulted tier):
    // https://learn.microsoft.com/azure/backup/azure-file-share-support-matrix. Share soft delete is the
    // only protection Azure manages for them.
    vaultedBackup: false,
  };
}
