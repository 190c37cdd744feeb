/**
 * The private interconnect between the two sites of a stack: an HA site-to-site IPsec VPN with BGP.
 *
 * A stack-level component (not a child of either site) owns the pair. Each cloud implements one half,
 * a VPN endpoint toward a peer described without naming its cloud (its public addresses, ASN, inside
 * tunnel addresses, pre-shared keys as secrets and the prefixes it routes), so the three
 * implementations (`providers/<cloud>/vpn.ts`) serve the six ordered pairs; the implementations table
 * is a mapped type over the clouds (`providers/vpn.ts`), so a missing cloud does not compile.
 *
 * The contract is phased because of when public addresses exist:
 * 1. `gateway`: each half creates its gateway. Azure (active-active, two instance IPs) and GCP (HA VPN,
 *    two interfaces) have their public IPs now; AWS has none yet: the outside IPs of an AWS VPN tunnel
 *    exist only once the VPN connection toward the peer's customer gateway exists.
 * 2. `connect`: a half whose addresses come from its connections (AWS) connects first, toward the
 *    peer's gateway IPs, and hands its tunnel outside IPs to the peer, which connects second. Two
 *    gateway-first halves (Azure and GCP) connect independently. All of it is Outputs: no apply-time
 *    ordering beyond what the data flow expresses.
 *
 * Everything a half needs that is not a cloud id is planned here as plain values (`planInterconnect`):
 * ASNs, tunnels (which local interface meets which peer interface), inside /30s and which end takes
 * which address, the prefixes each side routes across (only its private and data tiers), and one
 * IKE/IPsec proposal all three clouds accept.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { SiteRole } from "./config";
import type { AnySiteContext, SiteContext } from "./context";
import type { KeyHandles, SiteKeys } from "./keys";
import type { Monitoring } from "./monitoring";
import type { Network, NetworkPlan, PrivateAccessHandles } from "./network";
import { clouds, type Cloud } from "./regions";

/**
 * How a cloud's VPN endpoint exposes public addresses.
 * - `gateway`: the gateway has `interfaces` public IPs as soon as it exists (Azure active-active: one per
 *   instance; GCP HA VPN: one per interface).
 * - `perPeerInterface`: the endpoint terminates `tunnelsPerPeerInterface` tunnels toward each public IP
 *   of the peer and its outside IPs exist only once those connections exist; it also owns the first
 *   host of every inside /30 (AWS VPN connections: two tunnels each, AWS takes `.1`).
 */
export type EndpointModel =
  | { readonly kind: "gateway"; readonly interfaces: number }
  | { readonly kind: "perPeerInterface"; readonly tunnelsPerPeerInterface: number };

/** One IPsec tunnel seen from one half. */
export interface TunnelView {
  /** Tunnel number, the same on both halves (0-based). */
  readonly index: number;
  /** The inside /30 (link-local, valid on every cloud: 169.254.21.0/24 and 169.254.22.0/24). */
  readonly insideCidr: string;
  /** This half's public endpoint the tunnel uses (Azure instance, GCP interface, AWS tunnel outside IP). */
  readonly localInterface: number;
  /** This half's BGP address inside the tunnel. */
  readonly localInsideIp: string;
  /** The peer's public endpoint (index into the peer's public IPs). */
  readonly peerInterface: number;
  /** The peer's BGP address inside the tunnel. */
  readonly peerInsideIp: string;
}

/** Everything one half needs, as plain values. */
export interface VpnHalfPlan {
  readonly role: SiteRole;
  readonly cloud: Cloud;
  /** This half's private BGP ASN. */
  readonly asn: number;
  readonly peerAsn: number;
  readonly peerRole: SiteRole;
  /** Public IPs the peer exposes (its interfaces); the tunnels' `peerInterface` index into them. */
  readonly peerInterfaceCount: number;
  readonly tunnels: readonly TunnelView[];
  /** Prefixes this site routes across: its private and data tiers (and GCP's private service range). */
  readonly localPrefixes: readonly string[];
  /** Prefixes the peer routes across. */
  readonly peerPrefixes: readonly string[];
}

/**
 * The one IKE/IPsec proposal every half offers, in cloud-neutral terms (each implementation maps it to
 * its own tokens): IKEv2; AES-256-GCM (16-byte ICV) in both phases; SHA2-384 as PRF/integrity for IKE;
 * DH group 20 (ECP-384) for IKE and PFS. Supported by AWS Site-to-Site VPN, Azure custom IPsec/IKE
 * policies and Cloud VPN's cipher suites.
 */
export const ipsecProposal = {
  ikeVersion: 2,
  phase1: { encryption: "AES-256-GCM-16", integrity: "SHA2-384", dhGroup: 20, lifetimeSeconds: 28800 },
  phase2: { encryption: "AES-256-GCM-16", pfsGroup: 20, lifetimeSeconds: 3600 },
} as const;

/** Length of generated pre-shared keys (AWS allows 8 to 64 characters). */
export const pskLength = 48;

/** An invalid interconnect (overlapping ranges, a pair no plan exists for). */
export class InterconnectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InterconnectError";
  }
}

/**
 * The private BGP ASN of a site: deterministic, distinct per role and cloud, inside the 16-bit private
 * range every cloud accepts (64512-65534) and clear of Azure's reserved 65515-65520.
 */
export function siteAsn(role: SiteRole, cloud: Cloud): number {
  return 64512 + (role === "primary" ? 100 : 200) + clouds.indexOf(cloud);
}

/** The tiers routed across, by the network plan's block names. */
const routedTiers = ["private", "data", "services"] as const;

/** The prefixes a site routes across: private and data tiers (GCP also its Private Service Access range). */
export function routedPrefixes(plan: Pick<NetworkPlan, "subnets">): string[] {
  return plan.subnets.filter((s) => (routedTiers as readonly string[]).includes(s.tier)).map((s) => s.cidr);
}

function insideCidr(third: number, fourth: number): string {
  return `169.254.${third}.${fourth}/30`;
}
function host(third: number, fourth: number): string {
  return `169.254.${third}.${fourth}`;
}

export interface HalfInput {
  readonly role: SiteRole;
  readonly cloud: Cloud;
  readonly endpoints: EndpointModel;
  readonly prefixes: readonly string[];
}

/**
 * Plans both halves. Tunnels:
 * - toward a `perPeerInterface` half (AWS): for each peer interface `c` and each of its tunnels `t`,
 *   one tunnel with inside `169.254.(21+t).(4c)/30`, AWS `.1`, the other side `.2`: four tunnels with
 *   Azure (two instances) or GCP (two interfaces), as both clouds document for AWS;
 * - between two `gateway` halves (Azure and GCP): interface `k` to interface `k` (two tunnels, the
 *   99.99% HA VPN topology for a peer with two IPs), inside `169.254.21.(4k)/30`, primary `.1`.
 * Every inside /30 lies in 169.254.21.0-169.254.22.255 (Azure's APIPA range for custom BGP addresses),
 * which AWS and GCP also accept (AWS reserves 169.254.0-5.x/30 and 169.254.169.252/30).
 */
export function planInterconnect(a: HalfInput, b: HalfInput): Record<SiteRole, VpnHalfPlan> {
  if (a.role === b.role)
    throw new InterconnectError(`expected a primary and a secondary, found two ${a.role}`);
  if (a.cloud === b.cloud) {
    throw new InterconnectError(`expected sites on two clouds, found ${a.cloud} twice`);
  }
  interface Raw {
    index: number;
    cidr: string;
    ends: Record<"a" | "b", { iface: number; ip: string }>;
  }
  const raw: Raw[] = [];
  const perPeer = (side: HalfInput) => side.endpoints.kind === "perPeerInterface";
  if (perPeer(a) && perPeer(b)) {
    throw new InterconnectError(
      `no interconnect plan between ${a.cloud} and ${b.cloud}: both create their addresses only per connection`,
    );
  }
  if (perPeer(a) || perPeer(b)) {
    const [aws, other] = perPeer(a) ? (["a", "b"] as const) : (["b", "a"] as const);
    const awsSide = aws === "a" ? a : b;
    const otherSide = other === "a" ? a : b;
    const model = awsSide.endpoints as Extract<EndpointModel, { kind: "perPeerInterface" }>;
    const peerInterfaces = (otherSide.endpoints as Extract<EndpointModel, { kind: "gateway" }>).interfaces;
    if (peerInterfaces > 4 || model.tunnelsPerPeerInterface > 2) {
      throw new InterconnectError(
        `expected at most 4 gateway interfaces and 2 tunnels per interface, found ${peerInterfaces} and ${model.tunnelsPerPeerInterface}`,
      );
    }
    for (let c = 0; c < peerInterfaces; c++) {
      for (let t = 0; t < model.tunnelsPerPeerInterface; t++) {
        const index = c * model.tunnelsPerPeerInterface + t;
        const ends = {} as Raw["ends"];
        ends[aws] = { iface: index, ip: host(21 + t, 4 * c + 1) };
        ends[other] = { iface: c, ip: host(21 + t, 4 * c + 2) };
        raw.push({ index, cidr: insideCidr(21 + t, 4 * c), ends });
      }
    }
  } else {
    const ia = (a.endpoints as Extract<EndpointModel, { kind: "gateway" }>).interfaces;
    const ib = (b.endpoints as Extract<EndpointModel, { kind: "gateway" }>).interfaces;
    const n = Math.min(ia, ib);
    const first = a.role === "primary" ? "a" : "b";
    const second = first === "a" ? "b" : "a";
    for (let k = 0; k < n; k++) {
      const ends = {} as Raw["ends"];
      ends[first] = { iface: k, ip: host(21, 4 * k + 1) };
      ends[second] = { iface: k, ip: host(21, 4 * k + 2) };
      raw.push({ index: k, cidr: insideCidr(21, 4 * k), ends });
    }
  }
  const interfaces = (side: HalfInput, key: "a" | "b") =>
    side.endpoints.kind === "gateway"
      ? side.endpoints.interfaces
      : new Set(raw.map((r) => r.ends[key].iface)).size;
  const view = (self: "a" | "b", peer: "a" | "b"): VpnHalfPlan => {
    const me = self === "a" ? a : b;
    const them = peer === "a" ? a : b;
    return {
      role: me.role,
      cloud: me.cloud,
      asn: siteAsn(me.role, me.cloud),
      peerAsn: siteAsn(them.role, them.cloud),
      peerRole: them.role,
      peerInterfaceCount: interfaces(them, peer),
      tunnels: raw.map((r) => ({
        index: r.index,
        insideCidr: r.cidr,
        localInterface: r.ends[self].iface,
        localInsideIp: r.ends[self].ip,
        peerInterface: r.ends[peer].iface,
        peerInsideIp: r.ends[peer].ip,
      })),
      localPrefixes: [...me.prefixes],
      peerPrefixes: [...them.prefixes],
    };
  };
  const out = {} as Record<SiteRole, VpnHalfPlan>;
  out[a.role] = view("a", "b");
  out[b.role] = view("b", "a");
  return out;
}

/** A site of the stack as the interconnect sees it (the `Site` component satisfies it). */
export interface InterconnectSite {
  readonly role: SiteRole;
  readonly context: AnySiteContext;
  readonly network: Network<Cloud>;
  readonly keys: SiteKeys<Cloud>;
  readonly monitoring: Monitoring<Cloud>;
}

/** What a half gets about its own site, narrowed to its cloud. */
export interface VpnSite<C extends Cloud> {
  readonly ctx: SiteContext<C>;
  readonly networkId: pulumi.Output<string>;
  readonly networkPlan: NetworkPlan;
  readonly privateAccess: PrivateAccessHandles[C];
  readonly keys: KeyHandles[C];
  /** The site's log sink (VPN tunnel logs and gateway diagnostics go there). */
  readonly logSinkId: pulumi.Output<string>;
  /** The site's network component: resources that change the network depend on it. */
  readonly network: pulumi.Resource;
}

/** The peer, described without naming its cloud. */
export interface VpnPeer {
  readonly asn: number;
  /** The peer's public IPs, by interface index (what `TunnelView.peerInterface` points into). */
  readonly publicIps: readonly pulumi.Output<string>[];
  /** One pre-shared key per tunnel index (secrets). */
  readonly preSharedKeys: readonly pulumi.Output<string>[];
}

/**
 * What a cloud's gateway phase hands its connect phase (cloud-specific ids; declared here, like
 * `KeyHandles`, so the contract stays typed without naming a cloud SDK).
 */
export interface VpnGatewayHandles {
  aws: {
    /** The virtual private gateway, attached to the VPC. */
    readonly vpnGatewayId: pulumi.Output<string>;
  };
  azure: {
    readonly resourceGroupName: pulumi.Output<string>;
    /** The virtual network gateway's resource id. */
    readonly gatewayId: pulumi.Output<string>;
    /** The gateway's IP configuration ids, by instance (custom BGP addresses name them). */
    readonly ipConfigurationIds: readonly pulumi.Output<string>[];
  };
  gcp: {
    /** Self link of the HA VPN gateway. */
    readonly haVpnGatewayId: pulumi.Output<string>;
    /** Name of the Cloud Router that runs BGP for the tunnels. */
    readonly routerName: pulumi.Output<string>;
  };
}

/** What phase 1 returns. */
export interface VpnGatewayOutputs<C extends Cloud> {
  /** The gateway's id (VPN gateway, virtual network gateway or HA VPN gateway). */
  readonly gatewayId: pulumi.Output<string>;
  /** Public IPs by interface; empty for a `perPeerInterface` endpoint (they come from `connect`). */
  readonly publicIps: readonly pulumi.Output<string>[];
  readonly handles: VpnGatewayHandles[C];
}

/** What phase 2 returns. */
export interface VpnConnectOutputs {
  /** Public IPs by local interface once connected (for `perPeerInterface`: one per tunnel). */
  readonly publicIps: readonly pulumi.Output<string>[];
  /** Ids of the tunnels/connections, in tunnel order where the cloud has one per tunnel. */
  readonly connectionIds: readonly pulumi.Output<string>[];
}

/** One cloud's half. */
export interface VpnImplementation<C extends Cloud> {
  readonly endpoints: EndpointModel;
  gateway(
    name: string,
    site: VpnSite<C>,
    plan: VpnHalfPlan,
    parent: pulumi.ComponentResource,
  ): VpnGatewayOutputs<C>;
  connect(
    name: string,
    site: VpnSite<C>,
    gateway: VpnGatewayOutputs<C>,
    plan: VpnHalfPlan,
    peer: VpnPeer,
    parent: pulumi.ComponentResource,
  ): VpnConnectOutputs;
}

/** The implementations, one per cloud (a mapped type: a missing cloud does not compile). */
export type VpnImplementations = { readonly [C in Cloud]: VpnImplementation<C> };

/** Private routing facts of one site, for components that use the interconnect (replication). */
export interface InterconnectSiteFacts {
  readonly role: SiteRole;
  readonly cloud: Cloud;
  readonly asn: number;
  /** Prefixes this site advertises/routes to the peer (its private and data tiers). */
  readonly localPrefixes: readonly string[];
  /** The peer's prefixes reachable from this site's private and data tiers through the tunnels. */
  readonly peerPrefixes: readonly string[];
  readonly tunnels: number;
  readonly gatewayId: pulumi.Output<string>;
  /** Tunnel/connection ids: depend on them (or on the Interconnect) before using the path. */
  readonly connectionIds: readonly pulumi.Output<string>[];
}

export interface InterconnectArgs {
  readonly primary: InterconnectSite;
  readonly secondary: InterconnectSite;
  readonly implementations: VpnImplementations;
}

function vpnSite<C extends Cloud>(site: InterconnectSite, ctx: SiteContext<C>): VpnSite<C> {
  // Site stores its components widened to Cloud; the context says which cloud they were built on.
  const network = site.network as unknown as Network<C>;
  const keys = site.keys as unknown as SiteKeys<C>;
  return {
    ctx,
    networkId: network.networkId,
    networkPlan: network.plan,
    privateAccess: network.privateAccess,
    keys: keys.handles,
    logSinkId: site.monitoring.logSinkId,
    network,
  };
}

/** A gateway bound to its site and implementation (the cloud-specific handles stay inside). */
interface BoundGateway {
  readonly gatewayId: pulumi.Output<string>;
  readonly publicIps: readonly pulumi.Output<string>[];
  connect(
    name: string,
    plan: VpnHalfPlan,
    peer: VpnPeer,
    parent: pulumi.ComponentResource,
  ): VpnConnectOutputs;
}

/** A half bound to its site and implementation, so the component runs the phases without casts. */
interface BoundHalf {
  readonly role: SiteRole;
  readonly cloud: Cloud;
  readonly endpoints: EndpointModel;
  readonly prefixes: readonly string[];
  gateway(name: string, plan: VpnHalfPlan, parent: pulumi.ComponentResource): BoundGateway;
}

function bind<C extends Cloud>(
  site: InterconnectSite,
  ctx: SiteContext<C>,
  impl: VpnImplementation<C>,
): BoundHalf {
  const vs = vpnSite(site, ctx);
  return {
    role: site.role,
    cloud: ctx.cloud,
    endpoints: impl.endpoints,
    prefixes: routedPrefixes(vs.networkPlan),
    gateway: (name, plan, parent) => {
      const gw = impl.gateway(name, vs, plan, parent);
      return {
        gatewayId: gw.gatewayId,
        publicIps: gw.publicIps,
        connect: (cname, cplan, peer, cparent) => impl.connect(cname, vs, gw, cplan, peer, cparent),
      };
    },
  };
}

function bindSite(site: InterconnectSite, impls: VpnImplementations): BoundHalf {
  const ctx = site.context;
  switch (ctx.cloud) {
    case "aws":
      return bind(site, ctx, impls.aws);
    case "azure":
      return bind(site, ctx, impls.azure);
    case "gcp":
      return bind(site, ctx, impls.gcp);
  }
}

/**
 * The interconnect: `platform:network:Interconnect`, a stack-level component whose children are each
 * half's resources (created with their site's provider) and the generated pre-shared keys.
 */
export class Interconnect extends pulumi.ComponentResource {
  /** The plans of both halves (plain values: ASNs, tunnels, prefixes). */
  public readonly plans: Readonly<Record<SiteRole, VpnHalfPlan>>;
  /** Private routing facts per site. */
  public readonly sites: Readonly<Record<SiteRole, InterconnectSiteFacts>>;

  constructor(name: string, args: InterconnectArgs, opts?: pulumi.ComponentResourceOptions) {
    const halves = [
      bindSite(args.primary, args.implementations),
      bindSite(args.secondary, args.implementations),
    ];
    const plans = planInterconnect(
      {
        role: halves[0]!.role,
        cloud: halves[0]!.cloud,
        endpoints: halves[0]!.endpoints,
        prefixes: halves[0]!.prefixes,
      },
      {
        role: halves[1]!.role,
        cloud: halves[1]!.cloud,
        endpoints: halves[1]!.endpoints,
        prefixes: halves[1]!.prefixes,
      },
    );
    super("platform:network:Interconnect", name, {}, opts);
    this.plans = plans;

    // Pre-shared keys: one per tunnel, generated, secret. `random` needs its own explicit provider.
    const randomProvider = new random.Provider(`${name}-random`, {}, { parent: this });
    const tunnelCount = plans.primary.tunnels.length;
    const preSharedKeys = Array.from({ length: tunnelCount }, (_, i) => {
      const generated = new random.RandomPassword(
        `${name}-psk-${i}`,
        // Letters and digits only: AWS allows alphanumerics, '.' and '_' and no leading '0'.
        {
          length: pskLength,
          special: false,
          upper: true,
          lower: true,
          numeric: true,
          minUpper: 4,
          minLower: 4,
          minNumeric: 4,
        },
        { parent: this, provider: randomProvider },
      );
      return pulumi.secret(generated.result.apply((k) => (k.startsWith("0") ? `k${k.slice(1)}` : k)));
    });

    const byRole = Object.fromEntries(halves.map((h) => [h.role, h])) as Record<SiteRole, BoundHalf>;
    const gateways = {} as Record<SiteRole, BoundGateway>;
    for (const role of ["primary", "secondary"] as const) {
      gateways[role] = byRole[role].gateway(`${name}-${role}`, plans[role], this);
    }
    const peerOf = (role: SiteRole): SiteRole => (role === "primary" ? "secondary" : "primary");
    const connected = {} as Record<SiteRole, VpnConnectOutputs>;
    const connect = (role: SiteRole, peerIps: readonly pulumi.Output<string>[]) => {
      connected[role] = gateways[role].connect(
        `${name}-${role}`,
        plans[role],
        { asn: plans[role].peerAsn, publicIps: peerIps, preSharedKeys },
        this,
      );
    };
    // Phase 2: a half without gateway addresses connects first; its tunnel IPs then reach the peer.
    const late = (["primary", "secondary"] as const).filter(
      (r) => byRole[r].endpoints.kind === "perPeerInterface",
    );
    for (const role of late) connect(role, gateways[peerOf(role)].publicIps);
    for (const role of ["primary", "secondary"] as const) {
      if (late.includes(role)) continue;
      const peer = peerOf(role);
      connect(role, late.includes(peer) ? connected[peer].publicIps : gateways[peer].publicIps);
    }

    const facts = (role: SiteRole): InterconnectSiteFacts => ({
      role,
      cloud: plans[role].cloud,
      asn: plans[role].asn,
      localPrefixes: plans[role].localPrefixes,
      peerPrefixes: plans[role].peerPrefixes,
      tunnels: plans[role].tunnels.length,
      gatewayId: gateways[role].gatewayId,
      connectionIds: connected[role].connectionIds,
    });
    this.sites = { primary: facts("primary"), secondary: facts("secondary") };
    this.registerOutputs({
      primary: { asn: plans.primary.asn, gatewayId: gateways.primary.gatewayId },
      secondary: { asn: plans.secondary.asn, gatewayId: gateways.secondary.gatewayId },
      tunnels: tunnelCount,
    });
  }
}
