/**
 * Property values in the form the engine sends them to an analyzer (`MarshalProperties` with
 * KeepUnknowns, KeepSecrets, SkipInternalKeys): secrets as `{ [sigKey]: secretSig, value }`, unknowns as
 * the unknown sentinel string, internal keys (`__defaults`, `__meta`, ...) dropped.
 *
 * Offline we never know a secret's plaintext: its value becomes the text "[secret]", as `pulumi preview
 * --json` prints it, so a policy that reads a secret sees a non-empty string, and one that only checks
 * whether a value is secret sees the secret wrapper.
 */
import { secretSig, sigKey } from "../pulumi-wire";

export { secretSig, sigKey, unknownValue } from "../pulumi-wire";
export const secretText = "[secret]";

export function wireSecret(value: unknown): Record<string, unknown> {
  return { [sigKey]: secretSig, value };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Normalizes a property value from any of our inputs:
 * - `"[secret]"` (preview JSON) becomes a wire secret;
 * - a bare secret signature (mock harness) becomes a wire secret with the placeholder value;
 * - `{ sig, ciphertext }` (stack export) becomes a wire secret with the placeholder value;
 * - `{ sig, plaintext }` (stack export --show-secrets) becomes a wire secret with the decoded value.
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
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith("__")) continue;
    if (v === undefined) continue;
    out[k] = toWire(v, secretStrings);
  }
  return out;
}

/** Normalizes a property bag (top-level object). */
export function toWireProps(value: unknown, secretStrings: boolean): Record<string, unknown> {
  const wired = toWire(isObject(value) ? value : {}, secretStrings);
  return isObject(wired) ? wired : {};
}
