/**
 * The network of a site: one provider-agnostic contract, built by `providers/<cloud>/network.ts`.
 *
 * What every cloud builds, with the same intent:
 * - the site's address space, split into three tiers by a stable allocation (components/subnets.ts):
 *   `public` (load balancers, NAT), `private` (workloads), `data` (databases and caches, no route to the
 *   internet at all); one subnet per tier and zone where subnets are zonal (AWS), one per tier where they
 *   span the region (Azure, GCP); on AWS the data tier always spans at least two zones (RDS subnet
 *   groups must), taking the region's next zone on a single-zone site;
 * - egress to the internet for the private tier: `none`, one `single` NAT, or one NAT `perZone`;
 * - traffic rules: ingress denied by default; `public` accepts only 80/443; `private` only from `public`
 *   and itself; `data` only the database/cache ports from `private`; no SSH/RDP from the internet on any
 *   tier. Administration goes through the cloud's identity-aware path (AWS SSM Session Manager, Azure
 *   Bastion, GCP IAP TCP forwarding), which is documented and not opened here;
 * - flow logs for the whole network, encrypted with the site key, kept `flowLogRetentionDays`;
 * - private access to the cloud's own services without the internet (AWS S3 gateway endpoint, Azure
 *   private endpoint subnet and private DNS zones, GCP Private Google Access and Private Service Access).
 */
import * as pulumi from "@pulumi/pulumi";
import { cloudWatchRetentionDays } from "./config";
import type { SiteContext } from "./context";
import type { KeyHandles, SiteKeys } from "./keys";
import type { Monitoring } from "./monitoring";
import { cidr, contains, overlaps, privateRanges } from "./cidr";
import { regionInfo, type Cloud } from "./regions";
import {
  AllocationError,
  allocateSubnets,
  networkTiers,
  siteTierRequests,
  subnetShapes,
  tierZoneCount,
  type NetworkTier,
} from "./subnets";
import { implementationFor } from "../providers";

export { dataPorts, neverFromInternet, networkTiers, type NetworkTier } from "./subnets";

export const egressStrategies = ["none", "single", "perZone"] as const;
export type EgressStrategy = (typeof egressStrategies)[number];

export interface NetworkArgs<C extends Cloud> {
  /** The site's customer-managed keys; flow-log storage is encrypted with them. */
  readonly keys: SiteKeys<C>;
  /**
   * The site's monitoring: where the network's own diagnostics go (e.g. access logs of the Azure
   * flow-log storage account). Optional; without it those diagnostics are not configured.
   */
  readonly monitoring?: Monitoring<C>;
  /** Address space (IPv4 CIDR); default: the site's `addressSpace`. */
  readonly addressSpace?: string;
  /**
   * Zones to spread over: a count (the region's first N zones) or explicit zone names; default: the
   * site's zones. At most what the region offers.
   */
  readonly zones?: number | readonly string[];
  /** Per-tier subnet prefix lengths (per zone on zonal clouds); default: scaled to the address space. */
  readonly tiers?: Partial<Record<NetworkTier, { readonly prefixLength: number }>>;
  /** Internet egress of the private tier; default `perZone` in production, `single` otherwise. */
  readonly egress?: EgressStrategy;
  /** Days flow logs are kept; default 365 in production (PCI DSS 10.5.1), 90 otherwise. */
  readonly flowLogRetentionDays?: number;
  /** AWS only: interface endpoint services (e.g. `ssm`, `ssmmessages`, `ec2messages`, `kms`, `logs`). */
  readonly interfaceEndpoints?: readonly string[];
  /**
   * The other site of the stack, as a list of address blocks and ports, without naming its cloud: the data
   * tier admits `ports` from `cidrs` and may open connections to `cidrs` on `ports` (database replication
   * across the interconnect, both ways for failback). Computed at stack level (`crossSiteAccess` in
   * components/cross-site.ts); undefined on a single-site stack, which then opens nothing across sites.
   */
  readonly crossSite?: CrossSiteAccess;
}

/** Address blocks of another site and the TCP ports the data tier exchanges with them. */
export interface CrossSiteAccess {
  /** IPv4 CIDRs of the peer (private ranges; never the internet). */
  readonly cidrs: readonly string[];
  /** TCP ports (e.g. 5432). */
  readonly ports: readonly number[];
}

/** One planned subnet (or, for the cloud-specific extra blocks, an address range). */
export interface PlannedSubnet {
  /** `public`, `private`, `data`, or a cloud-specific block (`endpoints` on Azure, `services` on GCP). */
  readonly tier: string;
  /** The zone of a zonal subnet; undefined for a regional one. */
  readonly zone: string | undefined;
  readonly cidr: string;
}

/** Everything an implementation needs, resolved and validated: plain values only. */
export interface NetworkPlan {
  readonly addressSpace: string;
  readonly zones: readonly string[];
  readonly egress: EgressStrategy;
  readonly flowLogRetentionDays: number;
  /** Every subnet and extra block, tier by tier, zone by zone. */
  readonly subnets: readonly PlannedSubnet[];
  readonly interfaceEndpoints: readonly string[];
  /** What the data tier exchanges with the other site; undefined on a single-site stack. */
  readonly crossSite: CrossSiteAccess | undefined;
}

/** A subnet the network created. */
export interface NetworkSubnet extends PlannedSubnet {
  readonly id: pulumi.Output<string>;
}

/** Cloud-specific handles for private access to the cloud's own services. */
export interface PrivateAccessHandles {
  aws: {
    /** The S3 gateway endpoint (routes in every private and data route table). */
    readonly s3GatewayEndpointId: pulumi.Output<string>;
    /** Interface endpoints by service name (only those configured). */
    readonly interfaceEndpointIds: Readonly<Record<string, pulumi.Output<string>>>;
    /** Route table ids per tier, in zone order (the interconnect propagates VPN routes to private and data). */
    readonly routeTableIds: Readonly<Record<NetworkTier, readonly pulumi.Output<string>[]>>;
  };
  azure: {
    readonly resourceGroupName: pulumi.Output<string>;
    /** Subnet for private endpoints (storage, Key Vault, Redis). */
    readonly endpointsSubnetId: pulumi.Output<string>;
    /** The data subnet, delegated to `Microsoft.DBforPostgreSQL/flexibleServers`. */
    readonly postgresSubnetId: pulumi.Output<string>;
    /** Private DNS zone ids linked to the VNet, by purpose: postgres, blob, vault, redis, file. */
    readonly privateDnsZoneIds: Readonly<
      Record<"postgres" | "blob" | "vault" | "redis" | "file", pulumi.Output<string>>
    >;
  };
  gcp: {
    /** Self link of the VPC network (Cloud SQL / Memorystore `network` arguments). */
    readonly networkSelfLink: pulumi.Output<string>;
    /** Name of the Private Service Access range (Cloud SQL `allocatedIpRange`, Memorystore `reservedIpRange`). */
    readonly serviceRangeName: pulumi.Output<string>;
    /** The service networking connection; depend on it before creating Cloud SQL or Memorystore. */
    readonly serviceConnectionId: pulumi.Output<string>;
    /**
     * The private subnetwork's secondary ranges for GKE (VPC-native): pods and the cluster's Service IPs,
     * by range name and CIDR (plain values from the network plan).
     */
    readonly clusterRanges: {
      readonly pods: { readonly rangeName: string; readonly cidr: string };
      readonly services: { readonly rangeName: string; readonly cidr: string };
    };
  };
}

/** What the component hands a cloud implementation. */
export interface NetworkBuildInputs<C extends Cloud> {
  /** Resolved, validated layout and settings. */
  readonly plan: NetworkPlan;
  /** The site's key handles on this cloud (flow-log encryption). */
  readonly keys: KeyHandles[C];
  /** Log sink for the network's own diagnostics (Log Analytics workspace id, ...), when given. */
  readonly logSinkId?: pulumi.Output<string>;
  /** The Network component: parent of every resource the implementation creates. */
  readonly parent: pulumi.ComponentResource;
}

/** What a cloud implementation returns. */
export interface NetworkOutputs<C extends Cloud> {
  /** VPC id, VNet resource id, or VPC network id. */
  readonly networkId: pulumi.Output<string>;
  readonly subnets: Readonly<Record<NetworkTier, readonly NetworkSubnet[]>>;
  /**
   * The traffic rule of each tier, to attach workloads to: the security group id (AWS), the NSG id
   * (Azure), or the network tag instances must carry (GCP).
   */
  readonly trafficRules: Readonly<Record<NetworkTier, pulumi.Output<string>>>;
  readonly flowLogs: {
    readonly id: pulumi.Output<string>;
    /** Log group ARN, storage account id, or log bucket id. */
    readonly destination: pulumi.Output<string>;
    readonly retentionDays: number;
  };
  readonly privateAccess: PrivateAccessHandles[C];
}

/** An invalid network argument; the message names the argument, what was expected and what was found. */
export class NetworkArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NetworkArgumentError";
  }
}

/** What planning a network needs to know about its site (a `SiteContext` has it; so does the stack config). */
export type NetworkPlanContext = Pick<SiteContext, "cloud" | "site" | "zones" | "production">;

function resolveZones(ctx: NetworkPlanContext, zones: NetworkArgs<Cloud>["zones"]): readonly string[] {
  const offered = regionInfo(ctx.cloud, ctx.site.region)?.zones ?? [];
  const limit = Math.max(offered.length, 1);
  if (zones === undefined) return ctx.zones;
  if (typeof zones === "number") {
    if (!Number.isInteger(zones) || zones < 1 || zones > limit) {
      throw new NetworkArgumentError(
        `zones: expected between 1 and ${limit} zones (what ${ctx.site.region} offers), found ${zones}`,
      );
    }
    return offered.length === 0 ? [] : offered.slice(0, zones);
  }
  const unknown = zones.filter((z) => !offered.includes(z));
  if (unknown.length > 0 || zones.length === 0 || new Set(zones).size !== zones.length) {
    throw new NetworkArgumentError(
      `zones: expected distinct zones of ${ctx.site.region} (${offered.join(", ") || "none"}), found ${zones.join(", ") || "none"}`,
    );
  }
  return zones;
}

/** Resolves defaults and validates; throws `NetworkArgumentError` before any resource exists. */
export function planNetwork(ctx: NetworkPlanContext, args: Omit<NetworkArgs<Cloud>, "keys">): NetworkPlan {
  const egress = args.egress ?? (ctx.production ? "perZone" : "single");
  if (!(egressStrategies as readonly string[]).includes(egress)) {
    throw new NetworkArgumentError(
      `egress: expected one of ${egressStrategies.join(", ")}, found '${String(egress)}'`,
    );
  }
  const flowLogRetentionDays = args.flowLogRetentionDays ?? (ctx.production ? 365 : 90);
  if (!Number.isInteger(flowLogRetentionDays) || flowLogRetentionDays < 1) {
    throw new NetworkArgumentError(
      `flowLogRetentionDays: expected a whole number of days of at least 1, found ${flowLogRetentionDays}`,
    );
  }
  if (ctx.cloud === "aws" && !(cloudWatchRetentionDays as readonly number[]).includes(flowLogRetentionDays)) {
    // CloudWatch Logs refuses any other value when the log group is created (PutRetentionPolicy).
    throw new NetworkArgumentError(
      `flowLogRetentionDays: expected a CloudWatch Logs retention period on aws (${cloudWatchRetentionDays.join(", ")}), found ${flowLogRetentionDays}`,
    );
  }
  if (args.interfaceEndpoints && args.interfaceEndpoints.length > 0 && ctx.cloud !== "aws") {
    throw new NetworkArgumentError(
      `interfaceEndpoints: expected none on ${ctx.cloud} (AWS only), found ${args.interfaceEndpoints.join(", ")}`,
    );
  }
  const zones = resolveZones(ctx, args.zones);
  const addressSpace = args.addressSpace ?? ctx.site.addressSpace;
  const shape = subnetShapes[ctx.cloud];
  const prefixLengths: Partial<Record<NetworkTier, number>> = {};
  for (const tier of networkTiers) {
    const p = args.tiers?.[tier]?.prefixLength;
    if (p !== undefined) prefixLengths[tier] = p;
  }
  let allocated;
  try {
    allocated = allocateSubnets(
      addressSpace,
      siteTierRequests(shape, addressSpace, Math.max(zones.length, 1), prefixLengths),
    );
  } catch (err) {
    if (err instanceof AllocationError) throw new NetworkArgumentError(`addressSpace: ${err.message}`);
    throw err;
  }
  const zonal = shape.scope === "zonal";
  // A tier that must span more zones than the site uses (the AWS data tier: RDS subnet groups cover at
  // least two AZs) takes the region's next zones, after the site's own.
  const offered = regionInfo(ctx.cloud, ctx.site.region)?.zones ?? [];
  const widened = [...zones, ...offered.filter((z) => !zones.includes(z))];
  if (zonal) {
    for (const tier of networkTiers) {
      const needed = tierZoneCount(shape, tier, Math.max(zones.length, 1));
      if (needed > widened.length) {
        throw new NetworkArgumentError(
          `zones: the ${tier} tier needs subnets in at least ${needed} zones on ${ctx.cloud}, found ${widened.length} in ${ctx.site.region}`,
        );
      }
    }
  }
  const crossSite = args.crossSite ? validCrossSite(args.crossSite, addressSpace) : undefined;
  return {
    addressSpace,
    zones,
    egress,
    flowLogRetentionDays,
    subnets: allocated.map((s) => ({
      tier: s.tier,
      zone: zonal && (networkTiers as readonly string[]).includes(s.tier) ? widened[s.slot] : undefined,
      cidr: s.cidr,
    })),
    interfaceEndpoints: args.interfaceEndpoints ?? [],
    crossSite,
  };
}

/**
 * The cross-site blocks must be private (RFC 1918) IPv4 CIDRs, so never the internet, outside this site's
 * own address space; the ports TCP ports.
 */
function validCrossSite(access: CrossSiteAccess, addressSpace: string): CrossSiteAccess {
  const own = cidr(addressSpace);
  for (const block of access.cidrs) {
    let parsed;
    try {
      parsed = cidr(block);
    } catch {
      throw new NetworkArgumentError(`crossSite.cidrs: expected IPv4 CIDRs, found '${block}'`);
    }
    if (!privateRanges.some((range) => contains(cidr(range), parsed))) {
      throw new NetworkArgumentError(
        `crossSite.cidrs: expected private (RFC 1918) blocks of the peer site, found ${block}`,
      );
    }
    if (overlaps(parsed, own)) {
      throw new NetworkArgumentError(
        `crossSite.cidrs: expected blocks outside this site's address space ${addressSpace}, found ${block}`,
      );
    }
  }
  if (access.cidrs.length === 0 || access.ports.length === 0) {
    throw new NetworkArgumentError(
      `crossSite: expected at least one block and one port, found ${access.cidrs.length} and ${access.ports.length}`,
    );
  }
  for (const port of access.ports) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new NetworkArgumentError(`crossSite.ports: expected TCP ports 1-65535, found ${port}`);
    }
  }
  return { cidrs: [...new Set(access.cidrs)], ports: [...new Set(access.ports)] };
}

/** A site's network: `platform:network:Network`, with the cloud's resources as its children. */
export class Network<C extends Cloud> extends pulumi.ComponentResource {
  public readonly plan: NetworkPlan;
  public readonly networkId: pulumi.Output<string>;
  public readonly subnets: Readonly<Record<NetworkTier, readonly NetworkSubnet[]>>;
  /** Subnet ids per tier, in zone order (one per tier on regional clouds). */
  public readonly subnetIds: Readonly<Record<NetworkTier, pulumi.Output<string>[]>>;
  public readonly trafficRules: Readonly<Record<NetworkTier, pulumi.Output<string>>>;
  public readonly flowLogs: NetworkOutputs<C>["flowLogs"];
  public readonly privateAccess: PrivateAccessHandles[C];

  constructor(
    name: string,
    ctx: SiteContext<C>,
    args: NetworkArgs<C>,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    // Validate before registering anything: a bad argument creates no resource.
    const plan = planNetwork(ctx, args);
    super("platform:network:Network", name, {}, opts);
    this.plan = plan;
    const out = implementationFor(ctx).network(name, ctx, {
      plan,
      keys: args.keys.handles,
      ...(args.monitoring ? { logSinkId: args.monitoring.logSinkId } : {}),
      parent: this,
    });
    this.networkId = out.networkId;
    this.subnets = out.subnets;
    this.subnetIds = {
      public: out.subnets.public.map((s) => s.id),
      private: out.subnets.private.map((s) => s.id),
      data: out.subnets.data.map((s) => s.id),
    };
    this.trafficRules = out.trafficRules;
    this.flowLogs = out.flowLogs;
    this.privateAccess = out.privateAccess;
    this.registerOutputs({
      networkId: this.networkId,
      subnetIds: this.subnetIds,
      trafficRules: this.trafficRules,
      flowLogId: this.flowLogs.id,
    });
  }
}
