import * as pulumi from "@pulumi/pulumi";
import { AlertPolicy } from "@pulumi/gcp/monitoring/alertPolicy";
import { UptimeCheckConfig } from "@pulumi/gcp/monitoring/uptimeCheckConfig";
import type { Severity } from "../../components/config";
import type { SiteContext } from "../../components/context";
import type { SyntheticsBuildInputs, SyntheticsOutputs } from "../../components/synthetics";

/** Cloud Monitoring alert policy severities for ours. */
const policySeverity: Record<Severity, string> = {
  critical: "CRITICAL",
  high: "ERROR",
  medium: "WARNING",
  low: "WARNING",
};

/** The uptime check metric: one boolean point per checker location and run. */
export const uptimeMetric = "monitoring.googleapis.com/uptime_check/check_passed";

/**
 * GCP synthetic check:
 *
 * - a Cloud Monitoring uptime check of the endpoint (`uptime_url` resource: project and host) from the
 *   default checker regions, every `intervalMinutes` (60, 300, 600 or 900 s), HTTPS on 443 with the
 *   certificate validated and the expected status accepted;
 * - alert policies on `check_passed` of this check: degraded (more than one checker location failing,
 *   Google's recommended uptime alert) and down (fewer than 10% of the checks passing for 15 minutes).
 *   https://cloud.google.com/monitoring/uptime-checks/uptime-alerting-policies
 */
export function synthetics(
  name: string,
  ctx: SiteContext<"gcp">,
  inputs: SyntheticsBuildInputs<"gcp">,
): SyntheticsOutputs {
  const { settings, monitoring, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const project = ctx.site.project;
  const prefix = `${ctx.stack.environment}-${ctx.role}`;

  const check = new UptimeCheckConfig(
    `${name}-uptime-check`,
    {
      project,
      displayName: `${prefix} public endpoint`,
      period: `${settings.intervalMinutes * 60}s`,
      timeout: "10s",
      checkerType: "STATIC_IP_CHECKERS",
      monitoredResource: { type: "uptime_url", labels: { project_id: project, host: settings.host } },
      httpCheck: {
        requestMethod: "GET",
        path: settings.path,
        port: 443,
        useSsl: true,
        validateSsl: true,
        acceptedResponseStatusCodes: [{ statusValue: settings.expectedStatus }],
      },
    },
    opts,
  );
  const filter = pulumi.interpolate`metric.type = "${uptimeMetric}" AND resource.type = "uptime_url" AND metric.labels.check_id = "${check.uptimeCheckId}"`;

  const policy = (
    purpose: string,
    severity: Severity,
    title: string,
    condition: { aligner: string; reducer: string; comparison: string; threshold: number; duration: string },
  ) =>
    new AlertPolicy(
      `${name}-${purpose}-alert`,
      {
        project,
        displayName: `${prefix}: ${title}`,
        severity: policySeverity[severity],
        combiner: "OR",
        enabled: true,
        conditions: [
          {
            displayName: title,
            conditionThreshold: {
              filter,
              comparison: condition.comparison,
              thresholdValue: condition.threshold,
              duration: condition.duration,
              aggregations: [
                {
                  alignmentPeriod: "1200s",
                  perSeriesAligner: condition.aligner,
                  crossSeriesReducer: condition.reducer,
                  groupByFields: ["resource.label.*"],
                },
              ],
            },
          },
        ],
        alertStrategy: { autoClose: "1800s" },
        notificationChannels: monitoring.alertTargets[severity],
        documentation: {
          mimeType: "text/markdown",
          content: `[${severity}] ${title}: ${settings.url}`,
        },
      },
      opts,
    );
  const degraded = policy(
    "degraded",
    settings.degradedSeverity,
    "Synthetic check failing from more than one location",
    {
      aligner: "ALIGN_NEXT_OLDER",
      reducer: "REDUCE_COUNT_FALSE",
      comparison: "COMPARISON_GT",
      threshold: 1,
      duration: "300s",
    },
  );
  const down = policy("down", settings.downSeverity, "Public endpoint down from every location", {
    aligner: "ALIGN_FRACTION_TRUE",
    reducer: "REDUCE_MEAN",
    comparison: "COMPARISON_LT",
    threshold: 0.1,
    duration: "900s",
  });

  monitoring.dashboard.add({
    cloud: "gcp",
    section: "availability",
    title: "Synthetic checks passing",
    unit: "Ratio",
    thresholds: { warning: 1, critical: 0.1, direction: "below" },
    metric: {
      metricType: uptimeMetric,
      resourceType: "uptime_url",
      resourceLabels: { host: settings.host },
      aligner: "ALIGN_FRACTION_TRUE",
    },
  });
  monitoring.dashboard.add({
    cloud: "gcp",
    section: "availability",
    title: "Synthetic check latency",
    unit: "Milliseconds",
    metric: {
      metricType: "monitoring.googleapis.com/uptime_check/request_latency",
      resourceType: "uptime_url",
      resourceLabels: { host: settings.host },
      aligner: "ALIGN_MEAN",
    },
  });

  return { checkId: check.uptimeCheckId, alertIds: [degraded.name, down.name] };
}
