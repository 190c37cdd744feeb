/**
 * The site network on GCP: a custom-mode VPC (no auto subnets, regional routing, default routes
 * deleted), one regional subnetwork per tier with flow logs (`logConfig`) and Private Google Access, an
 * internet route only for the tags of the tiers that may reach the internet, routes and DNS for
 * private.googleapis.com (so the data tier reaches Google APIs with no internet route), Cloud Router +
 * Cloud NAT per the egress strategy, firewall rules (a lowest-priority deny-all ingress, then the tier
 * allowances by network tag) and Private Service Access for Cloud SQL and Memorystore, closed by egress
 * rules to every tier but the private one (tag-based ingress rules cannot protect the producer network).
 *
 * Flow logs: subnetwork flow logs are written to Cloud Logging; `logConfig` has no key setting. Keeping
 * them encrypted with the site key for the configured retention is done by routing them (and firewall
 * logs) to a dedicated log bucket with CMEK (the site key) and that retention, and excluding them from
 * the `_Default` sink so that no second copy without CMEK is kept.
 *
 * Names: every name goes through `fitName` (RFC 1035 for Compute Engine and Cloud DNS, the Cloud Logging
 * id rules for buckets, sinks and exclusions), so the longest environment name still fits.
 *
 * Administration: no SSH/RDP is opened anywhere; use IAP TCP forwarding (a firewall rule from
 * 35.235.240.0/20 on 22 to a dedicated tag, plus `roles/iap.tunnelResourceAccessor`), documented in the
 * README, not created here.
 */
import * as pulumi from "@pulumi/pulumi";
import { Firewall } from "@pulumi/gcp/compute/firewall";
import { GlobalAddress } from "@pulumi/gcp/compute/globalAddress";
import { Network } from "@pulumi/gcp/compute/network";
import { Route } from "@pulumi/gcp/compute/route";
import { Router } from "@pulumi/gcp/compute/router";
import { RouterNat } from "@pulumi/gcp/compute/routerNat";
import { Subnetwork } from "@pulumi/gcp/compute/subnetwork";
import { Connection } from "@pulumi/gcp/servicenetworking/connection";
import { ManagedZone } from "@pulumi/gcp/dns/managedZone";
import { RecordSet } from "@pulumi/gcp/dns/recordSet";
import { ProjectBucketConfig } from "@pulumi/gcp/logging/projectBucketConfig";
import { ProjectSink } from "@pulumi/gcp/logging/projectSink";
import { ProjectExclusion } from "@pulumi/gcp/logging/projectExclusion";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type {
  NetworkBuildInputs,
  NetworkOutputs,
  NetworkSubnet,
  NetworkTier,
} from "../../components/network";
import { dataPorts, gkeRanges } from "../../components/subnets";
import { fitName, uniqueName } from "../../components/naming";

/** private.googleapis.com and restricted.googleapis.com (Private Google Access for on-VPC clients). */
const privateGoogleApis = "199.36.153.8/30";
const restrictedGoogleApis = "199.36.153.4/30";
/** Google Front End and health-check ranges, for load balancers in front of the public tier. */
const googleHealthChecks = ["35.191.0.0/16", "130.211.0.0/22"];
/** VPC flow logs and firewall logs: routed to the flow-log bucket and excluded from `_Default`. */
export const flowLogFilter =
  'resource.type="gce_subnetwork" AND (log_id("compute.googleapis.com/vpc_flows") OR ' +
  'log_id("compute.googleapis.com/firewall"))';
/** Memorystore for Redis with in-transit encryption listens on 6378. */
const gcpDataPorts = [...Object.values(dataPorts), 6378].map(String);
/** Cloud SQL connectors (Auth Proxy, language connectors) reach the instance's private IP on 3307. */
const cloudSqlConnectorPort = "3307";
/**
 * Filestore NFS ports (2049; NFSv3 also uses the portmapper 111 and 2046, 2050, 4045 for mount, status
 * and locking): https://cloud.google.com/filestore/docs/configuring-firewall
 */
export const filestorePorts = ["111", "2046", "2049", "2050", "4045"];

export function network(
  name: string,
  ctx: SiteContext<"gcp">,
  inputs: NetworkBuildInputs<"gcp">,
): NetworkOutputs<"gcp"> {
  const { plan, keys, parent } = inputs;
  const opts = { parent };
  const project = ctx.site.project;
  const region = ctx.site.region;
  const env = ctx.stack.environment;
  const role = ctx.role;
  /** An RFC 1035 name (networks, subnetworks, routes, firewalls, routers, NAT, addresses, DNS zones, tags). */
  const gcpName = (...parts: string[]) => fitName("gcpName", parts);
  const tag = (tier: NetworkTier) => gcpName(env, role, tier);
  const cidrOf = (tier: string) => plan.subnets.find((s) => s.tier === tier)!.cidr;

  const vpc = new Network(
    `${name}-vpc`,
    {
      project,
      name: gcpName("vpc", env, role),
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
      // No implicit route to the internet: the routes below say which tiers get one.
      deleteDefaultRoutesOnCreate: true,
      mtu: 1460,
    },
    opts,
  );

  // GKE's pods and Service IPs: secondary ranges of the private subnetwork (VPC-native cluster), planned
  // inside the site's address space after every other block (components/subnets.ts `gkeRanges`).
  const clusterRanges = {
    pods: { rangeName: gcpName(env, role, gkeRanges.pods), cidr: cidrOf(gkeRanges.pods) },
    services: { rangeName: gcpName(env, role, gkeRanges.services), cidr: cidrOf(gkeRanges.services) },
  };
  const subnets = {} as Record<NetworkTier, Subnetwork>;
  for (const tier of ["public", "private", "data"] as const) {
    subnets[tier] = new Subnetwork(
      `${name}-subnet-${tier}`,
      {
        project,
        region,
        name: gcpName("snet", env, role, tier),
        network: vpc.id,
        ipCidrRange: cidrOf(tier),
        stackType: "IPV4_ONLY",
        privateIpGoogleAccess: true,
        ...(tier === "private"
          ? {
              secondaryIpRanges: [clusterRanges.pods, clusterRanges.services].map((r) => ({
                rangeName: r.rangeName,
                ipCidrRange: r.cidr,
              })),
            }
          : {}),
        logConfig: {
          aggregationInterval: "INTERVAL_5_SEC",
          flowSampling: ctx.production ? 1 : 0.5,
          metadata: "INCLUDE_ALL_METADATA",
        },
      },
      opts,
    );
  }

  // Routes: the internet only for the public tier (and the private tier when it has egress); Google
  // APIs for everyone through their private VIPs. The data tier has no route to the internet at all.
  const internetTags = plan.egress === "none" ? [tag("public")] : [tag("public"), tag("private")];
  new Route(
    `${name}-route-internet`,
    {
      project,
      name: gcpName(env, role, "internet"),
      network: vpc.id,
      destRange: "0.0.0.0/0",
      nextHopGateway: "default-internet-gateway",
      priority: 1000,
      tags: internetTags,
    },
    opts,
  );
  for (const [which, range] of [
    ["private", privateGoogleApis],
    ["restricted", restrictedGoogleApis],
  ] as const) {
    new Route(
      `${name}-route-google-apis-${which}`,
      {
        project,
        name: gcpName(env, role, "google-apis", which),
        network: vpc.id,
        destRange: range,
        nextHopGateway: "default-internet-gateway",
        priority: 1000,
      },
      opts,
    );
  }
  const apisZone = new ManagedZone(
    `${name}-dns-googleapis`,
    {
      project,
      name: gcpName(env, role, "googleapis"),
      dnsName: "googleapis.com.",
      description:
        "Google APIs through private.googleapis.com (Private Google Access without internet routes)",
      visibility: "private",
      privateVisibilityConfig: { networks: [{ networkUrl: vpc.id }] },
    },
    opts,
  );
  new RecordSet(
    `${name}-dns-googleapis-private`,
    {
      project,
      managedZone: apisZone.name,
      name: "private.googleapis.com.",
      type: "A",
      ttl: 300,
      rrdatas: ["199.36.153.8", "199.36.153.9", "199.36.153.10", "199.36.153.11"],
    },
    opts,
  );
  new RecordSet(
    `${name}-dns-googleapis-wildcard`,
    {
      project,
      managedZone: apisZone.name,
      name: "*.googleapis.com.",
      type: "CNAME",
      ttl: 300,
      rrdatas: ["private.googleapis.com."],
    },
    opts,
  );

  // Egress: Cloud NAT is regional and has no zonal single point of failure, so `single` and `perZone`
  // both give one Cloud NAT, for the private tier only.
  if (plan.egress !== "none") {
    const router = new Router(
      `${name}-router`,
      { project, region, name: gcpName("cr", env, role), network: vpc.id },
      opts,
    );
    new RouterNat(
      `${name}-nat`,
      {
        project,
        region,
        name: gcpName("nat", env, role),
        router: router.name,
        natIpAllocateOption: "AUTO_ONLY",
        sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
        subnetworks: [{ name: subnets.private.id, sourceIpRangesToNats: ["ALL_IP_RANGES"] }],
        logConfig: { enable: true, filter: "ERRORS_ONLY" },
      },
      opts,
    );
  }

  // Firewall: deny all ingress at the lowest priority (logged), then the tier allowances by tag.
  const firewall = (rule: string, args: Omit<ConstructorParameters<typeof Firewall>[1], "network">) =>
    new Firewall(
      `${name}-fw-${rule}`,
      {
        project,
        name: gcpName(env, role, rule),
        network: vpc.id,
        direction: "INGRESS",
        logConfig: { metadata: "INCLUDE_ALL_METADATA" },
        ...args,
      },
      opts,
    );
  firewall("deny-all-ingress", {
    priority: 65534,
    description: "Default deny for all ingress (explicit and logged)",
    denies: [{ protocol: "all" }],
    sourceRanges: ["0.0.0.0/0"],
  });
  firewall("allow-public-web", {
    priority: 1000,
    description: "public tier: HTTP/HTTPS from anywhere and Google health checks",
    allows: [{ protocol: "tcp", ports: ["80", "443"] }],
    sourceRanges: ["0.0.0.0/0", ...googleHealthChecks],
    targetTags: [tag("public")],
  });
  firewall("allow-private", {
    priority: 1000,
    description: "private tier: from the public tier and itself",
    allows: [{ protocol: "all" }],
    sourceTags: [tag("public"), tag("private")],
    targetTags: [tag("private")],
  });
  firewall("allow-data", {
    priority: 1000,
    description: "data tier: database and cache ports from the private tier",
    allows: [{ protocol: "tcp", ports: gcpDataPorts }],
    sourceTags: [tag("private")],
    targetTags: [tag("data")],
  });

  // Private Service Access: Cloud SQL and Memorystore live in Google's producer network, reached over
  // VPC Network Peering. Peering exchanges no firewall rules, and the ingress rules above (target tags)
  // only protect VMs of this VPC, so they never apply to the producer's instances: without egress rules
  // any VM of the VPC (the public tier included) could reach the database. The consumer VPC's egress
  // rules do apply to packets towards the peered range (VPC Network Peering, "Network security"), so:
  // deny every instance egress to the PSA range, then allow the private tier to its data ports.
  const services = plan.subnets.find((s) => s.tier === "services")!;
  firewall("deny-services-egress", {
    direction: "EGRESS",
    priority: 65000,
    description: "Private Service Access range (Cloud SQL, Memorystore): no instance reaches it by default",
    denies: [{ protocol: "all" }],
    destinationRanges: [services.cidr],
  });
  firewall("allow-services-egress", {
    direction: "EGRESS",
    priority: 1000,
    description:
      "private tier: database, Cloud SQL connector, cache and Filestore NFS ports of the Private Service Access range",
    allows: [
      { protocol: "tcp", ports: [...gcpDataPorts, cloudSqlConnectorPort, ...filestorePorts] },
      { protocol: "udp", ports: filestorePorts },
    ],
    destinationRanges: [services.cidr],
    targetTags: [tag("private")],
  });

  // The other site (plan.crossSite, database replication across the interconnect) needs no rule here:
  // Cloud SQL sits in the producer network, where this VPC's firewall rules do not apply (ingress rules
  // protect this VPC's instances only; the peer's traffic arrives through the VPN tunnels and crosses the
  // peering to the producer network), and the Database Migration Service connects from the Cloud SQL
  // destination, also in the producer network. What the path needs is routing, in providers/gcp/vpn.ts:
  // the Cloud Router advertises the Private Service Access range to the peer (custom advertisement), and
  // the servicenetworking peering exports the routes learned from the peer (exportCustomRoutes), so that
  // Cloud SQL can answer and connect to it
  // (https://cloud.google.com/vpc/docs/configure-private-services-access#on-premises-connectivity).

  // Flow logs and firewall logs to a log bucket encrypted with the site key, kept for the retention.
  const bucket = new ProjectBucketConfig(
    `${name}-flow-logs`,
    {
      project,
      location: region,
      // Deleted log buckets keep their id for 7 days (DELETE_REQUESTED): the suffix lets a re-created
      // stack create its bucket at once.
      bucketId: uniqueName("gcpLogging", [env, role, "flow-logs"], ctx.uniqueSuffix),
      description: `${env} ${role} VPC flow logs and firewall logs`,
      retentionDays: plan.flowLogRetentionDays,
      locked: ctx.production,
      cmekSettings: { kmsKeyName: keys.loggingKmsKeyName },
    },
    statefulOptions(ctx, opts),
  );
  const sink = new ProjectSink(
    `${name}-flow-logs-sink`,
    {
      project,
      name: fitName("gcpLogging", [env, role, "vpc-flow-logs"]),
      destination: pulumi.interpolate`logging.googleapis.com/${bucket.id}`,
      filter: flowLogFilter,
      uniqueWriterIdentity: true,
    },
    opts,
  );
  // The _Default sink would store a second copy, without CMEK, in the _Default bucket: exclude them there.
  new ProjectExclusion(
    `${name}-flow-logs-default-exclusion`,
    {
      project,
      name: fitName("gcpLogging", [env, role, "vpc-flow-logs"]),
      description: "Kept in the CMEK flow-log bucket; not stored again in _Default",
      filter: flowLogFilter,
    },
    { ...opts, dependsOn: [sink] },
  );

  // Private Service Access: a reserved range peered to Google's service producer network.
  const [serviceAddress, servicePrefix] = services.cidr.split("/");
  const range = new GlobalAddress(
    `${name}-psa-range`,
    {
      project,
      name: gcpName("psa", env, role),
      description: "Private Service Access (Cloud SQL, Memorystore)",
      purpose: "VPC_PEERING",
      addressType: "INTERNAL",
      address: serviceAddress!,
      prefixLength: Number(servicePrefix),
      network: vpc.id,
    },
    opts,
  );
  const connection = new Connection(
    `${name}-psa`,
    {
      network: vpc.id,
      service: "servicenetworking.googleapis.com",
      reservedPeeringRanges: [range.name],
      // Deleting the peering fails while producer services still use it; leave it to the VPC's deletion.
      deletionPolicy: "ABANDON",
    },
    opts,
  );

  const regional = (tier: NetworkTier): NetworkSubnet[] => [
    { tier, zone: undefined, cidr: cidrOf(tier), id: subnets[tier].id },
  ];
  return {
    networkId: vpc.id,
    subnets: { public: regional("public"), private: regional("private"), data: regional("data") },
    trafficRules: {
      public: pulumi.output(tag("public")),
      private: pulumi.output(tag("private")),
      data: pulumi.output(tag("data")),
    },
    flowLogs: { id: sink.id, destination: bucket.id, retentionDays: plan.flowLogRetentionDays },
    privateAccess: {
      networkSelfLink: vpc.selfLink,
      serviceRangeName: range.name,
      serviceConnectionId: connection.id,
      clusterRanges,
    },
  };
}
