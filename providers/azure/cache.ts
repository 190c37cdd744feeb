import * as pulumi from "@pulumi/pulumi";
import { Database } from "@pulumi/azure-native/redisenterprise/database";
import { RedisEnterprise } from "@pulumi/azure-native/redisenterprise/redisEnterprise";
import { DiagnosticSetting } from "@pulumi/azure-native/monitor/diagnosticSetting";
import type { Severity } from "../../components/config";
import type { CacheBuildInputs, CacheOutputs } from "../../components/cache";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import { fitName, uniqueName } from "../../components/naming";
import { resourceGroupFor } from "./resource-group";
import { privateEndpoint } from "./private-endpoint";
import { metricAlert } from "./monitoring";

/** The TLS port of an Azure Managed Redis database (its default; set at creation only). */
export const managedRedisPort = 10000;

/**
 * Azure Managed Redis (`Microsoft.Cache/redisEnterprise`, azure-native `redisenterprise`), chosen over
 * Azure Cache for Redis Premium because it offers every feature the contract needs: a customer-managed
 * key (Azure Cache for Redis offers none on any tier), zone redundancy, private endpoints, Microsoft Entra
 * authentication with access keys disabled.
 *
 * - the cluster: SKU from the catalog, TLS 1.2 minimum, public network access disabled, high
 *   availability (a replica per shard, spread over the region's zones: zone-redundant where the region
 *   has zones) when the site has replicas (production), the site key's user-assigned identity and its
 *   key as customer-managed key. Azure Managed Redis takes only a versioned key URL, so the cluster is
 *   pinned to the key version current at deployment (a key rotation needs a `pulumi up`), and it is
 *   created after the identity's key grant (`keys.keyAccess`);
 * - the database (`default`, the only name Azure Managed Redis accepts): TLS-only client protocol on
 *   10000, Enterprise clustering (one endpoint for non-cluster-aware clients), access keys disabled
 *   (Microsoft Entra tokens only; applications' identities get an access policy assignment where they
 *   are deployed), RDB persistence every hour (Azure keeps only the latest snapshot, for its own
 *   recovery: there is no retention to set), volatile-LRU eviction;
 * - a private endpoint (`redisEnterprise`) in the network's endpoints subnet registered in the
 *   `privatelink.redis.azure.net` zone the network links (the data subnet is delegated to PostgreSQL and
 *   takes no private endpoints); the endpoints subnet admits the private tier only;
 * - diagnostics (database connection logs, cluster metrics) to the site's workspace; metric alerts on
 *   used memory above 80% (high) and evicted keys (medium). Azure Managed Redis exposes no replication
 *   lag metric for the replicas inside a cluster (only geo-replication health), so there is no
 *   replication lag alert on Azure.
 */
export function cache(
  name: string,
  ctx: SiteContext<"azure">,
  inputs: CacheBuildInputs<"azure">,
): CacheOutputs {
  const { settings, keys, network, monitoring, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const rg = resourceGroupFor(ctx, parent);
  const env = ctx.stack.environment;

  const cluster = new RedisEnterprise(
    `${name}-cluster`,
    {
      resourceGroupName: rg.name,
      location: ctx.site.region,
      // The host name `<name>.<region>.redis.azure.net` is global: the site's random suffix.
      clusterName: uniqueName("azureRedis", ["redis", env, ctx.role], ctx.uniqueSuffix),
      sku: { name: settings.nodeType },
      minimumTlsVersion: "1.2",
      publicNetworkAccess: "Disabled",
      highAvailability: settings.automaticFailover ? "Enabled" : "Disabled",
      identity: { type: "UserAssigned", userAssignedIdentities: [keys.identityId] },
      encryption: {
        customerManagedKeyEncryption: {
          keyEncryptionKeyIdentity: {
            identityType: "userAssignedIdentity",
            userAssignedIdentityResourceId: keys.identityId,
          },
          keyEncryptionKeyUrl: keys.keyUriWithVersion,
        },
      },
    },
    statefulOptions(ctx, { ...opts, dependsOn: [keys.keyAccess] }),
  );
  const database = new Database(
    `${name}-database`,
    {
      resourceGroupName: rg.name,
      clusterName: cluster.name,
      databaseName: "default",
      clientProtocol: "Encrypted",
      port: managedRedisPort,
      clusteringPolicy: "EnterpriseCluster",
      evictionPolicy: "VolatileLRU",
      accessKeysAuthentication: "Disabled",
      persistence: { rdbEnabled: true, rdbFrequency: "1h", aofEnabled: false },
    },
    statefulOptions(ctx, opts),
  );
  privateEndpoint(`${name}-cluster`, ctx, {
    targetId: cluster.id,
    subresource: "redisEnterprise",
    purpose: "redis",
    resourceGroupName: network.privateAccess.resourceGroupName,
    subnetId: network.privateAccess.endpointsSubnetId,
    dnsZoneId: network.privateAccess.privateDnsZoneIds.redis,
    parent,
  });

  if (monitoring) {
    new DiagnosticSetting(
      `${name}-database-diagnostics`,
      {
        name: "redis-logs",
        resourceUri: database.id,
        workspaceId: monitoring.logSinkId,
        logAnalyticsDestinationType: "Dedicated",
        logs: [{ categoryGroup: "allLogs", enabled: true }],
      },
      opts,
    );
    new DiagnosticSetting(
      `${name}-cluster-diagnostics`,
      {
        name: "redis-metrics",
        resourceUri: cluster.id,
        workspaceId: monitoring.logSinkId,
        logAnalyticsDestinationType: "Dedicated",
        metrics: [{ category: "AllMetrics", enabled: true }],
      },
      opts,
    );
    const alert = (
      purpose: string,
      severity: Severity,
      description: string,
      metricName: string,
      timeAggregation: "Maximum" | "Total",
      threshold: number,
    ) =>
      metricAlert(
        `${name}-${purpose}-alert`,
        {
          resourceGroupName: rg.name,
          ruleName: fitName("azureName", [env, ctx.role, "redis", purpose]),
          description,
          severity,
          scope: cluster.id,
          metricName,
          threshold,
          timeAggregation,
        },
        monitoring.alertTargets,
        opts,
      );
    alert("memory", "high", "Cache memory above 80% for 15 minutes", "usedmemorypercentage", "Maximum", 80);
    alert("evictions", "medium", "Cache evicting keys (memory full)", "evictedkeys", "Total", 0);
    // Azure Managed Redis metrics: https://learn.microsoft.com/azure/redis/monitor-cache-reference
    const redis = (metricName: string, aggregation: "Maximum" | "Total") => ({
      resourceId: cluster.id,
      namespace: "Microsoft.Cache/redisEnterprise",
      metricName,
      aggregation,
    });
    monitoring.dashboard.add(
      {
        cloud: "azure",
        section: "cache",
        title: "Memory used",
        unit: "Percent",
        thresholds: { warning: 80 },
        metric: redis("usedmemorypercentage", "Maximum"),
      },
      {
        cloud: "azure",
        section: "cache",
        title: "Evicted keys",
        unit: "Count",
        thresholds: { warning: 0 },
        metric: redis("evictedkeys", "Total"),
      },
      {
        cloud: "azure",
        section: "cache",
        title: "Server load",
        unit: "Percent",
        metric: redis("serverLoad", "Maximum"),
      },
    );
  }

  return {
    cacheId: cluster.id,
    endpoint: cluster.hostName,
    port: managedRedisPort,
    authSecretRef: pulumi.interpolate`entra:${cluster.id}`,
    highAvailability: settings.automaticFailover,
  };
}
