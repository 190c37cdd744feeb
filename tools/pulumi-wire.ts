/**
 * How the Pulumi engine encodes special property values on the wire (and in `pulumi preview --json`):
 * one definition for the harness, the gate and the benchmark.
 */

/** Key of the signature field of a special value (`{ [sigKey]: secretSig, value }` is a secret). */
export const sigKey = "4dabf18193072939515e22adb298388d";
/** Signature of a secret value. */
export const secretSig = "1b47061264138c4ac30d75fd1eb44270";
/** Signature of a resource reference (`{ [sigKey]: resourceRefSig, urn, id?, packageVersion? }`). */
export const resourceRefSig = "5cf8f73096256a8f31e491e813e4eb8e";
/** What an unknown (computed during preview) value is on the wire and in `pulumi preview --json`. */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The cloud of a resource type token (`azure-native:…` and `pulumi:providers:azure-native` → azure). */
export function cloudOf(type: string): string {
  const pkg = type.startsWith("pulumi:providers:") ? type.split(":")[2]! : type.split(":")[0]!;
  if (pkg === "azure-native" || pkg === "azure") return "azure";
  return pkg;
}
