/** Normalised ingress rules of every cloud, and the question "which of these ports are open to anyone". */
import { get, list, lower, num, str } from "./props";

/** Source ranges that mean "anyone": IPv4/IPv6 any, Azure's `*`, `Internet` and `Any` tags. */
const worldSources = new Set(["0.0.0.0/0", "::/0", "0.0.0.0", "*", "internet", "any", "0::0/0"]);

export function isWorld(source: unknown): boolean {
  return typeof source === "string" && worldSources.has(source.trim().toLowerCase());
}

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** Parses "22", "1000-2000", "*" (all) into a range; undefined when it is not a port expression. */
export function parsePortRange(expr: unknown): PortRange | undefined {
  if (typeof expr === "number") return { from: expr, to: expr };
  if (typeof expr !== "string") return undefined;
  const e = expr.trim();
  if (e === "*" || e.toLowerCase() === "any") return { from: 0, to: 65535 };
  const m = /^(\d+)\s*(?:-\s*(\d+))?$/.exec(e);
  if (!m) return undefined;
  const from = Number(m[1]);
  return { from, to: m[2] === undefined ? from : Number(m[2]) };
}

const allProtocols = new Set(["-1", "all", "*", "any"]);
const icmpProtocols = new Set(["icmp", "1", "icmpv6", "58", "ah", "esp", "gre", "50", "51", "47"]);

/** True when a protocol can carry TCP/UDP services (so a port exposure is real). */
export function carriesPorts(protocol: unknown): boolean {
  const p = lower(protocol === undefined ? "all" : String(protocol));
  return !icmpProtocols.has(p);
}

export function isAllProtocols(protocol: unknown): boolean {
  return allProtocols.has(lower(protocol === undefined ? "" : String(protocol)));
}

/** The ports of `watched` that fall into any of the ranges. */
export function portsIn(ranges: readonly PortRange[], watched: readonly number[]): number[] {
  return watched.filter((p) => ranges.some((r) => p >= r.from && p <= r.to));
}

/** AWS security group style rule: fromPort/toPort/protocol; protocol -1 opens every port. */
export function awsRuleRanges(
  rule: unknown,
  fromKey = "fromPort",
  toKey = "toPort",
  protoKey = "protocol",
): PortRange[] {
  const protocol = get(rule, protoKey);
  if (!carriesPorts(protocol)) return [];
  if (isAllProtocols(protocol)) return [{ from: 0, to: 65535 }];
  const from = num(get(rule, fromKey));
  const to = num(get(rule, toKey));
  if (from === undefined && to === undefined) return [{ from: 0, to: 65535 }];
  if ((from ?? 0) === 0 && (to ?? 0) === 0) return [{ from: 0, to: 65535 }];
  if (from === -1 || to === -1) return [{ from: 0, to: 65535 }];
  return [{ from: from ?? 0, to: to ?? from ?? 65535 }];
}

/** Sources of an Azure security rule (single prefix or list). */
export function azureSources(rule: unknown): string[] {
  const out: string[] = [];
  const single = str(get(rule, "sourceAddressPrefix"));
  if (single) out.push(single);
  for (const s of list(get(rule, "sourceAddressPrefixes"))) if (typeof s === "string") out.push(s);
  return out;
}

/** Destination port ranges of an Azure security rule. */
export function azurePortRanges(rule: unknown): PortRange[] {
  const out: PortRange[] = [];
  const exprs = [get(rule, "destinationPortRange"), ...list(get(rule, "destinationPortRanges"))];
  for (const e of exprs) {
    const r = parsePortRange(e);
    if (r) out.push(r);
  }
  return out;
}

export function isAzureInboundAllow(rule: unknown): boolean {
  return lower(get(rule, "direction")) === "inbound" && lower(get(rule, "access")) === "allow";
}

/** Port ranges a GCP firewall `allows` block opens; no `ports` means every port of the protocol. */
export function gcpAllowRanges(allow: unknown): PortRange[] {
  const protocol = get(allow, "protocol");
  if (!carriesPorts(protocol)) return [];
  const ports = list(get(allow, "ports"));
  if (ports.length === 0) return [{ from: 0, to: 65535 }];
  return ports.map(parsePortRange).filter((r): r is PortRange => r !== undefined);
}
