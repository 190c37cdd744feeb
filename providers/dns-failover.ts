/**
 * The DNS failover implementations, one per DNS cloud (components/traffic-failover.ts). A mapped type over
 * the clouds: a cloud without one does not compile. `index.ts` hands this table to the `TrafficFailover`.
 */
import type { FailoverImplementations } from "../components/traffic-failover";
import { dnsFailover as aws } from "./aws/dns-failover";
import { dnsFailover as azure } from "./azure/dns-failover";
import { dnsFailover as gcp } from "./gcp/dns-failover";

export const failoverImplementations: FailoverImplementations = { aws, azure, gcp };
