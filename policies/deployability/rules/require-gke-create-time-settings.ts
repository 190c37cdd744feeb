/**
 * GKE settings the API checks only when `pulumi up` creates the cluster or node pool (the provider passes
 * them through): a zonal cluster's `nodeLocations` must not repeat its own zone; a VPC-peering control
 * plane range must be a /28 and cannot be combined with a Private Service Connect endpoint subnetwork;
 * maintenance windows must leave at least 48 hours of availability in any 32 days, in windows of at least
 * 4 hours; node pool autoscaling takes per-zone or total limits, never both.
 */
import { get, isSet, list, num, str } from "../../lib/props";
import type { Rule, Source } from "../lib/rule";

const sources = {
  nodeLocations: {
    url: "https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters#Cluster",
    quote:
      "locations: the list of Google Compute Engine zones in which the cluster's nodes should be located. This field provides a default value if NodePool.Locations are not specified during node pool creation. (Terraform/Pulumi nodeLocations: if this is specified for a zonal cluster, omit the cluster's zone.)",
  },
  masterRange: {
    url: "https://cloud.google.com/kubernetes-engine/docs/how-to/legacy/network-isolation",
    quote:
      "master-ipv4-cidr: the control plane's internal IP range must be a /28 subnet that does not overlap any range in the VPC; clusters that use Private Service Connect place the control plane endpoint in a subnetwork (private endpoint subnetwork) instead.",
  },
  maintenance: {
    url: "https://cloud.google.com/kubernetes-engine/docs/concepts/maintenance-windows-and-exclusions",
    quote:
      "Maintenance windows must allow at least 48 hours of availability in a 32-day rolling window, with contiguous availability of at least four hours.",
  },
  autoscaling: {
    url: "https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters.nodePools#NodePoolAutoscaling",
    quote:
      "totalMinNodeCount / totalMaxNodeCount: minimum and maximum number of nodes in the node pool; cannot be used with per zone limits (minNodeCount, maxNodeCount).",
  },
} satisfies Record<string, Source>;

const isZone = (location: string): boolean => /-[a-z]$/.test(location);
const weekdays = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/** Hours of maintenance availability a recurring window guarantees in any 32 days (undefined when unreadable). */
export function maintenanceHoursIn32Days(window: {
  startTime?: string;
  endTime?: string;
  recurrence?: string;
}): { hours: number; windowHours: number } | undefined {
  const start = Date.parse(window.startTime ?? "");
  const end = Date.parse(window.endTime ?? "");
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) return undefined;
  const windowHours = (end - start) / 3_600_000;
  const rule = new Map(
    (window.recurrence ?? "").split(";").map((p) => p.split("=") as [string, string | undefined]),
  );
  const freq = rule.get("FREQ");
  if (freq === "DAILY") return { hours: Math.min(windowHours, 24) * 32, windowHours };
  if (freq === "WEEKLY") {
    const days = (rule.get("BYDAY") ?? "").split(",").filter((d) => weekdays.includes(d));
    // Any 32 consecutive days hold every weekday at least 4 times.
    return { hours: Math.min(windowHours, 24) * Math.max(days.length, 1) * 4, windowHours };
  }
  return undefined;
}

export const requireGkeCreateTimeSettings: Rule = {
  id: "require-gke-create-time-settings",
  title: "GKE cluster and node pool settings are combinations the API accepts at creation",
  category: "topology",
  severity: "critical",
  refuses:
    "GKE refuses a zonal cluster whose nodeLocations include its own zone, a control plane range other than a /28 (or one combined with a Private Service Connect endpoint subnetwork), maintenance windows leaving less than 48 hours in 32 days or shorter than 4 hours, and node pool autoscaling mixing per-zone and total limits.",
  remediation:
    "providers/gcp/cluster.ts: zonal clusters list only the other zones in nodeLocations; a private endpoint subnetwork (Private Service Connect) and no masterIpv4CidrBlock; a weekly window of 4+ hours on enough days; totalMinNodeCount/totalMaxNodeCount only.",
  sources: Object.values(sources),
  resources: {
    gcp: {
      "gcp:container/cluster:Cluster": (props) => {
        const out: string[] = [];
        const location = str(get(props, "location"));
        const nodeLocations = list(get(props, "nodeLocations")).map((z) => str(z));
        if (location !== undefined && isZone(location) && nodeLocations.includes(location))
          out.push(
            `nodeLocations repeats the zonal cluster's own zone ${location}. Source: ${sources.nodeLocations.url}`,
          );
        const range = str(get(props, "privateClusterConfig.masterIpv4CidrBlock"));
        if (range !== undefined && !range.endsWith("/28"))
          out.push(
            `privateClusterConfig.masterIpv4CidrBlock ${range} is not a /28. Source: ${sources.masterRange.url}`,
          );
        if (range !== undefined && isSet(props, "privateClusterConfig.privateEndpointSubnetwork"))
          out.push(
            `privateClusterConfig sets both masterIpv4CidrBlock (VPC peering) and privateEndpointSubnetwork (Private Service Connect). Source: ${sources.masterRange.url}`,
          );
        const window = get(props, "maintenancePolicy.recurringWindow");
        if (window !== undefined && window !== null) {
          const w = maintenanceHoursIn32Days({
            startTime: str(get(window, "startTime")),
            endTime: str(get(window, "endTime")),
            recurrence: str(get(window, "recurrence")),
          });
          if (w !== undefined && (w.windowHours < 4 || w.hours < 48))
            out.push(
              `maintenancePolicy.recurringWindow gives ${w.hours} hours in 32 days in windows of ${w.windowHours} hours (at least 48 hours, windows of at least 4). Source: ${sources.maintenance.url}`,
            );
        }
        return out;
      },
      "gcp:container/nodePool:NodePool": (props) => {
        const perZone = ["minNodeCount", "maxNodeCount"].some(
          (k) => num(get(props, `autoscaling.${k}`)) !== undefined,
        );
        const total = ["totalMinNodeCount", "totalMaxNodeCount"].some(
          (k) => num(get(props, `autoscaling.${k}`)) !== undefined,
        );
        return perZone && total
          ? [
              `autoscaling mixes per-zone (minNodeCount/maxNodeCount) and total (totalMinNodeCount/totalMaxNodeCount) limits. Source: ${sources.autoscaling.url}`,
            ]
          : [];
      },
    },
  },
};
