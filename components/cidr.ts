/**
 * Pure IPv4 CIDR helpers: parsing with a reason for rejection, overlap and containment. No cloud, no
 * Pulumi: the config schema and the subnet allocator both build on these.
 */

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

/** RFC 1918 private ranges: the only address spaces a site may use. */
export const privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

export function ipToInt(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4) return undefined;
  let out = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out = out * 256 + n;
  }
  return out;
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

export function formatCidr(c: Ipv4Cidr): string {
  return `${intToIp(c.base)}/${c.prefix}`;
}

export function cidrSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

function rawParse(text: string): Ipv4Cidr | string {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!m) return "an IPv4 CIDR such as 10.0.0.0/16";
  const base = ipToInt(m[1]!);
  const prefix = Number(m[2]);
  if (base === undefined || prefix > 32) return "an IPv4 CIDR such as 10.0.0.0/16";
  if (base % cidrSize(prefix) !== 0) {
    const aligned = base - (base % cidrSize(prefix));
    return `a network address with no host bits set (did you mean ${intToIp(aligned)}/${prefix}?)`;
  }
  return { base, prefix };
}

/**
 * Syntax only: any IPv4 CIDR (public ranges included), e.g. who may reach a public endpoint. Returns the
 * problem as an expectation, or undefined.
 */
export function cidrSyntaxProblem(text: string): string | undefined {
  const parsed = rawParse(text);
  return typeof parsed === "string" ? parsed : undefined;
}

/**
 * Parses a site address space: an IPv4 CIDR inside an RFC 1918 private range, between /8 and /24.
 * Returns the parsed CIDR or, in `problem`, what was expected.
 */
export function parseCidr(text: string): { cidr?: Ipv4Cidr; problem?: string } {
  const parsed = rawParse(text);
  if (typeof parsed === "string") return { problem: parsed };
  if (parsed.prefix < 8 || parsed.prefix > 24) {
    return { problem: "an address space between /8 and /24" };
  }
  const inPrivate = privateRanges.some((r) => contains(rawParse(r) as Ipv4Cidr, parsed));
  if (!inPrivate) return { problem: `a private (RFC 1918) range inside ${privateRanges.join(", ")}` };
  return { cidr: parsed };
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return (
    inner.prefix >= outer.prefix &&
    inner.base >= outer.base &&
    inner.base + cidrSize(inner.prefix) <= outer.base + cidrSize(outer.prefix)
  );
}

export function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.base < b.base + cidrSize(b.prefix) && b.base < a.base + cidrSize(a.prefix);
}

/** Overlap test on CIDR text; false when either side does not parse (that is reported on its own). */
export function cidrsOverlap(a: string, b: string): boolean {
  const pa = rawParse(a);
  const pb = rawParse(b);
  return typeof pa !== "string" && typeof pb !== "string" && overlaps(pa, pb);
}

/** Parses any IPv4 CIDR (no private-range rule); throws on malformed input. */
export function cidr(text: string): Ipv4Cidr {
  const parsed = rawParse(text);
  if (typeof parsed === "string") throw new Error(`expected ${parsed}, found '${text}'`);
  return parsed;
}
