/**
 * The site's dashboard component: renders the model (components/dashboard-model.ts) through the site's
 * cloud implementation once every component has added its panels.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "./regions";
import type { SiteContext } from "./context";
import type { Panel, PanelOf } from "./dashboard-model";
import { type DashboardModel, DashboardModelError, panelsOf } from "./dashboard-model";
import { implementationFor } from "../providers";

export * from "./dashboard-model";

/** What a cloud implementation of the dashboard receives. */
export interface DashboardBuildInputs<C extends Cloud> {
  readonly panels: readonly PanelOf<C>[];
  readonly parent: pulumi.ComponentResource;
}

/** What the dashboard offers. */
export interface DashboardOutputs {
  /** CloudWatch dashboard name, workbook resource id, Cloud Monitoring dashboard id. */
  readonly dashboardId: pulumi.Output<string>;
  /** Where an operator opens it in the cloud's console. */
  readonly dashboardUrl: pulumi.Output<string>;
}

/** The site's dashboard, rendered from the model once every component has added its panels. */
export class Dashboard<C extends Cloud = Cloud> extends pulumi.ComponentResource implements DashboardOutputs {
  public readonly dashboardId: pulumi.Output<string>;
  public readonly dashboardUrl: pulumi.Output<string>;
  /** The panels rendered. */
  public readonly panels: readonly Panel[];

  constructor(
    name: string,
    ctx: SiteContext<C>,
    args: { readonly model: DashboardModel },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    const panels = args.model.seal();
    if (panels.length === 0) throw new DashboardModelError("no component added a panel");
    super("platform:monitoring:Dashboard", name, {}, opts);
    this.panels = panels;
    const out = implementationFor(ctx).dashboard(name, ctx, {
      panels: panelsOf(ctx.cloud, panels),
      parent: this,
    });
    this.dashboardId = out.dashboardId;
    this.dashboardUrl = out.dashboardUrl;
    this.registerOutputs({ dashboardId: this.dashboardId, dashboardUrl: this.dashboardUrl });
  }
}
