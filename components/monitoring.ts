/**
 * The site's monitoring: one place logs are aggregated (a CloudWatch log group, a Log Analytics
 * workspace, a Cloud Logging bucket), and alert routing by severity with escalation:
 *
 * - every severity (critical, high, medium, low) that at least one alert contact receives gets a
 *   notification target (an SNS topic, an action group, a set of notification channels);
 * - a contact receives every severity at or above its `minSeverity` (a `high` contact gets high and
 *   critical alerts), so more severe alerts reach more people: that is the escalation ladder;
 * - a few real alarms on each cloud, some with an escalation step (a condition that persists is raised
 *   from high to critical).
 *
 * Other components (storage, database) send their logs to {@link MonitoringOutputs.logSinkId} and
 * their alarms to {@link MonitoringOutputs.alertTargets}.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Severity, StackConfig } from "./config";
import { severities } from "./config";
import type { Cloud } from "./regions";
import type { SiteContext } from "./context";
import type { KeyHandles, SiteKeys } from "./keys";
import { DashboardModel } from "./dashboard-model";
export { pagerDutyIntegrationUrl } from "./alert-routing";
import { implementationFor } from "../providers";

/** What a user may tune; every field has a compliant default. */
export interface MonitoringArgs<C extends Cloud = Cloud> {
  /** The site's keys: logs and alert messages are encrypted with the site's key where the cloud allows. */
  readonly keys: SiteKeys<C>;
  /**
   * Days logs are kept (default: 365 in production, 90 elsewhere; at least 365 in production): a value
   * the site's cloud accepts ({@link logRetentionLimits}; {@link logRetentionChoices} fit every cloud).
   */
  readonly logRetentionDays?: number;
}

/** One person or team that receives alerts, and which severities. */
export interface AlertRecipient {
  /** Display name. */
  readonly name: string;
  /** Email address alerts are sent to. */
  readonly email: string;
  /** Severities this recipient receives (its `minSeverity` and everything more severe). */
  readonly severities: readonly Severity[];
  /** An HTTPS endpoint that receives the same alerts, if the contact has one. */
  readonly webhook?: string;
}

/** The on-call service paged for the most severe alerts (`platform:onCall`). */
export interface OnCallRouting {
  readonly service: "pagerduty";
  /** Severities that page (`minSeverity` and everything more severe). */
  readonly severities: readonly Severity[];
  /** The integration key, a Pulumi secret (never in clear in the state or the plan). */
  readonly integrationKey: pulumi.Output<string>;
}

/** The settings an implementation receives: every default resolved and validated. */
export interface ResolvedMonitoringSettings {
  /** Days logs are kept: a value the site's cloud accepts (see {@link logRetentionLimits}). */
  readonly logRetentionDays: number;
  /** Who receives which severities. */
  readonly recipients: readonly AlertRecipient[];
  /** Severities that have at least one recipient, most severe first: each gets a notification target. */
  readonly routedSeverities: readonly Severity[];
  /** The on-call service, when the stack configures one. */
  readonly onCall: OnCallRouting | undefined;
}

/** What monitoring offers the other components of the site. */
export interface MonitoringOutputs {
  /** Where logs are aggregated: log group ARN, Log Analytics workspace id, or Cloud Logging bucket id. */
  readonly logSinkId: pulumi.Output<string>;
  /** Days logs are kept. */
  readonly logRetentionDays: number;
  /**
   * Notification targets per severity (SNS topic ARNs, action group ids, notification channel ids);
   * an empty list for a severity nobody receives.
   */
  readonly alertTargets: Readonly<Record<Severity, pulumi.Output<string[]>>>;
  /**
   * The site's dashboard model: each component adds the panels of the resources it builds
   * (components/dashboard.ts); the site renders it last.
   */
  readonly dashboard: DashboardModel;
}

/** What a cloud implementation of monitoring returns (the component adds the dashboard model). */
export type MonitoringImplOutputs = Omit<MonitoringOutputs, "dashboard">;

/** What a cloud implementation of monitoring receives. */
export interface MonitoringBuildInputs<C extends Cloud> {
  /** Resolved settings. */
  readonly settings: ResolvedMonitoringSettings;
  /** The site's key handles on this cloud. */
  readonly keys: KeyHandles[C];
  /** The site's dashboard model (monitoring adds its own panels: alert delivery). */
  readonly dashboard: DashboardModel;
  /** The Monitoring component: parent of every resource the implementation creates. */
  readonly parent: pulumi.ComponentResource;
}

/**
 * Retention values every cloud accepts (CloudWatch Logs takes only a fixed list; Log Analytics 30-730
 * days of interactive retention; Cloud Logging 1-3650): portable across cloud pairs.
 */
export const logRetentionChoices = [30, 60, 90, 120, 150, 180, 365, 400, 545] as const;

/** CloudWatch Logs retention periods of at least 30 days (PutRetentionPolicy `retentionInDays`). */
const cloudWatchChoices = [
  30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** What each cloud's log store accepts as retention (at least 30 days here), with the source. */
export const logRetentionLimits: Readonly<
  Record<
    Cloud,
    { readonly accepts: (days: number) => boolean; readonly expected: string; readonly source: string }
  >
> = {
  aws: {
    accepts: (d) => (cloudWatchChoices as readonly number[]).includes(d),
    expected: `one of CloudWatch Logs' retention periods (${cloudWatchChoices.join(", ")})`,
    source:
      "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
  },
  azure: {
    accepts: (d) => Number.isInteger(d) && d >= 30 && d <= 730,
    expected: "a whole number of days from 30 to 730 (a Log Analytics workspace keeps at most 730)",
    source: "https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure",
  },
  gcp: {
    accepts: (d) => Number.isInteger(d) && d >= 30 && d <= 3650,
    expected: "a whole number of days from 30 to 3650 (a Cloud Logging bucket keeps at most 3650)",
    source: "https://cloud.google.com/logging/docs/buckets#custom-retention",
  },
};

/** A problem with monitoring arguments. */
export class MonitoringArgsError extends Error {
  constructor(message: string) {
    super(`Monitoring: ${message}`);
    this.name = "MonitoringArgsError";
  }
}

/** Severity rank: 0 is the most severe. */
export function severityRank(severity: Severity): number {
  return severities.indexOf(severity);
}

/** The severities a contact with `minSeverity` receives, most severe first. */
export function severitiesFrom(minSeverity: Severity): Severity[] {
  return severities.filter((s) => severityRank(s) <= severityRank(minSeverity));
}

/**
 * Resolves defaults and routing (pure; unit-tested). With `cloud`, retention is checked against what
 * that cloud's log store accepts; without, against the values every cloud accepts.
 */
export function resolveMonitoringSettings(
  args: { readonly logRetentionDays?: number },
  stack: Pick<StackConfig, "alertContacts" | "production"> & Partial<Pick<StackConfig, "onCall">>,
  cloud?: Cloud,
): ResolvedMonitoringSettings {
  const logRetentionDays = args.logRetentionDays ?? (stack.production ? 365 : 90);
  if (cloud !== undefined) {
    const limit = logRetentionLimits[cloud];
    if (!limit.accepts(logRetentionDays)) {
      throw new MonitoringArgsError(
        `logRetentionDays must be ${limit.expected} on ${cloud}, got ${logRetentionDays}`,
      );
    }
  } else if (!(logRetentionChoices as readonly number[]).includes(logRetentionDays)) {
    throw new MonitoringArgsError(
      `logRetentionDays must be one of ${logRetentionChoices.join(", ")}, got ${logRetentionDays}`,
    );
  }
  if (stack.production && logRetentionDays < 365) {
    throw new MonitoringArgsError(
      `logRetentionDays (${logRetentionDays}) must be at least 365 in production`,
    );
  }
  const recipients = stack.alertContacts.map((c) => ({
    name: c.name,
    email: c.email,
    severities: severitiesFrom(c.minSeverity),
    ...(c.webhook !== undefined ? { webhook: c.webhook } : {}),
  }));
  const onCall: OnCallRouting | undefined = stack.onCall
    ? {
        service: stack.onCall.service,
        severities: severitiesFrom(stack.onCall.minSeverity),
        integrationKey: pulumi.secret(stack.onCall.integrationKey),
      }
    : undefined;
  const routedSeverities = severities.filter(
    (s) => recipients.some((r) => r.severities.includes(s)) || onCall?.severities.includes(s),
  );
  return { logRetentionDays, recipients, routedSeverities, onCall };
}

/** The site's log aggregation and alert routing, built by the site's cloud implementation. */
export class Monitoring<C extends Cloud = Cloud>
  extends pulumi.ComponentResource
  implements MonitoringOutputs
{
  public readonly logSinkId: pulumi.Output<string>;
  public readonly logRetentionDays: number;
  public readonly alertTargets: Readonly<Record<Severity, pulumi.Output<string[]>>>;
  public readonly dashboard: DashboardModel;

  constructor(
    name: string,
    ctx: SiteContext<C>,
    args: MonitoringArgs<C>,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    // Validate before registering anything: a bad argument creates no resource.
    const settings = resolveMonitoringSettings(args, ctx.stack, ctx.cloud);
    super("platform:monitoring:Monitoring", name, {}, opts);
    const dashboard = new DashboardModel(ctx.cloud);
    const out = implementationFor(ctx).monitoring(name, ctx, {
      settings,
      keys: args.keys.handles,
      dashboard,
      parent: this,
    });
    this.logSinkId = out.logSinkId;
    this.logRetentionDays = out.logRetentionDays;
    this.alertTargets = out.alertTargets;
    this.dashboard = dashboard;
    this.registerOutputs({
      logSinkId: this.logSinkId,
      logRetentionDays: this.logRetentionDays,
      alertTargets: this.alertTargets,
    });
  }
}
