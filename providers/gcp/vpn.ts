/**
 * The GCP half of the interconnect: an HA VPN gateway (two interfaces, each with its own public IP), a
 * Cloud Router with the site's private ASN that advertises only the private and data tiers and the
 * Private Service Access range (custom advertisement), the private-service peering set to export the
 * learned routes (so Cloud SQL in the service producer network can reach the other site), then an
 * external VPN gateway describing the peer (FOUR_IPS_REDUNDANCY for a peer with four endpoints, such
 * as AWS's two connections x two tunnels; TWO_IPS_REDUNDANCY for two) and, per tunnel of the plan, a
 * VPN tunnel (IKEv2, cipher suite AES-GCM-16-256 / PRF-HMAC-SHA2-384 / Group-20, the pre-shared key
 * as the write-only `sharedSecretWo`, never stored in state), a router interface on the tunnel's
 * inside /30 and a BGP peer.
 *
 * Constraints encoded (https://cloud.google.com/network-connectivity/docs/vpn/concepts/topologies,
 * https://cloud.google.com/network-connectivity/docs/vpn/concepts/supported-ike-ciphers,
 * https://cloud.google.com/network-connectivity/docs/router/concepts/overview): for FOUR_IPS_REDUNDANCY
 * the two addresses of one AWS connection go to interfaces 0 and 1 and the other connection's to 2
 * and 3, and HA VPN interface 0 serves the first pair, interface 1 the second; BGP addresses are
 * link-local /30s; Cloud Router private ASNs 64512-65534 or 4200000000-4294967294.
 */
import { fitName } from "../../components/naming";
import { ExternalVpnGateway } from "@pulumi/gcp/compute/externalVpnGateway";
import { HaVpnGateway } from "@pulumi/gcp/compute/haVpnGateway";
import { NetworkPeeringRoutesConfig } from "@pulumi/gcp/compute/networkPeeringRoutesConfig";
import { Router } from "@pulumi/gcp/compute/router";
import { RouterInterface } from "@pulumi/gcp/compute/routerInterface";
import { RouterPeer } from "@pulumi/gcp/compute/routerPeer";
import { VPNTunnel } from "@pulumi/gcp/compute/vpntunnel";
import type {
  VpnConnectOutputs,
  VpnGatewayOutputs,
  VpnHalfPlan,
  VpnImplementation,
  VpnSite,
} from "../../components/interconnect";

/** HA VPN: two interfaces. */
const interfaces = 2;

/** The interconnect's proposal as a Cloud VPN cipher suite. */
export const gcpCipherSuite = {
  phase1: {
    encryptions: ["AES-GCM-16-256"],
    integrities: [] as string[],
    prves: ["PRF-HMAC-SHA2-384"],
    dhs: ["Group-20"],
  },
  phase2: { encryptions: ["AES-GCM-16-256"], integrities: [] as string[], pfs: ["Group-20"] },
};

/** The peering Private Service Access creates (servicenetworking). */
const serviceNetworkingPeering = "servicenetworking-googleapis-com";

function redundancy(count: number): string {
  if (count === 4) return "FOUR_IPS_REDUNDANCY";
  if (count === 2) return "TWO_IPS_REDUNDANCY";
  if (count === 1) return "SINGLE_IP_INTERNALLY_REDUNDANT";
  throw new Error(`GCP external VPN gateway: expected 1, 2 or 4 peer addresses, found ${count}`);
}

export const vpn: VpnImplementation<"gcp"> = {
  endpoints: { kind: "gateway", interfaces },

  gateway(name: string, site: VpnSite<"gcp">, plan: VpnHalfPlan, parent): VpnGatewayOutputs<"gcp"> {
    const ctx = site.ctx;
    const opts = { parent, provider: ctx.provider };
    const project = ctx.site.project;
    const region = ctx.site.region;
    const base = `${ctx.stack.environment}-${ctx.role}`;
    const gateway = new HaVpnGateway(
      `${name}-gateway`,
      {
        project,
        region,
        name: fitName("gcpName", ["vpn", base]),
        network: site.networkId,
        stackType: "IPV4_ONLY",
      },
      opts,
    );
    const router = new Router(
      `${name}-router`,
      {
        project,
        region,
        name: fitName("gcpName", ["cr", base, "vpn"]),
        network: site.networkId,
        bgp: {
          asn: plan.asn,
          // Only the private and data tiers (and the private service range) cross to the other site.
          advertiseMode: "CUSTOM",
          advertisedIpRanges: plan.localPrefixes.map((range) => ({
            range,
            description: "routed to the peer site",
          })),
          keepaliveInterval: 20,
        },
      },
      opts,
    );
    // Cloud SQL lives in Google's producer network: export the learned routes over the peering.
    new NetworkPeeringRoutesConfig(
      `${name}-service-peering-routes`,
      {
        project,
        peering: serviceNetworkingPeering,
        network: site.networkId.apply((id) => id.split("/").pop() ?? id),
        exportCustomRoutes: true,
        importCustomRoutes: false,
      },
      { ...opts, dependsOn: [site.network] },
    );
    const publicIps = Array.from({ length: interfaces }, (_, i) =>
      gateway.vpnInterfaces.apply((list) => list.find((v) => v.id === i)?.ipAddress ?? ""),
    );
    return {
      gatewayId: gateway.id,
      publicIps,
      handles: { haVpnGatewayId: gateway.id, routerName: router.name },
    };
  },

  connect(name, site, gateway, plan, peer, parent): VpnConnectOutputs {
    const ctx = site.ctx;
    const opts = { parent, provider: ctx.provider };
    const project = ctx.site.project;
    const region = ctx.site.region;
    const base = `${ctx.stack.environment}-${ctx.role}`;
    const external = new ExternalVpnGateway(
      `${name}-peer`,
      {
        project,
        name: fitName("gcpName", ["peer", base]),
        description: `the ${plan.peerRole} site's VPN endpoints`,
        redundancyType: redundancy(peer.publicIps.length),
        interfaces: peer.publicIps.map((ipAddress, id) => ({ id, ipAddress })),
      },
      opts,
    );
    const connectionIds = plan.tunnels.map((tunnel) => {
      const tunnelName = fitName("gcpName", ["vpn", base, String(tunnel.index)]);
      const vpnTunnel = new VPNTunnel(
        `${name}-tunnel-${tunnel.index}`,
        {
          project,
          region,
          name: tunnelName,
          vpnGateway: gateway.handles.haVpnGatewayId,
          vpnGatewayInterface: tunnel.localInterface,
          peerExternalGateway: external.id,
          peerExternalGatewayInterface: tunnel.peerInterface,
          router: gateway.handles.routerName,
          ikeVersion: 2,
          // Write-only: sent to the API, never kept in the state.
          sharedSecretWo: peer.preSharedKeys[tunnel.index]!,
          sharedSecretWoVersion: "1",
          cipherSuite: gcpCipherSuite,
        },
        opts,
      );
      const routerInterface = new RouterInterface(
        `${name}-bgp-interface-${tunnel.index}`,
        {
          project,
          region,
          name: fitName("gcpName", ["if", base, String(tunnel.index)]),
          router: gateway.handles.routerName,
          ipRange: `${tunnel.localInsideIp}/30`,
          vpnTunnel: vpnTunnel.name,
        },
        opts,
      );
      new RouterPeer(
        `${name}-bgp-peer-${tunnel.index}`,
        {
          project,
          region,
          name: fitName("gcpName", ["peer", base, String(tunnel.index)]),
          router: gateway.handles.routerName,
          interface: routerInterface.name,
          ipAddress: tunnel.localInsideIp,
          peerIpAddress: tunnel.peerInsideIp,
          peerAsn: peer.asn,
          advertisedRoutePriority: 100,
        },
        opts,
      );
      return vpnTunnel.id;
    });
    return { publicIps: [], connectionIds };
  },
};
