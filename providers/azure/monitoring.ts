import * as pulumi from "@pulumi/pulumi";
import { ActionGroup } from "@pulumi/azure-native/monitor/actionGroup";
import { ActivityLogAlert } from "@pulumi/azure-native/monitor/activityLogAlert";
import { DiagnosticSetting } from "@pulumi/azure-native/monitor/diagnosticSetting";
import { MetricAlert } from "@pulumi/azure-native/monitor/metricAlert";
import { Workspace } from "@pulumi/azure-native/operationalinsights/workspace";
import type { Severity } from "../../components/config";
import { severities } from "../../components/config";
import { fitName, uniqueName } from "../../components/naming";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type {
  MonitoringBuildInputs,
  MonitoringImplOutputs,
  MonitoringOutputs,
} from "../../components/monitoring";
import { pagerDutyIntegrationUrl } from "../../components/alert-routing";
import { resourceGroupFor } from "./resource-group";

/**
 * Azure monitoring:
 *
 * - a Log Analytics workspace (PerGB2018, retention per settings, local/shared-key auth disabled,
 *   resource-context access only). Customer-managed keys for Log Analytics need a dedicated cluster
 *   (100 GB/day commitment tier), so the workspace uses Microsoft-managed keys; the README documents the
 *   cluster upgrade path;
 * - the Key Vault's audit logs (every key use) sent to the workspace;
 * - one action group per routed severity with an email receiver per recipient, a webhook receiver per
 *   recipient webhook and, for the severities the on-call service receives, a webhook receiver to
 *   PagerDuty's integration URL (a secret);
 * - activity log alerts: a Key Vault deletion (critical) and Service Health incidents (high).
 */
export function monitoring(
  name: string,
  ctx: SiteContext<"azure">,
  inputs: MonitoringBuildInputs<"azure">,
): MonitoringImplOutputs {
  const { settings, keys, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const rg = resourceGroupFor(ctx, parent);
  const env = ctx.stack.environment;
  const prefix = `${env}-${ctx.role}`;
  /** Severity in the 12-character action group short name. */
  const shortSeverity: Record<Severity, string> = {
    critical: "crit",
    high: "high",
    medium: "med",
    low: "low",
  };

  const workspace = new Workspace(
    `${name}-workspace`,
    {
      resourceGroupName: rg.name,
      location: ctx.site.region,
      workspaceName: uniqueName("azureLogAnalytics", ["log", prefix], ctx.uniqueSuffix),
      sku: { name: "PerGB2018" },
      retentionInDays: settings.logRetentionDays,
      features: { disableLocalAuth: true, enableLogAccessUsingOnlyResourcePermissions: true },
      publicNetworkAccessForIngestion: "Enabled",
      publicNetworkAccessForQuery: "Enabled",
    },
    statefulOptions(ctx, opts),
  );

  new DiagnosticSetting(
    `${name}-key-vault-audit`,
    {
      name: "key-vault-audit",
      resourceUri: keys.vaultId,
      workspaceId: workspace.id,
      logAnalyticsDestinationType: "Dedicated",
      logs: [{ categoryGroup: "audit", enabled: true }],
      metrics: [{ category: "AllMetrics", enabled: true }],
    },
    opts,
  );

  const groups = new Map<Severity, ActionGroup>();
  for (const severity of settings.routedSeverities) {
    groups.set(
      severity,
      new ActionGroup(
        `${name}-${severity}`,
        {
          resourceGroupName: rg.name,
          location: "Global",
          actionGroupName: fitName("azureName", ["ag", env, ctx.role, severity]),
          // At most 12 characters: e.g. `prosec-crit`.
          groupShortName: fitName("azureActionGroupShortName", [
            `${env.slice(0, 3)}${ctx.role.slice(0, 3)}`,
            shortSeverity[severity],
          ]),
          enabled: true,
          emailReceivers: settings.recipients
            .filter((r) => r.severities.includes(severity))
            .map((r) => ({ name: r.name, emailAddress: r.email, useCommonAlertSchema: true })),
          webhookReceivers: [
            ...settings.recipients
              .filter((r) => r.severities.includes(severity) && r.webhook !== undefined)
              .map((r) => ({
                name: `${r.name} webhook`,
                serviceUri: r.webhook as string,
                useCommonAlertSchema: true,
              })),
            // PagerDuty's Azure Monitor integration: a webhook to the integration URL (secret).
            ...(settings.onCall?.severities.includes(severity)
              ? [
                  {
                    name: settings.onCall.service,
                    serviceUri: pagerDutyIntegrationUrl(settings.onCall.integrationKey),
                    useCommonAlertSchema: true,
                  },
                ]
              : []),
          ],
        },
        opts,
      ),
    );
  }
  const targets = (severity: Severity): pulumi.Output<string[]> => {
    const group = groups.get(severity);
    return group ? group.id.apply((id) => [id]) : pulumi.output([]);
  };
  const alertTargets = Object.fromEntries(severities.map((s) => [s, targets(s)])) as Record<
    Severity,
    pulumi.Output<string[]>
  >;
  const actions = (severity: Severity) => ({
    actionGroups: alertTargets[severity].apply((ids) => ids.map((actionGroupId) => ({ actionGroupId }))),
  });
  const subscription = `/subscriptions/${ctx.site.subscriptionId}`;

  new ActivityLogAlert(
    `${name}-key-vault-deleted`,
    {
      resourceGroupName: rg.name,
      location: "Global",
      activityLogAlertName: fitName("azureName", [env, ctx.role, "key-vault-deleted"]),
      description: "[critical] A Key Vault of the subscription was deleted",
      enabled: true,
      scopes: [subscription],
      condition: {
        allOf: [
          { field: "category", equals: "Administrative" },
          { field: "operationName", equals: "Microsoft.KeyVault/vaults/delete" },
        ],
      },
      actions: actions("critical"),
    },
    opts,
  );
  new ActivityLogAlert(
    `${name}-service-health`,
    {
      resourceGroupName: rg.name,
      location: "Global",
      activityLogAlertName: fitName("azureName", [env, ctx.role, "service-health"]),
      description: "[high] Azure Service Health incident affecting the subscription",
      enabled: true,
      scopes: [subscription],
      condition: {
        allOf: [
          { field: "category", equals: "ServiceHealth" },
          { field: "properties.incidentType", equals: "Incident" },
        ],
      },
      actions: actions("high"),
    },
    opts,
  );

  return { logSinkId: workspace.id, logRetentionDays: settings.logRetentionDays, alertTargets };
}

/** Azure Monitor alert severities (0 = critical … 3 = low) for the platform's severities. */
const azureSeverity: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** A static-threshold alert on one metric of one resource, routed to the site's targets of its severity. */
export interface MetricAlertArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  /** The alert rule's Azure name (build it with `fitName("azureName", …)`). */
  readonly ruleName: string;
  /** What the alert means; the description is prefixed with `[<severity>]`. */
  readonly description: string;
  readonly severity: Severity;
  /** The resource whose metric is read. */
  readonly scope: pulumi.Input<string>;
  readonly metricName: string;
  /** Fires when the aggregated value is greater than this. */
  readonly threshold: number;
  readonly timeAggregation: "Average" | "Maximum" | "Total";
  /** How often the rule runs (ISO 8601); default `PT5M`. */
  readonly evaluationFrequency?: string;
  /** The window aggregated at each run (ISO 8601); default `PT15M`. */
  readonly windowSize?: string;
  /** Only the metric's time series with these dimension values (e.g. AKS node condition `Ready`). */
  readonly dimensions?: readonly { readonly name: string; readonly values: readonly string[] }[];
}

export function metricAlert(
  name: string,
  args: MetricAlertArgs,
  alertTargets: MonitoringOutputs["alertTargets"],
  opts: pulumi.CustomResourceOptions,
): MetricAlert {
  const { metricName } = args;
  return new MetricAlert(
    name,
    {
      resourceGroupName: args.resourceGroupName,
      location: "global",
      ruleName: args.ruleName,
      description: `[${args.severity}] ${args.description}`,
      severity: azureSeverity[args.severity],
      enabled: true,
      scopes: [args.scope],
      evaluationFrequency: args.evaluationFrequency ?? "PT5M",
      windowSize: args.windowSize ?? "PT15M",
      autoMitigate: true,
      criteria: {
        odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
        allOf: [
          {
            criterionType: "StaticThresholdCriterion",
            name: metricName,
            metricName,
            operator: "GreaterThan",
            threshold: args.threshold,
            timeAggregation: args.timeAggregation,
            ...(args.dimensions
              ? {
                  dimensions: args.dimensions.map((d) => ({
                    name: d.name,
                    operator: "Include",
                    values: [...d.values],
                  })),
                }
              : {}),
          },
        ],
      },
      actions: alertTargets[args.severity].apply((ids) => ids.map((actionGroupId) => ({ actionGroupId }))),
    },
    opts,
  );
}
