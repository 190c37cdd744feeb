import type * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";
import type { SiteConfigOf } from "../../components/config";

/** The site's AWS provider: pinned region and the only account it may deploy into. */
export function provider(
  name: string,
  site: SiteConfigOf<"aws">,
  opts: pulumi.CustomResourceOptions,
): Provider {
  return new Provider(
    name,
    {
      region: site.region,
      allowedAccountIds: [site.accountId],
    },
    opts,
  );
}
