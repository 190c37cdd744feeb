/**
 * Reading resource properties the way the policy server hands them over.
 *
 * The server wraps properties in a proxy that throws when a policy reads a value that is unknown during
 * preview (the server then reports the advisory "can't run policy during preview" result). `get` reads
 * through that proxy on purpose: a value a check depends on that is not known yet must not pass or fail.
 * `peek` and `isSet` read the raw values instead, for questions an unknown value answers anyway: a key id
 * that is computed is still set.
 */

/** Unknown-value sentinels of the Pulumi engine, one per kind of value. */
const unknownSentinels = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** The unknown value of the engine's string kind, as the CLI prints it in `pulumi preview --json`. */
export const unknownString = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const UNKNOWN: unique symbol = Symbol("unknown");
export type Peeked = unknown;

export function isUnknownValue(value: unknown): boolean {
  return typeof value === "string" && unknownSentinels.has(value);
}

/** True for the error the policy server's proxy throws on reading an unknown value. */
export function isUnknownValueError(e: unknown): boolean {
  return e instanceof Error && e.constructor.name === "UnknownValueError";
}

/** The object under the policy server's proxy (the proxy answers this key with its target). */
export function raw<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    const target = (value as Record<string, unknown>)["__getSpecialProxyTarget"];
    if (target !== undefined && target !== null && typeof target === "object") return target as T;
  }
  return value;
}

/** Reads a dotted path without throwing; returns UNKNOWN when the value (or a parent) is unknown. */
export function peek(obj: unknown, path: string): unknown {
  let cur: unknown = raw(obj);
  for (const key of path.split(".")) {
    if (isUnknownValue(cur)) return UNKNOWN;
    if (cur === null || typeof cur !== "object") return undefined;
    cur = raw((cur as Record<string, unknown>)[key]);
  }
  return isUnknownValue(cur) ? UNKNOWN : cur;
}

/** Reads a dotted path through the proxy: an unknown value throws (advisory "can't be known" result). */
export function get(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split(".")) {
    if (cur === null || cur === undefined || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Set to a non-empty value, or computed (unknown during preview). */
export function isSet(obj: unknown, path: string): boolean {
  const v = peek(obj, path);
  if (v === UNKNOWN) return true;
  if (v === undefined || v === null || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function num(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

export function isTrue(value: unknown): boolean {
  return value === true || value === "true" || value === "True" || value === "TRUE";
}

export function isFalse(value: unknown): boolean {
  return value === false || value === "false" || value === "False" || value === "FALSE";
}

export function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? [...(value as unknown[])] : [value];
}

export function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function lower(value: unknown): string {
  return typeof value === "string" ? value.toLowerCase() : "";
}

/** Parses a JSON document given as a string or already an object; undefined when it is neither. */
export function jsonDocument(value: unknown): unknown {
  if (typeof value === "string") {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  }
  return value;
}

/** Deep copy of a value with every proxy removed (for remediation results). */
export function plain(value: unknown): unknown {
  const v = raw(value);
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  }
  return v;
}
