import type * as pulumi from "@pulumi/pulumi";
import { ResourceGroup } from "@pulumi/azure-native/resources";
import type { SiteContext } from "../../components/context";
import { fitName } from "../../components/naming";

const groups = new WeakMap<pulumi.ProviderResource, ResourceGroup>();

/**
 * The site's resource group (one per site, created on first use, parented to the component that first
 * needs it: the site keys). Every Azure resource of the site lives in it.
 */
export function resourceGroupFor(ctx: SiteContext<"azure">, parent: pulumi.Resource): ResourceGroup {
  let rg = groups.get(ctx.provider);
  if (!rg) {
    rg = new ResourceGroup(
      `${ctx.role}-rg`,
      {
        resourceGroupName: fitName("azureName", ["rg", ctx.stack.environment, ctx.role, ctx.site.region]),
        location: ctx.site.region,
      },
      { parent },
    );
    groups.set(ctx.provider, rg);
  }
  return rg;
}
