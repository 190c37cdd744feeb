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
import { implementationFor } from "../providers";

/** What a user may tune; every field has a compliant default. */
export interface MonitoringArgs<C extends Cloud = Cloud> {
  /** The site's keys: logs and alert messages are encrypted with the site's key where the cloud allows. */
  readonly keys: SiteKeys<C>;
  /** Days logs are kept (default: 365 in production, 90 elsewhere; at least 365 in production). */
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
}

/** The settings an implementation receives: every default resolved and validated. */
export interface ResolvedMonitoringSettings {
  /** Days logs are kept: one of {@link logRetentionChoices}. */
  readonly logRetentionDays: number;
  /** Who receives which severities. */
  readonly recipients: readonly AlertRecipient[];
  /** Severities that have at least one recipient, most severe first: each gets a notification target. */
  readonly routedSeverities: readonly Severity[];
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
}

/** What a cloud implementation of monitoring receives. */
export interface MonitoringBuildInputs<C extends Cloud> {
  /** Resolved settings. */
  readonly settings: ResolvedMonitoringSettings;
  /** The site's key handles on this cloud. */
  readonly keys: KeyHandles[C];
  /** The Monitoring component: parent of every resource the implementation creates. */
  readonly parent: pulumi.ComponentResource;
}

/**
 * Retention values every cloud accepts (CloudWatch Logs takes only a fixed list; Log Analytics 30-730
 * days of interactive retention; Cloud Logging 1-3650).
 */
export const logRetentionChoices = [30, 60, 90, 120, 150, 180, 365, 400, 545, 731] as const;

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

/** Resolves defaults and routing (pure; unit-tested). */
export function resolveMonitoringSettings(
  args: { readonly logRetentionDays?: number },
  stack: Pick<StackConfig, "alertContacts" | "production">,
): ResolvedMonitoringSettings {
  const logRetentionDays = args.logRetentionDays ?? (stack.production ? 365 : 90);
  if (!(logRetentionChoices as readonly number[]).includes(logRetentionDays)) {
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
  }));
  const routedSeverities = severities.filter((s) => recipients.some((r) => r.severities.includes(s)));
  return { logRetentionDays, recipients, routedSeverities };
}

/** The site's log aggregation and alert routing, built by the site's cloud implementation. */
export class Monitoring<C extends Cloud = Cloud>
  extends pulumi.ComponentResource
  implements MonitoringOutputs
{
  public readonly logSinkId: pulumi.Output<string>;
  public readonly logRetentionDays: number;
  public readonly alertTargets: Readonly<Record<Severity, pulumi.Output<string[]>>>;

  constructor(
    name: string,
    ctx: SiteContext<C>,
    args: MonitoringArgs<C>,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    // Validate before registering anything: a bad argument creates no resource.
    const settings = resolveMonitoringSettings(args, ctx.stack);
    super("platform:monitoring:Monitoring", name, {}, opts);
    const out = implementationFor(ctx).monitoring(name, ctx, {
      settings,
      keys: args.keys.handles,
      parent: this,
    });
    this.logSinkId = out.logSinkId;
    this.logRetentionDays = out.logRetentionDays;
    this.alertTargets = out.alertTargets;
    this.registerOutputs({
      logSinkId: this.logSinkId,
      logRetentionDays: this.logRetentionDays,
      alertTargets: this.alertTargets,
    });
  }
}
