import * as pulumi from "@pulumi/pulumi";
import { ProjectBucketConfig } from "@pulumi/gcp/logging/projectBucketConfig";
import { ProjectSink } from "@pulumi/gcp/logging/projectSink";
import { AlertPolicy } from "@pulumi/gcp/monitoring/alertPolicy";
import { NotificationChannel } from "@pulumi/gcp/monitoring/notificationChannel";
import type { Severity } from "../../components/config";
import { severities } from "../../components/config";
import { contactSlug } from "../../components/config";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type { MonitoringBuildInputs, MonitoringOutputs } from "../../components/monitoring";

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
 * - a sink routing audit logs and WARNING-or-worse entries of the project into it;
 * - one email notification channel per recipient; each alert policy notifies the recipients of its
 *   severity;
 * - log-match alert policies: Cloud KMS key version destruction scheduled (critical), and IAM policy
 *   changes on the project (high).
 */
export function monitoring(
  name: string,
  ctx: SiteContext<"gcp">,
  inputs: MonitoringBuildInputs<"gcp">,
): MonitoringOutputs {
  const { settings, keys, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const project = ctx.site.project;
  const prefix = `${ctx.stack.environment}-${ctx.role}`;

  const bucket = new ProjectBucketConfig(
    `${name}-log-bucket`,
    {
      project,
      location: ctx.site.region,
      bucketId: `${prefix}-logs`,
      description: `${prefix} site logs`,
      retentionDays: settings.logRetentionDays,
      locked: ctx.production,
      cmekSettings: { kmsKeyName: keys.loggingKmsKeyName },
    },
    statefulOptions(ctx, opts),
  );
  new ProjectSink(
    `${name}-sink`,
    {
      project,
      name: `${prefix}-site-logs`,
      destination: pulumi.interpolate`logging.googleapis.com/${bucket.id}`,
      filter: 'logName:"cloudaudit.googleapis.com" OR severity>=WARNING',
      uniqueWriterIdentity: true,
    },
    opts,
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
  const targets = (severity: Severity): pulumi.Output<string[]> =>
    pulumi.all(channels.filter(([r]) => r.severities.includes(severity)).map(([, c]) => c.id));
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
