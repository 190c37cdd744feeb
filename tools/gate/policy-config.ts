/**
 * Policy pack config, resolved the way the Pulumi CLI resolves `--policy-pack-config`
 * (pkg/resource/analyzer/config.go): parse the file (`{ "<policy>": "<level>" }` or
 * `{ "<policy>": { "enforcementLevel"?: ..., ...properties } }`, with `"all"` setting every policy's
 * level), start from each policy's default level and schema defaults, apply the pack's initial config,
 * then the file, validate every policy's properties against its schema, and send the result in one
 * `Configure` call.
 */
import * as fs from "node:fs";
import Ajv from "ajv";
import type { AnalyzerInfo } from "./analyzer";
import { InputError } from "./inputs";
import type { Enforcement } from "./model";

export interface PolicyConfigEntry {
  enforcement?: Enforcement;
  properties: Record<string, unknown>;
}
export type PolicyConfig = Record<string, PolicyConfigEntry>;

/** ESC environments a policy config file names under its `environments` key (the CLI opens them). */
const escEnvironments = new WeakMap<PolicyConfig, readonly string[]>();

/** The Pulumi ESC environments the file named (`"environments": [...]`), which an offline run cannot open. */
export function escEnvironmentsOf(config: PolicyConfig): readonly string[] {
  return escEnvironments.get(config) ?? [];
}
export type ResolvedConfig = Record<
  string,
  { enforcement: Enforcement; properties: Record<string, unknown> }
>;

const levels: readonly Enforcement[] = ["advisory", "mandatory", "remediate", "disabled"];

function isLevel(v: unknown): v is Enforcement {
  return typeof v === "string" && (levels as readonly string[]).includes(v);
}

/**
 * Parses a policy config document as the CLI does (pkg/resource/analyzer/config.go parsePolicyPackConfig):
 * empty text and `null` are an empty config; an `environments` key lists Pulumi ESC environments and is
 * not a policy; a string is an enforcement level; an object may hold `enforcementLevel` and properties;
 * entries with neither are dropped. Throws InputError naming the file and the key.
 */
export function parsePolicyConfig(text: string, file: string): PolicyConfig {
  if (text.trim() === "") return {};
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: not valid JSON (${(err as Error).message.split("\n")[0]})`);
  }
  // Go's json.Unmarshal of `null` into a map leaves it empty: the CLI runs with the pack's defaults.
  if (doc === null) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw new InputError(`${file}: a policy pack config must be a JSON object of policy name to config`);
  }
  const out: PolicyConfig = {};
  const entries = { ...(doc as Record<string, unknown>) };
  let environments: string[] | undefined;
  if ("environments" in entries) {
    const envs = entries.environments;
    if (!Array.isArray(envs)) {
      throw new InputError(`${file}: "environments" must be an array of strings (Pulumi ESC environments)`);
    }
    envs.forEach((e, i) => {
      if (typeof e !== "string") throw new InputError(`${file}: "environments[${i}]" must be a string`);
    });
    environments = envs as string[];
    delete entries.environments;
  }
  for (const [k, v] of Object.entries(entries)) {
    if (typeof v === "string") {
      if (!isLevel(v)) throw new InputError(`${file}: "${k}": "${v}" is not a valid enforcement level`);
      out[k] = { enforcement: v, properties: {} };
    } else if (typeof v === "object" && v !== null && !Array.isArray(v)) {
      const { enforcementLevel, ...properties } = v as Record<string, unknown>;
      if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
        throw new InputError(
          `${file}: "${k}": ${JSON.stringify(enforcementLevel)} is not a valid enforcement level`,
        );
      }
      if (enforcementLevel === undefined && Object.keys(properties).length === 0) continue;
      out[k] = { ...(enforcementLevel ? { enforcement: enforcementLevel } : {}), properties };
    } else {
      throw new InputError(
        `${file}: "${k}": ${JSON.stringify(v)} is not a valid value; must be a string or object`,
      );
    }
  }
  if (environments) escEnvironments.set(out, environments);
  return out;
}

export function loadPolicyConfig(file: string): PolicyConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new InputError(`${file}: cannot read the policy config file`);
  }
  return parsePolicyConfig(text, file);
}

function apply(result: ResolvedConfig, given: PolicyConfig, file: string): void {
  const all = given.all;
  if (all?.enforcement) {
    for (const k of Object.keys(result)) result[k] = { ...result[k]!, enforcement: all.enforcement };
  }
  for (const [policy, c] of Object.entries(given)) {
    const current = result[policy];
    const enforcement = c.enforcement ?? current?.enforcement;
    if (enforcement === undefined) {
      // pkg/resource/plugin/analyzer_plugin.go Configure: an entry that ends up without a level is refused.
      throw new InputError(
        `${file}: "${policy}": invalid enforcement level "" (the pack has no policy of that name, so the entry needs an enforcementLevel)`,
      );
    }
    result[policy] = {
      enforcement,
      properties: { ...(current?.properties ?? {}), ...c.properties },
    };
  }
}

/** Defaults, then the pack's initial config, then the given config; validated against each schema. */
export function resolvePolicyConfig(info: AnalyzerInfo, given: PolicyConfig, file: string): ResolvedConfig {
  const result: ResolvedConfig = {};
  for (const p of info.policies) {
    const properties: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
      if (s && typeof s === "object" && "default" in s) properties[k] = (s as { default: unknown }).default;
    }
    result[p.name] = { enforcement: p.enforcement, properties };
  }
  apply(result, info.initialConfig as PolicyConfig, file);
  apply(result, given, file);
  const ajv = new Ajv({ strict: false, allErrors: true });
  const errors: string[] = [];
  for (const p of info.policies) {
    if (!p.configSchema) continue;
    const schema = {
      type: "object",
      properties: p.configSchema.properties,
      ...(p.configSchema.required.length > 0 ? { required: p.configSchema.required } : {}),
    };
    const validate = ajv.compile(schema);
    if (!validate(result[p.name]?.properties ?? {})) {
      for (const e of validate.errors ?? [])
        errors.push(`${p.name}: ${e.instancePath || "(root)"} ${e.message ?? ""}`);
    }
  }
  if (errors.length > 0) {
    throw new InputError(`${file}: policy config is invalid: ${errors.slice(0, 3).join("; ")}`);
  }
  return result;
}
