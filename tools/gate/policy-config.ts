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
export type ResolvedConfig = Record<
  string,
  { enforcement: Enforcement; properties: Record<string, unknown> }
>;

const levels: readonly Enforcement[] = ["advisory", "mandatory", "remediate", "disabled"];

function isLevel(v: unknown): v is Enforcement {
  return typeof v === "string" && (levels as readonly string[]).includes(v);
}

/** Parses a policy config document; throws InputError naming the file and the key. */
export function parsePolicyConfig(text: string, file: string): PolicyConfig {
  if (text.trim() === "") return {};
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: not valid JSON (${(err as Error).message.split("\n")[0]})`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new InputError(`${file}: a policy pack config must be a JSON object of policy name to config`);
  }
  const out: PolicyConfig = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
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

function apply(result: ResolvedConfig, given: PolicyConfig): void {
  const all = given.all;
  if (all?.enforcement) {
    for (const k of Object.keys(result)) result[k] = { ...result[k]!, enforcement: all.enforcement };
  }
  for (const [policy, c] of Object.entries(given)) {
    const current = result[policy] ?? { enforcement: "advisory" as Enforcement, properties: {} };
    result[policy] = {
      enforcement: c.enforcement ?? current.enforcement,
      properties: { ...current.properties, ...c.properties },
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
  apply(result, info.initialConfig as PolicyConfig);
  apply(result, given);
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
