import * as pulumi from "@pulumi/pulumi";
import { Configuration } from "@pulumi/azure-native/dbforpostgresql/configuration";
import { Database } from "@pulumi/azure-native/dbforpostgresql/database";
import { Server } from "@pulumi/azure-native/dbforpostgresql/server";
import { AdministratorsMicrosoftEntra } from "@pulumi/azure-native/dbforpostgresql/administratorsMicrosoftEntra";
import { DiagnosticSetting } from "@pulumi/azure-native/monitor/diagnosticSetting";
import { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity";
import type { Severity } from "../../components/config";
import type {
  DatabaseBuildInputs,
  DatabaseEndpoint,
  DatabaseOutputs,
  DatabaseSize,
} from "../../components/database";
import { fitName, uniqueName } from "../../components/naming";
import type { SiteContext } from "../../components/context";
import { replicaZone, statefulOptions } from "../../components/context";
import { resourceGroupFor } from "./resource-group";
import { vaultWithKey } from "./key-vault";
import { privateEndpoint } from "./private-endpoint";
import { metricAlert } from "./monitoring";

/** Flexible server SKUs per abstract size (Burstable has no zone-redundant HA). */
export const flexibleServerSku: Record<DatabaseSize, { name: string; tier: string }> = {
  small: { name: "Standard_B2s", tier: "Burstable" },
  medium: { name: "Standard_D4ds_v5", tier: "GeneralPurpose" },
  large: { name: "Standard_E8ds_v5", tier: "MemoryOptimized" },
};

/** Storage sizes a flexible server accepts (GiB). */
const storageSizes = [32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384] as const;

/** The smallest accepted storage size that holds `gb`. */
export function flexibleServerStorageGb(gb: number): number {
  return storageSizes.find((s) => s >= gb) ?? storageSizes[storageSizes.length - 1]!;
}

/** Azure Monitor alert severities: 0 critical ... 3 informational. */

/**
 * Azure Database for PostgreSQL flexible server (the Azure Verified Module's secure defaults):
 *
 * - private access only: the network's delegated data subnet and its linked private DNS zone, public
 *   network access disabled;
 * - data encrypted with the site's Key Vault key (versionless URI: rotations are followed) through the
 *   site's user-assigned identity;
 * - TLS required (`require_secure_transport`), TLS 1.2 minimum; connection, disconnection and slow
 *   statement logging; server logs to the site's Log Analytics workspace;
 * - Microsoft Entra authentication only, password authentication off: no password exists anywhere.
 *   The server's Entra administrator is a dedicated user-assigned identity (`adminCredentialRef`) that
 *   operators' automation assumes; people get database roles through Entra groups;
 * - backups kept `backupRetentionDays` with point-in-time recovery; zone-redundant HA in production;
 * - geo-redundant backups (`geoRedundantBackup`, production) to the region's fixed pair, the site's
 *   replica region. With a customer-managed key Azure requires the geo-backup key in a Key Vault of that
 *   region and a second user-assigned identity (not the primary key's) to reach it: the database builds
 *   both there (same vault settings as the site's, providers/azure/key-vault.ts), reached from the VNet
 *   through a private endpoint. Geo-redundant backup can only be chosen when the server is created.
 *   Source: learn.microsoft.com/azure/postgresql/security/security-data-encryption ("Use data
 *   encryption with customer managed keys and geo-redundant business continuity features").
 *
 * - `readReplicas` read replicas (`createMode: Replica` of the server, `sourceServerResourceId`), in the
 *   site's other zones, on the same delegated subnet and private DNS zone, encrypted with the site key
 *   through the site identity, with the primary's TLS and logging parameters, diagnostics and alerts; no
 *   standby or backup settings of their own (a replica's backups are not used for restores, and Azure
 *   refuses HA on read replicas: learn.microsoft.com/azure/postgresql/flexible-server/concepts-read-replicas);
 * - `connectionPooling`: the built-in PgBouncer (`pgbouncer.enabled`, port 6432 on the same host name,
 *   Microsoft Entra authentication, TLS as the server requires it), on the primary; General Purpose and
 *   Memory Optimized tiers only (concepts-pgbouncer), which the config schema and `resolve` ensure;
 * - Query Store (`pg_qs.query_capture_mode` TOP, `pgms_wait_sampling.query_capture_mode` ALL) on the
 *   primary outside the Burstable tier (Query Store is not offered on Burstable:
 *   learn.microsoft.com/azure/postgresql/flexible-server/concepts-query-store).
 *
 * Ordering: the server is created only after both identities hold their role on their vaults.
 */
export function database(
  name: string,
  ctx: SiteContext<"azure">,
  inputs: DatabaseBuildInputs<"azure">,
): DatabaseOutputs {
  const { settings, keys, network, monitoring, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const rg = resourceGroupFor(ctx, parent);
  const geoRegion = ctx.replicaRegion;
  if (settings.geoRedundantBackup && geoRegion === undefined) {
    throw new Error(
      `Database: geoRedundantBackup needs a replica region, and ${ctx.site.region} has no Azure region pair`,
    );
  }
  const sku = flexibleServerSku[settings.size];
  if ((settings.readReplicas > 0 || settings.connectionPooling) && sku.tier === "Burstable") {
    throw new Error(
      `Database: read replicas and connection pooling need size medium or large on Azure (size ${settings.size} is Burstable, which has neither)`,
    );
  }
  if (settings.highAvailability && sku.tier === "Burstable") {
    // A plain Error: importing the contract's error class at run time would be an import cycle.
    throw new Error(
      `Database: highAvailability needs size medium or large on Azure (size ${settings.size} is Burstable, which has no HA)`,
    );
  }
  const serverName = uniqueName(
    "azurePostgresServer",
    ["psql", ctx.stack.environment, ctx.role],
    ctx.uniqueSuffix,
  );
  const port = 5432;
  const zoneRedundant = settings.highAvailability && ctx.zones.length > 1;

  // The geo-backup key: a vault, key and identity in the paired region.
  const geo =
    settings.geoRedundantBackup && geoRegion !== undefined
      ? vaultWithKey(`${name}-geo-backup`, ctx, {
          location: geoRegion,
          purpose: "geo",
          resourceGroup: rg,
          parent,
        })
      : undefined;
  if (geo) {
    privateEndpoint(`${name}-geo-backup-key-vault`, ctx, {
      targetId: geo.vault.id,
      subresource: "vault",
      purpose: "kv-geo",
      resourceGroupName: network.privateAccess.resourceGroupName,
      subnetId: network.privateAccess.endpointsSubnetId,
      dnsZoneId: network.privateAccess.privateDnsZoneIds.vault,
      parent,
    });
    if (monitoring) {
      new DiagnosticSetting(
        `${name}-geo-backup-key-vault-audit`,
        {
          name: "key-vault-audit",
          resourceUri: geo.vault.id,
          workspaceId: monitoring.logSinkId,
          logAnalyticsDestinationType: "Dedicated",
          logs: [{ categoryGroup: "audit", enabled: true }],
          metrics: [{ category: "AllMetrics", enabled: true }],
        },
        opts,
      );
    }
  }

  const adminIdentity = new UserAssignedIdentity(
    `${name}-admin-identity`,
    {
      resourceGroupName: rg.name,
      location: ctx.site.region,
      resourceName: fitName("azureName", ["id", ctx.stack.environment, ctx.role, "pg-admin"]),
    },
    opts,
  );

  const server = new Server(
    `${name}-server`,
    {
      resourceGroupName: rg.name,
      location: ctx.site.region,
      serverName,
      version: settings.version,
      sku,
      storage: { storageSizeGB: flexibleServerStorageGb(settings.storageGb), autoGrow: "Enabled" },
      authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Disabled", tenantId: ctx.site.tenantId },
      identity: {
        type: "UserAssigned",
        userAssignedIdentities: pulumi
          .all([keys.identityId, geo?.identityId])
          .apply(([id, geoId]) => ({ [id]: {}, ...(geoId ? { [geoId]: {} } : {}) })),
      },
      dataEncryption: {
        type: "AzureKeyVault",
        primaryKeyURI: keys.keyUri,
        primaryUserAssignedIdentityId: keys.identityId,
        ...(geo ? { geoBackupKeyURI: geo.key.keyUri, geoBackupUserAssignedIdentityId: geo.identityId } : {}),
      },
      backup: {
        backupRetentionDays: settings.backupRetentionDays,
        geoRedundantBackup: geo ? "Enabled" : "Disabled",
      },
      highAvailability: zoneRedundant
        ? { mode: "ZoneRedundant", standbyAvailabilityZone: ctx.zones[1] }
        : { mode: "Disabled" },
      ...(ctx.zones.length > 0 ? { availabilityZone: ctx.zones[0] } : {}),
      network: {
        delegatedSubnetResourceId: network.privateAccess.postgresSubnetId,
        privateDnsZoneArmResourceId: network.privateAccess.privateDnsZoneIds.postgres,
        publicNetworkAccess: "Disabled",
      },
      maintenanceWindow: { customWindow: "Enabled", dayOfWeek: 0, startHour: 4, startMinute: 0 },
    },
    // Both keys must be usable by their identities before the server is created.
    statefulOptions(ctx, { ...opts, dependsOn: [keys.keyAccess, ...(geo ? [geo.grant] : [])] }),
  );

  const admin = new AdministratorsMicrosoftEntra(
    `${name}-entra-admin`,
    {
      resourceGroupName: rg.name,
      serverName: server.name,
      objectId: adminIdentity.principalId,
      principalName: adminIdentity.name,
      principalType: "ServicePrincipal",
      tenantId: ctx.site.tenantId,
    },
    opts,
  );

  // Server parameters: applied one after the other (the service rejects concurrent updates).
  const tlsAndLogging: [string, string][] = [
    ["require_secure_transport", "on"],
    ["ssl_min_protocol_version", "TLSv1.2"],
    ["log_connections", "on"],
    ["log_disconnections", "on"],
    ["log_min_duration_statement", String(settings.slowStatementMs)],
  ];
  const queryStore: [string, string][] =
    sku.tier === "Burstable"
      ? []
      : [
          ["pg_qs.query_capture_mode", "top"],
          ["pgms_wait_sampling.query_capture_mode", "all"],
        ];
  const parameters: [string, string][] = [
    ...tlsAndLogging,
    // Logical decoding for cross-cloud CDC replication (components/replication.ts); static: restart.
    ["wal_level", "logical"],
    ...queryStore,
    ...(settings.connectionPooling ? ([["pgbouncer.enabled", "true"]] as [string, string][]) : []),
  ];
  const previous = configureServer(name, rg.name, server, parameters, opts);

  const db = new Database(
    `${name}-database`,
    {
      resourceGroupName: rg.name,
      serverName: server.name,
      databaseName: settings.databaseName,
      charset: "UTF8",
      collation: "en_US.utf8",
    },
    statefulOptions(ctx, { ...opts, dependsOn: [previous] }),
  );

  // Read replicas: created one after the other, once the primary's parameters are in place.
  const replicas: Server[] = [];
  let after: pulumi.Resource = previous;
  for (let i = 0; i < settings.readReplicas; i++) {
    const replicaName = `${name}-replica-${i + 1}`;
    const zone = replicaZone(ctx.zones, i);
    const replica = new Server(
      replicaName,
      {
        resourceGroupName: rg.name,
        location: ctx.site.region,
        serverName: uniqueName(
          "azurePostgresServer",
          ["psql", ctx.stack.environment, ctx.role, `r${i + 1}`],
          ctx.uniqueSuffix,
        ),
        createMode: "Replica",
        sourceServerResourceId: server.id,
        sku,
        storage: { storageSizeGB: flexibleServerStorageGb(settings.storageGb), autoGrow: "Enabled" },
        authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Disabled", tenantId: ctx.site.tenantId },
        identity: {
          type: "UserAssigned",
          userAssignedIdentities: keys.identityId.apply((id) => ({ [id]: {} })),
        },
        dataEncryption: {
          type: "AzureKeyVault",
          primaryKeyURI: keys.keyUri,
          primaryUserAssignedIdentityId: keys.identityId,
        },
        highAvailability: { mode: "Disabled" },
        ...(zone === undefined ? {} : { availabilityZone: zone }),
        network: {
          delegatedSubnetResourceId: network.privateAccess.postgresSubnetId,
          privateDnsZoneArmResourceId: network.privateAccess.privateDnsZoneIds.postgres,
          publicNetworkAccess: "Disabled",
        },
        maintenanceWindow: { customWindow: "Enabled", dayOfWeek: 0, startHour: 5, startMinute: 0 },
      },
      statefulOptions(ctx, { ...opts, dependsOn: [after, keys.keyAccess] }),
    );
    after = configureServer(replicaName, rg.name, replica, tlsAndLogging, opts);
    replicas.push(replica);
  }

  if (monitoring) {
    for (const [diagName, target] of [
      [name, server],
      ...replicas.map((r, i) => [`${name}-replica-${i + 1}`, r] as const),
    ] as const) {
      new DiagnosticSetting(
        `${diagName}-diagnostics`,
        {
          name: "postgres-logs",
          resourceUri: target.id,
          workspaceId: monitoring.logSinkId,
          logAnalyticsDestinationType: "Dedicated",
          logs: [{ categoryGroup: "allLogs", enabled: true }],
          metrics: [{ category: "AllMetrics", enabled: true }],
        },
        opts,
      );
    }
    replicas.forEach((replica, i) =>
      metricAlert(
        `${name}-replica-${i + 1}-lag-alert`,
        {
          resourceGroupName: rg.name,
          ruleName: fitName("azureName", [ctx.stack.environment, ctx.role, "pg", `r${i + 1}`, "lag"]),
          description: "Read replica more than 5 minutes behind the primary",
          severity: "high",
          scope: replica.id,
          metricName: "physical_replication_delay_in_seconds",
          threshold: 300,
          timeAggregation: "Maximum",
        },
        monitoring.alertTargets,
        opts,
      ),
    );
    const alert = (
      role: string,
      severity: Severity,
      description: string,
      metricName: string,
      threshold: number,
    ) =>
      metricAlert(
        `${name}-${role}-alert`,
        {
          resourceGroupName: rg.name,
          ruleName: fitName("azureName", [ctx.stack.environment, ctx.role, "pg", role]),
          description,
          severity,
          scope: server.id,
          metricName,
          threshold,
          timeAggregation: "Average",
        },
        monitoring.alertTargets,
        opts,
      );
    alert("cpu", "high", "Database CPU above 80% for 15 minutes", "cpu_percent", 80);
    alert("storage", "critical", "Database storage above 90% used", "storage_percent", 90);
    // Flexible server metrics: https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-monitoring
    const pg = (
      resourceId: pulumi.Input<string>,
      metricName: string,
      aggregation: "Average" | "Maximum",
    ) => ({
      resourceId,
      namespace: "Microsoft.DBforPostgreSQL/flexibleServers",
      metricName,
      aggregation,
    });
    const section = "database" as const;
    monitoring.dashboard.add(
      {
        cloud: "azure",
        section,
        title: "CPU",
        unit: "Percent",
        thresholds: { warning: 80 },
        metric: pg(server.id, "cpu_percent", "Average"),
      },
      {
        cloud: "azure",
        section,
        title: "Storage used",
        unit: "Percent",
        thresholds: { critical: 90 },
        metric: pg(server.id, "storage_percent", "Average"),
      },
      {
        cloud: "azure",
        section,
        title: "Connections",
        unit: "Count",
        metric: pg(server.id, "active_connections", "Average"),
      },
      ...replicas.map((replica, i) => ({
        cloud: "azure" as const,
        section,
        title: `Replica ${i + 1} lag`,
        unit: "Seconds" as const,
        thresholds: { warning: 300 },
        metric: pg(replica.id, "physical_replication_delay_in_seconds", "Maximum"),
      })),
    );
  }

  const readers: DatabaseEndpoint[] = replicas.map((r) => ({ host: r.fullyQualifiedDomainName, port }));
  return {
    endpoints: {
      writer: { host: server.fullyQualifiedDomainName, port },
      reader: readers[0],
      readers,
      // PgBouncer listens on the server's own host name, port 6432.
      pooler: settings.connectionPooling ? { host: server.fullyQualifiedDomainName, port: 6432 } : undefined,
    },
    serverId: server.id,
    host: server.fullyQualifiedDomainName,
    port,
    databaseName: db.name,
    // The Entra administrator identity (after it is registered on the server).
    adminCredentialRef: pulumi.all([admin.id, adminIdentity.id]).apply(([, id]) => id),
    highAvailability: zoneRedundant,
    backupRetentionDays: settings.backupRetentionDays,
  };
}

/**
 * Sets server parameters one after the other (the service rejects concurrent updates); returns the last,
 * which later resources wait for.
 */
function configureServer(
  name: string,
  resourceGroupName: pulumi.Input<string>,
  server: Server,
  parameters: readonly [string, string][],
  opts: pulumi.CustomResourceOptions,
): pulumi.Resource {
  let previous: pulumi.Resource = server;
  for (const [parameter, value] of parameters) {
    previous = new Configuration(
      `${name}-${parameter.replace(/[_.]/g, "-")}`,
      {
        resourceGroupName,
        serverName: server.name,
        configurationName: parameter,
        value,
        source: "user-override",
      },
      { ...opts, dependsOn: [previous] },
    );
  }
  return previous;
}
