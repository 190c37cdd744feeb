import * as pulumi from "@pulumi/pulumi";
import { ProjectBucketConfig } from "@pulumi/gcp/logging/projectBucketConfig";
import { ProjectExclusion } from "@pulumi/gcp/logging/projectExclusion";
import { ProjectSink } from "@pulumi/gcp/logging/projectSink";
import { AlertPolicy } from "@pulumi/gcp/monitoring/alertPolicy";
import { NotificationChannel } from "@pulumi/gcp/monitoring/notificationChannel";
import type { Severity } from "../../components/config";
import { severities } from "../../components/config";
import { contactSlug } from "../../components/config";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type {
  MonitoringBuildInputs,
  MonitoringImplOutputs,
  MonitoringOutputs,
} from "../../components/monitoring";
import { fitName, uniqueName } from "../../components/naming";

/** What the site sink routes to the CMEK log bucket (and the `_Default` sink therefore excludes). */
export const siteLogFilter = 'logName:"cloudaudit.googleapis.com" OR severity>=WARNING';

/** Cloud Monitoring alert policy severities for ours. */
const policySeverity: Record<Severity, string> = {
  critical: "CRITICAL",
  high: "ERROR",
  medium: "WARNING",
  low: "WARNING",
};

/**
 * GCP monitoring:
 *
 * - a Cloud Logging bucket in the site's region, CMEK-encrypted with the site key (the Cloud Logging
 *   service agent is granted the key), retention per settings, locked in production (the retention can
 *   then only grow);
 * - a sink routing audit logs and WARNING-or-worse entries of the project into it, and the same filter
 *   as an exclusion on the project's `_Default` sink (`ProjectExclusion`: the Logging API's exclusions
 *   belong to `_Default`), so those entries are stored once, with CMEK, not a second time in the
 *   `_Default` bucket without it. Admin Activity and System Event audit logs also always go to the
 *   `_Required` bucket, which no sink or exclusion can change;
 * - what this program cannot do: CMEK for the `_Default` and `_Required` buckets. They are `global`
 *   buckets created with the project, a CMEK must be in the bucket's location (the site key is
 *   regional), and their location and key come from the organization's or folder's Logging default
 *   resource settings (`gcloud logging settings update --organization ... --storage-location
 *   --kms-key-name`), applied when a project is created. An organization administrator sets them once,
 *   before the project exists; this program runs inside the project and leaves them alone;
 * - one email notification channel per recipient, a webhook channel (`webhook_tokenauth`) per recipient
 *   webhook and a PagerDuty channel (`pagerduty`, the integration key in `sensitive_labels.service_key`)
 *   when the stack has an on-call service; each alert policy notifies the channels of its severity;
 * - log-match alert policies: Cloud KMS key version destruction scheduled (critical), and IAM policy
 *   changes on the project (high).
 */
export function monitoring(
  name: string,
  ctx: SiteContext<"gcp">,
  inputs: MonitoringBuildInputs<"gcp">,
): MonitoringImplOutputs {
  const { settings, keys, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const project = ctx.site.project;
  const env = ctx.stack.environment;
  const prefix = `${env}-${ctx.role}`;

  const bucket = new ProjectBucketConfig(
    `${name}-log-bucket`,
    {
      project,
      location: ctx.site.region,
      // Deleted log buckets keep their id for 7 days (DELETE_REQUESTED): the suffix lets a re-created
      // stack create its bucket at once.
      bucketId: uniqueName("gcpLogging", [env, ctx.role, "logs"], ctx.uniqueSuffix),
      description: `${prefix} site logs`,
      retentionDays: settings.logRetentionDays,
      locked: ctx.production,
      cmekSettings: { kmsKeyName: keys.loggingKmsKeyName },
    },
    statefulOptions(ctx, opts),
  );
  const sink = new ProjectSink(
    `${name}-sink`,
    {
      project,
      name: fitName("gcpLogging", [env, ctx.role, "site-logs"]),
      destination: pulumi.interpolate`logging.googleapis.com/${bucket.id}`,
      filter: siteLogFilter,
      uniqueWriterIdentity: true,
    },
    opts,
  );
  // After the sink exists, so no entry is dropped from both.
  new ProjectExclusion(
    `${name}-default-exclusion`,
    {
      project,
      name: fitName("gcpLogging", [env, ctx.role, "site-logs"]),
      description: "Kept in the CMEK site log bucket; not stored again in _Default",
      filter: siteLogFilter,
    },
    { ...opts, dependsOn: [sink] },
  );

  const channels = settings.recipients.map(
    (r) =>
      [
        r,
        new NotificationChannel(
          `${name}-${contactSlug(r.email)}`,
          {
            project,
            type: "email",
            displayName: `${r.name} (${r.severities[r.severities.length - 1]} and above)`,
            labels: { email_address: r.email },
            enabled: true,
          },
          opts,
        ),
      ] as const,
  );
  const webhooks = settings.recipients
    .filter((r) => r.webhook !== undefined)
    .map(
      (r) =>
        [
          r,
          new NotificationChannel(
            `${name}-${contactSlug(r.email)}-webhook`,
            {
              project,
              type: "webhook_tokenauth",
              displayName: `${r.name} webhook (${r.severities[r.severities.length - 1]} and above)`,
              labels: { url: r.webhook as string },
              enabled: true,
            },
            opts,
          ),
        ] as const,
    );
  const onCall = settings.onCall
    ? new NotificationChannel(
        `${name}-${settings.onCall.service}`,
        {
          project,
          type: "pagerduty",
          displayName: `On-call (${settings.onCall.service}, ${settings.onCall.severities[settings.onCall.severities.length - 1]} and above)`,
          sensitiveLabels: { serviceKey: settings.onCall.integrationKey },
          enabled: true,
        },
        opts,
      )
    : undefined;
  const targets = (severity: Severity): pulumi.Output<string[]> =>
    pulumi.all([
      ...[...channels, ...webhooks].filter(([r]) => r.severities.includes(severity)).map(([, c]) => c.id),
      ...(onCall && settings.onCall?.severities.includes(severity) ? [onCall.id] : []),
    ]);
  const alertTargets = Object.fromEntries(severities.map((s) => [s, targets(s)])) as Record<
    Severity,
    pulumi.Output<string[]>
  >;

  const logAlert = (role: string, severity: Severity, title: string, filter: string) =>
    new AlertPolicy(
      `${name}-${role}`,
      {
        project,
        displayName: `${prefix}: ${title}`,
        severity: policySeverity[severity],
        combiner: "OR",
        enabled: true,
        conditions: [{ displayName: title, conditionMatchedLog: { filter } }],
        alertStrategy: { notificationRateLimit: { period: "300s" }, autoClose: "1800s" },
        notificationChannels: alertTargets[severity],
        documentation: {
          mimeType: "text/markdown",
          content: `[${severity}] ${title} in project ${project}.`,
        },
      },
      opts,
    );
  logAlert(
    "key-destruction",
    "critical",
    "Cloud KMS key version destruction scheduled",
    'protoPayload.serviceName="cloudkms.googleapis.com" AND protoPayload.methodName="DestroyCryptoKeyVersion"',
  );
  logAlert(
    "iam-policy-change",
    "high",
    "Project IAM policy changed",
    'protoPayload.serviceName="cloudresourcemanager.googleapis.com" AND protoPayload.methodName="SetIamPolicy"',
  );

  return { logSinkId: bucket.id, logRetentionDays: settings.logRetentionDays, alertTargets };
}

/** A metric threshold alert on one resource, routed to the site's targets of its severity. */
export interface MetricAlertArgs {
  readonly project: string;
  /** The watched resource's name, in the alert's display name and documentation. */
  readonly subject: pulumi.Input<string>;
  readonly severity: Severity;
  /** What the alert means (the condition's display name). */
  readonly title: string;
  /** Monitoring filter selecting the resource and the metric. */
  readonly filter: pulumi.Input<string>;
  /** Fires when the aligned value stays greater than this for 15 minutes. */
  readonly threshold: number;
  /** How each 5-minute period is aligned (`ALIGN_MEAN`, `ALIGN_MAX`, `ALIGN_RATE`, ...). */
  readonly aligner: string;
}

export function metricAlert(
  name: string,
  args: MetricAlertArgs,
  alertTargets: MonitoringOutputs["alertTargets"],
  opts: pulumi.CustomResourceOptions,
): AlertPolicy {
  const { severity, title, subject } = args;
  return new AlertPolicy(
    name,
    {
      project: args.project,
      displayName: pulumi.interpolate`${subject}: ${title}`,
      severity: policySeverity[severity],
      combiner: "OR",
      enabled: true,
      conditions: [
        {
          displayName: title,
          conditionThreshold: {
            filter: args.filter,
            comparison: "COMPARISON_GT",
            thresholdValue: args.threshold,
            duration: "900s",
            aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: args.aligner }],
          },
        },
      ],
      notificationChannels: alertTargets[severity],
      documentation: {
        mimeType: "text/markdown",
        content: pulumi.interpolate`[${severity}] ${title} on ${subject}.`,
      },
    },
    opts,
  );
}
