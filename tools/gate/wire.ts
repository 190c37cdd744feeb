/**
 * Property values in the form the engine sends them to an analyzer (pkg/resource/plugin/analyzer_plugin.go
 * Analyze/AnalyzeStack: `MarshalProperties` with KeepUnknowns, KeepSecrets and SkipInternalKeys, without
 * KeepResources; sdk/go/common/resource/plugin/rpc.go):
 * - secrets as `{ [sigKey]: secretSig, value }`; the policy server unwraps them, so a policy reads the
 *   secret's plaintext under the CLI;
 * - unknowns as the unknown sentinel string;
 * - internal keys (`__defaults`, `__meta`, ...) dropped at the top level only (nested ones are kept);
 * - a resource reference as its id when it has one, else its URN (a string, never the reference object).
 *
 * Offline the plaintext of a secret is known only from `pulumi stack export --show-secrets`: from a
 * preview document, a stack export without plaintext or the mock harness, the secret carries the
 * placeholder text "[secret]" (as `pulumi preview --json` prints it). A policy that reads the value then
 * reads "[secret]" where the CLI would give it the plaintext: `secretPlaceholders` counts those values so
 * the gate can say which resources were judged without them (README, "What the offline verdict covers").
 */
import { resourceRefSig, secretSig, sigKey } from "../pulumi-wire";

export { secretSig, sigKey, unknownValue } from "../pulumi-wire";
export const secretText = "[secret]";

export function wireSecret(value: unknown): Record<string, unknown> {
  return { [sigKey]: secretSig, value };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True for a wire secret whose value is the placeholder (the plaintext was not available). */
export function isSecretPlaceholder(value: unknown): boolean {
  return isObject(value) && value[sigKey] === secretSig && value.value === secretText;
}

/** Paths of the secrets in a wire property bag whose plaintext the input did not carry. */
export function secretPlaceholders(props: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  const walk = (v: unknown, at: string) => {
    if (isSecretPlaceholder(v)) out.push(at);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
  };
  walk(props, "");
  return out;
}

/**
 * Normalizes a property value from any of our inputs:
 * - `"[secret]"` (preview JSON) becomes a wire secret;
 * - a bare secret signature (mock harness) becomes a wire secret with the placeholder value;
 * - `{ sig, ciphertext }` (stack export) becomes a wire secret with the placeholder value;
 * - `{ sig, plaintext }` (stack export --show-secrets) becomes a wire secret with the decoded value;
 * - a resource reference becomes its id, or its URN when it has no id (component resources).
 */
export function toWire(value: unknown, secretStrings: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => toWire(v, secretStrings));
  if (typeof value === "string") {
    return secretStrings && value === secretText ? wireSecret(secretText) : value;
  }
  if (!isObject(value)) return value;
  if (value[sigKey] === secretSig) {
    if ("value" in value) return wireSecret(toWire(value.value, false));
    if (typeof value.plaintext === "string") {
      let plain: unknown;
      try {
        plain = JSON.parse(value.plaintext);
      } catch {
        plain = value.plaintext;
      }
      return wireSecret(toWire(plain, false));
    }
    return wireSecret(secretText);
  }
  if (value[sigKey] === resourceRefSig) {
    // rpc.go MarshalPropertyValue: `if !ref.ID.IsNull()` the id, else the URN as a string.
    if (value.id !== undefined && value.id !== null) return toWire(value.id, secretStrings);
    return typeof value.urn === "string" ? value.urn : "";
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[k] = toWire(v, secretStrings);
  }
  return out;
}

/** Normalizes a property bag: internal (`__`) keys are dropped at the top level only, as the engine does. */
export function toWireProps(value: unknown, secretStrings: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isObject(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith("__") || v === undefined) continue;
    out[k] = toWire(v, secretStrings);
  }
  return out;
}
