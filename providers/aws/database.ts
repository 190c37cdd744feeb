import * as pulumi from "@pulumi/pulumi";
import { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";
import { MetricAlarm } from "@pulumi/aws/cloudwatch/metricAlarm";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicyAttachment } from "@pulumi/aws/iam/rolePolicyAttachment";
import { Instance } from "@pulumi/aws/rds/instance";
import { ParameterGroup } from "@pulumi/aws/rds/parameterGroup";
import { SubnetGroup } from "@pulumi/aws/rds/subnetGroup";
import type { DatabaseBuildInputs, DatabaseOutputs, DatabaseSize } from "../../components/database";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";

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
 * - subnet group on the network's data tier, the data tier's security group (5432 from the private tier
 *   only), not publicly accessible;
 * - storage (gp3, autoscaling up to 4x), Performance Insights and the master secret encrypted with the
 *   site key; the master password is generated and rotated by RDS in Secrets Manager
 *   (`manageMasterUserPassword`): it never appears in the program, the state or the plan;
 * - a parameter group forcing TLS (`rds.force_ssl=1`, TLS 1.2 minimum) and logging connections,
 *   disconnections, DDL and slow statements; logs exported to CloudWatch Logs into log groups created
 *   here first (site key, the site's log retention) instead of RDS's unencrypted, never-expiring default;
 * - IAM database authentication, enhanced monitoring (60 s), automated backups with point-in-time
 *   recovery for `backupRetentionDays`, a final snapshot on deletion, Multi-AZ, deletion protection and
 *   retained automated backups in production;
 * - CPU (high) and free-storage (critical) alarms to the site's alert targets.
 *
 * Cross-region copies of automated backups (`aws.rds.InstanceAutomatedBackupsReplication`) need a
 * provider in a second AWS region; the site's secondary on another cloud is the disaster-recovery
 * copy, so they are documented, not built.
 */
export function database(
  name: string,
  ctx: SiteContext<"aws">,
  inputs: DatabaseBuildInputs<"aws">,
): DatabaseOutputs {
  const { settings, keys, network, monitoring, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const identifier = `${ctx.stack.environment}-${ctx.role}-pg`;
  const port = 5432;

  const subnetGroup = new SubnetGroup(
    `${name}-subnets`,
    {
      name: `${identifier}-data`,
      description: `${identifier}: the network's data tier`,
      subnetIds: [...network.subnetIds.data],
    },
    opts,
  );
  const parameterGroup = new ParameterGroup(
    `${name}-parameters`,
    {
      name: `${identifier}-postgres${settings.version}`,
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
          name: `/aws/rds/instance/${identifier}/${type}`,
          kmsKeyId: keys.keyArn,
          retentionInDays: monitoring?.logRetentionDays ?? (ctx.production ? 365 : 90),
        },
        statefulOptions(ctx, opts),
      ),
  );
  const monitoringRole = new Role(
    `${name}-monitoring-role`,
    {
      name: `${identifier}-enhanced-monitoring`,
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
      finalSnapshotIdentifier: `${identifier}-final`,
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
        name: `${identifier}-cpu`,
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
        name: `${identifier}-free-storage`,
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
  }

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
