/**
 * Route 53 failover (components/traffic-failover.ts): per site an HTTPS health check (interval, failure
 * threshold, path, SNI with the failover name) and a target record (`<hostname>-<role>.<zone>`: an A
 * record for an IPv4 entry, a CNAME for a DNS name), and the failover pair `<hostname>.<zone>` (CNAMEs,
 * PRIMARY with the primary's health check, SECONDARY with the secondary's). Route 53 publishes
 * HealthCheckStatus in us-east-1 only
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html), and an alarm
 * notifies topics of its own region, so the alarms, their topic (encrypted with its own key) and the
 * topic's e-mail subscriptions (the stack's alert contacts) are in us-east-1, on a provider of the site's
 * account.
 */
import type * as pulumi from "@pulumi/pulumi";
import { MetricAlarm } from "@pulumi/aws/cloudwatch/metricAlarm";
import { Provider } from "@pulumi/aws/provider";
import { HealthCheck } from "@pulumi/aws/route53/healthCheck";
import { Record as DnsRecord } from "@pulumi/aws/route53/record";
import { Topic } from "@pulumi/aws/sns/topic";
import { TopicSubscription } from "@pulumi/aws/sns/topicSubscription";
import { contactSlug } from "../../components/config";
import type { SiteContext } from "../../components/context";
import type {
  FailoverBuildInputs,
  FailoverImplementation,
  FailoverOutputs,
} from "../../components/traffic-failover";
import { kmsKey, siteAccountId } from "./keys";
import { awsName, kmsAliasName } from "./names";

/** Route 53 health-check metrics exist only in this region. */
export const route53MetricsRegion = "us-east-1";

export const dnsFailover: FailoverImplementation<"aws"> = {
  failover(name: string, ctx: SiteContext<"aws">, inputs: FailoverBuildInputs): FailoverOutputs {
    const { settings, parent } = inputs;
    const opts: pulumi.CustomResourceOptions = { parent, provider: ctx.provider };
    const healthChecks = {} as Record<"primary" | "secondary", pulumi.Output<string>>;
    const checks: HealthCheck[] = [];
    for (const target of [inputs.primary, inputs.secondary]) {
      const check = new HealthCheck(
        `${name}-${target.role}-health`,
        {
          type: "HTTPS",
          port: 443,
          resourcePath: target.healthPath,
          requestInterval: settings.intervalSeconds,
          failureThreshold: settings.failureThreshold,
          // SNI and Host: the failover name (the certificate the site serves covers it).
          fqdn: target.kind === "hostname" ? target.address : settings.fqdn,
          ...(target.kind === "ip" ? { ipAddress: target.address } : {}),
          enableSni: true,
          measureLatency: false,
          referenceName: `${target.role}-${settings.hostname}`.slice(0, 64),
        },
        opts,
      );
      checks.push(check);
      healthChecks[target.role] = check.id;
      const targetName = `${settings.hostname}-${target.role}.${settings.zone}`;
      new DnsRecord(
        `${name}-${target.role}-target`,
        {
          zoneId: settings.zoneId,
          name: targetName,
          type: target.kind === "ip" ? "A" : "CNAME",
          ttl: settings.ttlSeconds,
          records: [target.address],
        },
        opts,
      );
      new DnsRecord(
        `${name}-${target.role}-failover`,
        {
          zoneId: settings.zoneId,
          name: settings.fqdn,
          type: "CNAME",
          ttl: settings.ttlSeconds,
          records: [targetName],
          setIdentifier: target.role,
          failoverRoutingPolicies: [{ type: target.role === "primary" ? "PRIMARY" : "SECONDARY" }],
          healthCheckId: check.id,
        },
        opts,
      );
    }

    // Alarms on HealthCheckStatus, in us-east-1 with their own encrypted topic.
    const provider = new Provider(
      `${ctx.role}-dns-failover-${route53MetricsRegion}`,
      { region: route53MetricsRegion, allowedAccountIds: [ctx.site.accountId] },
      { parent },
    );
    const alarmOpts: pulumi.CustomResourceOptions = { parent, provider };
    const accountId = siteAccountId(ctx);
    const key = kmsKey(
      `${name}-alerts`,
      {
        description: `${ctx.stack.environment} DNS failover alert topic (SNS, ${route53MetricsRegion})`,
        region: route53MetricsRegion,
        accountId,
        aliasName: kmsAliasName(ctx, "dns-failover-alerts"),
        production: ctx.production,
        cloudWatchLogs: false,
        extraStatements: [
          {
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
          },
        ],
      },
      alarmOpts,
    );
    const topic = new Topic(
      `${name}-alerts`,
      {
        name: awsName(ctx, "dns-failover-alerts"),
        displayName: `${ctx.stack.environment} DNS failover alerts`,
        kmsMasterKeyId: key.arn,
      },
      alarmOpts,
    );
    for (const contact of ctx.stack.alertContacts) {
      new TopicSubscription(
        `${name}-alerts-${contactSlug(contact.email)}`,
        { topic: topic.arn, protocol: "email", endpoint: contact.email },
        alarmOpts,
      );
    }
    checks.forEach((check, i) => {
      const role = i === 0 ? "primary" : "secondary";
      const severity = role === "primary" ? "critical" : "high";
      new MetricAlarm(
        `${name}-${role}-health-alarm`,
        {
          name: awsName(ctx, `dns-failover-${role}-unhealthy`),
          alarmDescription: `[${severity}] ${settings.fqdn}: the ${role} site's HTTPS health check fails${role === "primary" ? " (traffic fails over to the secondary)" : " (no failover target)"}`,
          namespace: "AWS/Route53",
          metricName: "HealthCheckStatus",
          dimensions: { HealthCheckId: check.id },
          statistic: "Minimum",
          period: 60,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: "LessThanThreshold",
          treatMissingData: "breaching",
          alarmActions: [topic.arn],
          okActions: [topic.arn],
        },
        alarmOpts,
      );
    });
    return { fqdn: settings.fqdn, healthChecks, mechanism: "route53-failover" };
  },
};
