import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { Workbook } from "@pulumi/azure-native/applicationinsights/workbook";
import type { SiteContext } from "../../components/context";
import type { DashboardBuildInputs, DashboardOutputs } from "../../components/dashboard";
import type { PanelOf } from "../../components/dashboard-model";
import { sectionTitles } from "../../components/dashboard-model";
import { resourceGroupFor } from "./resource-group";

/** A resolved Azure panel (resource id is a plain string). */
type ResolvedPanel = Omit<PanelOf<"azure">, "metric"> & {
  readonly metric: Omit<PanelOf<"azure">["metric"], "resourceId"> & { readonly resourceId: string };
};

/** Workbook metric aggregation codes (MetricsItem/2.0): Total 1, Minimum 2, Maximum 3, Average 4, Count 7. */
const aggregationCode: Record<PanelOf<"azure">["metric"]["aggregation"], number> = {
  Total: 1,
  Minimum: 2,
  Maximum: 3,
  Average: 4,
  Count: 7,
};

/** A name-based UUID (RFC 4122 version 5 layout over SHA-1): the same inputs give the same id. */
export function nameUuid(...parts: string[]): string {
  const h = createHash("sha1").update(parts.join("/")).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function thresholdText(p: ResolvedPanel): string {
  const t = p.thresholds;
  if (!t || (t.warning === undefined && t.critical === undefined)) return "";
  const op = t.direction === "below" ? "<" : ">";
  const parts = [
    ...(t.warning !== undefined ? [`warning ${op} ${t.warning}`] : []),
    ...(t.critical !== undefined ? [`critical ${op} ${t.critical}`] : []),
  ];
  return ` (${parts.join(", ")})`;
}

/**
 * The workbook's serialized data (pure; unit-tested): `Notebook/1.0` with, per section, a markdown item
 * (type 1) and one metrics item (type 10, `MetricsItem/2.0`) per panel, a third of the width each.
 * Shape: https://learn.microsoft.com/azure/azure-monitor/visualize/workbooks-automate (ARM template
 * `serializedData`), metrics items: https://learn.microsoft.com/azure/azure-monitor/visualize/workbooks-chart-visualizations.
 */
export function workbookContent(seed: string, panels: readonly ResolvedPanel[]): Record<string, unknown> {
  const items: Record<string, unknown>[] = [];
  let section: string | undefined;
  panels.forEach((p, i) => {
    if (p.section !== section) {
      section = p.section;
      items.push({
        type: 1,
        content: { json: `## ${sectionTitles[p.section]}` },
        name: `section-${p.section}`,
      });
    }
    const ns = p.metric.namespace.toLowerCase();
    items.push({
      type: 10,
      content: {
        chartId: nameUuid(seed, String(i), p.title),
        version: "MetricsItem/2.0",
        size: 0,
        chartType: 2,
        resourceType: ns,
        metricScope: 0,
        resourceIds: [p.metric.resourceId],
        timeContext: { durationMs: 86400000 },
        metrics: [
          {
            namespace: ns,
            metric: `${ns}--${p.metric.metricName}`,
            aggregation: aggregationCode[p.metric.aggregation],
          },
        ],
        title: `${p.title} [${p.unit}]${thresholdText(p)}`,
        gridSettings: { rowLimit: 10000 },
      },
      customWidth: "33",
      name: `panel-${i}`,
    });
  });
  return { version: "Notebook/1.0", items, isLocked: false };
}

/**
 * Azure dashboard: a shared Azure Monitor workbook (Microsoft.Insights/workbooks: the resource name must be
 * a GUID, so it is a name-based UUID of the subscription, environment and role) in the site's resource
 * group, rendered from the site's panels.
 */
export function dashboard(
  name: string,
  ctx: SiteContext<"azure">,
  inputs: DashboardBuildInputs<"azure">,
): DashboardOutputs {
  const rg = resourceGroupFor(ctx, inputs.parent);
  const seed = [ctx.site.subscriptionId, ctx.stack.environment, ctx.role, "platform-workbook"].join("/");
  const content = pulumi
    .output(
      inputs.panels.map((p) => ({
        ...p,
        metric: { ...p.metric, resourceId: pulumi.output(p.metric.resourceId) },
      })),
    )
    .apply((panels) => JSON.stringify(workbookContent(seed, panels as ResolvedPanel[])));
  const workbook = new Workbook(
    `${name}-workbook`,
    {
      resourceGroupName: rg.name,
      resourceName: nameUuid(seed),
      location: ctx.site.region,
      kind: "shared",
      category: "workbook",
      displayName: `${ctx.stack.environment} ${ctx.role} platform`,
      description: "Key metrics of the site's components (generated from components/dashboard.ts)",
      serializedData: content,
      version: "Notebook/1.0",
      sourceId: rg.id,
    },
    { parent: inputs.parent },
  );
  return {
    dashboardId: workbook.id,
    dashboardUrl: pulumi.interpolate`https://portal.azure.com/#@${ctx.site.tenantId}/resource${workbook.id}/workbook`,
  };
}
