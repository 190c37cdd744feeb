/**
 * The site's synthetic check of the stack's public endpoint (`platform:synthetics`), run by the site's
 * cloud from outside the platform, with two alerts routed by severity:
 *
 * - degraded: a check run (or a probe location) failed within the last 15 minutes (high, or critical
 *   where no contact receives high alerts);
 * - down: every run / location failed for 15 minutes (critical).
 *
 * AWS: a CloudWatch Synthetics canary (a Node.js HTTP check on a pinned Playwright runtime, artifacts in a
 * bucket encrypted with the site key) and alarms on `CloudWatchSynthetics` `SuccessPercent`. Azure: an
 * Application Insights component on the site's workspace with a standard web test and metric alerts on
 * its failed locations. GCP: a Cloud Monitoring uptime check and alert policies on `check_passed`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Severity, StackConfig } from "./config";
import type { Cloud } from "./regions";
import type { SiteContext } from "./context";
import type { KeyHandles, SiteKeys } from "./keys";
import type { MonitoringOutputs } from "./monitoring";
import { severitiesFrom } from "./monitoring";
import type { StorageOutputs } from "./storage";
import { implementationFor } from "../providers";

/** The settings an implementation receives. */
export interface ResolvedSyntheticsSettings {
  /** The endpoint checked (https). */
  readonly url: string;
  /** Its host name and path (with query). */
  readonly host: string;
  readonly path: string;
  /** Minutes between runs. */
  readonly intervalMinutes: 5 | 10 | 15;
  /** The status a healthy endpoint answers. */
  readonly expectedStatus: number;
  /** Severity of "some runs or locations failed". */
  readonly degradedSeverity: Severity;
  /** Severity of "every run and location failed". */
  readonly downSeverity: Severity;
}

/** A problem with the synthetics settings. */
export class SyntheticsArgsError extends Error {
  constructor(message: string) {
    super(`Synthetics: ${message}`);
    this.name = "SyntheticsArgsError";
  }
}

/** Resolves the stack's `synthetics` setting (pure; unit-tested); undefined when the stack sets none. */
export function resolveSyntheticsSettings(
  stack: Pick<StackConfig, "alertContacts" | "synthetics">,
): ResolvedSyntheticsSettings | undefined {
  const s = stack.synthetics;
  if (s === undefined) return undefined;
  const url = new URL(s.url);
  if (url.protocol !== "https:") throw new SyntheticsArgsError(`url must be https, got '${s.url}'`);
  const routed = new Set(stack.alertContacts.flatMap((c) => severitiesFrom(c.minSeverity)));
  return {
    url: s.url,
    host: url.hostname,
    path: `${url.pathname}${url.search}`,
    intervalMinutes: s.intervalMinutes,
    expectedStatus: s.expectedStatus,
    degradedSeverity: routed.has("high") ? "high" : "critical",
    downSeverity: "critical",
  };
}

/** What a cloud implementation of the synthetic check receives. */
export interface SyntheticsBuildInputs<C extends Cloud> {
  readonly settings: ResolvedSyntheticsSettings;
  readonly keys: KeyHandles[C];
  /** Alert routing, the log sink, and the dashboard the check's panel is added to. */
  readonly monitoring: MonitoringOutputs;
  /** The site's object store (AWS: its access-log bucket receives the artifact bucket's logs). */
  readonly storage: StorageOutputs;
  readonly parent: pulumi.ComponentResource;
}

/** What the synthetic check offers. */
export interface SyntheticsOutputs {
  /** The canary name, web test id, or uptime check id. */
  readonly checkId: pulumi.Output<string>;
  /** The alarm / alert rule / alert policy ids (degraded, down). */
  readonly alertIds: pulumi.Output<string>[];
}

/** The site's synthetic check of the public endpoint. */
export class Synthetics<C extends Cloud = Cloud>
  extends pulumi.ComponentResource
  implements SyntheticsOutputs
{
  public readonly checkId: pulumi.Output<string>;
  public readonly alertIds: pulumi.Output<string>[];

  constructor(
    name: string,
    ctx: SiteContext<C>,
    args: {
      readonly settings: ResolvedSyntheticsSettings;
      readonly keys: SiteKeys<C>;
      readonly monitoring: MonitoringOutputs;
      readonly storage: StorageOutputs;
    },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("platform:monitoring:Synthetics", name, {}, opts);
    const out = implementationFor(ctx).synthetics(name, ctx, {
      settings: args.settings,
      keys: args.keys.handles,
      monitoring: args.monitoring,
      storage: args.storage,
      parent: this,
    });
    this.checkId = out.checkId;
    this.alertIds = out.alertIds;
    this.registerOutputs({ checkId: this.checkId, alertIds: this.alertIds });
  }
}
