/**
 * A Key Vault or storage account with public network access disabled is reachable only through a private
 * endpoint: without one in the stack, `pulumi up` succeeds but no client (nor the program's own later
 * steps that read keys or write blobs) can reach the data plane.
 */
import { finding } from "../../lib/checks";
import { list, lower, peek, record } from "../../lib/props";
import { designates, knownString, ofTypes, propertyDeps } from "../lib/graph";
import type { Finding, Rule, Subject } from "../lib/rule";

const endpointTypes = ["azure-native:network:PrivateEndpoint"];
const closed: readonly { type: string; path: string; nameKey: string; what: string; source: string }[] = [
  {
    type: "azure-native:keyvault:Vault",
    path: "properties.publicNetworkAccess",
    nameKey: "vaultName",
    what: "Key Vault",
    source: "https://learn.microsoft.com/azure/key-vault/general/private-link-service",
  },
  {
    type: "azure-native:storage:StorageAccount",
    path: "publicNetworkAccess",
    nameKey: "accountName",
    what: "storage account",
    source: "https://learn.microsoft.com/azure/storage/common/storage-private-endpoints",
  },
];

const sources = [
  {
    url: "https://learn.microsoft.com/azure/key-vault/general/network-security",
    quote:
      "Disable public access: when public network access is disabled, only private endpoint connections (and trusted services) can access the vault.",
  },
  {
    url: "https://learn.microsoft.com/azure/key-vault/general/private-link-service",
    quote:
      "A private endpoint gives the key vault a private IP address from your virtual network; clients in the network reach the vault over Private Link.",
  },
  {
    url: "https://learn.microsoft.com/azure/storage/common/storage-private-endpoints",
    quote:
      "Use private endpoints for your Azure Storage account to allow clients on a virtual network to securely access data over Private Link; you can block all public access to the storage service.",
  },
];

/** True when a private endpoint's connections target `service`. */
export function targets(endpoint: Subject, service: Subject, nameKey: string): boolean {
  if (propertyDeps(endpoint, "privateLinkServiceConnections").includes(service.urn)) return true;
  if (propertyDeps(endpoint, "manualPrivateLinkServiceConnections").includes(service.urn)) return true;
  const connections = [
    ...list(peek(endpoint.props, "privateLinkServiceConnections")),
    ...list(peek(endpoint.props, "manualPrivateLinkServiceConnections")),
  ];
  return connections.some((c) => {
    const id = record(c)["privateLinkServiceId"];
    if (typeof id !== "string") return false;
    const probe: Subject = { ...endpoint, props: { privateLinkServiceId: id }, propertyDependencies: {} };
    return designates(probe, "privateLinkServiceId", service, [nameKey]);
  });
}

export const requirePrivateEndpointForClosedServices: Rule = {
  id: "require-private-endpoint-for-closed-services",
  title: "Azure Key Vaults and storage accounts closed to the public have a private endpoint",
  category: "reachability",
  severity: "high",
  refuses:
    "With publicNetworkAccess Disabled and no private endpoint, Azure deploys the vault or account but refuses every data-plane request from outside trusted services: nothing can read keys or blobs.",
  remediation:
    "Add a private endpoint (network.PrivateEndpoint with a privateLinkServiceConnection to the vault or account, group 'vault' / 'blob') in the endpoints subnet, with its privatelink DNS zone group.",
  sources,
  stackTypes: { azure: [...closed.map((c) => c.type), ...endpointTypes] },
  stack: (subjects) => {
    const out: Finding[] = [];
    const endpoints = ofTypes(subjects, endpointTypes);
    for (const c of closed) {
      for (const service of ofTypes(subjects, [c.type])) {
        if (lower(knownString(service.props, c.path)) !== "disabled") continue;
        if (endpoints.some((e) => targets(e, service, c.nameKey))) continue;
        out.push(
          finding(
            service,
            `${c.what} '${knownString(service.props, c.nameKey) ?? service.name}' has ${c.path} Disabled but no private endpoint in the stack targets it, so no client can reach its data plane. Source: ${c.source}`,
          ),
        );
      }
    }
    return out;
  },
};
