/**
 * What the Pulumi CLI does with `--policy-pack-config <file>` before it calls the analyzer's `Configure`
 * (pkg/resource/analyzer/config.go: parsePolicyPackConfig, createConfigWithDefaults, applyConfig): each
 * policy starts from its default enforcement level and its schema defaults, the `all` key sets every
 * policy's enforcement level, then per-policy entries override. Exported so the offline gate and the tests
 * configure the pack exactly as the CLI would.
 */
import type { EnforcementLevel, PolicyConfigSchema } from "@pulumi/policy";

export interface PolicyInfo {
  readonly name: string;
  readonly enforcementLevel?: EnforcementLevel;
  readonly configSchema?: PolicyConfigSchema;
}

export interface ResolvedPolicyConfig {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

const levels: readonly string[] = ["advisory", "mandatory", "remediate", "disabled"];

/** Parses a policy config file's JSON the way the CLI does; throws on invalid enforcement levels. */
export function parsePolicyConfigFile(
  json: unknown,
): Record<string, { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> }> {
  const out: Record<string, { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> }> =
    {};
  if (json === null || typeof json !== "object" || Array.isArray(json))
    throw new Error("policy config must be a JSON object");
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (typeof value === "string") {
      if (!levels.includes(value))
        throw new Error(
          `parsing enforcement level for "${key}": "${value}" is not a valid enforcement level`,
        );
      out[key] = { enforcementLevel: value as EnforcementLevel, properties: {} };
    } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const { enforcementLevel, ...properties } = value as Record<string, unknown>;
      if (
        enforcementLevel !== undefined &&
        (typeof enforcementLevel !== "string" || !levels.includes(enforcementLevel))
      ) {
        throw new Error(
          `parsing enforcement level for "${key}": ${JSON.stringify(enforcementLevel)} is not a valid enforcement level`,
        );
      }
      out[key] =
        enforcementLevel === undefined
          ? { properties }
          : { enforcementLevel: enforcementLevel as EnforcementLevel, properties };
    } else {
      throw new Error(
        `parsing "${key}": ${JSON.stringify(value)} is not a valid value; must be a string or object`,
      );
    }
  }
  return out;
}

/** Defaults + `all` + per-policy config, as the CLI sends it to `Configure`. */
export function reconcilePolicyConfig(
  policies: readonly PolicyInfo[],
  fileJson: unknown,
  packEnforcementLevel: EnforcementLevel = "advisory",
): Record<string, ResolvedPolicyConfig> {
  const given = parsePolicyConfigFile(fileJson);
  const result: Record<string, ResolvedPolicyConfig> = {};
  for (const p of policies) {
    const properties: Record<string, unknown> = {};
    for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
      if (typeof schema === "object" && schema.default !== undefined)
        properties[k] = structuredClone(schema.default);
    }
    result[p.name] = { enforcementLevel: p.enforcementLevel ?? packEnforcementLevel, properties };
  }
  const all = given["all"];
  if (all?.enforcementLevel) {
    for (const k of Object.keys(result)) result[k]!.enforcementLevel = all.enforcementLevel;
  }
  for (const [name, cfg] of Object.entries(given)) {
    const current = result[name] ?? {
      enforcementLevel: cfg.enforcementLevel ?? packEnforcementLevel,
      properties: {},
    };
    if (cfg.enforcementLevel) current.enforcementLevel = cfg.enforcementLevel;
    current.properties = { ...current.properties, ...cfg.properties };
    result[name] = current;
  }
  return result;
}
