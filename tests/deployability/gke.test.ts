/** GKE create-time settings (require-gke-create-time-settings): a rejecting and an accepting case each. */
import { strict as assert } from "node:assert";
import { maintenanceHoursIn32Days } from "../../policies/deployability/rules/require-gke-create-time-settings";
import { gkeMaintenanceWindow } from "../../providers/gcp/cluster";
import { res, ruleCases } from "./cases";

const cluster = (props: Record<string, unknown>) => res("gcp:container/cluster:Cluster", "gke", props);

ruleCases("require-gke-create-time-settings", [
  {
    title: "zonal cluster whose nodeLocations repeat its zone",
    cloud: "gcp",
    expect: "reject",
    resource: cluster({
      name: "dev-primary-gke",
      location: "europe-west1-b",
      nodeLocations: ["europe-west1-b", "europe-west1-c"],
    }),
    match: /repeats the zonal cluster's own zone europe-west1-b/,
  },
  {
    title: "peering control plane range that is not a /28, mixed with a PSC endpoint subnetwork",
    cloud: "gcp",
    expect: "reject",
    resource: cluster({
      name: "dev-primary-gke",
      location: "europe-west1",
      privateClusterConfig: {
        enablePrivateNodes: true,
        masterIpv4CidrBlock: "172.16.0.0/24",
        privateEndpointSubnetwork: "projects/p/regions/europe-west1/subnetworks/snet",
      },
    }),
    match: /not a \/28/,
  },
  {
    title: "a weekly 3-hour window on Sundays only",
    cloud: "gcp",
    expect: "reject",
    resource: cluster({
      name: "dev-primary-gke",
      location: "europe-west1",
      maintenancePolicy: {
        recurringWindow: {
          startTime: "2026-01-04T02:00:00Z",
          endTime: "2026-01-04T05:00:00Z",
          recurrence: "FREQ=WEEKLY;BYDAY=SU",
        },
      },
    }),
    match: /12 hours in 32 days in windows of 3 hours/,
  },
  {
    title: "node pool mixing per-zone and total autoscaling limits",
    cloud: "gcp",
    expect: "reject",
    resource: res("gcp:container/nodePool:NodePool", "pool", {
      name: "general",
      autoscaling: { minNodeCount: 1, totalMaxNodeCount: 6 },
    }),
    match: /mixes per-zone/,
  },
  {
    title: "what providers/gcp/cluster.ts sends (regional, PSC endpoint, weekend window)",
    cloud: "gcp",
    expect: "accept",
    resource: cluster({
      name: "prod-primary-gke",
      location: "europe-west1",
      nodeLocations: ["europe-west1-b", "europe-west1-c", "europe-west1-d"],
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: true,
        privateEndpointSubnetwork: "projects/p/regions/europe-west1/subnetworks/snet",
      },
      maintenancePolicy: { recurringWindow: gkeMaintenanceWindow },
    }),
  },
  {
    title: "node pool with total limits only",
    cloud: "gcp",
    expect: "accept",
    resource: res("gcp:container/nodePool:NodePool", "pool", {
      name: "general",
      autoscaling: { totalMinNodeCount: 3, totalMaxNodeCount: 6, locationPolicy: "BALANCED" },
    }),
  },
]);

describe("GKE maintenance availability", () => {
  it("the program's weekend window gives exactly the 48 hours in 32 days GKE requires", () => {
    assert.deepEqual(maintenanceHoursIn32Days(gkeMaintenanceWindow), { hours: 48, windowHours: 6 });
  });
});
