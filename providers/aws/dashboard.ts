import * as pulumi from "@pulumi/pulumi";
import { Dashboard } from "@pulumi/aws/cloudwatch/dashboard";
import type { SiteContext } from "../../components/context";
import type { DashboardBuildInputs, DashboardOutputs } from "../../components/dashboard";
import type { PanelOf } from "../../components/dashboard-model";
import { sectionTitles } from "../../components/dashboard-model";
import { fitName } from "../../components/naming";

/** Widgets per row: the CloudWatch grid is 24 units wide. */
const perRow = 3;
const width = 24 / perRow;
const height = 6;

/** A resolved AWS panel (dimensions are plain strings). */
type ResolvedPanel = Omit<PanelOf<"aws">, "metric"> & {
  readonly metric: Omit<PanelOf<"aws">["metric"], "dimensions"> & {
    readonly dimensions: Readonly<Record<string, string>>;
  };
};

/**
 * The CloudWatch dashboard body (pure; unit-tested): per section a text heading across the grid, then
 * one metric widget per panel, three per row, with the panel's thresholds as horizontal annotations.
 * Shape: "Dashboard Body Structure and Syntax",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html.
 */
export function cloudWatchDashboardBody(
  region: string,
  panels: readonly ResolvedPanel[],
): { widgets: Record<string, unknown>[] } {
  const widgets: Record<string, unknown>[] = [];
  let y = 0;
  let section: string | undefined;
  let column = 0;
  for (const panel of panels) {
    if (panel.section !== section) {
      if (column > 0) y += height;
      section = panel.section;
      column = 0;
      widgets.push({
        type: "text",
        x: 0,
        y,
        width: 24,
        height: 1,
        properties: { markdown: `## ${sectionTitles[panel.section]}` },
      });
      y += 1;
    }
    const m = panel.metric;
    const t = panel.thresholds;
    const horizontal = [
      ...(t?.warning !== undefined ? [{ label: "warning", value: t.warning, color: "#ff7f0e" }] : []),
      ...(t?.critical !== undefined ? [{ label: "critical", value: t.critical, color: "#d62728" }] : []),
    ];
    widgets.push({
      type: "metric",
      x: column * width,
      y,
      width,
      height,
      properties: {
        title: panel.title,
        region,
        view: "timeSeries",
        stacked: false,
        period: 300,
        stat: m.stat,
        metrics: [[m.namespace, m.metricName, ...Object.entries(m.dimensions).flat()]],
        yAxis: { left: { label: panel.unit, showUnits: false } },
        ...(horizontal.length > 0 ? { annotations: { horizontal } } : {}),
      },
    });
    column += 1;
    if (column === perRow) {
      column = 0;
      y += height;
    }
  }
  return { widgets };
}

/**
 * AWS dashboard: a CloudWatch dashboard in the site's region (name: letters, digits, `-` and `_`, at
 * most 255 characters) rendered from the site's panels.
 */
export function dashboard(
  name: string,
  ctx: SiteContext<"aws">,
  inputs: DashboardBuildInputs<"aws">,
): DashboardOutputs {
  const region = ctx.site.region;
  const dashboardName = fitName("awsName", [ctx.stack.environment, ctx.role, "platform"]);
  const body = pulumi
    .output(
      inputs.panels.map((p) => ({
        ...p,
        metric: { ...p.metric, dimensions: pulumi.output(p.metric.dimensions) },
      })),
    )
    .apply((panels) => JSON.stringify(cloudWatchDashboardBody(region, panels as ResolvedPanel[])));
  const board = new Dashboard(
    `${name}-cloudwatch`,
    { dashboardName, dashboardBody: body },
    { parent: inputs.parent },
  );
  return {
    dashboardId: board.dashboardName,
    dashboardUrl: pulumi.output(
      `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${dashboardName}`,
    ),
  };
}
