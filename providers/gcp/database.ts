import * as pulumi from "@pulumi/pulumi";
import { Database } from "@pulumi/gcp/sql/database";
import { DatabaseInstance } from "@pulumi/gcp/sql/databaseInstance";
import type { Severity } from "../../components/config";
import type {
  DatabaseBuildInputs,
  DatabaseEndpoint,
  DatabaseOutputs,
  DatabaseSize,
} from "../../components/database";
import { uniqueName } from "../../components/naming";
import type { SiteContext } from "../../components/context";
import { replicaZone, statefulOptions } from "../../components/context";
import { grantKeyToServiceAgent } from "./keys";
import { metricAlert } from "./monitoring";

/** Cloud SQL (Enterprise edition) machine tiers per abstract size. */
export const cloudSqlTier: Record<DatabaseSize, string> = {
  small: "db-custom-1-3840",
  medium: "db-custom-4-16384",
  large: "db-custom-8-32768",
};

/**
 * Where Cloud SQL stores the instance's automated backups: the replica region when geo-redundant backups
 * are on, the instance's region otherwise. Geo-redundant backups without a replica region are refused
 * (the config schema already requires one in production).
 */
export function cloudSqlBackupLocation(
  ctx: Pick<SiteContext<"gcp">, "replicaRegion" | "site">,
  geoRedundantBackup: boolean,
): string {
  if (!geoRedundantBackup) return ctx.site.region;
  if (ctx.replicaRegion === undefined) {
    throw new Error(
      `geoRedundantBackup: expected a replicaRegion for ${ctx.site.region} (where backups may go), found none`,
    );
  }
  return ctx.replicaRegion;
}

/**
 * Cloud SQL for PostgreSQL (Cloud Foundation Fabric's cloudsql-instance, hardened):
 *
 * - private IP only on the site's VPC through Private Service Access (`ipv4Enabled: false`), created
 *   after the network's service networking connection;
 * - CMEK with the site key (the Cloud SQL service agent is granted the key first);
 * - TLS required for every connection (`ENCRYPTED_ONLY`); IAM database authentication
 *   (`cloudsql.iam_authentication`) and no built-in password at all, so there is no secret to leak;
 *   password policy enforced for any user created later;
 * - connection, disconnection, DDL and slow-statement logging; Query Insights;
 * - automated backups kept `backupRetentionDays` days with point-in-time recovery (transaction logs 7
 *   days, the Enterprise maximum). Backups are always given a location: Cloud SQL would otherwise store
 *   them in "the multi-region closest to the instance" (`us` for Querétaro or São Paulo). The replica
 *   region (`ctx.replicaRegion`: same jurisdiction, or explicitly configured) when geo-redundant backups
 *   are on (production), else the instance's own region;
 * - REGIONAL availability (a standby in another zone) and deletion protection, both on the API and in
 *   Pulumi, in production;
 * - CPU (high) and disk (critical) alert policies to the site's notification channels;
 * - `readReplicas` read replicas (`masterInstanceName`), each in another zone of the site, encrypted with
 *   the site key (a replica in the primary's region takes a key of that region), private IP only, TLS
 *   required, the primary's flags and Query Insights, deletion protection like the primary; no backups
 *   or standby of their own (Cloud SQL has no backups on read replicas; the primary must have automated
 *   backups and, for PostgreSQL, point-in-time recovery:
 *   https://cloud.google.com/sql/docs/postgres/replication#requirements);
 * - connection pooling: none. Cloud SQL Managed Connection Pooling needs the Enterprise Plus edition
 *   (https://cloud.google.com/sql/docs/postgres/managed-connection-pooling#requirements; pulumi-gcp 9.37
 *   offers it as `settings.connectionPoolConfigs`); this instance is Enterprise edition, so the site
 *   exports no pooler and applications pool on their side (or the Cloud SQL Auth Proxy's connectors).
 */
export function database(
  name: string,
  ctx: SiteContext<"gcp">,
  inputs: DatabaseBuildInputs<"gcp">,
): DatabaseOutputs {
  const { settings, keys, network, monitoring, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const project = ctx.site.project;
  const instanceName = uniqueName(
    "gcpSqlInstance",
    [ctx.stack.environment, ctx.role, "pg"],
    ctx.uniqueSuffix,
  );

  const keyAccess = grantKeyToServiceAgent(
    `${name}-sql-agent`,
    project,
    "sqladmin.googleapis.com",
    keys.cryptoKeyId,
    opts,
  );

  const flags: [string, string][] = [
    ["cloudsql.iam_authentication", "on"],
    // Logical decoding for cross-cloud CDC replication (components/replication.ts).
    ["cloudsql.logical_decoding", "on"],
    ["log_connections", "on"],
    ["log_disconnections", "on"],
    ["log_statement", "ddl"],
    ["log_min_duration_statement", String(settings.slowStatementMs)],
    ["log_lock_waits", "on"],
  ];
  const backupLocation = cloudSqlBackupLocation(ctx, settings.geoRedundantBackup);
  // Private IP only, on the service connection's range; shared by the primary and its read replicas.
  const ipConfiguration = {
    ipv4Enabled: false,
    // Through the service connection's id: the instance waits for the peering to exist.
    privateNetwork: pulumi
      .all([network.privateAccess.networkSelfLink, network.privateAccess.serviceConnectionId])
      .apply(([selfLink]) => selfLink),
    allocatedIpRange: network.privateAccess.serviceRangeName,
    sslMode: "ENCRYPTED_ONLY",
    enablePrivatePathForGoogleCloudServices: false,
  };
  const instance = new DatabaseInstance(
    `${name}-instance`,
    {
      project,
      region: ctx.site.region,
      name: instanceName,
      databaseVersion: `POSTGRES_${settings.version}`,
      encryptionKeyName: keys.cryptoKeyId,
      deletionProtection: settings.deletionProtection,
      settings: {
        tier: cloudSqlTier[settings.size],
        edition: "ENTERPRISE",
        availabilityType: settings.highAvailability ? "REGIONAL" : "ZONAL",
        ...(ctx.zones.length > 0 ? { locationPreference: { zone: ctx.zones[0] } } : {}),
        diskType: "PD_SSD",
        diskSize: settings.storageGb,
        diskAutoresize: true,
        deletionProtectionEnabled: settings.deletionProtection,
        ipConfiguration,
        backupConfiguration: {
          enabled: true,
          pointInTimeRecoveryEnabled: true,
          startTime: "03:00",
          transactionLogRetentionDays: 7,
          backupRetentionSettings: { retainedBackups: settings.backupRetentionDays, retentionUnit: "COUNT" },
          location: backupLocation,
        },
        databaseFlags: flags.map(([flagName, value]) => ({ name: flagName, value })),
        insightsConfig: {
          queryInsightsEnabled: true,
          recordClientAddress: false,
          recordApplicationTags: true,
        },
        passwordValidationPolicy: {
          enablePasswordPolicy: true,
          minLength: 16,
          complexity: "COMPLEXITY_DEFAULT",
          disallowUsernameSubstring: true,
          reuseInterval: 5,
        },
        maintenanceWindow: { day: 7, hour: 4, updateTrack: "stable" },
        retainBackupsOnDelete: ctx.production,
      },
    },
    statefulOptions(ctx, {
      ...opts,
      dependsOn: [keyAccess],
    }),
  );
  const replicas = Array.from({ length: settings.readReplicas }, (_, i) => {
    const zone = replicaZone(ctx.zones, i);
    return new DatabaseInstance(
      `${name}-replica-${i + 1}`,
      {
        project,
        region: ctx.site.region,
        name: uniqueName(
          "gcpSqlInstance",
          [ctx.stack.environment, ctx.role, `pg-r${i + 1}`],
          ctx.uniqueSuffix,
        ),
        masterInstanceName: instance.name,
        databaseVersion: `POSTGRES_${settings.version}`,
        encryptionKeyName: keys.cryptoKeyId,
        deletionProtection: settings.deletionProtection,
        replicaConfiguration: { failoverTarget: false },
        settings: {
          tier: cloudSqlTier[settings.size],
          edition: "ENTERPRISE",
          availabilityType: "ZONAL",
          ...(zone === undefined ? {} : { locationPreference: { zone } }),
          diskType: "PD_SSD",
          diskSize: settings.storageGb,
          diskAutoresize: true,
          deletionProtectionEnabled: settings.deletionProtection,
          ipConfiguration,
          backupConfiguration: { enabled: false },
          databaseFlags: flags
            .filter(([flagName]) => flagName !== "cloudsql.logical_decoding")
            .map(([flagName, value]) => ({ name: flagName, value })),
          insightsConfig: {
            queryInsightsEnabled: true,
            recordClientAddress: false,
            recordApplicationTags: true,
          },
          maintenanceWindow: { day: 7, hour: 5, updateTrack: "stable" },
        },
      },
      statefulOptions(ctx, { ...opts, dependsOn: [keyAccess] }),
    );
  });

  const database = new Database(
    `${name}-database`,
    {
      project,
      instance: instance.name,
      name: settings.databaseName,
      charset: "UTF8",
      collation: "en_US.UTF8",
    },
    statefulOptions(ctx, opts),
  );

  if (monitoring) {
    const alert = (role: string, severity: Severity, title: string, metric: string, threshold: number) =>
      metricAlert(
        `${name}-${role}-alert`,
        {
          project,
          subject: instanceName,
          severity,
          title,
          filter: pulumi.interpolate`resource.type = "cloudsql_database" AND resource.labels.database_id = "${project}:${instance.name}" AND metric.type = "${metric}"`,
          threshold,
          aligner: "ALIGN_MEAN",
        },
        monitoring.alertTargets,
        opts,
      );
    alert(
      "cpu",
      "high",
      "CPU above 80% for 15 minutes",
      "cloudsql.googleapis.com/database/cpu/utilization",
      0.8,
    );
    alert(
      "disk",
      "critical",
      "Disk above 90% used",
      "cloudsql.googleapis.com/database/disk/utilization",
      0.9,
    );
    // Cloud SQL metrics: https://cloud.google.com/sql/docs/postgres/admin-api/metrics
    const sql = (instanceName: pulumi.Input<string>, metricType: string, aligner = "ALIGN_MEAN") => ({
      metricType: `cloudsql.googleapis.com/database/${metricType}`,
      resourceType: "cloudsql_database",
      resourceLabels: { database_id: pulumi.interpolate`${project}:${instanceName}` },
      aligner,
    });
    const section = "database" as const;
    monitoring.dashboard.add(
      {
        cloud: "gcp",
        section,
        title: "CPU",
        unit: "Ratio",
        thresholds: { warning: 0.8 },
        metric: sql(instance.name, "cpu/utilization"),
      },
      {
        cloud: "gcp",
        section,
        title: "Disk used",
        unit: "Ratio",
        thresholds: { critical: 0.9 },
        metric: sql(instance.name, "disk/utilization"),
      },
      {
        cloud: "gcp",
        section,
        title: "Connections",
        unit: "Count",
        metric: sql(instance.name, "postgresql/num_backends"),
      },
      ...replicas.map((r, i) => ({
        cloud: "gcp" as const,
        section,
        title: `Replica ${i + 1} lag`,
        unit: "Seconds" as const,
        metric: sql(r.name, "replication/replica_lag", "ALIGN_MAX"),
      })),
    );
  }

  const readers: DatabaseEndpoint[] = replicas.map((r) => ({ host: r.privateIpAddress, port: 5432 }));
  return {
    endpoints: {
      writer: { host: instance.privateIpAddress, port: 5432 },
      reader: readers[0],
      readers,
      // Managed Connection Pooling needs Enterprise Plus; this instance is Enterprise (see above).
      pooler: undefined,
    },
    serverId: instance.name,
    host: instance.privateIpAddress,
    port: 5432,
    databaseName: database.name,
    adminCredentialRef: pulumi.output("iam"),
    highAvailability: settings.highAvailability,
    backupRetentionDays: settings.backupRetentionDays,
  };
}
