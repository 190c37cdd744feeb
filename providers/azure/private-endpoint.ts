/**
 * A private endpoint for one sub-resource of an Azure service (Key Vault `vault`, storage `blob`, ...)
 * in the network's endpoints subnet, with a private DNS zone group that registers its address in the
 * matching `privatelink.*` zone (linked to the VNet), so the service's usual host name resolves to the
 * private address inside the network. Services closed to public networks are reachable only this way.
 *
 * The target may be in another region than the VNet (the paired-region geo-backup vault): private
 * endpoints connect across regions; the endpoint itself lives in the VNet's region.
 *
 * Source: "What is a private endpoint?" (sub-resources per service) and "Azure Private Endpoint private
 * DNS zone values", learn.microsoft.com/azure/private-link/private-endpoint-overview and
 * learn.microsoft.com/azure/private-link/private-endpoint-dns.
 */
import type * as pulumi from "@pulumi/pulumi";
import { PrivateDnsZoneGroup, PrivateEndpoint } from "@pulumi/azure-native/network";
import { fitName } from "../../components/naming";
import type { SiteContext } from "../../components/context";

/** Private DNS zone of each sub-resource we connect (Azure public cloud). */
export const privateLinkZones = {
  vault: "privatelink.vaultcore.azure.net",
  blob: "privatelink.blob.core.windows.net",
  // Azure Files (SMB and NFS shares of a storage account).
  file: "privatelink.file.core.windows.net",
  // Azure Managed Redis (Microsoft.Cache/redisEnterprise); Azure Cache for Redis would use privatelink.redis.cache.windows.net.
  redisEnterprise: "privatelink.redis.azure.net",
  // Azure Container Registry: the registry's login server and its regional data endpoints share the zone.
  registry: "privatelink.azurecr.io",
} as const;
export type PrivateLinkSubresource = keyof typeof privateLinkZones;

export interface PrivateEndpointArgs {
  /** Resource id of the service (vault, storage account). */
  readonly targetId: pulumi.Input<string>;
  /** The sub-resource (group id) to connect. */
  readonly subresource: PrivateLinkSubresource;
  /** Short purpose in names, e.g. `kv`, `st`, `flowlogs`. */
  readonly purpose: string;
  readonly resourceGroupName: pulumi.Input<string>;
  /** The network's endpoints subnet. */
  readonly subnetId: pulumi.Input<string>;
  /** The `privatelink.*` zone of the sub-resource, linked to the VNet. */
  readonly dnsZoneId: pulumi.Input<string>;
  readonly parent: pulumi.Resource;
}

export function privateEndpoint(
  name: string,
  ctx: SiteContext<"azure">,
  args: PrivateEndpointArgs,
): { endpoint: PrivateEndpoint; dnsZoneGroup: PrivateDnsZoneGroup } {
  const opts: pulumi.CustomResourceOptions = { parent: args.parent };
  const endpointName = fitName("azureName", [
    "pe",
    ctx.stack.environment,
    ctx.role,
    args.purpose,
    args.subresource,
  ]);
  const endpoint = new PrivateEndpoint(
    `${name}-pe-${args.subresource}`,
    {
      resourceGroupName: args.resourceGroupName,
      location: ctx.site.region,
      privateEndpointName: endpointName,
      customNetworkInterfaceName: fitName("azureName", [endpointName, "nic"]),
      subnet: { id: args.subnetId },
      privateLinkServiceConnections: [
        {
          name: endpointName,
          privateLinkServiceId: args.targetId,
          groupIds: [args.subresource],
        },
      ],
    },
    opts,
  );
  const dnsZoneGroup = new PrivateDnsZoneGroup(
    `${name}-pe-${args.subresource}-dns`,
    {
      resourceGroupName: args.resourceGroupName,
      privateEndpointName: endpoint.name,
      privateDnsZoneGroupName: "default",
      privateDnsZoneConfigs: [{ name: args.subresource, privateDnsZoneId: args.dnsZoneId }],
    },
    opts,
  );
  return { endpoint, dnsZoneGroup };
}
