/**
 * Subnet allocation: a pure function from an address space and a list of tiers to subnet CIDRs. No cloud,
 * no Pulumi; unit- and property-tested on its own (tests/network-subnets.test.ts).
 *
 * The layout is **stable**: a subnet's CIDR depends only on the address space and on the tiers listed
 * before it, never on how many zones are in use or on tiers listed after it. So adding a zone, or
 * appending a tier, never renumbers an existing subnet (the upgrade pain awsx users hit when its VPC
 * recomputes every subnet from the zone count: pulumi-awsx issues #520, #1152, #1204). It works by
 * reserving, for every tier, `slots` subnets (one per zone the site could ever use) and placing every
 * reserved subnet, used or not, first-fit at the lowest free address aligned to its size, in order: tier
 * by tier, slot by slot. Smaller tiers fill the alignment gaps larger ones leave.
 *
 * Changing a tier's prefix length, or inserting a tier before others, does renumber: new tiers are always
 * appended to the end of the list.
 */
import { cidr, cidrSize, formatCidr, type Ipv4Cidr } from "./cidr";

/** One tier of subnets to allocate. */
export interface TierRequest {
  /** Tier name (unique in the request), e.g. `public`. */
  readonly name: string;
  /** Prefix length of each subnet of the tier, e.g. 24. */
  readonly prefixLength: number;
  /** Subnets reserved for the tier (zone slots; 1 for a regional subnet). */
  readonly slots: number;
  /** Subnets actually created: the first `used` slots (at most `slots`). */
  readonly used: number;
}

export interface AllocatedSubnet {
  readonly tier: string;
  /** Slot index (zone index for zonal tiers, 0 for regional ones). */
  readonly slot: number;
  readonly cidr: string;
}

/** Why an allocation is impossible; the message names the numbers. */
export class AllocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AllocationError";
  }
}

/** Addresses a request needs, reserved slots included. */
export function requiredAddresses(tiers: readonly TierRequest[]): number {
  return tiers.reduce((sum, t) => sum + t.slots * cidrSize(t.prefixLength), 0);
}

function describeTiers(tiers: readonly TierRequest[]): string {
  return tiers.map((t) => `${t.name} ${t.slots} x /${t.prefixLength}`).join(", ");
}

/**
 * Allocates every tier's subnets inside `addressSpace` (CIDR text). Returns the used subnets, tier by
 * tier, slot by slot. Throws an `AllocationError` when a request is invalid or does not fit.
 */
export function allocateSubnets(addressSpace: string, tiers: readonly TierRequest[]): AllocatedSubnet[] {
  const space = cidr(addressSpace);
  const names = new Set<string>();
  for (const t of tiers) {
    if (names.has(t.name)) throw new AllocationError(`tier '${t.name}' is listed twice`);
    names.add(t.name);
    if (!Number.isInteger(t.prefixLength) || t.prefixLength < space.prefix || t.prefixLength > 28) {
      throw new AllocationError(
        `tier '${t.name}': expected a prefix length between /${space.prefix} (the address space ${addressSpace}) and /28, found /${t.prefixLength}`,
      );
    }
    if (!Number.isInteger(t.slots) || t.slots < 1) {
      throw new AllocationError(`tier '${t.name}': expected at least 1 slot, found ${t.slots}`);
    }
    if (!Number.isInteger(t.used) || t.used < 0 || t.used > t.slots) {
      throw new AllocationError(
        `tier '${t.name}': expected between 0 and ${t.slots} subnets in use (its zone slots), found ${t.used}`,
      );
    }
  }
  const available = cidrSize(space.prefix);
  const needed = requiredAddresses(tiers);
  const tooSmall = (detail: string) =>
    new AllocationError(
      `address space ${addressSpace} (${available} addresses) is too small for ${tiers.length} tiers x their zone slots ` +
        `(${describeTiers(tiers)}: ${needed} addresses)${detail}; use a larger address space or smaller tier prefixes`,
    );
  if (needed > available) throw tooSmall("");

  // Allocated blocks, kept sorted by base address.
  const taken: Ipv4Cidr[] = [];
  const end = space.base + available;
  const place = (prefix: number): Ipv4Cidr | undefined => {
    const size = cidrSize(prefix);
    let candidate = space.base;
    for (const block of taken) {
      if (candidate + size <= block.base) break;
      const blockEnd = block.base + cidrSize(block.prefix);
      if (blockEnd > candidate) candidate = Math.ceil(blockEnd / size) * size;
    }
    return candidate + size <= end ? { base: candidate, prefix } : undefined;
  };

  const out: AllocatedSubnet[] = [];
  for (const t of tiers) {
    for (let slot = 0; slot < t.slots; slot++) {
      const block = place(t.prefixLength);
      if (!block)
        throw tooSmall(` (no room left for ${t.name} slot ${slot + 1} of ${t.slots} after alignment)`);
      const at = taken.findIndex((b) => b.base > block.base);
      taken.splice(at === -1 ? taken.length : at, 0, block);
      if (slot < t.used) out.push({ tier: t.name, slot, cidr: formatCidr(block) });
    }
  }
  return out;
}

/**
 * Ports the data tier accepts from the private tier, whatever the cloud: PostgreSQL and Redis. (Plain
 * constants live here, not in network.ts, so the cloud implementations can import them at run time
 * without an import cycle through providers/index.ts.)
 */
export const dataPorts = { postgres: 5432, redis: 6379 } as const;

/**
 * Administration (SSH, RDP) and data ports (PostgreSQL, MySQL, SQL Server, Redis, MongoDB,
 * Elasticsearch/OpenSearch) no rule may open to the internet: the tests check every cloud, and the
 * stateless AWS network ACLs carve them out of the return-traffic range.
 */
export const neverFromInternet = [22, 3389, 5432, 3306, 1433, 6379, 27017, 9200] as const;

/** The tiers every network has, in allocation order (append new tiers at the end: see above). */
export const networkTiers = ["public", "private", "data"] as const;
export type NetworkTier = (typeof networkTiers)[number];

/**
 * Zone slots reserved per zonal tier: the most zones a site may use (the config schema's maximum, and
 * the most any region in components/regions.ts offers). Reserving them all is what keeps adding a zone
 * from renumbering anything.
 */
export const maxZoneSlots = 6;

/**
 * GKE's secondary ranges on the GCP private subnetwork (appended after every other block, so adding them
 * renumbers nothing): pods and the cluster's Service IPs.
 */
export const gkeRanges = { pods: "pods", services: "cluster-services" } as const;

/**
 * Pod addresses GKE reserves per node: a node's pod CIDR is the smallest block with at least twice its
 * maximum pods (110 by default, which the GCP cluster sets), so a /24 (256 addresses) per node
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/flexible-pod-cidr).
 */
export const gkePodAddressesPerNode = 256;

/** How a cloud lays subnets out: one per zone (AWS) or one per region spanning its zones (Azure, GCP). */
export interface SubnetShape {
  readonly scope: "zonal" | "regional";
  /** Default size of each tier's subnet, as bits added to the address space's prefix length. */
  readonly newBits: Readonly<Record<NetworkTier, number>>;
  /** Cloud-specific address blocks allocated after the tiers (regional, one each). */
  readonly extra: readonly { readonly name: string; readonly newBits: number }[];
  /**
   * Zonal clouds: the fewest zones a tier has subnets in, whatever the site's zone count (the tier then
   * also uses the region's next zones). AWS: the data tier always spans 2 Availability Zones, because an
   * RDS DB subnet group must cover at least two AZs even for a single-AZ instance
   * (`DBSubnetGroupDoesNotCoverEnoughAZs`; Amazon RDS User Guide, "Working with a DB instance in a VPC":
   * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html).
   */
  readonly minZones?: Readonly<Partial<Record<NetworkTier, number>>>;
}

/**
 * Per-cloud subnet shapes. Defaults scale with the address space; in a /16 they give:
 * - AWS (zonal, 6 slots): public /24, private /20, data /24 per zone; the data tier in at least 2 zones.
 * - Azure (regional): public /22, private /18, data /22, plus `endpoints` /24 (private endpoints) and
 *   `gateway` /27 (the `GatewaySubnet` of the interconnect's VPN gateway: Azure recommends /27 or larger).
 * - GCP (regional): public /22, private /18, data /22, plus `services` /20 (the Private Service Access
 *   range peered to Google's service producer network for Cloud SQL and Memorystore), then `pods` /17 and
 *   `cluster-services` /20: the secondary ranges of the private subnetwork that the GKE cluster's pods and
 *   Services take (VPC-native alias IPs). They sit inside the site's own address space, so they never
 *   overlap the other site (whose space must not overlap this one) or any primary range of the VPC, and
 *   they are not among the blocks the interconnect routes (components/interconnect.ts `routedTiers`):
 *   pods do not cross the VPN; the database path crosses from the Private Service Access range.
 */
export const subnetShapes: Readonly<Record<"aws" | "azure" | "gcp", SubnetShape>> = {
  aws: { scope: "zonal", newBits: { public: 8, private: 4, data: 8 }, extra: [], minZones: { data: 2 } },
  azure: {
    scope: "regional",
    newBits: { public: 6, private: 2, data: 6 },
    extra: [
      { name: "endpoints", newBits: 8 },
      { name: "gateway", newBits: 11 },
    ],
  },
  gcp: {
    scope: "regional",
    newBits: { public: 6, private: 2, data: 6 },
    extra: [
      { name: "services", newBits: 4 },
      { name: gkeRanges.pods, newBits: 1 },
      { name: gkeRanges.services, newBits: 4 },
    ],
  },
};

/** Zones a zonal tier has subnets in: the site's zone count, raised to the shape's minimum for the tier. */
export function tierZoneCount(shape: SubnetShape, tier: NetworkTier, zoneCount: number): number {
  return Math.min(maxZoneSlots, Math.max(zoneCount, shape.minZones?.[tier] ?? 0));
}

/** The tier requests of a site: its cloud's shape, the zones in use and any configured prefix lengths. */
export function siteTierRequests(
  shape: SubnetShape,
  addressSpace: string,
  zoneCount: number,
  prefixLengths: Partial<Record<NetworkTier, number | undefined>> = {},
): TierRequest[] {
  const base = cidr(addressSpace).prefix;
  const sized = (newBits: number) => Math.min(base + newBits, 28);
  const zonal = shape.scope === "zonal";
  const tiers: TierRequest[] = networkTiers.map((name) => ({
    name,
    prefixLength: prefixLengths[name] ?? sized(shape.newBits[name]),
    slots: zonal ? maxZoneSlots : 1,
    used: zonal ? tierZoneCount(shape, name, zoneCount) : 1,
  }));
  for (const e of shape.extra)
    tiers.push({ name: e.name, prefixLength: sized(e.newBits), slots: 1, used: 1 });
  return tiers;
}
