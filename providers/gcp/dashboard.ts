import * as pulumi from "@pulumi/pulumi";
import { Dashboard } from "@pulumi/gcp/monitoring/dashboard";
import type { SiteContext } from "../../components/context";
import type { DashboardBuildInputs, DashboardOutputs } from "../../components/dashboard";
import type { PanelOf } from "../../components/dashboard-model";
import { sectionTitles } from "../../components/dashboard-model";

/** A resolved GCP panel (resource labels are plain strings). */
type ResolvedPanel = Omit<PanelOf<"gcp">, "metric"> & {
  readonly metric: Omit<PanelOf<"gcp">["metric"], "resourceLabels"> & {
    readonly resourceLabels: Readonly<Record<string, string>>;
  };
};

/** The Monitoring filter of a panel: its metric type on its monitored resource. */
export function panelFilter(m: ResolvedPanel["metric"]): string {
  return [
    `metric.type = "${m.metricType}"`,
    `resource.type = "${m.resourceType}"`,
    ...Object.entries(m.resourceLabels).map(([k, v]) => `resource.labels.${k} = "${v}"`),
  ].join(" AND ");
}

/** The mosaic grid is 48 columns wide: three tiles of 16 per row. */
const tileWidth = 16;
const tileHeight = 16;

/**
 * The Cloud Monitoring dashboard JSON (pure; unit-tested): a mosaic layout with, per section, a text tile
 * across the grid and one XY chart per panel (thresholds drawn). Shape: projects.dashboards,
 * https://cloud.google.com/monitoring/api/ref_v3/rest/v1/projects.dashboards#Dashboard.
 */
export function cloudMonitoringDashboard(
  displayName: string,
  panels: readonly ResolvedPanel[],
): Record<string, unknown> {
  const tiles: Record<string, unknown>[] = [];
  let y = 0;
  let column = 0;
  let section: string | undefined;
  for (const p of panels) {
    if (p.section !== section) {
      if (column > 0) y += tileHeight;
      column = 0;
      section = p.section;
      tiles.push({
        xPos: 0,
        yPos: y,
        width: 48,
        height: 4,
        widget: {
          title: sectionTitles[p.section],
          text: { content: `## ${sectionTitles[p.section]}`, format: "MARKDOWN" },
        },
      });
      y += 4;
    }
    const t = p.thresholds;
    const direction = t?.direction === "below" ? "BELOW" : "ABOVE";
    const thresholds = [
      ...(t?.warning !== undefined
        ? [{ label: "warning", value: t.warning, color: "YELLOW", direction }]
        : []),
      ...(t?.critical !== undefined
        ? [{ label: "critical", value: t.critical, color: "RED", direction }]
        : []),
    ];
    tiles.push({
      xPos: column * tileWidth,
      yPos: y,
      width: tileWidth,
      height: tileHeight,
      widget: {
        title: p.title,
        xyChart: {
          dataSets: [
            {
              plotType: "LINE",
              timeSeriesQuery: {
                timeSeriesFilter: {
                  filter: panelFilter(p.metric),
                  aggregation: { alignmentPeriod: "300s", perSeriesAligner: p.metric.aligner },
                },
              },
            },
          ],
          yAxis: { label: p.unit, scale: "LINEAR" },
          ...(thresholds.length > 0 ? { thresholds } : {}),
        },
      },
    });
    column += 1;
    if (column === 3) {
      column = 0;
      y += tileHeight;
    }
  }
  return { displayName, mosaicLayout: { columns: 48, tiles } };
}

/** GCP dashboard: a Cloud Monitoring dashboard in the site's project, rendered from the site's panels. */
export function dashboard(
  name: string,
  ctx: SiteContext<"gcp">,
  inputs: DashboardBuildInputs<"gcp">,
): DashboardOutputs {
  const project = ctx.site.project;
  const displayName = `${ctx.stack.environment} ${ctx.role} platform`;
  const json = pulumi
    .output(
      inputs.panels.map((p) => ({
        ...p,
        metric: { ...p.metric, resourceLabels: pulumi.output(p.metric.resourceLabels) },
      })),
    )
    .apply((panels) => JSON.stringify(cloudMonitoringDashboard(displayName, panels as ResolvedPanel[])));
  const board = new Dashboard(
    `${name}-monitoring`,
    { project, dashboardJson: json },
    { parent: inputs.parent },
  );
  return {
    dashboardId: board.id,
    dashboardUrl: board.id.apply(
      (id) =>
        `https://console.cloud.google.com/monitoring/dashboards/builder/${id.split("/").pop() ?? id}?project=${project}`,
    ),
  };
}
