/**
 * The cloud implementations, one per cloud. The mapped type makes the table exhaustive at compile time.
 */
import type { SiteContext } from "../components/context";
import type { Cloud } from "../components/regions";
import type { CloudImplementation } from "./types";
import { aws } from "./aws";
import { azure } from "./azure";
import { gcp } from "./gcp";

export type { CloudImplementation } from "./types";

export const implementations: { readonly [C in Cloud]: CloudImplementation<C> } = { aws, azure, gcp };

/** The implementation of the context's cloud. */
export function implementationFor<C extends Cloud>(ctx: SiteContext<C>): CloudImplementation<C> {
  return implementations[ctx.cloud];
}
