/**
 * The site network on Azure: a virtual network in the site's resource group, one subnet per tier (Azure
 * subnets span the region's zones) plus a subnet for private endpoints, an NSG per subnet with explicit
 * rules ending in a deny-all, a NAT gateway with a zone-redundant public IP on the private tier, a
 * blackhole default route on the data tier (delegated to PostgreSQL flexible server), VNet flow logs
 * through Network Watcher (NSG flow logs can no longer be created) to a storage account encrypted with
 * the site's Key Vault key, and the private DNS zones later components need, linked to the VNet.
 *
 * Administration: no SSH/RDP is opened anywhere; use Azure Bastion (an `AzureBastionSubnet` /26 added
 * to the VNet) with Entra ID login, documented in the README, not deployed by default.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  FlowLog,
  NatGateway,
  NetworkSecurityGroup,
  PublicIPAddress,
  RouteTable,
  Subnet,
  type SubnetArgs,
  VirtualNetwork,
} from "@pulumi/azure-native/network";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import { PrivateZone, VirtualNetworkLink } from "@pulumi/azure-native/privatedns";
import { BlobServiceProperties, StorageAccount } from "@pulumi/azure-native/storage";
import { DiagnosticSetting } from "@pulumi/azure-native/monitor/diagnosticSetting";
import { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity";
import { RoleAssignment } from "@pulumi/azure-native/authorization";
import { fitName, uniqueName } from "../../components/naming";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import { regionInfo } from "../../components/regions";
import type {
  CrossSiteAccess,
  NetworkBuildInputs,
  NetworkOutputs,
  NetworkSubnet,
  NetworkTier,
  PrivateAccessHandles,
} from "../../components/network";
import { dataPorts } from "../../components/subnets";
import { resourceGroupFor } from "./resource-group";
import { siteKeyEncryption, storageSku, versionLevelImmutability } from "./storage-account";
import { privateEndpoint, privateLinkZones } from "./private-endpoint";
import { overlayRanges, siteAddressSpaces } from "./aks-network";

type SecurityRule = azureInputs.network.SecurityRuleArgs;

/** Built-in role "Storage Blob Data Contributor": the flow-log identity writes blobs, nothing else. */
const storageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

/**
 * Azure Cache for Redis also listens on 6380 (TLS); the flexible server's built-in PgBouncer on 6432
 * (learn.microsoft.com/azure/postgresql/flexible-server/concepts-pgbouncer); PostgreSQL HA and read
 * replicas replicate on 5432 inside its subnet.
 */
const azureDataPorts = [...Object.values(dataPorts), 6380, 6432].map(String);

/** Private DNS zones for the later components (names from Azure's private endpoint DNS reference). */
const privateDnsZones: Record<keyof PrivateAccessHandles["azure"]["privateDnsZoneIds"], string> = {
  // VNet-integrated PostgreSQL flexible server: the zone must end in `.postgres.database.azure.com`.
  postgres: "private.postgres.database.azure.com",
  blob: privateLinkZones.blob,
  vault: privateLinkZones.vault,
  redis: privateLinkZones.redisEnterprise,
  file: privateLinkZones.file,
  registry: privateLinkZones.registry,
};

function rule(
  name: string,
  priority: number,
  direction: "Inbound" | "Outbound",
  access: "Allow" | "Deny",
  protocol: "Tcp" | "*",
  from: string | string[],
  to: string | string[],
  ports: string | string[] = "*",
): SecurityRule {
  return {
    name,
    priority,
    direction,
    access,
    protocol,
    sourcePortRange: "*",
    ...(Array.isArray(from) ? { sourceAddressPrefixes: from } : { sourceAddressPrefix: from }),
    ...(Array.isArray(to) ? { destinationAddressPrefixes: to } : { destinationAddressPrefix: to }),
    ...(Array.isArray(ports) ? { destinationPortRanges: ports } : { destinationPortRange: ports }),
  };
}

const denyAllInbound = rule("deny-all-inbound", 4096, "Inbound", "Deny", "*", "*", "*");

/**
 * Priorities of the data NSG's cross-site rules: inbound after the tier's own allowances (100, 110);
 * outbound before `allow-vnet` (120), which would otherwise admit every port towards the peer.
 */
export const crossSitePriorities = { inbound: 200, outboundAllow: 114, outboundDeny: 116 } as const;

/**
 * The data NSG's rules for the other site: the cross-site ports from the peer's blocks (its replication
 * service reading this site's flexible server), and to them (this site's migration service, which connects
 * from the flexible server in this subnet, reading the peer's database) with every other port towards the
 * peer denied: the VirtualNetwork tag of `allow-vnet` includes the prefixes the VPN gateway learns
 * (https://learn.microsoft.com/azure/virtual-network/service-tags-overview). NSGs are stateful: replies
 * need no rule.
 */
export function crossSiteRules(access: CrossSiteAccess | undefined, dataCidr: string): SecurityRule[] {
  if (!access) return [];
  const peer = [...access.cidrs];
  const ports = access.ports.map(String);
  const p = crossSitePriorities;
  return [
    rule("allow-db-from-peer-site", p.inbound, "Inbound", "Allow", "Tcp", peer, dataCidr, ports),
    rule("allow-db-to-peer-site", p.outboundAllow, "Outbound", "Allow", "Tcp", dataCidr, peer, ports),
    rule("deny-other-to-peer-site", p.outboundDeny, "Outbound", "Deny", "*", dataCidr, peer),
  ];
}

export function network(
  name: string,
  ctx: SiteContext<"azure">,
  inputs: NetworkBuildInputs<"azure">,
): NetworkOutputs<"azure"> {
  const { plan, keys, logSinkId, parent } = inputs;
  const opts = { parent };
  const rg = resourceGroupFor(ctx, parent);
  const location = ctx.site.region;
  const env = ctx.stack.environment;
  /** A name of the generic Azure kind from parts around the site's `<env>-<role>`. */
  const nameOf = (prefix: string, ...rest: string[]) =>
    fitName("azureName", [prefix, env, ctx.role, ...rest]);
  const cidrOf = (tier: string) => plan.subnets.find((s) => s.tier === tier)!.cidr;
  // The site's AKS cluster (providers/azure/cluster.ts): Azure CNI Overlay pods and the API server subnet.
  const podCidr = overlayRanges(siteAddressSpaces(ctx.stack)).podCidr;
  const clusterAuthorizedCidrs = ctx.production ? [] : [...(ctx.site.cluster?.authorizedCidrs ?? [])];

  const vnet = new VirtualNetwork(
    `${name}-vnet`,
    {
      resourceGroupName: rg.name,
      location,
      virtualNetworkName: nameOf("vnet"),
      addressSpace: { addressPrefixes: [plan.addressSpace] },
      enableDdosProtection: false,
    },
    opts,
  );

  // Traffic rules: explicit allowances, then a deny-all that overrides Azure's AllowVnetInBound.
  const nsgRules: Record<NetworkTier | "endpoints" | "apiserver", SecurityRule[]> = {
    public: [
      rule("allow-http-https-from-internet", 100, "Inbound", "Allow", "Tcp", "Internet", cidrOf("public"), [
        "80",
        "443",
      ]),
      rule("allow-load-balancer-probes", 110, "Inbound", "Allow", "*", "AzureLoadBalancer", "*"),
      // The public subnet is the edge's Application Gateway v2 subnet (components/ingress.ts): Azure's
      // infrastructure manages the gateway on 65200-65535 from the GatewayManager tag, and refuses to create
      // or update a v2 gateway whose subnet NSG blocks it
      // (https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure#network-security-groups).
      rule("allow-gateway-manager", 120, "Inbound", "Allow", "Tcp", "GatewayManager", "*", "65200-65535"),
      denyAllInbound,
    ],
    private: [
      rule("allow-from-public", 100, "Inbound", "Allow", "*", cidrOf("public"), cidrOf("private")),
      rule("allow-from-private", 110, "Inbound", "Allow", "*", cidrOf("private"), cidrOf("private")),
      rule("allow-load-balancer-probes", 120, "Inbound", "Allow", "*", "AzureLoadBalancer", "*"),
      // AKS with Azure CNI Overlay: node-to-pod and pod-to-pod traffic, and the API server (VNet
      // integration) reaching the kubelets (https://learn.microsoft.com/azure/aks/azure-cni-overlay).
      rule(
        "allow-aks-overlay",
        130,
        "Inbound",
        "Allow",
        "*",
        [cidrOf("private"), podCidr, cidrOf("apiserver")],
        [cidrOf("private"), podCidr],
      ),
      denyAllInbound,
    ],
    data: [
      rule(
        "allow-data-ports-from-private",
        100,
        "Inbound",
        "Allow",
        "Tcp",
        cidrOf("private"),
        cidrOf("data"),
        [...azureDataPorts],
      ),
      rule(
        "allow-ha-replication-within-data",
        110,
        "Inbound",
        "Allow",
        "Tcp",
        cidrOf("data"),
        cidrOf("data"),
        ["5432"],
      ),
      ...crossSiteRules(plan.crossSite, cidrOf("data")),
      denyAllInbound,
      // PostgreSQL flexible server archives WAL and backups to Azure Storage and authenticates with Entra.
      rule("allow-storage", 100, "Outbound", "Allow", "Tcp", cidrOf("data"), "Storage", "443"),
      rule("allow-entra-id", 110, "Outbound", "Allow", "Tcp", cidrOf("data"), "AzureActiveDirectory", "443"),
      rule("allow-vnet", 120, "Outbound", "Allow", "*", cidrOf("data"), "VirtualNetwork"),
      rule("deny-internet", 4096, "Outbound", "Deny", "*", "*", "Internet"),
    ],
    endpoints: [
      rule("allow-from-private", 100, "Inbound", "Allow", "*", cidrOf("private"), cidrOf("endpoints")),
      denyAllInbound,
    ],
    // The AKS API server's internal load balancer: HTTPS from the nodes (and, outside production, from the
    // cluster's authorized CIDRs when it has a public endpoint), the load balancer's probes, nothing else.
    apiserver: [
      rule(
        "allow-https-from-private",
        100,
        "Inbound",
        "Allow",
        "Tcp",
        cidrOf("private"),
        cidrOf("apiserver"),
        "443",
      ),
      rule("allow-load-balancer-probes", 110, "Inbound", "Allow", "*", "AzureLoadBalancer", "*"),
      ...(clusterAuthorizedCidrs.length > 0
        ? [
            rule(
              "allow-https-from-authorized",
              120,
              "Inbound",
              "Allow",
              "Tcp",
              clusterAuthorizedCidrs,
              cidrOf("apiserver"),
              "443",
            ),
          ]
        : []),
      denyAllInbound,
    ],
  };
  const nsgs = Object.fromEntries(
    (["public", "private", "data", "endpoints", "apiserver"] as const).map((tier) => [
      tier,
      new NetworkSecurityGroup(
        `${name}-nsg-${tier}`,
        {
          resourceGroupName: rg.name,
          location,
          networkSecurityGroupName: nameOf("nsg", tier),
          securityRules: nsgRules[tier],
        },
        opts,
      ),
    ]),
  ) as Record<NetworkTier | "endpoints" | "apiserver", NetworkSecurityGroup>;

  // Egress for the private tier. An Azure subnet takes one NAT gateway and spans the zones, so `single`
  // and `perZone` both give one Standard NAT gateway whose public IP is zone-redundant.
  const zoned = (regionInfo("azure", location)?.zones.length ?? 0) > 0;
  let natGateway: NatGateway | undefined;
  if (plan.egress !== "none") {
    const ip = new PublicIPAddress(
      `${name}-nat-ip`,
      {
        resourceGroupName: rg.name,
        location,
        publicIpAddressName: nameOf("pip", "nat"),
        sku: { name: "Standard", tier: "Regional" },
        publicIPAllocationMethod: "Static",
        publicIPAddressVersion: "IPv4",
        ...(zoned ? { zones: ["1", "2", "3"] } : {}),
      },
      opts,
    );
    natGateway = new NatGateway(
      `${name}-nat`,
      {
        resourceGroupName: rg.name,
        location,
        natGatewayName: nameOf("ng"),
        sku: { name: "Standard" },
        idleTimeoutInMinutes: 4,
        publicIpAddresses: [{ id: ip.id }],
      },
      opts,
    );
    // NAT gateway metrics: https://learn.microsoft.com/azure/nat-gateway/nat-metrics
    const nat = (metricName: string, aggregation: "Total" | "Average") => ({
      resourceId: natGateway!.id,
      namespace: "Microsoft.Network/natGateways",
      metricName,
      aggregation,
    });
    inputs.dashboard?.add(
      {
        cloud: "azure",
        section: "network",
        title: "NAT bytes",
        unit: "Bytes",
        metric: nat("ByteCount", "Total"),
      },
      {
        cloud: "azure",
        section: "network",
        title: "NAT dropped packets",
        unit: "Count",
        thresholds: { warning: 1 },
        metric: nat("PacketDropCount", "Total"),
      },
      {
        cloud: "azure",
        section: "network",
        title: "NAT SNAT connections",
        unit: "Count",
        metric: nat("SNATConnectionCount", "Total"),
      },
    );
  }
  // The data tier: no route to the internet at all (a blackhole default route).
  const dataRoutes = new RouteTable(
    `${name}-rt-data`,
    {
      resourceGroupName: rg.name,
      location,
      routeTableName: nameOf("rt", "data"),
      // Routes learned over the interconnect's BGP sessions reach the data tier (replication to the other
      // site); the blackhole default route above still wins over any learned 0.0.0.0/0 (a user route
      // beats a BGP route of the same prefix).
      disableBgpRoutePropagation: false,
      routes: [{ name: "no-internet", addressPrefix: "0.0.0.0/0", nextHopType: "None" }],
    },
    opts,
  );

  // Subnets one after the other: Azure rejects concurrent changes to subnets of one VNet.
  let previous: Subnet | undefined;
  const subnet = (tier: NetworkTier | "endpoints" | "apiserver", extra: Partial<SubnetArgs>) => {
    const s = new Subnet(
      `${name}-subnet-${tier}`,
      {
        resourceGroupName: rg.name,
        virtualNetworkName: vnet.name,
        subnetName: fitName("azureName", ["snet", tier]),
        addressPrefix: cidrOf(tier),
        networkSecurityGroup: { id: nsgs[tier].id },
        // No implicit outbound IP: egress only through the NAT gateway.
        defaultOutboundAccess: false,
        ...extra,
      },
      { ...opts, ...(previous ? { dependsOn: [previous] } : {}) },
    );
    previous = s;
    return s;
  };
  const publicSubnet = subnet("public", {});
  const privateSubnet = subnet("private", natGateway ? { natGateway: { id: natGateway.id } } : {});
  const dataSubnet = subnet("data", {
    routeTable: { id: dataRoutes.id },
    serviceEndpoints: [{ service: "Microsoft.Storage" }],
    delegations: [
      { name: "postgres-flexible-server", serviceName: "Microsoft.DBforPostgreSQL/flexibleServers" },
    ],
  });
  const endpointsSubnet = subnet("endpoints", { privateEndpointNetworkPolicies: "Enabled" });
  // Dedicated to the AKS API server (API Server VNet Integration needs a delegated subnet of its own).
  const apiServerSubnet = subnet("apiserver", {
    delegations: [{ name: "aks-apiserver", serviceName: "Microsoft.ContainerService/managedClusters" }],
  });

  // Flow logs: VNet flow logs to a storage account encrypted with the site key (customer-managed,
  // through the site's key identity), written by a dedicated identity with blob data access only.
  const flowLogIdentity = new UserAssignedIdentity(
    `${name}-flow-logs-identity`,
    { resourceGroupName: rg.name, location, resourceName: nameOf("id", "flowlogs") },
    opts,
  );
  const account = new StorageAccount(
    `${name}-flow-logs`,
    {
      resourceGroupName: rg.name,
      location,
      // 3-24 lowercase letters and digits, globally unique.
      accountName: uniqueName(
        "azureStorageAccount",
        ["st", env, ctx.role.slice(0, 3), "fl"],
        ctx.uniqueSuffix,
      ),
      kind: "StorageV2",
      // Production: geo-redundant with read access in the paired region (audit logs survive a regional
      // outage), where the region has a pair.
      sku: { name: storageSku(ctx, ctx.production) },
      accessTier: "Hot",
      ...siteKeyEncryption(keys),
      // Flow logs are audit evidence (PCI DSS 10.3.2): in production every blob version is WORM for the
      // retention period. Network Watcher's appends create new versions; old ones cannot change. Created
      // Unlocked (Azure refuses Locked at creation); `storage.lockImmutability` locks it later.
      ...(ctx.production ? versionLevelImmutability(ctx, plan.flowLogRetentionDays) : {}),
      minimumTlsVersion: "TLS1_2",
      enableHttpsTrafficOnly: true,
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      allowCrossTenantReplication: false,
      isHnsEnabled: false,
      publicNetworkAccess: "Enabled",
      // Network Watcher writes as a trusted Azure service; readers come through the private endpoint.
      networkRuleSet: {
        defaultAction: "Deny",
        bypass: "AzureServices",
        ipRules: [],
        virtualNetworkRules: [],
      },
    },
    // The account wraps its keys with the site key from its first second: after the identity's grant.
    statefulOptions(ctx, { ...opts, dependsOn: [keys.keyAccess] }),
  );
  const flowLogBlobs = new BlobServiceProperties(
    `${name}-flow-logs-blob-service`,
    {
      resourceGroupName: rg.name,
      accountName: account.name,
      blobServicesName: "default",
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days: 30, allowPermanentDelete: false },
      containerDeleteRetentionPolicy: { enabled: true, days: 30 },
    },
    opts,
  );
  if (logSinkId) {
    // Who read or changed the flow logs: blob access logs to the site's Log Analytics workspace.
    new DiagnosticSetting(
      `${name}-flow-logs-diagnostics`,
      {
        name: "blob-access-logs",
        resourceUri: pulumi.interpolate`${account.id}/blobServices/default`,
        workspaceId: logSinkId,
        logAnalyticsDestinationType: "Dedicated",
        logs: [{ categoryGroup: "allLogs", enabled: true }],
        metrics: [{ category: "Transaction", enabled: true }],
      },
      { ...opts, dependsOn: [flowLogBlobs] },
    );
  }
  const flowLogWriter = new RoleAssignment(
    `${name}-flow-logs-writer`,
    {
      principalId: flowLogIdentity.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: `/subscriptions/${ctx.site.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${storageBlobDataContributor}`,
      scope: account.id,
    },
    opts,
  );
  const watcher = ctx.site.network?.networkWatcher ?? {
    // Azure creates one Network Watcher per region and subscription, here, on the first VNet.
    resourceGroup: "NetworkWatcherRG",
    name: `NetworkWatcher_${location}`,
  };
  const flowLog = new FlowLog(
    `${name}-flow-log`,
    {
      resourceGroupName: watcher.resourceGroup,
      networkWatcherName: watcher.name,
      flowLogName: nameOf("fl", "vnet"),
      location,
      targetResourceId: vnet.id,
      storageId: account.id,
      enabled: true,
      format: { type: "JSON", version: 2 },
      retentionPolicy: { enabled: true, days: plan.flowLogRetentionDays },
      identity: { type: "UserAssigned", userAssignedIdentities: [flowLogIdentity.id] },
    },
    // Network Watcher writes with the identity: only once it may (Storage Blob Data Contributor).
    { ...opts, dependsOn: [flowLogWriter] },
  );

  // Private DNS zones the database, storage, key and cache components resolve through.
  const zoneIds = {} as Record<keyof typeof privateDnsZones, pulumi.Output<string>>;
  for (const [purpose, zoneName] of Object.entries(privateDnsZones) as [
    keyof typeof privateDnsZones,
    string,
  ][]) {
    const zone = new PrivateZone(
      `${name}-dns-${purpose}`,
      { resourceGroupName: rg.name, location: "global", privateZoneName: zoneName },
      opts,
    );
    const link = new VirtualNetworkLink(
      `${name}-dns-${purpose}-link`,
      {
        resourceGroupName: rg.name,
        location: "global",
        privateZoneName: zone.name,
        virtualNetworkLinkName: nameOf("link-vnet"),
        virtualNetwork: { id: vnet.id },
        registrationEnabled: false,
      },
      opts,
    );
    // Consumers (PostgreSQL, private endpoint DNS zone groups) get the zone once it is linked to the VNet.
    zoneIds[purpose] = pulumi.all([link.id, zone.id]).apply(([, id]) => id);
  }

  // Private endpoints: the Key Vault (public network access disabled in production, firewall closed
  // everywhere) and the flow-log account (firewall closed) are reachable from the VNet only this way.
  privateEndpoint(`${name}-key-vault`, ctx, {
    targetId: keys.vaultId,
    subresource: "vault",
    purpose: "kv",
    resourceGroupName: rg.name,
    subnetId: endpointsSubnet.id,
    dnsZoneId: zoneIds.vault,
    parent,
  });
  privateEndpoint(`${name}-flow-logs`, ctx, {
    targetId: account.id,
    subresource: "blob",
    purpose: "flowlogs",
    resourceGroupName: rg.name,
    subnetId: endpointsSubnet.id,
    dnsZoneId: zoneIds.blob,
    parent,
  });

  const regional = (tier: NetworkTier, s: Subnet): NetworkSubnet[] => [
    { tier, zone: undefined, cidr: cidrOf(tier), id: s.id },
  ];
  return {
    networkId: vnet.id,
    subnets: {
      public: regional("public", publicSubnet),
      private: regional("private", privateSubnet),
      data: regional("data", dataSubnet),
    },
    trafficRules: { public: nsgs.public.id, private: nsgs.private.id, data: nsgs.data.id },
    flowLogs: { id: flowLog.id, destination: account.id, retentionDays: plan.flowLogRetentionDays },
    privateAccess: {
      resourceGroupName: rg.name,
      endpointsSubnetId: endpointsSubnet.id,
      postgresSubnetId: dataSubnet.id,
      privateDnsZoneIds: zoneIds,
      apiServerSubnetId: apiServerSubnet.id,
    },
  };
}
