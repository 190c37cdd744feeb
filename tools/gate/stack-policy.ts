/**
 * The policy config of a stack, derived from its validated config (never hand-copied): environment,
 * production, frameworks, data classification and the regions its data may live in come from
 * `Pulumi.<stack>.yaml` through `parseStackConfig`, the same validation the program runs at start-up.
 *
 *   npm run policy-config -- --stack <name> [--config <file>] [--out <file>]
 *
 * writes the same document as a `--policy-pack-config` file for `pulumi preview --policy-pack policies`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  parseStackConfig,
  rawConfigObject,
  siteReplicaRegion,
  type StackConfig,
} from "../../components/config";
import { type Geography, regionInfo, regions } from "../../components/regions";
import { environmentFor, policyConfigDocument, type StackFacts } from "../../policies/config/environments";
import { controls, policies } from "../../policies/pack";
import { defaultEnforcement } from "../../policies/lib/types";
import { loadStackConfig, scrubSecrets } from "../harness/index";
import { repoRoot } from "../paths";
import { InputError } from "./inputs";
import { parsePolicyConfig, type PolicyConfig } from "./policy-config";

/** GCP multi-region and dual-region locations per geography (storage and backup locations). */
const gcpMultiRegions: Partial<Record<Geography, readonly string[]>> = {
  us: ["us", "nam4"],
  eu: ["eu", "eur4", "eur5", "eur7", "eur8"],
  apac: ["asia", "asia1"],
};

/**
 * Every region the stack may place its data in: the regions of the jurisdictions (geographies) its sites
 * and their replica regions are in, on every cloud, plus the GCP multi-regions of those jurisdictions and
 * `global` (services that keep no data in a region).
 */
export function stackRegions(config: StackConfig): string[] {
  const geographies = new Set<Geography>();
  for (const site of [config.primary, config.secondary]) {
    if (!site) continue;
    for (const region of [site.region, siteReplicaRegion(site)]) {
      const info = region ? regionInfo(site.cloud, region) : undefined;
      if (info) geographies.add(info.geography);
    }
  }
  const out = new Set<string>();
  for (const byRegion of Object.values(regions)) {
    for (const [name, info] of Object.entries(byRegion)) if (geographies.has(info.geography)) out.add(name);
  }
  for (const g of geographies) for (const m of gcpMultiRegions[g] ?? []) out.add(m);
  // Global services (Azure alert rules, private DNS zones) are placed in no region.
  out.add("global");
  return [...out].sort();
}

/** The pack-relevant facts of a validated stack config. */
export function stackFacts(config: StackConfig): StackFacts {
  return {
    environment: config.environment,
    production: config.production,
    frameworks: [...config.frameworks],
    dataClassification: config.dataClassification,
    regions: stackRegions(config),
    sites: config.secondary ? `${config.primary.cloud}>${config.secondary.cloud}` : config.primary.cloud,
    ...(config.recovery
      ? { recovery: { rpoMinutes: config.recovery.rpoMinutes, rtoMinutes: config.recovery.rtoMinutes } }
      : {}),
  };
}

/** Reads and validates a stack config file the way the program does; InputError on any problem. */
export function readStackConfig(root: string, stack: string, configFile?: string): StackConfig {
  let loaded;
  try {
    loaded = loadStackConfig(root, stack, configFile);
  } catch (err) {
    throw new InputError((err as Error).message.split("\n")[0]!);
  }
  const parsed = parseStackConfig(rawConfigObject(loaded.config));
  if (!parsed.ok) {
    const file = configFile ?? path.join(root, `Pulumi.${stack}.yaml`);
    const problems = parsed.problems.map((p) => `${p.path}: ${p.message}`).join("; ");
    throw new InputError(`${file}: invalid stack config: ${scrubSecrets(problems, loaded.secretValues)}`);
  }
  return parsed.config;
}

/** What a gate run states about the policy config it used. */
export interface DerivedPolicyConfig {
  readonly facts: StackFacts;
  /** The `--policy-pack-config` document (every policy of the compliance pack). */
  readonly document: Record<string, unknown>;
  readonly config: PolicyConfig;
}

/** The compliance pack's policy config for a stack, derived from its config. */
export function derivePolicyConfig(config: StackConfig, label: string): DerivedPolicyConfig {
  const env = environmentFor(stackFacts(config));
  const document = policyConfigDocument(env, policies, controls, defaultEnforcement);
  return { facts: env.facts, document, config: parsePolicyConfig(JSON.stringify(document), label) };
}

export const usage = `usage: npm run policy-config -- --stack <name> [--config <file>] [--out <file>]

Writes the compliance pack's --policy-pack-config document for a stack, derived from its validated
config (Pulumi.<stack>.yaml, or --config), to --out or stdout.`;

export function main(
  argv: string[],
  cwd: string,
  out: (s: string) => void,
  err: (s: string) => void,
): number {
  let values: { stack?: string; config?: string; out?: string; help?: boolean };
  try {
    values = parseArgs({
      args: argv,
      options: {
        stack: { type: "string", short: "s" },
        config: { type: "string" },
        out: { type: "string", short: "o" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    err(`policy-config: ${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    out(usage + "\n");
    return 0;
  }
  if (!values.stack || !/^[A-Za-z0-9_.-]+$/.test(values.stack)) {
    err(`policy-config: give --stack <name>\n${usage}\n`);
    return 2;
  }
  try {
    const root = repoRoot();
    const config = readStackConfig(
      root,
      values.stack,
      values.config ? path.resolve(cwd, values.config) : undefined,
    );
    const text = JSON.stringify(derivePolicyConfig(config, `stack ${values.stack}`).document, null, 2) + "\n";
    if (values.out) fs.writeFileSync(path.resolve(cwd, values.out), text);
    else out(text);
    return 0;
  } catch (e) {
    if (e instanceof InputError) {
      err(`policy-config: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  process.exitCode = main(
    process.argv.slice(2),
    process.cwd(),
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
  );
}
