/**
 * `npm run bootstrap:check -- [--platform-config <file>]... [--json <dir>] [--policy-config-out <dir>] [--verbose]`
 *
 * The offline check of the bootstrap program (bootstrap/): for each platform stack file (default
 * Pulumi.dev.yaml and Pulumi.prod.yaml) it plans the bootstrap program under the mock harness, as
 * `pulumi preview` in bootstrap/ would for the bootstrap stack of that name, and judges the plan with both
 * policy packs (compliance and deployability) as `npm run gate` does, the compliance pack's config derived
 * from the platform stack file. Exit code 0 when every plan has no mandatory violation, 1 otherwise, 2 on
 * a usage or input error.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { evaluate, exitCodeOf, type Evaluation } from "./gate/evaluate";
import { loadStack } from "./gate/inputs";
import type { GateInput } from "./gate/model";
import { packDirs, packProgram } from "./gate/cli";
import { parsePolicyConfig } from "./gate/policy-config";
import { derivePolicyConfig, readStackConfig } from "./gate/stack-policy";
import { renderers } from "./gate/render";
import { runProgram } from "./harness";
import { repoRoot } from "./paths";

export interface BootstrapCheck {
  /** The bootstrap stack name (the platform stack file's `Pulumi.<name>.yaml`). */
  readonly stack: string;
  readonly platformConfig: string;
  readonly input: GateInput;
  readonly outputs: Record<string, unknown>;
  readonly evaluation: Evaluation;
}

/** The stack name a platform stack file names (`Pulumi.<name>.yaml`), else the file's base name. */
export function stackNameOf(file: string): string {
  const base = path.basename(file);
  const m = /^Pulumi\.(.+)\.ya?ml$/.exec(base);
  return (m ? m[1]! : base.replace(/\.ya?ml$/, "")).replace(/[^A-Za-z0-9_.-]/g, "-");
}

/**
 * Controls about the platform's site topology, which a bootstrap stack (one backend on the primary
 * cloud, no sites) does not have: disabled in its policy config, with the reason.
 */
export const bootstrapOutOfScope: Readonly<Record<string, string>> = {
  "enforce-secondary-site-different-cloud":
    "the bootstrap stack builds the state backend on the primary cloud only; the platform stack it serves has the secondary site",
};

/**
 * Waivers of the bootstrap stack, matched by type and by the state store's resource name. A Pulumi
 * backend must replace its checkpoint objects and delete its lock objects on every operation, which WORM
 * retention forbids on Azure (version-level immutability) and Cloud Storage (bucket retention policies);
 * S3 Object Lock allows both (new versions, delete markers) and stays on. Versioning, soft delete,
 * `protect` and the customer-managed key remain.
 */
export const bootstrapWaivers: readonly Record<string, string>[] = [
  {
    control: "enforce-immutable-backups",
    type: "azure-native:storage:StorageAccount",
    resource: "state-storage-account",
    reason:
      "Pulumi state backend: the CLI overwrites checkpoint blobs and deletes lock blobs on every operation, " +
      "which version-level WORM retention refuses. Blob versioning (90 days), 30-day blob and container soft " +
      "delete, `protect` and the CMK keep every checkpoint recoverable.",
    approvedBy: "platform-team",
    expires: "2027-06-30",
  },
  {
    control: "enforce-immutable-backups",
    type: "gcp:storage/bucket:Bucket",
    resource: "state-storage-bucket",
    reason:
      "Pulumi state backend: the CLI replaces checkpoint objects and deletes lock objects on every operation, " +
      "which a bucket retention policy forbids for objects younger than the period. Object versioning " +
      "(noncurrent versions 90 days), 30-day soft delete, `protect` and CMEK keep every checkpoint recoverable.",
    approvedBy: "platform-team",
    expires: "2027-06-30",
  },
];

/**
 * The compliance pack's policy config for the bootstrap stack of a platform stack file: the platform
 * stack's derived config (environment, production, frameworks, regions, waivers) with the topology
 * controls of {@link bootstrapOutOfScope} disabled and, in production, {@link bootstrapWaivers}. Also what `--policy-config-out` writes for the CLI.
 */
export function bootstrapPolicyDocument(root: string, stack: string, file: string): Record<string, unknown> {
  const derived = derivePolicyConfig(readStackConfig(root, stack, file), path.relative(root, file));
  const document: Record<string, unknown> = { ...derived.document };
  const production = derived.facts.production;
  for (const [id, entry] of Object.entries(document)) {
    if (!production || !entry || typeof entry !== "object") continue;
    const waivers = (entry as { waivers?: unknown[] }).waivers ?? [];
    document[id] = { ...entry, waivers: [...waivers, ...bootstrapWaivers] };
  }
  for (const id of Object.keys(bootstrapOutOfScope)) {
    const entry = document[id];
    if (entry && typeof entry === "object") document[id] = { ...entry, enforcementLevel: "disabled" };
  }
  return document;
}

/** Plans the bootstrap program for one platform stack file and judges the plan with both packs. */
export async function checkBootstrap(platformConfig: string, root = repoRoot()): Promise<BootstrapCheck> {
  const file = path.resolve(root, platformConfig);
  const stack = stackNameOf(file);
  const bootstrapDir = path.join(root, "bootstrap");
  // The bootstrap stack's own config: which platform stack file it serves.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-check-"));
  const stackFile = path.join(tmp, `Pulumi.${stack}.yaml`);
  fs.writeFileSync(
    stackFile,
    `config:\n  platform-bootstrap:platformConfig: ${JSON.stringify(path.relative(root, file) || file)}\n`,
  );
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = (require("../bootstrap/index") as { main: () => Promise<unknown> }).main;
    // The stack outputs (login URL, secrets provider) from one run; the gate input from another.
    const run = await runProgram({ stack, root: bootstrapDir, configFile: stackFile, program });
    if (!run.ok) throw new Error(`the bootstrap program failed under mocks: ${run.errors.join("; ")}`);
    const outputs = (run.plan.outputs ?? {}) as Record<string, unknown>;
    const input = await loadStack(stack, bootstrapDir, { configFile: stackFile, program });
    const label = `${path.relative(root, file)} (bootstrap: topology controls disabled)`;
    const policyConfig = parsePolicyConfig(JSON.stringify(bootstrapPolicyDocument(root, stack, file)), label);
    const packs = packDirs({}, root, root);
    const evaluation = await evaluate(input, {
      packs: packs.map((packDir, i) => ({
        packDir,
        program: packProgram(root, packDir),
        policyConfig: i === 0 ? policyConfig : {},
        policyConfigFile: i === 0 ? `derived from ${label}` : "pack defaults",
      })),
      root,
    });
    return { stack, platformConfig: file, input, outputs, evaluation };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  let values: {
    "platform-config"?: string[];
    json?: string;
    "policy-config-out"?: string;
    verbose?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        "platform-config": { type: "string", multiple: true },
        json: { type: "string" },
        "policy-config-out": { type: "string" },
        verbose: { type: "boolean", short: "v" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`bootstrap:check: ${(err as Error).message}`);
    return 2;
  }
  if (values.help) {
    console.log(
      "usage: npm run bootstrap:check -- [--platform-config <Pulumi.<stack>.yaml>]... [--json <dir>] [--policy-config-out <dir>] [--verbose]",
    );
    return 0;
  }
  const root = repoRoot();
  const files = values["platform-config"] ?? ["Pulumi.dev.yaml", "Pulumi.prod.yaml"];
  let code = 0;
  for (const f of files) {
    let check: BootstrapCheck;
    try {
      check = await checkBootstrap(f, root);
    } catch (err) {
      console.error(`bootstrap:check: ${f}: ${(err as Error).message.split("\n")[0]}`);
      return 2;
    }
    const custom = check.input.resources.filter((r) => r.custom).length;
    const verdict = exitCodeOf(check.evaluation.totals);
    console.log(
      `bootstrap stack '${check.stack}' (${path.relative(root, check.platformConfig)}): ` +
        `${check.input.resources.length} resources (${custom} cloud resources); ` +
        `${renderers.summary(check.evaluation, { color: false, root })}`,
    );
    for (const [k, v] of Object.entries(check.outputs)) {
      if (k === "loginUrl" || k === "secretsProvider") console.log(`  ${k}: ${String(v)}`);
    }
    if (values.verbose || verdict !== 0) {
      console.log(renderers.terminal(check.evaluation, { color: false, root }));
    }
    if (values.json) {
      fs.mkdirSync(values.json, { recursive: true });
      fs.writeFileSync(
        path.join(values.json, `bootstrap-${check.stack}.json`),
        JSON.stringify(
          { stack: check.stack, outputs: check.outputs, resources: check.input.resources },
          null,
          2,
        ) + "\n",
      );
    }
    if (values["policy-config-out"]) {
      const out = path.join(values["policy-config-out"], `bootstrap-${check.stack}.policy-config.json`);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(
        out,
        JSON.stringify(bootstrapPolicyDocument(root, check.stack, check.platformConfig), null, 2) + "\n",
      );
      console.log(`  policy config for \`pulumi preview --policy-pack-config\`: ${out}`);
    }
    code = Math.max(code, verdict);
  }
  return code;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.stdout.write("", () => process.exit(code)),
    (err: unknown) => {
      console.error(`bootstrap:check: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(2);
    },
  );
}
