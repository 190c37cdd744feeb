/**
 * The site's operations and governance: an audit trail of the cloud's control plane, threat detection
 * with findings routed to the alert targets, and a monthly budget with actual and forecast notifications.
 *
 * - Audit trail (PCI DSS 10.5.1: one year of history, the last three months immediately available):
 *   - AWS: a multi-region CloudTrail trail (management events with global service events, S3 data
 *     events on the site's data bucket, log file validation, encrypted with the site key) delivering to
 *     an S3 bucket with Object Lock (audit retention), versioning, server access logs, all public access
 *     blocked, kept {@link ResolvedGovernanceSettings.auditRetentionDays} in S3 Standard for the first
 *     {@link ResolvedGovernanceSettings.auditHotDays} and Glacier Instant Retrieval after (still
 *     readable in milliseconds), and to a CloudWatch Logs group kept the site's log retention;
 *   - Azure: the subscription's Activity Log (every category) exported by a subscription diagnostic
 *     setting to the site's Log Analytics workspace (interactive retention = the workspace's);
 *   - GCP: Data Access audit logs (ADMIN_READ, DATA_READ, DATA_WRITE) for all services of the project;
 *     the site's log sink already routes every `cloudaudit.googleapis.com` entry to the CMEK log bucket
 *     (retention = the bucket's).
 * - Threat detection: GuardDuty with the protection plans of what the site runs (S3 data events, RDS
 *   login events; EKS when the site runs a cluster), high-severity findings to the alert targets by an
 *   EventBridge rule; Microsoft Defender for Cloud Standard plans for the services in use with a security
 *   contact and a workflow automation into the action group; on GCP, Security Command Center needs an
 *   organization (providers/gcp/governance.ts `gcpThreatDetectionNote`, in the outputs).
 * - Budget: the stack's `budget` per site (AWS Budgets + Cost Anomaly Detection, Azure consumption
 *   budget on the site's resource group, GCP billing budget on the project).
 */
import * as pulumi from "@pulumi/pulumi";
import type { BudgetConfig, Severity, StackConfig } from "./config";
import { severities } from "./config";
import type { Cloud } from "./regions";
import type { SiteContext } from "./context";
import type { KeyHandles, SiteKeys } from "./keys";
import type { MonitoringOutputs } from "./monitoring";
import { severitiesFrom } from "./monitoring";
import type { StorageOutputs } from "./storage";
import { implementationFor } from "../providers";

/** PCI DSS v4.0 10.5.1: audit log history kept at least twelve months. */
export const auditRetentionDays = 365;
/** PCI DSS v4.0 10.5.1: at least the most recent three months immediately available for analysis. */
export const auditHotDays = 90;

/** What the site runs, so threat detection turns on the matching protection plans. */
export interface GovernanceWorkloads {
  /** Object storage (S3 Protection, Defender for Storage). */
  readonly objectStorage: boolean;
  /** Managed PostgreSQL (RDS Protection, Defender for open-source relational databases). */
  readonly database: boolean;
  /** A Kubernetes cluster (EKS Protection, Defender for Containers). */
  readonly kubernetes: boolean;
  /** A key store (Defender for Key Vault). */
  readonly keyStore: boolean;
}

/** The stack's budget for one site, resolved. */
export interface ResolvedBudget {
  readonly amount: number;
  readonly currency: string;
  readonly actualThresholds: readonly number[];
  readonly forecastThresholds: readonly number[];
  /** GCP only: the Cloud Billing account. */
  readonly gcpBillingAccount: string | undefined;
}

/** The settings an implementation receives: every default resolved and validated. */
export interface ResolvedGovernanceSettings {
  /** Days the audit trail is kept in total (PCI DSS: one year). */
  readonly auditRetentionDays: number;
  /** Days the audit trail stays immediately available (PCI DSS: three months). */
  readonly auditHotDays: number;
  /** What the site runs. */
  readonly workloads: GovernanceWorkloads;
  /**
   * The severity whose alert targets receive high-severity findings, budget and anomaly notifications:
   * `high` when a contact receives high alerts, else `critical` (every contact receives critical).
   */
  readonly findingsSeverity: Severity;
  /** The budget, undefined when the (non-production) stack sets none. */
  readonly budget: ResolvedBudget | undefined;
}

/** What a user may tune. */
export interface GovernanceArgs<C extends Cloud = Cloud> {
  /** The site's keys: the audit trail is encrypted with the site key. */
  readonly keys: SiteKeys<C>;
  /** Alert routing and the log sink the audit trail is sent to. */
  readonly monitoring: MonitoringOutputs;
  /** The site's object store: its data events are audited, its access-log bucket receives the trail bucket's. */
  readonly storage: StorageOutputs;
  /** What the site runs (default: object storage, database and key store; no cluster). */
  readonly workloads?: Partial<GovernanceWorkloads>;
}

/** What a cloud implementation of governance receives. */
export interface GovernanceBuildInputs<C extends Cloud> {
  readonly settings: ResolvedGovernanceSettings;
  readonly keys: KeyHandles[C];
  readonly monitoring: MonitoringOutputs;
  readonly storage: StorageOutputs;
  /** The Governance component: parent of every resource the implementation creates. */
  readonly parent: pulumi.ComponentResource;
}

/** What governance offers. */
export interface GovernanceOutputs {
  /** The audit trail: trail ARN, subscription diagnostic setting id, or the project's audit config id. */
  readonly auditTrailId: pulumi.Output<string>;
  /** Where the audit trail is kept: S3 bucket name, workspace id, log bucket id. */
  readonly auditDestination: pulumi.Output<string>;
  /** The threat detector (GuardDuty detector id, the Defender pricing ids); undefined where none exists. */
  readonly threatDetectionIds: pulumi.Output<string[]>;
  /** Why threat detection is partial on this cloud, if it is. */
  readonly threatDetectionNote: string | undefined;
  /** The budget's id; undefined when the stack sets no budget. */
  readonly budgetId: pulumi.Output<string> | undefined;
}

/** A problem with governance arguments. */
export class GovernanceArgsError extends Error {
  constructor(message: string) {
    super(`Governance: ${message}`);
    this.name = "GovernanceArgsError";
  }
}

/** Resolves defaults and rejects what a cloud cannot do (pure; unit-tested). */
export function resolveGovernanceSettings(
  stack: Pick<StackConfig, "alertContacts" | "budget">,
  cloud: Cloud,
  workloads: Partial<GovernanceWorkloads> = {},
): ResolvedGovernanceSettings {
  const routed = new Set(stack.alertContacts.flatMap((c) => severitiesFrom(c.minSeverity)));
  const findingsSeverity: Severity = routed.has("high") ? "high" : "critical";
  if (!routed.has(findingsSeverity)) {
    throw new GovernanceArgsError(`no alert contact receives ${severities.join(" or ")} alerts`);
  }
  let budget: ResolvedBudget | undefined;
  const b: BudgetConfig | undefined = stack.budget;
  if (b !== undefined) {
    if (cloud === "aws" && b.currency !== "USD") {
      // AWS Budgets: "the unit of measurement ... for COST budgets ... USD" (Spend.Unit).
      throw new GovernanceArgsError(
        `budget.currency must be USD on aws (AWS Budgets cost budgets are in USD: https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Spend.html), got '${b.currency}'`,
      );
    }
    if (cloud === "gcp" && b.gcpBillingAccount === undefined) {
      throw new GovernanceArgsError(
        "budget.gcpBillingAccount is required on gcp (a billing budget belongs to the billing account)",
      );
    }
    budget = {
      amount: b.amount,
      currency: b.currency,
      actualThresholds: [...b.actualThresholds].sort((x, y) => x - y),
      forecastThresholds: [...b.forecastThresholds].sort((x, y) => x - y),
      gcpBillingAccount: b.gcpBillingAccount,
    };
  }
  return {
    auditRetentionDays,
    auditHotDays,
    workloads: {
      objectStorage: workloads.objectStorage ?? true,
      database: workloads.database ?? true,
      kubernetes: workloads.kubernetes ?? false,
      keyStore: workloads.keyStore ?? true,
    },
    findingsSeverity,
    budget,
  };
}

/** The site's audit trail, threat detection and budget, built by the site's cloud implementation. */
export class Governance<C extends Cloud = Cloud>
  extends pulumi.ComponentResource
  implements GovernanceOutputs
{
  public readonly auditTrailId: pulumi.Output<string>;
  public readonly auditDestination: pulumi.Output<string>;
  public readonly threatDetectionIds: pulumi.Output<string[]>;
  public readonly threatDetectionNote: string | undefined;
  public readonly budgetId: pulumi.Output<string> | undefined;

  constructor(
    name: string,
    ctx: SiteContext<C>,
    args: GovernanceArgs<C>,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    const settings = resolveGovernanceSettings(ctx.stack, ctx.cloud, args.workloads);
    super("platform:governance:Governance", name, {}, opts);
    if (settings.budget === undefined) {
      void pulumi.log.warn(
        `${name}: the stack sets no budget (platform:budget): this site has no budget or cost alerts`,
        this,
      );
    }
    const out = implementationFor(ctx).governance(name, ctx, {
      settings,
      keys: args.keys.handles,
      monitoring: args.monitoring,
      storage: args.storage,
      parent: this,
    });
    this.auditTrailId = out.auditTrailId;
    this.auditDestination = out.auditDestination;
    this.threatDetectionIds = out.threatDetectionIds;
    this.threatDetectionNote = out.threatDetectionNote;
    this.budgetId = out.budgetId;
    this.registerOutputs({
      auditTrailId: this.auditTrailId,
      auditDestination: this.auditDestination,
      threatDetectionIds: this.threatDetectionIds,
      budgetId: this.budgetId,
    });
  }
}
