/**
 * Shared reading of file-system resources for the file-system controls: EFS file system policies,
 * NFS ports in AWS security group rules, Filestore export ranges. No program code (policies stand alone).
 */
import { get, jsonDocument, list, lower, num, record, str } from "./props";

/** The NFS port. */
export const nfsPort = 2049;

/** The statements of an IAM-style policy document (JSON text or object). */
export function statements(document: unknown): Record<string, unknown>[] {
  return list(record(jsonDocument(document))["Statement"]).map((s) => record(s));
}

/** A statement's principal is everyone: `"*"` or `{ AWS: "*" }` (alone or in a list). */
export function principalIsEveryone(statement: Record<string, unknown>): boolean {
  const p = statement["Principal"];
  if (p === "*") return true;
  const aws = record(p)["AWS"];
  return list(aws).some((v) => v === "*") || aws === "*";
}

/** A Deny statement for everyone when aws:SecureTransport is false. */
export function deniesWithoutTls(document: unknown): boolean {
  return statements(document).some((s) => {
    if (lower(s["Effect"]) !== "deny") return false;
    const v = record(record(s["Condition"])["Bool"])["aws:SecureTransport"];
    return list(v)
      .map((x) => lower(String(x)))
      .includes("false");
  });
}

/** Allow statements granting everyone access without any condition (public file system). */
export function publicAllows(document: unknown): Record<string, unknown>[] {
  return statements(document).filter(
    (s) =>
      lower(s["Effect"]) === "allow" &&
      principalIsEveryone(s) &&
      Object.keys(record(s["Condition"])).length === 0,
  );
}

const anywhere = new Set(["0.0.0.0/0", "::/0"]);

/** An IPv4 CIDR inside the private address blocks (RFC 1918, RFC 6598 shared space). */
export function isPrivateIpv4Range(cidr: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\/(\d+))?$/.exec(cidr.trim());
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (a === 10) return prefix >= 8;
  if (a === 172 && b >= 16 && b <= 31) return prefix >= 12;
  if (a === 192 && b === 168) return prefix >= 16;
  if (a === 100 && b >= 64 && b <= 127) return prefix >= 10;
  return false;
}

/** An AWS security group rule (standalone or inline) opening NFS to the internet: its problem, if any. */
export function publicNfsRule(rule: unknown): string | undefined {
  const protocol = lower(get(rule, "ipProtocol") ?? get(rule, "protocol"));
  if (protocol !== "-1" && protocol !== "all" && protocol !== "tcp" && protocol !== "6") return undefined;
  const from = num(get(rule, "fromPort"));
  const to = num(get(rule, "toPort"));
  const coversNfs =
    protocol === "-1" ||
    protocol === "all" ||
    (from !== undefined && to !== undefined && from <= nfsPort && nfsPort <= to);
  if (!coversNfs) return undefined;
  const sources = [
    str(get(rule, "cidrIpv4")),
    str(get(rule, "cidrIpv6")),
    ...list(get(rule, "cidrBlocks")).map((v) => str(v)),
    ...list(get(rule, "ipv6CidrBlocks")).map((v) => str(v)),
  ].filter((v): v is string => v !== undefined);
  const open = sources.filter((c) => anywhere.has(c));
  return open.length > 0 ? `admits NFS (${nfsPort}) from ${open.join(", ")}` : undefined;
}
