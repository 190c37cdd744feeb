/**
 * The Azure half of the interconnect: an active-active, route-based VPN gateway with BGP in the VNet's
 * `GatewaySubnet` (the `gateway` block the network plan reserves, /27 in a /16), two Standard static
 * public IPs (zone-redundant where the region has zones), a zone-redundant SKU (`VpnGw2AZ`,
 * Generation2, in production; `VpnGw1AZ`, Generation1, otherwise: VpnGw1AZ exists only in Generation1),
 * custom APIPA BGP addresses per instance, then one local network gateway and one connection per
 * tunnel of the plan: IKEv2, a custom IPsec/IKE policy (GCMAES256, SHA384, ECP384, PFS ECP384), BGP,
 * the tunnel's pre-shared key, and the instance's APIPA address for that tunnel. Gateway diagnostics
 * (IKE, tunnel, route logs) go to the site's Log Analytics workspace.
 *
 * Constraints encoded (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-howto-aws-bgp,
 * https://learn.microsoft.com/azure/vpn-gateway/bgp-howto,
 * https://learn.microsoft.com/azure/vpn-gateway/ipsec-ike-policy-howto): the subnet must be named
 * `GatewaySubnet` and carry no NSG; custom BGP (APIPA) addresses must lie in 169.254.21.0-169.254.22.255;
 * an active-passive gateway takes one APIPA address only, so several tunnels need active-active; every
 * connection names one custom BGP address per gateway instance; the gateway's ASN must avoid 65515-65520.
 */
import { fitName } from "../../components/naming";
import * as pulumi from "@pulumi/pulumi";
import {
  LocalNetworkGateway,
  PublicIPAddress,
  Subnet,
  VirtualNetworkGateway,
  VirtualNetworkGatewayConnection,
} from "@pulumi/azure-native/network";
import { DiagnosticSetting } from "@pulumi/azure-native/monitor/diagnosticSetting";
import type {
  VpnConnectOutputs,
  VpnGatewayOutputs,
  VpnHalfPlan,
  VpnImplementation,
  VpnSite,
} from "../../components/interconnect";
import { regionInfo } from "../../components/regions";

/** Active-active: two gateway instances, one public IP each. */
const instances = 2;

/** The interconnect's proposal in Azure's tokens (custom IPsec/IKE policy). */
export const azureIpsecPolicy = {
  ikeEncryption: "GCMAES256",
  ikeIntegrity: "SHA384",
  dhGroup: "ECP384",
  ipsecEncryption: "GCMAES256",
  ipsecIntegrity: "GCMAES256",
  pfsGroup: "ECP384",
  saLifeTimeSeconds: 3600,
  saDataSizeKilobytes: 102400000,
} as const;

export const vpn: VpnImplementation<"azure"> = {
  endpoints: { kind: "gateway", interfaces: instances },

  gateway(name: string, site: VpnSite<"azure">, plan: VpnHalfPlan, parent): VpnGatewayOutputs<"azure"> {
    const ctx = site.ctx;
    const opts = { parent, provider: ctx.provider };
    const location = ctx.site.region;
    const base = `${ctx.stack.environment}-${ctx.role}`;
    const rgName = site.privateAccess.resourceGroupName;
    const block = site.networkPlan.subnets.find((s) => s.tier === "gateway");
    if (!block) throw new Error("Azure VPN: the network plan has no `gateway` block for the GatewaySubnet");
    const vnetName = site.networkId.apply((id) => id.split("/").pop() ?? id);

    // After the site network: Azure rejects concurrent changes to subnets of one VNet. No NSG and no
    // route table: Azure does not support either on the GatewaySubnet.
    const subnet = new Subnet(
      `${name}-gateway-subnet`,
      {
        resourceGroupName: rgName,
        virtualNetworkName: vnetName,
        subnetName: "GatewaySubnet",
        addressPrefix: block.cidr,
      },
      { ...opts, dependsOn: [site.network] },
    );
    const zoned = (regionInfo("azure", location)?.zones.length ?? 0) > 0;
    const ips = Array.from(
      { length: instances },
      (_, i) =>
        new PublicIPAddress(
          `${name}-gateway-ip-${i}`,
          {
            resourceGroupName: rgName,
            location,
            publicIpAddressName: fitName("azureName", ["pip", base, "vpn", String(i)]),
            sku: { name: "Standard", tier: "Regional" },
            publicIPAllocationMethod: "Static",
            publicIPAddressVersion: "IPv4",
            ...(zoned ? { zones: ["1", "2", "3"] } : {}),
          },
          opts,
        ),
    );
    const gatewayName = fitName("azureName", ["vgw", base]);
    const gatewayId = pulumi.interpolate`/subscriptions/${ctx.site.subscriptionId}/resourceGroups/${rgName}/providers/Microsoft.Network/virtualNetworkGateways/${gatewayName}`;
    const ipConfigName = (i: number) => `ipconfig-${i}`;
    const ipConfigurationIds = ips.map(
      (_, i) => pulumi.interpolate`${gatewayId}/ipConfigurations/${ipConfigName(i)}`,
    );
    const apipa = (i: number) => [
      ...new Set(plan.tunnels.filter((t) => t.localInterface === i).map((t) => t.localInsideIp)),
    ];
    const gateway = new VirtualNetworkGateway(
      `${name}-gateway`,
      {
        resourceGroupName: rgName,
        location,
        virtualNetworkGatewayName: gatewayName,
        gatewayType: "Vpn",
        vpnType: "RouteBased",
        // Zone-redundant SKUs; VpnGw1AZ exists only in Generation1.
        sku: ctx.production ? { name: "VpnGw2AZ", tier: "VpnGw2AZ" } : { name: "VpnGw1AZ", tier: "VpnGw1AZ" },
        vpnGatewayGeneration: ctx.production ? "Generation2" : "Generation1",
        activeActive: true,
        enableBgp: true,
        enablePrivateIpAddress: false,
        ipConfigurations: ips.map((ip, i) => ({
          name: ipConfigName(i),
          privateIPAllocationMethod: "Dynamic",
          publicIPAddress: { id: ip.id },
          subnet: { id: subnet.id },
        })),
        bgpSettings: {
          asn: plan.asn,
          bgpPeeringAddresses: ips.map((_, i) => ({
            ipconfigurationId: ipConfigurationIds[i]!,
            customBgpIpAddresses: apipa(i),
          })),
        },
      },
      opts,
    );
    new DiagnosticSetting(
      `${name}-gateway-diagnostics`,
      {
        name: "vpn-gateway-logs",
        resourceUri: gateway.id,
        workspaceId: site.logSinkId,
        logAnalyticsDestinationType: "Dedicated",
        logs: [{ categoryGroup: "allLogs", enabled: true }],
        metrics: [{ category: "AllMetrics", enabled: true }],
      },
      opts,
    );
    return {
      gatewayId: gateway.id,
      publicIps: ips.map((ip) => ip.ipAddress.apply((a) => a ?? "")),
      handles: { resourceGroupName: rgName, gatewayId: gateway.id, ipConfigurationIds },
    };
  },

  connect(name, site, gateway, plan, peer, parent): VpnConnectOutputs {
    const ctx = site.ctx;
    const opts = { parent, provider: ctx.provider };
    const location = ctx.site.region;
    const base = `${ctx.stack.environment}-${ctx.role}`;
    const rgName = gateway.handles.resourceGroupName;
    // Each instance's own APIPA address per tunnel slot (the tunnel's when it is the instance's tunnel).
    const instanceAddress = (instance: number, fallbackIndex: number): string => {
      const own = plan.tunnels.filter((t) => t.localInterface === instance);
      return (own.find((t) => t.index % 2 === fallbackIndex % 2) ?? own[0])!.localInsideIp;
    };
    const connectionIds = plan.tunnels.map((tunnel) => {
      const lng = new LocalNetworkGateway(
        `${name}-peer-${tunnel.index}`,
        {
          resourceGroupName: rgName,
          location,
          localNetworkGatewayName: fitName("azureName", ["lgw", base, "peer", String(tunnel.index)]),
          gatewayIpAddress: peer.publicIps[tunnel.peerInterface]!,
          // BGP only: no static prefixes; the peer's BGP address is its inside-tunnel address.
          localNetworkAddressSpace: { addressPrefixes: [] },
          bgpSettings: { asn: peer.asn, bgpPeeringAddress: tunnel.peerInsideIp },
        },
        opts,
      );
      const connection = new VirtualNetworkGatewayConnection(
        `${name}-connection-${tunnel.index}`,
        {
          resourceGroupName: rgName,
          location,
          virtualNetworkGatewayConnectionName: fitName("azureName", [
            "con",
            base,
            "peer",
            String(tunnel.index),
          ]),
          connectionType: "IPsec",
          connectionProtocol: "IKEv2",
          connectionMode: "Default",
          virtualNetworkGateway1: { id: gateway.handles.gatewayId },
          localNetworkGateway2: { id: lng.id },
          enableBgp: true,
          sharedKey: peer.preSharedKeys[tunnel.index]!,
          usePolicyBasedTrafficSelectors: false,
          dpdTimeoutSeconds: 45,
          ipsecPolicies: [{ ...azureIpsecPolicy }],
          gatewayCustomBgpIpAddresses: gateway.handles.ipConfigurationIds.map((ipConfigurationId, i) => ({
            ipConfigurationId,
            customBgpIpAddress:
              i === tunnel.localInterface ? tunnel.localInsideIp : instanceAddress(i, tunnel.index),
          })),
        },
        opts,
      );
      return connection.id;
    });
    return { publicIps: [], connectionIds };
  },
};
