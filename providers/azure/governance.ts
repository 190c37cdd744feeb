import * as pulumi from "@pulumi/pulumi";
import { Budget } from "@pulumi/azure-native/consumption/budget";
import { ActivityLogAlert } from "@pulumi/azure-native/monitor/activityLogAlert";
import { SubscriptionDiagnosticSetting } from "@pulumi/azure-native/monitor/subscriptionDiagnosticSetting";
import { Automation } from "@pulumi/azure-native/security/automation";
import { Pricing } from "@pulumi/azure-native/security/pricing";
import { SecurityContact } from "@pulumi/azure-native/security/securityContact";
import type { Severity } from "../../components/config";
import { severities } from "../../components/config";
import type { SiteContext } from "../../components/context";
import type { GovernanceBuildInputs, GovernanceOutputs } from "../../components/governance";
import { fitName } from "../../components/naming";
import { resourceGroupFor } from "./resource-group";

/** Activity Log categories a subscription diagnostic setting exports (all of them). */
export const activityLogCategories = [
  "Administrative",
  "Security",
  "ServiceHealth",
  "Alert",
  "Recommendation",
  "Policy",
  "Autoscale",
  "ResourceHealth",
] as const;

/**
 * Defender for Cloud plans (pricing names) of what the site runs, with their sub-plans where the plan
 * has several ("Microsoft Defender for Cloud pricing" REST API:
 * https://learn.microsoft.com/rest/api/defenderforcloud/pricings/update).
 */
export const defenderPlans = {
  objectStorage: { pricingName: "StorageAccounts", subPlan: "DefenderForStorageV2" },
  database: { pricingName: "OpenSourceRelationalDatabases", subPlan: undefined },
  keyStore: { pricingName: "KeyVaults", subPlan: "PerKeyVault" },
  kubernetes: { pricingName: "Containers", subPlan: undefined },
} as const;

/**
 * Whether the site's governance enables Defender for Containers (`workloads.kubernetes`): components/site.ts
 * builds Governance with the default workloads, where it is off, so no stack enables it today. The AKS
 * cluster's Defender profile and the registry's trusted-services bypass (Defender's scanning of a
 * network-restricted registry) follow it (providers/azure/cluster.ts, registry.ts); change both together.
 */
export const defenderForContainersEnabled = false;

/** The first day of the current UTC month (ISO 8601), the start an Azure budget accepts. */
export function budgetStartDate(now: Date = new Date()): string {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return start.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Azure governance:
 *
 * - the subscription's Activity Log, every category, exported by a subscription diagnostic setting to the
 *   site's Log Analytics workspace (kept the workspace's retention, interactive: 365 days in production);
 * - Microsoft Defender for Cloud, Standard tier, for the services the site runs (Storage, open-source
 *   relational databases, Key Vault, and Resource Manager for the control plane), a security contact
 *   (the recipients of the findings severity, High alerts and up) and a workflow automation that exports
 *   High alerts to the workspace; Defender alerts are written to the Activity Log's Security category,
 *   and an activity log alert sends Critical and Error events of that category to the action group;
 * - a monthly consumption budget on the site's resource group with actual and forecast notifications to
 *   the action group (and the recipients' e-mail, which the API requires). Its start is the first day of
 *   the month of the first `pulumi up` and is then left alone (Azure refuses a past start outside the
 *   current month).
 *
 * Defender plans, the security contact and the diagnostic setting are per subscription: one stack per
 * subscription owns them (README "Governance").
 */
export function governance(
  name: string,
  ctx: SiteContext<"azure">,
  inputs: GovernanceBuildInputs<"azure">,
): GovernanceOutputs {
  const { settings, monitoring, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const rg = resourceGroupFor(ctx, parent);
  const env = ctx.stack.environment;
  const subscription = `/subscriptions/${ctx.site.subscriptionId}`;
  const recipients = ctx.stack.alertContacts
    .filter((c) => severityReaches(c.minSeverity, settings.findingsSeverity))
    .map((c) => c.email);

  const activityLog = new SubscriptionDiagnosticSetting(
    `${name}-activity-log`,
    {
      name: fitName("azureName", [env, ctx.role, "activity-log"]),
      workspaceId: monitoring.logSinkId,
      logs: activityLogCategories.map((category) => ({ category, enabled: true })),
    },
    opts,
  );

  const plans = [
    { pricingName: "Arm", subPlan: "PerSubscription" as string | undefined },
    ...(["objectStorage", "database", "keyStore", "kubernetes"] as const)
      .filter((w) => settings.workloads[w])
      .map((w) => defenderPlans[w]),
  ];
  const pricings = plans.map(
    (plan) =>
      new Pricing(
        `${name}-defender-${plan.pricingName.toLowerCase()}`,
        {
          scopeId: `subscriptions/${ctx.site.subscriptionId}`,
          pricingName: plan.pricingName,
          pricingTier: "Standard",
          ...(plan.subPlan === undefined ? {} : { subPlan: plan.subPlan }),
        },
        opts,
      ),
  );
  new SecurityContact(
    `${name}-security-contact`,
    {
      // The API accepts only `default`: one security contact per subscription.
      securityContactName: "default",
      emails: recipients.join(";"),
      isEnabled: true,
      notificationsByRole: { state: "On", roles: ["Owner"] },
      notificationsSources: [{ sourceType: "Alert", minimalSeverity: "High" }],
    },
    opts,
  );
  new Automation(
    `${name}-defender-export`,
    {
      resourceGroupName: rg.name,
      location: ctx.site.region,
      automationName: fitName("azureName", [env, ctx.role, "defender-alerts"]),
      description: "Exports Defender for Cloud High alerts to the site's Log Analytics workspace",
      isEnabled: true,
      scopes: [{ description: "The site's subscription", scopePath: subscription }],
      sources: [
        {
          eventSource: "Alerts",
          ruleSets: [
            {
              rules: [
                {
                  propertyJPath: "Severity",
                  propertyType: "String",
                  expectedValue: "High",
                  operator: "Equals",
                },
              ],
            },
          ],
        },
      ],
      actions: [{ actionType: "Workspace", workspaceResourceId: monitoring.logSinkId }],
    },
    opts,
  );
  new ActivityLogAlert(
    `${name}-security-alerts`,
    {
      resourceGroupName: rg.name,
      location: "Global",
      activityLogAlertName: fitName("azureName", [env, ctx.role, "security-alerts"]),
      description: `[${settings.findingsSeverity}] Microsoft Defender for Cloud security alert (Critical or Error) in the subscription`,
      enabled: true,
      scopes: [subscription],
      condition: {
        allOf: [
          { field: "category", equals: "Security" },
          {
            anyOf: [
              { field: "level", equals: "Critical" },
              { field: "level", equals: "Error" },
            ],
          },
        ],
      },
      actions: {
        actionGroups: monitoring.alertTargets[settings.findingsSeverity].apply((ids) =>
          ids.map((actionGroupId) => ({ actionGroupId })),
        ),
      },
    },
    opts,
  );

  let budgetId: pulumi.Output<string> | undefined;
  const budget = settings.budget;
  if (budget !== undefined) {
    const groups = monitoring.alertTargets[settings.findingsSeverity];
    const notification = (thresholdType: "Actual" | "Forecasted", threshold: number) => ({
      enabled: true,
      operator: "GreaterThan",
      threshold,
      thresholdType,
      contactEmails: recipients,
      contactGroups: groups,
      locale: "en-us",
    });
    const notifications = Object.fromEntries([
      ...budget.actualThresholds.map((t) => [`actual_${t}`.replace(/\./g, "_"), notification("Actual", t)]),
      ...budget.forecastThresholds.map((t) => [
        `forecast_${t}`.replace(/\./g, "_"),
        notification("Forecasted", t),
      ]),
    ]) as Record<string, ReturnType<typeof notification>>;
    const azureBudget = new Budget(
      `${name}-budget`,
      {
        scope: rg.id,
        budgetName: fitName("azureBudget", [env, ctx.role, "monthly"]),
        category: "Cost",
        amount: budget.amount,
        timeGrain: "Monthly",
        timePeriod: { startDate: budgetStartDate() },
        notifications,
      },
      // The start date is fixed at creation: a later run must not move it (Azure refuses a past start
      // outside the current month, and the budget tracks from its start).
      { ...opts, ignoreChanges: ["timePeriod"] },
    );
    budgetId = azureBudget.id;
  }

  return {
    auditTrailId: activityLog.id,
    auditDestination: monitoring.logSinkId,
    threatDetectionIds: pulumi.all(pricings.map((p) => p.id)),
    threatDetectionNote: undefined,
    budgetId,
  };
}

/** Whether a contact with `minSeverity` receives alerts of `severity`. */
function severityReaches(minSeverity: Severity, severity: Severity): boolean {
  return severities.indexOf(severity) <= severities.indexOf(minSeverity);
}
