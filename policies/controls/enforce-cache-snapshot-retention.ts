import { defineControl } from "../lib/define";
import { get, lower, num, str, isTrue } from "../lib/props";
import type { CheckContext } from "../lib/types";

/** Days of ElastiCache snapshots required: at least one everywhere, a week in production. */
export const cacheSnapshotMinimumDays = { production: 7, other: 1 } as const;

function elasticache(props: Record<string, unknown>, ctx: CheckContext): string[] {
  const days = num(get(props, "snapshotRetentionLimit")) ?? 0;
  const min = ctx.production ? cacheSnapshotMinimumDays.production : cacheSnapshotMinimumDays.other;
  return days >= min
    ? []
    : [
        `snapshotRetentionLimit is ${days} day(s)${days === 0 ? " (no automatic snapshots)" : ""}; require at least ${min}`,
      ];
}

export const enforceCacheSnapshotRetention = defineControl({
  id: "enforce-cache-snapshot-retention",
  title: "Caches take automatic snapshots and keep them long enough",
  severity: "medium",
  category: "resilience",
  kind: "resilience",
  rationale:
    "Caches that hold sessions, counters or queues lose them with the last node unless snapshots exist; a snapshot kept only for a day is gone before most incidents are noticed (SOC 2 A1.2, ISO 27001 A.8.13). Required: ElastiCache snapshots kept at least 1 day, 7 in production; persistence (RDB/AOF) on Azure Managed Redis and Memorystore, which keep only their latest snapshot.",
  remediation: [
    "AWS ElastiCache replication group: snapshotRetentionLimit of at least 1 (7 in production; at most 35).",
    "Azure Managed Redis database: persistence.rdbEnabled or persistence.aofEnabled; Azure Cache for Redis Premium: redisConfiguration.rdb-backup-enabled.",
    "GCP Memorystore for Redis: persistenceConfig.persistenceMode RDB; Redis Cluster: persistenceConfig.mode RDB or AOF.",
  ],
  frameworks: {
    soc2: ["A1.2"],
    iso27001: ["A.8.13"],
    gdpr: ["Art. 32(1)(c)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: [
    "Azure Managed Redis and Memorystore keep only the latest snapshot for their own recovery (no retention to set or snapshot to restore by hand), so there the control requires persistence, not a retention.",
    "PCI DSS has no cache snapshot requirement; none is mapped.",
  ],
  resources: {
    aws: {
      "aws:elasticache/replicationGroup:ReplicationGroup": elasticache,
      "aws:elasticache/cluster:Cluster": (props, ctx) =>
        lower(get(props, "engine")) === "memcached" ? [] : elasticache(props, ctx),
    },
    azure: {
      "azure-native:redisenterprise:Database": (props) =>
        isTrue(get(props, "persistence.rdbEnabled")) || isTrue(get(props, "persistence.aofEnabled"))
          ? []
          : [
              "persistence is off (neither rdbEnabled nor aofEnabled): a restart of every node empties the cache",
            ],
      "azure-native:redis:Redis": (props) =>
        lower(get(props, "redisConfiguration.rdb-backup-enabled")) === "true" ||
        lower(get(props, "redisConfiguration.aof-backup-enabled")) === "true"
          ? []
          : ["redisConfiguration enables neither rdb-backup-enabled nor aof-backup-enabled"],
    },
    gcp: {
      "gcp:redis/instance:Instance": (props) =>
        str(get(props, "persistenceConfig.persistenceMode")) === "RDB"
          ? []
          : [
              `persistenceConfig.persistenceMode is ${str(get(props, "persistenceConfig.persistenceMode")) ?? "unset (DISABLED)"}; use RDB`,
            ],
      "gcp:redis/cluster:Cluster": (props) => {
        const mode = str(get(props, "persistenceConfig.mode"));
        return mode === "RDB" || mode === "AOF"
          ? []
          : [`persistenceConfig.mode is ${mode ?? "unset (DISABLED)"}; use RDB or AOF`];
      },
    },
  },
});
