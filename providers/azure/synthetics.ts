import type * as pulumi from "@pulumi/pulumi";
import { Component } from "@pulumi/azure-native/applicationinsights/component";
import { WebTest } from "@pulumi/azure-native/applicationinsights/webTest";
import { MetricAlert } from "@pulumi/azure-native/monitor/metricAlert";
import type { Severity } from "../../components/config";
import type { SiteContext } from "../../components/context";
import { fitName } from "../../components/naming";
import type { SyntheticsBuildInputs, SyntheticsOutputs } from "../../components/synthetics";
import { resourceGroupFor } from "./resource-group";

/**
 * Probe locations of the web test (Application Insights availability test location ids): two in North
 * America, two in Europe, one in Asia. Azure recommends at least five locations and alerting on two or
 * more failing. https://learn.microsoft.com/azure/azure-monitor/app/availability#location-population-tags
 */
export const webTestLocations = [
  "us-va-ash-azr",
  "us-tx-sn1-azr",
  "emea-nl-ams-azr",
  "emea-gb-db3-azr",
  "apac-sg-sin-azr",
] as const;

/** Azure Monitor alert severities (0 = critical … 3 = low). */
const azureSeverity: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/**
 * Azure synthetic check:
 *
 * - a workspace-based Application Insights component on the site's Log Analytics workspace (local
 *   authentication disabled; availability results are stored in the workspace);
 * - a standard web test (kind `standard`) from {@link webTestLocations}: HTTPS GET, the expected status,
 *   TLS checked and the certificate valid for 7 more days, one retry; linked to the component by the
 *   `hidden-link:<component id>` tag the portal and the alert need;
 * - metric alerts on the web test's location availability: degraded (2 locations failing) and down
 *   (every location failing). https://learn.microsoft.com/azure/azure-monitor/app/availability-alerts
 */
export function synthetics(
  name: string,
  ctx: SiteContext<"azure">,
  inputs: SyntheticsBuildInputs<"azure">,
): SyntheticsOutputs {
  const { settings, monitoring, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const rg = resourceGroupFor(ctx, parent);
  const env = ctx.stack.environment;

  const component = new Component(
    `${name}-app-insights`,
    {
      resourceGroupName: rg.name,
      resourceName: fitName("azureName", ["appi", env, ctx.role, "synthetics"]),
      location: ctx.site.region,
      kind: "web",
      applicationType: "web",
      workspaceResourceId: monitoring.logSinkId,
      ingestionMode: "LogAnalytics",
      disableLocalAuth: true,
      // The availability probes run outside the network and report through public ingestion.
      publicNetworkAccessForIngestion: "Enabled",
      publicNetworkAccessForQuery: "Enabled",
    },
    opts,
  );
  const webTestName = fitName("azureName", [env, ctx.role, "uptime"]);
  const webTest = new WebTest(
    `${name}-web-test`,
    {
      resourceGroupName: rg.name,
      webTestName,
      syntheticMonitorId: webTestName,
      location: ctx.site.region,
      kind: "standard",
      webTestKind: "standard",
      description: `Synthetic check of ${settings.url}`,
      enabled: true,
      frequency: settings.intervalMinutes * 60,
      timeout: 30,
      retryEnabled: true,
      locations: webTestLocations.map((location) => ({ location })),
      request: {
        requestUrl: settings.url,
        httpVerb: "GET",
        parseDependentRequests: false,
        followRedirects: false,
      },
      validationRules: {
        expectedHttpStatusCode: settings.expectedStatus,
        sSLCheck: true,
        sSLCertRemainingLifetimeCheck: 7,
      },
      tags: component.id.apply((id) => ({ [`hidden-link:${id}`]: "Resource" })),
    },
    opts,
  );

  const alert = (purpose: string, severity: Severity, description: string, failedLocationCount: number) =>
    new MetricAlert(
      `${name}-${purpose}-alert`,
      {
        resourceGroupName: rg.name,
        location: "global",
        ruleName: fitName("azureName", [env, ctx.role, "uptime", purpose]),
        description: `[${severity}] ${description} (${settings.url})`,
        severity: azureSeverity[severity],
        enabled: true,
        scopes: [webTest.id, component.id],
        evaluationFrequency: "PT1M",
        windowSize: "PT5M",
        autoMitigate: true,
        criteria: {
          odataType: "Microsoft.Azure.Monitor.WebtestLocationAvailabilityCriteria",
          webTestId: webTest.id,
          componentId: component.id,
          failedLocationCount,
        },
        actions: monitoring.alertTargets[severity].apply((ids) =>
          ids.map((actionGroupId) => ({ actionGroupId })),
        ),
      },
      opts,
    );
  const degraded = alert(
    "degraded",
    settings.degradedSeverity,
    "Synthetic check failing from 2 locations",
    2,
  );
  const down = alert(
    "down",
    settings.downSeverity,
    "Public endpoint down: failing from every location",
    webTestLocations.length,
  );

  monitoring.dashboard.add({
    cloud: "azure",
    section: "availability",
    title: "Synthetic check availability",
    unit: "Percent",
    thresholds: { warning: 100, critical: 1, direction: "below" },
    metric: {
      resourceId: component.id,
      namespace: "Microsoft.Insights/components",
      metricName: "availabilityResults/availabilityPercentage",
      aggregation: "Average",
    },
  });
  monitoring.dashboard.add({
    cloud: "azure",
    section: "availability",
    title: "Synthetic check duration",
    unit: "Milliseconds",
    metric: {
      resourceId: component.id,
      namespace: "Microsoft.Insights/components",
      metricName: "availabilityResults/duration",
      aggregation: "Average",
    },
  });

  return { checkId: webTest.id, alertIds: [degraded.id, down.id] };
}
