import type * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/gcp/provider";
import type { SiteConfigOf } from "../../components/config";

/**
 * The site's GCP provider: pinned project and region. `addPulumiAttributionLabel` is off so that the
 * only labels are the ones the stack transform sets.
 */
export function provider(
  name: string,
  site: SiteConfigOf<"gcp">,
  opts: pulumi.CustomResourceOptions,
): Provider {
  return new Provider(
    name,
    { project: site.project, region: site.region, addPulumiAttributionLabel: false },
    opts,
  );
}
