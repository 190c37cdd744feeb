/**
 * Read replica and pooler settings the clouds check only when `pulumi up` creates them:
 *
 * - RDS refuses a read replica of a source whose master password RDS manages in Secrets Manager, and a
 *   read replica of a source without automated backups;
 * - Azure Database for PostgreSQL flexible server needs `sourceServerResourceId` on a `Replica` create,
 *   and offers the built-in PgBouncer only on the General Purpose and Memory Optimized tiers;
 * - Cloud SQL creates a read replica only of a primary with automated backups and (PostgreSQL)
 *   point-in-time recovery, and a read replica has no backups of its own.
 */
import { finding, ofType, refersTo } from "../../lib/checks";
import { get, isSet, isTrue, lower, num, str } from "../../lib/props";
import type { Finding, Rule, Source, Subject } from "../lib/rule";

const sources = {
  rdsSecrets: {
    url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html#rds-secrets-manager-limitations",
    quote:
      "Managing the master user password with Secrets Manager isn't supported for: creating a read replica when the source DB or DB cluster manages credentials with Secrets Manager (all engines except RDS for SQL Server).",
  },
  rdsBackups: {
    url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Create.html",
    quote:
      "Before a DB instance can serve as a source DB instance, you must enable automatic backups on the source DB instance by setting the backup retention period to a value other than 0.",
  },
  azureReplica: {
    url: "https://learn.microsoft.com/rest/api/postgresql/servers/create",
    quote:
      "sourceServerResourceId: identifier of the server to be used as the source of the new server. Required when createMode is PointInTimeRestore, GeoRestore, Replica, or ReviveDropped.",
  },
  pgbouncer: {
    url: "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-pgbouncer",
    quote:
      "PgBouncer is an optional feature that can be enabled on a per-database-server basis. It is supported on General Purpose and Memory Optimized compute tiers in both public access and private access networks.",
  },
  cloudSql: {
    url: "https://cloud.google.com/sql/docs/postgres/replication#requirements",
    quote:
      "Requirements for the primary instance: automated backups must be enabled, and point-in-time recovery must be enabled (PostgreSQL). Read replicas do not support backups.",
  },
} satisfies Record<string, Source>;

const rdsInstance = "aws:rds/instance:Instance";
const azureServer = "azure-native:dbforpostgresql:Server";
const azureConfiguration = "azure-native:dbforpostgresql:Configuration";
const cloudSql = "gcp:sql/databaseInstance:DatabaseInstance";

function sourceOf(
  subjects: readonly Subject[],
  type: string,
  replica: Subject,
  key: string,
  keys: readonly string[],
): Subject | undefined {
  return ofType(subjects, [type]).find((s) => s !== replica && refersTo(replica, key, s, keys));
}

export const requireDatabaseReplicaCreateTimeSettings: Rule = {
  id: "require-database-replica-create-time-settings",
  title: "Read replicas and poolers use settings the cloud accepts when it creates them",
  category: "topology",
  severity: "critical",
  refuses:
    "RDS refuses a read replica of a source whose master password it manages in Secrets Manager or that keeps no automated backups; Azure refuses a Replica create without sourceServerResourceId and PgBouncer on a Burstable server; Cloud SQL refuses a read replica of a primary without backups and point-in-time recovery, and backups on a replica.",
  remediation:
    "RDS: give the source a generated password (write-only passwordWo, kept in your own Secrets Manager secret) and backupRetentionPeriod > 0. Azure: set sourceServerResourceId on createMode Replica; enable pgbouncer.enabled only on General Purpose or Memory Optimized SKUs. Cloud SQL: settings.backupConfiguration.enabled and pointInTimeRecoveryEnabled on the primary; backupConfiguration.enabled false on replicas.",
  sources: Object.values(sources),
  // One stack check (a rule with a stack check runs no per-resource checks).
  stack: (subjects) => {
    const out: Finding[] = [];
    for (const server of ofType(subjects, [azureServer])) {
      if (
        lower(get(server.props, "createMode")) === "replica" &&
        !isSet(server.props, "sourceServerResourceId")
      )
        out.push(
          finding(
            server,
            `createMode Replica without sourceServerResourceId. Source: ${sources.azureReplica.url}`,
          ),
        );
    }
    for (const replica of ofType(subjects, [rdsInstance])) {
      if (!isSet(replica.props, "replicateSourceDb")) continue;
      const source = sourceOf(subjects, rdsInstance, replica, "replicateSourceDb", ["identifier"]);
      if (!source) continue;
      if (isTrue(get(source.props, "manageMasterUserPassword")))
        out.push(
          finding(
            replica,
            `its source ${source.name} has manageMasterUserPassword: RDS creates no read replica of it. Source: ${sources.rdsSecrets.url}`,
          ),
        );
      if ((num(get(source.props, "backupRetentionPeriod")) ?? 1) === 0)
        out.push(
          finding(
            replica,
            `its source ${source.name} has backupRetentionPeriod 0 (no automated backups). Source: ${sources.rdsBackups.url}`,
          ),
        );
    }
    for (const config of ofType(subjects, [azureConfiguration])) {
      if (lower(get(config.props, "configurationName")) !== "pgbouncer.enabled") continue;
      if (lower(get(config.props, "value")) !== "true") continue;
      const server = ofType(subjects, [azureServer]).find((s) =>
        refersTo(config, "serverName", s, ["serverName"]),
      );
      const tier = server ? str(get(server.props, "sku.tier")) : undefined;
      if (tier !== undefined && lower(tier) === "burstable")
        out.push(
          finding(
            config,
            `pgbouncer.enabled on ${server!.name}, a Burstable server (PgBouncer runs on General Purpose and Memory Optimized only). Source: ${sources.pgbouncer.url}`,
          ),
        );
    }
    for (const replica of ofType(subjects, [cloudSql])) {
      if (!isSet(replica.props, "masterInstanceName")) continue;
      if (isTrue(get(replica.props, "settings.backupConfiguration.enabled")))
        out.push(
          finding(
            replica,
            `a read replica (masterInstanceName) with settings.backupConfiguration.enabled: read replicas have no backups. Source: ${sources.cloudSql.url}`,
          ),
        );
      const primary = sourceOf(subjects, cloudSql, replica, "masterInstanceName", ["name"]);
      if (!primary) continue;
      const backup = get(primary.props, "settings.backupConfiguration");
      const postgres = (str(get(primary.props, "databaseVersion")) ?? "").startsWith("POSTGRES");
      if (!isTrue(get(backup, "enabled")))
        out.push(
          finding(
            replica,
            `its primary ${primary.name} has no automated backups (settings.backupConfiguration.enabled). Source: ${sources.cloudSql.url}`,
          ),
        );
      else if (postgres && !isTrue(get(backup, "pointInTimeRecoveryEnabled")))
        out.push(
          finding(
            replica,
            `its primary ${primary.name} has no point-in-time recovery (PostgreSQL primaries need it). Source: ${sources.cloudSql.url}`,
          ),
        );
    }
    return out;
  },
  stackTypes: {
    aws: [rdsInstance],
    azure: [azureServer, azureConfiguration],
    gcp: [cloudSql],
  },
};
