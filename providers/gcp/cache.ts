import * as pulumi from "@pulumi/pulumi";
import { Instance } from "@pulumi/gcp/redis/instance";
import type { Severity } from "../../components/config";
import type { CacheBuildInputs, CacheOutputs } from "../../components/cache";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import { grantKeyToServiceAgent } from "./keys";
import { metricAlert } from "./monitoring";
import { fitName } from "../../components/naming";

/** Memorystore for Redis with in-transit encryption serves TLS on 6378 (the network's egress rules allow it). */
export const memorystoreTlsPort = 6378;

/**
 * Memorystore for Redis:
 *
 * - Private Service Access on the site's VPC (`connectMode: PRIVATE_SERVICE_ACCESS`, the network's
 *   allocated range as `reservedIpRange`), created after the service networking connection; the VPC's
 *   egress rules let only the private tier reach the range's data ports (6378 included). Memorystore
 *   instances have no public address;
 * - in-transit encryption `SERVER_AUTHENTICATION` (TLS 1.2+, clients trust the instance's CA) and AUTH
 *   enabled; Memorystore generates the AUTH string, which callers read with
 *   `redis.instances.getAuthString` (it is never set by the program or printed in clear);
 * - CMEK with the site's key (a key of the instance's region, as Memorystore requires), after the Cloud
 *   Memorystore service agent (`service-<project number>@cloud-redis.iam.gserviceaccount.com`) holds
 *   `roles/cloudkms.cryptoKeyEncrypterDecrypter` on it; CMEK can only be set when the instance is created;
 * - production: Standard Tier (a replica in another zone, automatic failover) with read replicas
 *   (`replicaCount`, nodes of at least 5 GB) and deletion protection; otherwise Basic Tier, one zone;
 * - RDB snapshots every hour (Memorystore keeps the latest, for its own recovery: no retention to set);
 * - alert policies: memory usage above 80% (high), evicted keys (medium), replica lag above 30 s (high,
 *   with replicas).
 */
export function cache(name: string, ctx: SiteContext<"gcp">, inputs: CacheBuildInputs<"gcp">): CacheOutputs {
  const { settings, keys, network, monitoring, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const project = ctx.site.project;
  const instanceName = fitName("gcpRedisInstance", [ctx.stack.environment, ctx.role, "cache"]);

  const keyAccess = grantKeyToServiceAgent(
    `${name}-redis-agent`,
    project,
    "redis.googleapis.com",
    keys.cryptoKeyId,
    opts,
  );

  const highAvailability = settings.automaticFailover;
  const zones = ctx.zones;
  const instance = new Instance(
    `${name}-instance`,
    {
      project,
      region: ctx.site.region,
      name: instanceName,
      displayName: `${ctx.stack.environment} ${ctx.role} cache`,
      tier: highAvailability ? "STANDARD_HA" : "BASIC",
      memorySizeGb: Number(settings.nodeType),
      redisVersion: settings.engineVersion,
      ...(zones[0] !== undefined ? { locationId: zones[0] } : {}),
      ...(highAvailability && zones[1] !== undefined ? { alternativeLocationId: zones[1] } : {}),
      ...(highAvailability
        ? { readReplicasMode: "READ_REPLICAS_ENABLED", replicaCount: settings.replicas }
        : {}),
      // Through the service connection's id: the instance waits for the peering to exist.
      authorizedNetwork: pulumi
        .all([network.privateAccess.networkSelfLink, network.privateAccess.serviceConnectionId])
        .apply(([selfLink]) => selfLink),
      connectMode: "PRIVATE_SERVICE_ACCESS",
      reservedIpRange: network.privateAccess.serviceRangeName,
      transitEncryptionMode: "SERVER_AUTHENTICATION",
      authEnabled: true,
      customerManagedKey: keys.cryptoKeyId,
      persistenceConfig: { persistenceMode: "RDB", rdbSnapshotPeriod: "ONE_HOUR" },
      redisConfigs: { "maxmemory-policy": "volatile-lru" },
      maintenancePolicy: {
        weeklyMaintenanceWindows: [
          { day: "SUNDAY", startTime: { hours: 5, minutes: 0, seconds: 0, nanos: 0 } },
        ],
      },
      deletionProtection: settings.deletionProtection,
    },
    statefulOptions(ctx, { ...opts, dependsOn: [keyAccess] }),
  );

  if (monitoring) {
    const alert = (
      purpose: string,
      severity: Severity,
      title: string,
      metric: string,
      aligner: string,
      threshold: number,
    ) =>
      metricAlert(
        `${name}-${purpose}-alert`,
        {
          project,
          subject: instanceName,
          severity,
          title,
          filter: pulumi.interpolate`resource.type = "redis_instance" AND resource.labels.instance_id = "${instance.id}" AND metric.type = "${metric}"`,
          threshold,
          aligner,
        },
        monitoring.alertTargets,
        opts,
      );
    alert(
      "memory",
      "high",
      "Memory above 80% for 15 minutes",
      "redis.googleapis.com/stats/memory/usage_ratio",
      "ALIGN_MAX",
      0.8,
    );
    alert(
      "evictions",
      "medium",
      "Keys evicted (memory full)",
      "redis.googleapis.com/stats/evicted_keys",
      "ALIGN_RATE",
      0,
    );
    // Memorystore for Redis metrics: https://cloud.google.com/memorystore/docs/redis/supported-monitoring-metrics
    const redis = (metricType: string, aligner: string) => ({
      metricType: `redis.googleapis.com/${metricType}`,
      resourceType: "redis_instance",
      resourceLabels: { instance_id: instance.id },
      aligner,
    });
    monitoring.dashboard.add(
      {
        cloud: "gcp",
        section: "cache",
        title: "Memory used",
        unit: "Ratio",
        thresholds: { warning: 0.8 },
        metric: redis("stats/memory/usage_ratio", "ALIGN_MAX"),
      },
      {
        cloud: "gcp",
        section: "cache",
        title: "Evicted keys",
        unit: "Count",
        thresholds: { warning: 0 },
        metric: redis("stats/evicted_keys", "ALIGN_RATE"),
      },
      {
        cloud: "gcp",
        section: "cache",
        title: "Connected clients",
        unit: "Count",
        metric: redis("clients/connected", "ALIGN_MEAN"),
      },
      ...(highAvailability
        ? [
            {
              cloud: "gcp" as const,
              section: "cache" as const,
              title: "Replication lag",
              unit: "Seconds" as const,
              thresholds: { warning: 30 },
              metric: redis("replication/master/slaves/lag", "ALIGN_MAX"),
            },
          ]
        : []),
    );
    if (highAvailability) {
      alert(
        "replication-lag",
        "high",
        "Replica more than 30 s behind the primary",
        "redis.googleapis.com/replication/master/slaves/lag",
        "ALIGN_MAX",
        30,
      );
    }
  }

  return {
    cacheId: instance.id,
    endpoint: instance.host,
    port: memorystoreTlsPort,
    authSecretRef: pulumi.interpolate`getAuthString:${instance.id}`,
    highAvailability,
  };
}
