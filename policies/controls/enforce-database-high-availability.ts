import { defineControl } from "../lib/define";
import { get, isSet, isTrue, list, lower, num, str } from "../lib/props";

function azureFlexible(props: Record<string, unknown>): string[] {
  // A read replica has no standby of its own (Azure refuses HA on replicas); its primary's HA is judged.
  if (lower(get(props, "createMode")) === "replica") return [];
  const mode = str(get(props, "highAvailability.mode"));
  return mode === "ZoneRedundant"
    ? []
    : [`highAvailability.mode is ${mode ?? "unset (Disabled)"}; use ZoneRedundant`];
}

export const enforceDatabaseHighAvailability = defineControl({
  id: "enforce-database-high-availability",
  title: "Production databases and caches survive the loss of a zone",
  severity: "high",
  category: "resilience",
  kind: "resilience",
  productionOnly: true,
  rationale:
    "A single-zone database is down for as long as its zone is; production RTOs need a synchronous standby in another zone (SOC 2 A1.2, ISO 27001 A.8.14, GDPR Art. 32(1)(b) availability and resilience).",
  remediation: [
    "AWS: multiAz true on RDS instances (read replicas are exempt); ElastiCache replication groups with automaticFailoverEnabled and multiAzEnabled.",
    "Azure: highAvailability.mode ZoneRedundant on PostgreSQL/MySQL flexible servers (read replicas, createMode Replica, are exempt); zoneRedundant on SQL databases; Redis Standard/Premium with zones across at least two zones; Azure Managed Redis highAvailability Enabled (zone-redundant in regions with zones).",
    "GCP: settings.availabilityType REGIONAL on Cloud SQL (read replicas, masterInstanceName, are exempt); Memorystore tier STANDARD_HA.",
  ],
  frameworks: {
    soc2: ["A1.2", "CC9.1"],
    iso27001: ["A.8.14", "A.5.30"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: ["PCI DSS does not require high availability; none is mapped."],
  resources: {
    aws: {
      "aws:rds/instance:Instance": (props) =>
        isSet(props, "replicateSourceDb") || isTrue(get(props, "multiAz")) ? [] : ["multiAz is not true"],
      "aws:elasticache/replicationGroup:ReplicationGroup": (props) => {
        const out: string[] = [];
        if (!isTrue(get(props, "automaticFailoverEnabled"))) out.push("automaticFailoverEnabled is not true");
        if (!isTrue(get(props, "multiAzEnabled"))) out.push("multiAzEnabled is not true");
        const nodes = num(get(props, "numCacheClusters"));
        if (nodes !== undefined && nodes < 2)
          out.push(`numCacheClusters is ${nodes}; a replica in another zone needs at least 2`);
        return out;
      },
    },
    azure: {
      "azure-native:dbforpostgresql:Server": azureFlexible,
      "azure-native:dbforpostgresql:FlexibleServer": azureFlexible,
      "azure-native:dbformysql:Server": azureFlexible,
      "azure-native:dbformysql:FlexibleServer": azureFlexible,
      "azure-native:sql:Database": (props) =>
        isTrue(get(props, "zoneRedundant")) ? [] : ["zoneRedundant is not true"],
      "azure-native:redisenterprise:RedisEnterprise": (props) =>
        lower(get(props, "highAvailability")) === "disabled"
          ? ["highAvailability is Disabled (no replica: a node or zone failure loses the cache)"]
          : [],
      "azure-native:redis:Redis": (props) => {
        const sku = lower(get(props, "sku.name"));
        if (sku === "basic") return ["sku.name is Basic (single node, no SLA)"];
        return list(get(props, "zones")).length >= 2 ? [] : ["zones lists fewer than two availability zones"];
      },
    },
    gcp: {
      "gcp:sql/databaseInstance:DatabaseInstance": (props) =>
        isSet(props, "masterInstanceName") || str(get(props, "settings.availabilityType")) === "REGIONAL"
          ? []
          : [
              `settings.availabilityType is ${str(get(props, "settings.availabilityType")) ?? "unset (ZONAL)"}; use REGIONAL`,
            ],
      "gcp:redis/instance:Instance": (props) =>
        str(get(props, "tier")) === "STANDARD_HA"
          ? []
          : [`tier is ${str(get(props, "tier")) ?? "unset (BASIC)"}; use STANDARD_HA`],
    },
  },
});
