/**
 * The site's dashboard, generated from one provider-agnostic model: a list of panels, each a title, a
 * unit, optional thresholds and a reference to one metric of one resource the site builds, in the site's
 * cloud's terms (a CloudWatch namespace/metric/dimensions, an Azure resource id and metric, a Cloud
 * Monitoring metric type and monitored resource). Each component adds its panels where it creates the
 * resource (the same place it creates its alarms), in one line:
 *
 * ```ts
 * monitoring.dashboard.add({ cloud: "aws", section: "cluster", title: "Nodes ready", unit: "Count",
 *   metric: { namespace: "ContainerInsights", metricName: "cluster_node_count", dimensions: { ClusterName: name }, stat: "Average" } });
 * ```
 *
 * The site renders the model once every component is built ({@link Dashboard}): a CloudWatch dashboard,
 * an Azure Monitor workbook, a Cloud Monitoring dashboard.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "./regions";

/** Dashboard sections, in display order. */
export const dashboardSections = [
  "availability",
  "database",
  "cache",
  "storage",
  "fileStorage",
  "backup",
  "network",
  "cluster",
  "alerting",
] as const;
export type DashboardSection = (typeof dashboardSections)[number];

/** Section headings. */
export const sectionTitles: Readonly<Record<DashboardSection, string>> = {
  availability: "Availability (synthetic checks)",
  database: "Database",
  cache: "Cache",
  storage: "Object storage",
  fileStorage: "File storage",
  backup: "Backups",
  network: "Network egress",
  cluster: "Kubernetes cluster",
  alerting: "Alert delivery",
};

/** Units a panel's axis is labelled with. */
export type PanelUnit = "Percent" | "Count" | "Bytes" | "Seconds" | "Milliseconds" | "Ratio";

/** A line drawn on the panel; `above`: the value is bad above it (default), `below`: bad below it. */
export interface PanelThresholds {
  readonly warning?: number;
  readonly critical?: number;
  readonly direction?: "above" | "below";
}

/** One metric of one resource, per cloud. */
export interface PanelMetrics {
  /** A CloudWatch metric (`namespace`, `metricName`, `dimensions`) and the statistic shown. */
  readonly aws: {
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Readonly<Record<string, pulumi.Input<string>>>;
    readonly stat: "Average" | "Maximum" | "Minimum" | "Sum";
  };
  /** An Azure Monitor platform metric of the resource `resourceId` (metric namespace = resource type). */
  readonly azure: {
    readonly resourceId: pulumi.Input<string>;
    /** The resource type, e.g. `Microsoft.DBforPostgreSQL/flexibleServers`. */
    readonly namespace: string;
    readonly metricName: string;
    readonly aggregation: "Average" | "Maximum" | "Minimum" | "Total" | "Count";
  };
  /** A Cloud Monitoring metric type on a monitored resource selected by its labels. */
  readonly gcp: {
    readonly metricType: string;
    readonly resourceType: string;
    readonly resourceLabels: Readonly<Record<string, pulumi.Input<string>>>;
    /** How each 5-minute period is aligned (`ALIGN_MEAN`, `ALIGN_MAX`, `ALIGN_RATE`, `ALIGN_FRACTION_TRUE`...). */
    readonly aligner: string;
  };
}

/** A panel of the dashboard, in its cloud's terms. */
export type Panel = {
  [C in Cloud]: {
    readonly cloud: C;
    readonly section: DashboardSection;
    readonly title: string;
    readonly unit: PanelUnit;
    readonly thresholds?: PanelThresholds;
    readonly metric: PanelMetrics[C];
  };
}[Cloud];

/** A panel of cloud `C`. */
export type PanelOf<C extends Cloud> = Extract<Panel, { cloud: C }>;

/** A problem with the dashboard model. */
export class DashboardModelError extends Error {
  constructor(message: string) {
    super(`Dashboard: ${message}`);
    this.name = "DashboardModelError";
  }
}

/**
 * The panels of one site, collected while its components are built. Monitoring owns it (every component
 * receives monitoring), the site renders it last; a panel added after rendering is an error.
 */
export class DashboardModel {
  private readonly list: Panel[] = [];
  private rendered = false;

  constructor(readonly cloud: Cloud) {}

  /** Adds panels (one line per component and metric). */
  add(...panels: Panel[]): void {
    for (const panel of panels) {
      if (this.rendered) {
        throw new DashboardModelError(`'${panel.title}' added after the dashboard was rendered`);
      }
      if (panel.cloud !== this.cloud) {
        throw new DashboardModelError(`'${panel.title}' is a ${panel.cloud} panel on a ${this.cloud} site`);
      }
      if (this.list.some((p) => p.section === panel.section && p.title === panel.title)) {
        throw new DashboardModelError(`two panels titled '${panel.title}' in section ${panel.section}`);
      }
      this.list.push(panel);
    }
  }

  /** The panels so far, grouped in section order (stable within a section). */
  get panels(): readonly Panel[] {
    return dashboardSections.flatMap((s) => this.list.filter((p) => p.section === s));
  }

  /** Marks the model rendered and returns its panels. */
  seal(): readonly Panel[] {
    this.rendered = true;
    return this.panels;
  }
}

/** The panels of cloud `C` (the model holds only its site's cloud). */
export function panelsOf<C extends Cloud>(cloud: C, panels: readonly Panel[]): PanelOf<C>[] {
  return panels.filter((p): p is PanelOf<C> => p.cloud === cloud);
}
