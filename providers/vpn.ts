/**
 * The interconnect halves, one per cloud (components/interconnect.ts). A mapped type over the clouds:
 * a cloud without a half does not compile. `index.ts` hands this table to the `Interconnect`, so
 * `components/` imports nothing from `providers/` for it.
 */
import type { VpnImplementations } from "../components/interconnect";
import { vpn as aws } from "./aws/vpn";
import { vpn as azure } from "./azure/vpn";
import { vpn as gcp } from "./gcp/vpn";

export const vpnImplementations: VpnImplementations = { aws, azure, gcp };
