import * as pulumi from "@pulumi/pulumi";
import { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";
import { MetricAlarm } from "@pulumi/aws/cloudwatch/metricAlarm";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicyAttachment } from "@pulumi/aws/iam/rolePolicyAttachment";
import { LogMetricFilter } from "@pulumi/aws/cloudwatch/logMetricFilter";
import { Provider } from "@pulumi/aws/provider";
import { Instance } from "@pulumi/aws/rds/instance";
import { InstanceAutomatedBackupsReplication } from "@pulumi/aws/rds/instanceAutomatedBackupsReplication";
import { ParameterGroup } from "@pulumi/aws/rds/parameterGroup";
import { SubnetGroup } from "@pulumi/aws/rds/subnetGroup";
import type { DatabaseBuildInputs, DatabaseOutputs, DatabaseSize } from "../../components/database";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import { fitName } from "../../components/naming";
import { kmsKey, siteAccountId } from "./keys";
import { iamName, kmsAliasName, rdsNames } from "./names";

/** Graviton instance classes per abstract size. */
export const rdsInstanceClass: Record<DatabaseSize, string> = {
  small: "db.t4g.medium",
  medium: "db.m7g.large",
  large: "db.r7g.xlarge",
};

/** RDS log types exported to CloudWatch Logs for PostgreSQL. */
const logExports = ["postgresql", "upgrade"] as const;

/**
 * Amazon RDS for PostgreSQL, modelled on terraform-aws-modules/rds defaults hardened for production:
 *
 * - subnet group on the network's data tier, which spans at least two Availability Zones on every site
 *   (RDS refuses subnet groups that cover fewer, even for a single-AZ instance); a single-AZ instance is
 *   pinned to the site's first zone, next to its workloads; the data tier's security group (5432 from
 *   the private tier only), not publicly accessible;
 * - storage (gp3, autoscaling up to 4x), Performance Insights and the master secret encrypted with the
 *   site key; the master password is generated and rotated by RDS in Secrets Manager
 *   (`manageMasterUserPassword`): it never appears in the program, the state or the plan;
 * - a parameter group forcing TLS (`rds.force_ssl=1`, TLS 1.2 minimum) and logging connections,
 *   disconnections, DDL and slow statements; logs exported to CloudWatch Logs into log groups created
 *   here first (site key, the site's log retention) instead of RDS's unencrypted, never-expiring default;
 * - IAM database authentication, enhanced monitoring (60 s, the instance waits for its role's policy),
 *   automated backups with point-in-time recovery for `backupRetentionDays`, a final snapshot on deletion
 *   (its identifier carries the site's random suffix: a re-created stack never collides with the snapshot
 *   an earlier one left), Multi-AZ, deletion protection and retained automated backups in production;
 * - geo-redundant backups (`geoRedundantBackup`, production): the automated backups (snapshots and
 *   transaction logs) are replicated to the site's replica region (`SiteContext.replicaRegion`, in the
 *   same jurisdiction unless the stack names another) with `InstanceAutomatedBackupsReplication`,
 *   encrypted there with a key of that region, kept as long as the source's, so point-in-time recovery
 *   works in the replica region too;
 * - alarms to the site's alert targets: CPU (high), free storage (critical), and errors PostgreSQL
 *   writes to its exported log (ERROR, FATAL, PANIC lines: high at the first, critical when sustained).
 *   The error alarms watch the postgresql log group because RDS writes to it; the site's workload log
 *   group has no writer until workloads exist, and an alarm on it could never fire.
 */
export function database(
  name: string,
  ctx: SiteContext<"aws">,
  inputs: DatabaseBuildInputs<"aws">,
): DatabaseOutputs {
  const { settings, keys, network, monitoring, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const names = rdsNames(ctx, `postgres${settings.version}`);
  const identifier = names.instance;
  const port = 5432;

  const subnetGroup = new SubnetGroup(
    `${name}-subnets`,
    {
      name: names.subnetGroup,
      description: `${identifier}: the network's data tier (at least two Availability Zones)`,
      subnetIds: [...network.subnetIds.data],
    },
    opts,
  );
  const parameterGroup = new ParameterGroup(
    `${name}-parameters`,
    {
      name: names.parameterGroup,
      family: `postgres${settings.version}`,
      description: `${identifier}: TLS required, connection and slow-statement logging`,
      parameters: [
        { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
        { name: "ssl_min_protocol_version", value: "TLSv1.2", applyMethod: "pending-reboot" },
        { name: "log_connections", value: "1", applyMethod: "pending-reboot" },
        // Logical decoding for cross-cloud CDC replication (components/replication.ts).
        { name: "rds.logical_replication", value: "1", applyMethod: "pending-reboot" },
        { name: "log_disconnections", value: "1", applyMethod: "pending-reboot" },
        { name: "log_statement", value: "ddl", applyMethod: "pending-reboot" },
        {
          name: "log_min_duration_statement",
          value: String(settings.slowStatementMs),
          applyMethod: "pending-reboot",
        },
      ],
    },
    opts,
  );
  const logGroups = logExports.map(
    (type) =>
      new LogGroup(
        `${name}-${type}-logs`,
        {
          name: names.logGroup(type),
          kmsKeyId: keys.keyArn,
          retentionInDays: monitoring?.logRetentionDays ?? (ctx.production ? 365 : 90),
        },
        statefulOptions(ctx, opts),
      ),
  );
  const monitoringRole = new Role(
    `${name}-monitoring-role`,
    {
      name: iamName(ctx, "rds-enhanced-monitoring"),
      description: `Lets RDS publish enhanced monitoring metrics of ${identifier}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "monitoring.rds.amazonaws.com" },
            Action: "sts:AssumeRole",
          },
        ],
      }),
    },
    opts,
  );
  const monitoringPolicy = new RolePolicyAttachment(
    `${name}-monitoring-policy`,
    {
      role: monitoringRole.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    },
    opts,
  );

  const instance = new Instance(
    `${name}-instance`,
    {
      identifier,
      engine: "postgres",
      engineVersion: settings.version,
      instanceClass: rdsInstanceClass[settings.size],
      allocatedStorage: settings.storageGb,
      maxAllocatedStorage: settings.storageGb * 4,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: keys.keyArn,
      multiAz: settings.highAvailability,
      // Single-AZ: next to the site's workloads (the subnet group spans a second zone only because RDS
      // requires it). Multi-AZ: RDS places primary and standby (an AZ cannot be given).
      ...(settings.highAvailability || ctx.zones[0] === undefined ? {} : { availabilityZone: ctx.zones[0] }),
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [network.trafficRules.data],
      publiclyAccessible: false,
      port,
      networkType: "IPV4",
      caCertIdentifier: "rds-ca-rsa2048-g1",
      parameterGroupName: parameterGroup.name,
      dbName: settings.databaseName,
      username: "pgadmin",
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: keys.keyArn,
      iamDatabaseAuthenticationEnabled: true,
      backupRetentionPeriod: settings.backupRetentionDays,
      backupWindow: "03:00-04:00",
      maintenanceWindow: "sun:04:30-sun:05:30",
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: !ctx.production,
      deletionProtection: settings.deletionProtection,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: names.finalSnapshot,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      applyImmediately: false,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: keys.keyArn,
      performanceInsightsRetentionPeriod: 7,
      enabledCloudwatchLogsExports: [...logExports],
      monitoringInterval: 60,
      monitoringRoleArn: monitoringRole.arn,
    },
    statefulOptions(ctx, { ...opts, dependsOn: [...logGroups, monitoringPolicy] }),
  );

  if (monitoring) {
    new MetricAlarm(
      `${name}-cpu-alarm`,
      {
        name: fitName("awsName", [identifier, "cpu"]),
        alarmDescription: "[high] Database CPU above 80% for 15 minutes",
        namespace: "AWS/RDS",
        metricName: "CPUUtilization",
        dimensions: { DBInstanceIdentifier: instance.identifier },
        statistic: "Average",
        period: 300,
        evaluationPeriods: 3,
        threshold: 80,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "missing",
        alarmActions: monitoring.alertTargets.high,
        okActions: monitoring.alertTargets.high,
      },
      opts,
    );
    new MetricAlarm(
      `${name}-storage-alarm`,
      {
        name: fitName("awsName", [identifier, "free-storage"]),
        alarmDescription: "[critical] Database free storage below 10% of the allocation",
        namespace: "AWS/RDS",
        metricName: "FreeStorageSpace",
        dimensions: { DBInstanceIdentifier: instance.identifier },
        statistic: "Minimum",
        period: 300,
        evaluationPeriods: 2,
        threshold: Math.round(settings.storageGb * 0.1 * 1024 ** 3),
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "missing",
        alarmActions: monitoring.alertTargets.critical,
        okActions: monitoring.alertTargets.critical,
      },
      opts,
    );
    logErrorAlarms(name, ctx, identifier, logGroups[0]!, monitoring, opts);
  }

  if (settings.geoRedundantBackup)
    replicateBackups(name, ctx, instance, settings.backupRetentionDays, parent);

  return {
    serverId: instance.arn,
    host: instance.address,
    port,
    databaseName: pulumi.output(settings.databaseName),
    adminCredentialRef: instance.masterUserSecrets.apply((s) => s?.[0]?.secretArn ?? ""),
    highAvailability: settings.highAvailability,
    backupRetentionDays: settings.backupRetentionDays,
  };
}

/**
 * Errors PostgreSQL writes to its exported `postgresql` log (lines carry `ERROR:`, `FATAL:` or `PANIC:`;
 * FATAL includes failed authentications): a metric filter counts them, one alarm raises the first (high)
 * and one escalates them when sustained for 15 minutes (critical).
 */
function logErrorAlarms(
  name: string,
  ctx: SiteContext<"aws">,
  identifier: string,
  logGroup: LogGroup,
  monitoring: NonNullable<DatabaseBuildInputs<"aws">["monitoring"]>,
  opts: pulumi.CustomResourceOptions,
): void {
  const namespace = `Platform/${fitName("awsName", [ctx.stack.environment])}`;
  const metricName = fitName("awsName", [ctx.role, "postgres-log-errors"]);
  new LogMetricFilter(
    `${name}-log-errors`,
    {
      name: fitName("awsName", [identifier, "log-errors"]),
      logGroupName: logGroup.name,
      pattern: '?"ERROR:" ?"FATAL:" ?"PANIC:"',
      metricTransformation: { name: metricName, namespace, value: "1", defaultValue: "0", unit: "Count" },
    },
    opts,
  );
  new MetricAlarm(
    `${name}-log-errors-alarm`,
    {
      name: fitName("awsName", [identifier, "log-errors"]),
      alarmDescription: "[high] PostgreSQL logged errors (ERROR, FATAL or PANIC)",
      namespace,
      metricName,
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      alarmActions: monitoring.alertTargets.high,
      okActions: monitoring.alertTargets.high,
    },
    opts,
  );
  new MetricAlarm(
    `${name}-log-errors-sustained-alarm`,
    {
      name: fitName("awsName", [identifier, "log-errors-sustained"]),
      alarmDescription: "[critical] Escalation: at least 10 PostgreSQL errors every 5 minutes for 15 minutes",
      namespace,
      metricName,
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: 10,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      alarmActions: monitoring.alertTargets.critical,
      okActions: monitoring.alertTargets.critical,
    },
    opts,
  );
}

/**
 * Cross-Region automated backups: RDS copies every snapshot and transaction log of `instance` to the
 * site's replica region as soon as it is ready, encrypted there with a key of that region (RDS needs a
 * destination-region KMS key for an encrypted instance), kept `retentionDays` (1-35). The replication
 * resource lives in the destination region, so it gets a provider of that region (named after the site
 * role, so the tag transform still knows the site).
 *
 * Documented constraints: supported for every RDS for PostgreSQL version and for Multi-AZ DB instances
 * (not Multi-AZ DB clusters); the destination must accept backups from the source region
 * (`aws rds describe-source-regions --region <destination>`: `SupportsDBInstanceAutomatedBackupsReplication`);
 * at most 20 replicated backups per destination region and account
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReplicateBackups.html).
 */
function replicateBackups(
  name: string,
  ctx: SiteContext<"aws">,
  instance: Instance,
  retentionDays: number,
  parent: pulumi.ComponentResource,
): InstanceAutomatedBackupsReplication {
  const region = ctx.replicaRegion;
  if (region === undefined) {
    throw new Error(
      `Database: geoRedundantBackup needs a replica region for ${ctx.site.region}; set replicaRegion on the ${ctx.role} site`,
    );
  }
  const opts: pulumi.CustomResourceOptions = { parent };
  const accountId = siteAccountId(ctx, opts);
  const provider = new Provider(
    `${ctx.role}-database-replica`,
    { region, allowedAccountIds: [ctx.site.accountId] },
    opts,
  );
  const replicaOpts: pulumi.CustomResourceOptions = { parent, provider };
  const key = kmsKey(
    `${name}-backup-replica`,
    {
      description: `${ctx.stack.environment} ${ctx.role} database backup replica key (${region})`,
      region,
      accountId,
      aliasName: kmsAliasName(ctx, "database-backup-replica"),
      production: ctx.production,
      cloudWatchLogs: false,
    },
    replicaOpts,
  );
  return new InstanceAutomatedBackupsReplication(
    `${name}-backup-replication`,
    { sourceDbInstanceArn: instance.arn, kmsKeyId: key.arn, retentionPeriod: retentionDays },
    statefulOptions(ctx, replicaOpts),
  );
}
