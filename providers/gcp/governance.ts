import * as pulumi from "@pulumi/pulumi";
import { Budget } from "@pulumi/gcp/billing/budget";
import { getProjectOutput } from "@pulumi/gcp/organizations/getProject";
import { IAMAuditConfig } from "@pulumi/gcp/projects/iamauditConfig";
import type { SiteContext } from "../../components/context";
import type { GovernanceBuildInputs, GovernanceOutputs } from "../../components/governance";
import { fitName } from "../../components/naming";

/** The GCP threat-detection limit, stated where the plan shows it (README "Threat detection"). */
export const gcpThreatDetectionNote =
  "Security Command Center is activated for an organization (or, for a project, in the console's " +
  "project-level activation flow); pulumi-gcp 9.37 has no resource that activates it, and its " +
  "notification configs (securitycenter.ProjectNotificationConfig) fail unless SCC is active. " +
  "An organization administrator activates SCC Standard or Premium: " +
  "https://cloud.google.com/security-command-center/docs/activate-scc-overview";

/** A billing budget notifies at most this many Cloud Monitoring channels (AllUpdatesRule). */
export const budgetChannelLimit = 5;

/**
 * GCP governance:
 *
 * - Data Access audit logs (ADMIN_READ, DATA_READ, DATA_WRITE) for every service of the project
 *   (`allServices`: Cloud SQL, Cloud Storage, Memorystore, Cloud KMS and whatever comes next). Admin
 *   Activity logs are always on. The site's log sink (providers/gcp/monitoring.ts) routes every
 *   `cloudaudit.googleapis.com` entry to the site's CMEK log bucket, kept the site's log retention (365
 *   days in production, all of it immediately queryable), and excludes them from `_Default`;
 * - threat detection: Security Command Center cannot be activated from a project's program (see
 *   `gcpThreatDetectionNote`); nothing is created, and the note is part of the outputs;
 * - a billing budget on the billing account the stack names, filtered to the site's project, with
 *   threshold rules on current and forecast spend, notifying the site's Cloud Monitoring channels of the
 *   findings severity (at most 5) besides the billing account's administrators.
 */
export function governance(
  name: string,
  ctx: SiteContext<"gcp">,
  inputs: GovernanceBuildInputs<"gcp">,
): GovernanceOutputs {
  const { settings, monitoring, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const project = ctx.site.project;

  const audit = new IAMAuditConfig(
    `${name}-data-access-audit`,
    {
      project,
      service: "allServices",
      auditLogConfigs: [{ logType: "ADMIN_READ" }, { logType: "DATA_READ" }, { logType: "DATA_WRITE" }],
    },
    opts,
  );

  let budgetId: pulumi.Output<string> | undefined;
  const budget = settings.budget;
  if (budget !== undefined && budget.gcpBillingAccount !== undefined) {
    const projectNumber = getProjectOutput({ projectId: project }, { parent }).number;
    const units = Math.floor(budget.amount);
    const gcpBudget = new Budget(
      `${name}-budget`,
      {
        billingAccount: budget.gcpBillingAccount,
        displayName: fitName("gcpBudget", [ctx.stack.environment, ctx.role, "monthly"]),
        budgetFilter: {
          projects: [pulumi.interpolate`projects/${projectNumber}`],
          calendarPeriod: "MONTH",
          creditTypesTreatment: "INCLUDE_ALL_CREDITS",
        },
        amount: {
          specifiedAmount: {
            currencyCode: budget.currency,
            units: String(units),
            nanos: Math.round((budget.amount - units) * 1e9),
          },
        },
        thresholdRules: [
          ...budget.actualThresholds.map((t) => ({ thresholdPercent: t / 100, spendBasis: "CURRENT_SPEND" })),
          ...budget.forecastThresholds.map((t) => ({
            thresholdPercent: t / 100,
            spendBasis: "FORECASTED_SPEND",
          })),
        ],
        allUpdatesRule: {
          monitoringNotificationChannels: monitoring.alertTargets[settings.findingsSeverity].apply((ids) =>
            ids.slice(0, budgetChannelLimit),
          ),
          disableDefaultIamRecipients: false,
        },
      },
      opts,
    );
    budgetId = gcpBudget.id;
  }

  return {
    auditTrailId: audit.id,
    auditDestination: monitoring.logSinkId,
    threatDetectionIds: pulumi.output([]),
    threatDetectionNote: gcpThreatDetectionNote,
    budgetId,
  };
}
