/**
 * No secret leaves the gate: the values an input marks secret are collected per resource, and every text
 * the policy pack sends back (violation messages, error details) has them replaced by "[secret]" before
 * any finding, control message or report is built from it.
 *
 * Secret means, in any input: a wire secret (`{ [sigKey]: secretSig, value }`, which is what the gate
 * makes of preview's "[secret]", the state's `{ sig, ciphertext }` and `{ sig, plaintext }`, and the mock
 * harness's secrets, including the inputs the provider SDKs declare secret, e.g. an RDS `password`), and
 * the top-level properties a resource lists in `additionalSecretOutputs`. Every string leaf under such a
 * value counts (and numbers of four digits or more); the decoded JSON text of a `plaintext` too. Strings
 * shorter than `minSecretLength` are not searched for (they would blank out ordinary words); the pack
 * still sees them, and they rarely mean anything alone.
 */
import type { GateResource } from "./model";
import { secretSig, secretText, sigKey, unknownValue } from "./wire";

export const redactedText = "[secret]";
export const minSecretLength = 3;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Adds the searchable leaves of a secret value to `out`. */
function leaves(value: unknown, out: Set<string>): void {
  if (typeof value === "string") {
    if (value.length >= minSecretLength && value !== secretText && value !== unknownValue) out.add(value);
    // A JSON document as a string (a secret policy, a plaintext): its leaves may be quoted alone.
    const t = value.trimStart();
    if ((t.startsWith("{") || t.startsWith("[")) && value.length < 1_000_000) {
      try {
        leaves(JSON.parse(value) as unknown, out);
      } catch {
        // not JSON
      }
    }
  } else if (typeof value === "number") {
    if (Number.isFinite(value) && Math.abs(value) >= 1000) out.add(String(value));
  } else if (Array.isArray(value)) {
    for (const v of value) leaves(v, out);
  } else if (isObject(value)) {
    if (value[sigKey] === secretSig) {
      leaves(value.value, out);
      leaves(value.plaintext, out);
      return;
    }
    for (const v of Object.values(value)) leaves(v, out);
  }
}

/** Secret leaves anywhere in a property bag (wire form). */
function secretsIn(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) secretsIn(v, out);
  } else if (isObject(value)) {
    if (value[sigKey] === secretSig) {
      leaves(value, out);
      return;
    }
    for (const v of Object.values(value)) secretsIn(v, out);
  }
}

const perResource = new WeakMap<GateResource, readonly string[]>();

/** The secret values of one resource (memoized). */
export function resourceSecrets(r: GateResource): readonly string[] {
  const hit = perResource.get(r);
  if (hit) return hit;
  const out = new Set<string>();
  secretsIn(r.inputs, out);
  if (r.state !== r.inputs) secretsIn(r.state, out);
  for (const key of r.additionalSecretOutputs) {
    leaves(r.inputs[key], out);
    leaves(r.state[key], out);
  }
  const list = [...out];
  perResource.set(r, list);
  return list;
}

/**
 * Replaces secret values in texts. Secrets are indexed by their first three characters, so a text is
 * scanned once whatever the number of secrets (a stack export may hold thousands).
 */
export class Redactor {
  private readonly byPrefix = new Map<string, string[]>();
  readonly size: number;

  constructor(secrets: Iterable<string>) {
    const unique = [...new Set(secrets)].filter((s) => s.length >= minSecretLength);
    unique.sort((a, b) => b.length - a.length); // longest first at each position
    for (const s of unique) {
      const p = s.slice(0, minSecretLength);
      const list = this.byPrefix.get(p);
      if (list) list.push(s);
      else this.byPrefix.set(p, [s]);
    }
    this.size = unique.length;
  }

  static of(resources: Iterable<GateResource | undefined>): Redactor {
    const all: string[] = [];
    for (const r of resources) if (r) all.push(...resourceSecrets(r));
    return new Redactor(all);
  }

  redact(text: string): string {
    if (this.size === 0 || text.length < minSecretLength) return text;
    let out = "";
    let copied = 0;
    for (let i = 0; i <= text.length - minSecretLength;) {
      const list = this.byPrefix.get(text.slice(i, i + minSecretLength));
      const hit = list?.find((s) => text.startsWith(s, i));
      if (hit) {
        out += text.slice(copied, i) + redactedText;
        i += hit.length;
        copied = i;
      } else i++;
    }
    return copied === 0 ? text : out + text.slice(copied);
  }
}
