/**
 * Application Gateway v2 (Standard_v2, WAF_v2) refuses to be created or updated when its subnet breaks the
 * infrastructure requirements, and Azure checks them only when `pulumi up` runs:
 *
 * - the subnet's NSG must admit the GatewayManager service tag on TCP 65200-65535 before any deny, and must
 *   not block AzureLoadBalancer probes (an explicit deny-all needs an explicit AzureLoadBalancer allow
 *   before it, since the default AllowAzureLoadBalancerInBound at 65001 then never applies);
 * - the subnet is dedicated to Application Gateways (no other resource, no delegation to another service);
 * - in zone-redundant deployments the frontend public IP must cover every zone the gateway uses.
 *
 * Gateways, subnets, NSGs and public IPs are linked through the engine's property dependencies (preview) or
 * known ids.
 */
import { finding } from "../../lib/checks";
import { list, lower, peek, UNKNOWN } from "../../lib/props";
import { byUrn, ofTypes, propertyDeps } from "../lib/graph";
import type { Finding, Rule, Subject } from "../lib/rule";

const gatewayTypes = ["azure-native:network:ApplicationGateway"];
const subnetTypes = ["azure-native:network:Subnet"];
const nsgTypes = ["azure-native:network:NetworkSecurityGroup"];
const ipTypes = ["azure-native:network:PublicIPAddress"];
/** Resources that may reference the gateway subnet without occupying it. */
const neutral = new Set([
  ...gatewayTypes,
  ...subnetTypes,
  ...nsgTypes,
  "azure-native:network:VirtualNetwork",
  "azure-native:network:FlowLog",
  "azure-native:monitor:DiagnosticSetting",
  "azure-native:authorization:RoleAssignment",
]);

const managementPorts = { from: 65200, to: 65535 };

/** True when a port spec ("*", "80", "100-200") covers every port of [from, to]. */
function covers(spec: unknown, from: number, to: number): boolean {
  if (typeof spec !== "string") return false;
  if (spec === "*") return true;
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec.trim());
  if (!m) return false;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  return lo <= from && hi >= to;
}
/** True when a port spec overlaps [from, to]. */
function touches(spec: unknown, from: number, to: number): boolean {
  if (typeof spec !== "string") return false;
  if (spec === "*") return true;
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec.trim());
  if (!m) return false;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  return lo <= to && hi >= from;
}

interface NsgRule {
  readonly name: string;
  readonly priority: number;
  readonly inbound: boolean;
  readonly allow: boolean;
  readonly sources: string[];
  readonly ports: unknown[];
  readonly protocol: string;
}

function rulesOf(nsg: Subject): NsgRule[] {
  return list(peek(nsg.props, "securityRules")).map((r) => ({
    name: String(peek(r, "name") ?? "?"),
    priority: Number(peek(r, "priority") ?? 65500),
    inbound: lower(peek(r, "direction")) === "inbound",
    allow: lower(peek(r, "access")) === "allow",
    sources: [peek(r, "sourceAddressPrefix"), ...list(peek(r, "sourceAddressPrefixes"))]
      .filter((s): s is string => typeof s === "string")
      .map((s) => s.toLowerCase()),
    ports: [peek(r, "destinationPortRange"), ...list(peek(r, "destinationPortRanges"))].filter(
      (p) => p !== undefined,
    ),
    protocol: lower(peek(r, "protocol")) || "*",
  }));
}

/** Why the NSG keeps the gateway's infrastructure out, or nothing. */
export function nsgProblems(rules: readonly NsgRule[]): string[] {
  const out: string[] = [];
  const inbound = [...rules].filter((r) => r.inbound).sort((a, b) => a.priority - b.priority);
  const fromAny = (r: NsgRule, tag: string) => r.sources.some((s) => s === "*" || s === tag || s === "any");
  const tcp = (r: NsgRule) => r.protocol === "*" || r.protocol === "tcp";
  const { from, to } = managementPorts;
  const gm = inbound.find(
    (r) =>
      tcp(r) &&
      fromAny(r, "gatewaymanager") &&
      (r.allow ? r.ports.some((p) => covers(p, from, to)) : r.ports.some((p) => touches(p, from, to))),
  );
  if (!gm || !gm.allow)
    out.push(
      gm
        ? `NSG rule ${gm.name} (priority ${gm.priority}) denies GatewayManager on TCP ${from}-${to} before any allow`
        : `the subnet's NSG does not admit the GatewayManager service tag on TCP ${from}-${to}`,
    );
  const lb = inbound.find((r) => fromAny(r, "azureloadbalancer"));
  if (lb && !lb.allow)
    out.push(
      `NSG rule ${lb.name} (priority ${lb.priority}) denies AzureLoadBalancer (the gateway's health probes)`,
    );
  return out;
}

function subnetsOf(gateway: Subject, index: Map<string, Subject>, subnets: readonly Subject[]): Subject[] {
  const found = new Map<string, Subject>();
  for (const urn of propertyDeps(gateway, "gatewayIPConfigurations")) {
    const s = index.get(urn);
    if (s && subnetTypes.includes(s.type)) found.set(s.urn, s);
  }
  for (const c of list(peek(gateway.props, "gatewayIPConfigurations"))) {
    const id = peek(c, "subnet.id");
    if (typeof id !== "string") continue;
    for (const s of subnets) {
      const name = peek(s.props, "subnetName");
      if (
        peek(s.props, "id") === id ||
        (typeof name === "string" && id.toLowerCase().endsWith(`/subnets/${name.toLowerCase()}`))
      )
        found.set(s.urn, s);
    }
  }
  return [...found.values()];
}

export const requireAppGatewaySubnetRequirements: Rule = {
  id: "require-app-gateway-subnet-requirements",
  title: "Application Gateway v2 subnets admit the gateway's infrastructure and hold nothing else",
  category: "topology",
  severity: "critical",
  refuses:
    "Azure refuses to create or update an Application Gateway v2 whose subnet NSG blocks GatewayManager on TCP 65200-65535 or AzureLoadBalancer, whose subnet holds other resources or a delegation to another service, or whose frontend public IP does not cover the gateway's zones.",
  remediation:
    "Give the gateway a dedicated subnet (the network's public tier on Azure); its NSG allows GatewayManager TCP 65200-65535 and AzureLoadBalancer before any deny-all; put the gateway's zones in its public IP's zones (zone-redundant: 1, 2, 3).",
  sources: [
    {
      url: "https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure#network-security-groups",
      quote:
        "You must allow incoming Internet traffic on TCP ports 65200-65535 for the v2 SKU with the destination subnet as Any and source as GatewayManager service tag. Don't block the AzureLoadBalancer service tag. Configurations that break these requirements are rejected: the gateway can't be created or updated.",
    },
    {
      url: "https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure#virtual-network-and-dedicated-subnet",
      quote:
        "An application gateway is a dedicated deployment in your virtual network. Within your virtual network, a dedicated subnet is required for the application gateway. You can have multiple instances of a given application gateway deployment in a subnet. You can also deploy other application gateways in the subnet. But you can't deploy any other resource in the application gateway subnet.",
    },
    {
      url: "https://learn.microsoft.com/azure/application-gateway/configuration-frontend-ip",
      quote:
        "In availability zone-enabled regions, the frontend public IP address must be configured for all availability zones used by the Application Gateway (that is, the public IP's zone selection must be a superset of the gateway's zones).",
    },
  ],
  stackTypes: { azure: [...gatewayTypes, ...subnetTypes, ...nsgTypes, ...ipTypes] },
  stack: (subjects) => {
    const index = byUrn(subjects);
    const subnets = ofTypes(subjects, subnetTypes);
    const out: Finding[] = [];
    for (const gateway of ofTypes(subjects, gatewayTypes)) {
      const tier = lower(peek(gateway.props, "sku.tier"));
      if (tier !== "standard_v2" && tier !== "waf_v2") continue;
      for (const subnet of subnetsOf(gateway, index, subnets)) {
        const label = String(peek(subnet.props, "subnetName") ?? subnet.name);
        for (const urn of propertyDeps(subnet, "networkSecurityGroup")) {
          const nsg = index.get(urn);
          if (!nsg || !nsgTypes.includes(nsg.type) || peek(nsg.props, "securityRules") === UNKNOWN) continue;
          for (const p of nsgProblems(rulesOf(nsg))) out.push(finding(gateway, `subnet ${label}: ${p}`));
        }
        const delegations = list(peek(subnet.props, "delegations"))
          .map((d) => String(peek(d, "serviceName") ?? ""))
          .filter((s) => s !== "" && s.toLowerCase() !== "microsoft.network/applicationgateways");
        if (delegations.length > 0)
          out.push(
            finding(
              gateway,
              `subnet ${label} is delegated to ${delegations.join(", ")}: it must be dedicated to Application Gateways`,
            ),
          );
        const others = subjects.filter(
          (s) =>
            !neutral.has(s.type) &&
            Object.values(s.propertyDependencies).some((deps) => deps.includes(subnet.urn)),
        );
        for (const o of others)
          out.push(
            finding(
              gateway,
              `subnet ${label} also holds ${o.type} ${o.name}: it must be dedicated to Application Gateways`,
            ),
          );
      }
      const zones = list(peek(gateway.props, "zones")).map(String);
      if (zones.length === 0) continue;
      for (const urn of propertyDeps(gateway, "frontendIPConfigurations")) {
        const ip = index.get(urn);
        if (!ip || !ipTypes.includes(ip.type)) continue;
        const ipZones = peek(ip.props, "zones");
        if (ipZones === UNKNOWN) continue;
        const covered = new Set(list(ipZones).map(String));
        const missing = zones.filter((z) => !covered.has(z));
        if (missing.length > 0)
          out.push(
            finding(
              gateway,
              `frontend public IP ${ip.name} does not cover the gateway's zone(s) ${missing.join(", ")} (its zones: ${[...covered].join(", ") || "none"})`,
            ),
          );
      }
    }
    return out;
  },
};
