import type * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/azure-native/provider";
import type { SiteConfigOf } from "../../components/config";

/** The site's azure-native provider: pinned subscription, tenant and default location. */
export function provider(
  name: string,
  site: SiteConfigOf<"azure">,
  opts: pulumi.CustomResourceOptions,
): Provider {
  return new Provider(
    name,
    { subscriptionId: site.subscriptionId, tenantId: site.tenantId, location: site.region },
    opts,
  );
}
