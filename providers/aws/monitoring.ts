import * as pulumi from "@pulumi/pulumi";
import { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";
import { LogMetricFilter } from "@pulumi/aws/cloudwatch/logMetricFilter";
import { MetricAlarm } from "@pulumi/aws/cloudwatch/metricAlarm";
import { Topic } from "@pulumi/aws/sns/topic";
import { TopicSubscription } from "@pulumi/aws/sns/topicSubscription";
import type { Severity } from "../../components/config";
import { contactSlug, severities } from "../../components/config";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type { MonitoringBuildInputs, MonitoringOutputs } from "../../components/monitoring";
import { kmsKey, siteAccountId } from "./keys";

/**
 * AWS monitoring:
 *
 * - a CloudWatch Logs group for the site, encrypted with the site key, retention per settings,
 *   deletion protection in production;
 * - one SNS topic per routed severity with an email subscription per recipient of that severity. The
 *   topics are encrypted with a dedicated alerts KMS key: CloudWatch alarms (and EventBridge, RDS event
 *   subscriptions) can only publish to an encrypted topic when the key policy lets their service
 *   principal use the key, and the site key's policy is scoped to the account and CloudWatch Logs;
 * - alarms: errors in the site's logs (high), the same errors sustained for 15 minutes (escalated to
 *   critical), and failed alert deliveries on the critical topic (high).
 */
export function monitoring(
  name: string,
  ctx: SiteContext<"aws">,
  inputs: MonitoringBuildInputs<"aws">,
): MonitoringOutputs {
  const { settings, keys, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const prefix = `${ctx.stack.environment}-${ctx.role}`;
  const accountId = siteAccountId(ctx, opts);

  const logGroup = new LogGroup(
    `${name}-logs`,
    {
      name: `/platform/${ctx.stack.environment}/${ctx.role}`,
      kmsKeyId: keys.keyArn,
      retentionInDays: settings.logRetentionDays,
      logGroupClass: "STANDARD",
      deletionProtectionEnabled: ctx.production,
    },
    statefulOptions(ctx, opts),
  );

  // Its own key: only the alarm and event publishers of this account may use it, nothing else.
  const alertsKey = kmsKey(
    `${name}-alerts`,
    {
      description: `${prefix} alert topics (SNS) encryption`,
      region: ctx.site.region,
      accountId,
      aliasName: `alias/${prefix}-alerts`,
      production: ctx.production,
      cloudWatchLogs: false,
      extraStatements: [
        {
          Sid: "AlarmAndEventPublishers",
          Effect: "Allow",
          Principal: {
            Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com", "events.rds.amazonaws.com"],
          },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        },
      ],
    },
    opts,
  );

  const topics = new Map<Severity, Topic>();
  for (const severity of settings.routedSeverities) {
    const topic = new Topic(
      `${name}-${severity}`,
      {
        name: `${prefix}-alerts-${severity}`,
        displayName: `${prefix} ${severity} alerts`,
        kmsMasterKeyId: alertsKey.arn,
      },
      opts,
    );
    topics.set(severity, topic);
    settings.recipients
      .filter((r) => r.severities.includes(severity))
      .forEach((r) => {
        new TopicSubscription(
          `${name}-${severity}-${contactSlug(r.email)}`,
          { topic: topic.arn, protocol: "email", endpoint: r.email },
          opts,
        );
      });
  }
  const targets = (severity: Severity): pulumi.Output<string[]> => {
    const topic = topics.get(severity);
    return topic ? topic.arn.apply((arn) => [arn]) : pulumi.output([]);
  };
  const alertTargets = Object.fromEntries(severities.map((s) => [s, targets(s)])) as Record<
    Severity,
    pulumi.Output<string[]>
  >;

  const namespace = `Platform/${ctx.stack.environment}`;
  const metricName = `${ctx.role}-log-errors`;
  new LogMetricFilter(
    `${name}-log-errors`,
    {
      name: `${prefix}-log-errors`,
      logGroupName: logGroup.name,
      pattern: "?ERROR ?FATAL ?CRITICAL",
      metricTransformation: { name: metricName, namespace, value: "1", defaultValue: "0" },
    },
    opts,
  );
  new MetricAlarm(
    `${name}-log-errors-alarm`,
    {
      name: `${prefix}-log-errors`,
      alarmDescription: "[high] Errors logged by the site's workloads",
      namespace,
      metricName,
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      alarmActions: alertTargets.high,
      okActions: alertTargets.high,
    },
    opts,
  );
  new MetricAlarm(
    `${name}-log-errors-sustained-alarm`,
    {
      name: `${prefix}-log-errors-sustained`,
      alarmDescription: "[critical] Escalation: at least 10 errors every 5 minutes for 15 minutes",
      namespace,
      metricName,
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: 10,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      alarmActions: alertTargets.critical,
      okActions: alertTargets.critical,
    },
    opts,
  );
  const critical = topics.get("critical");
  if (critical) {
    new MetricAlarm(
      `${name}-alert-delivery-alarm`,
      {
        name: `${prefix}-alert-delivery-failures`,
        alarmDescription: "[high] Critical alerts could not be delivered",
        namespace: "AWS/SNS",
        metricName: "NumberOfNotificationsFailed",
        dimensions: { TopicName: critical.name },
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        alarmActions: alertTargets.high,
      },
      opts,
    );
  }
  return { logSinkId: logGroup.arn, logRetentionDays: settings.logRetentionDays, alertTargets };
}
