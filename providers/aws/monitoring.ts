import * as pulumi from "@pulumi/pulumi";
import { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";
import { MetricAlarm } from "@pulumi/aws/cloudwatch/metricAlarm";
import { Topic } from "@pulumi/aws/sns/topic";
import { TopicSubscription } from "@pulumi/aws/sns/topicSubscription";
import type { Severity } from "../../components/config";
import { contactSlug, severities } from "../../components/config";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type { MonitoringBuildInputs, MonitoringImplOutputs } from "../../components/monitoring";
import { pagerDutyIntegrationUrl } from "../../components/alert-routing";
import { kmsKey, siteAccountId } from "./keys";
import { awsName, kmsAliasName, logGroupName } from "./names";

/**
 * AWS monitoring:
 *
 * - a CloudWatch Logs group for the site's workloads (`/platform/<env>/<role>`, the site's `logSinkId`
 *   that application stacks write to), encrypted with the site key, retention per settings, deletion
 *   protection in production. Nothing of the platform itself writes there (RDS exports to the groups RDS
 *   names, flow logs to their own group), so no alarm watches it: an alarm on a group without a writer
 *   could never fire. The error alarms watch the logs that have a writer (the database's PostgreSQL log,
 *   providers/aws/database.ts);
 * - one SNS topic per routed severity with an email subscription per recipient of that severity, an HTTPS
 *   subscription per recipient webhook, and one to PagerDuty's integration URL for the severities the
 *   on-call service receives (`platform:onCall`; the key stays a secret). The
 *   topics are encrypted with a dedicated alerts KMS key: CloudWatch alarms (and EventBridge, RDS event
 *   subscriptions) can only publish to an encrypted topic when the key policy lets their service
 *   principal use the key, and the site key's policy is scoped to the account and CloudWatch Logs;
 * - an alarm on failed deliveries of the critical topic (high).
 */
export function monitoring(
  name: string,
  ctx: SiteContext<"aws">,
  inputs: MonitoringBuildInputs<"aws">,
): MonitoringImplOutputs {
  const { settings, keys, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const accountId = siteAccountId(ctx, opts);

  const logGroup = new LogGroup(
    `${name}-logs`,
    {
      name: logGroupName(ctx),
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
      description: `${ctx.stack.environment} ${ctx.role} alert topics (SNS) encryption`,
      region: ctx.site.region,
      accountId,
      aliasName: kmsAliasName(ctx, "alerts"),
      production: ctx.production,
      cloudWatchLogs: false,
      extraStatements: [
        {
          Sid: "AlarmAndEventPublishers",
          Effect: "Allow",
          Principal: {
            // Alarms, EventBridge rules (GuardDuty findings), RDS events, AWS Budgets and Cost Anomaly
            // Detection publish to encrypted topics only when the key lets their principal use it.
            Service: [
              "cloudwatch.amazonaws.com",
              "events.amazonaws.com",
              "events.rds.amazonaws.com",
              "budgets.amazonaws.com",
              "costalerts.amazonaws.com",
            ],
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
        name: awsName(ctx, `alerts-${severity}`),
        displayName: `${ctx.stack.environment} ${ctx.role} ${severity} alerts`,
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
        if (r.webhook !== undefined) {
          // The endpoint confirms the subscription (SubscribeURL of the first message) before it
          // receives alerts: https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.prepare.html
          new TopicSubscription(
            `${name}-${severity}-${contactSlug(r.email)}-webhook`,
            { topic: topic.arn, protocol: "https", endpoint: r.webhook, endpointAutoConfirms: false },
            opts,
          );
        }
      });
    if (settings.onCall?.severities.includes(severity)) {
      // PagerDuty's CloudWatch integration: an HTTPS subscription to the integration URL (which carries the
      // secret integration key); PagerDuty confirms the subscription itself.
      new TopicSubscription(
        `${name}-${severity}-${settings.onCall.service}`,
        {
          topic: topic.arn,
          protocol: "https",
          endpoint: pagerDutyIntegrationUrl(settings.onCall.integrationKey),
          endpointAutoConfirms: true,
        },
        opts,
      );
    }
  }
  const targets = (severity: Severity): pulumi.Output<string[]> => {
    const topic = topics.get(severity);
    return topic ? topic.arn.apply((arn) => [arn]) : pulumi.output([]);
  };
  const alertTargets = Object.fromEntries(severities.map((s) => [s, targets(s)])) as Record<
    Severity,
    pulumi.Output<string[]>
  >;

  const critical = topics.get("critical");
  if (critical) {
    new MetricAlarm(
      `${name}-alert-delivery-alarm`,
      {
        name: awsName(ctx, "alert-delivery-failures"),
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
  // The site's alert topics on the dashboard.
  inputs.dashboard.add(
    ...[...topics].map(([severity, topic]) => ({
      cloud: "aws" as const,
      section: "alerting" as const,
      title: `${severity} alert deliveries failed`,
      unit: "Count" as const,
      thresholds: { warning: 1 },
      metric: {
        namespace: "AWS/SNS",
        metricName: "NumberOfNotificationsFailed",
        dimensions: { TopicName: topic.name },
        stat: "Sum" as const,
      },
    })),
  );
  return { logSinkId: logGroup.arn, logRetentionDays: settings.logRetentionDays, alertTargets };
}
