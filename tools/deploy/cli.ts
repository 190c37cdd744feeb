/**
 * `npm run deploy -- --stacks dev,staging,prod [--op preview|up] [--concurrency N] [--after prod=dev,staging]`
 *
 * Previews (default) or updates several stacks concurrently through the Pulumi Automation API, with the
 * policy packs attached, in dependency order (production stacks after the non-production ones of the
 * same run unless `--no-production-last`), streaming each stack's lines prefixed with its name, then one
 * summary. Every stack's config is validated before anything runs. Exit 0 when every stack succeeded,
 * 1 when one failed or was skipped, 2 for usage and config errors.
 */
import { parseArgs } from "node:util";
import { parseStackConfig, rawConfigObject } from "../../components/config";
import { loadStackConfig } from "../harness";
import { repoRoot } from "../paths";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { derivePolicyConfig, readStackConfig } from "../gate/stack-policy";
import { automationRunner, policyPacks } from "./automation";
import {
  FleetError,
  orderOf,
  runFleet,
  summarize,
  type FleetStack,
  type Operation,
  type StackRunner,
} from "./fleet";

export const usage =
  "usage: npm run deploy -- --stacks <a,b,...> [--op preview|up] [--concurrency N] [--after <stack>=<a,b>]... [--no-production-last]";

export interface DeployIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly root: string;
  /** Runs one stack; defaults to the Automation API. */
  readonly runner?: StackRunner;
  /** Policy config files for a stack (one per pack), for the Automation API runner. */
  readonly policyConfigs?: (stack: string) => Promise<string[]>;
}

class UsageError extends Error {}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        stacks: { type: "string" },
        op: { type: "string", default: "preview" },
        concurrency: { type: "string", default: "4" },
        after: { type: "string", multiple: true },
        "no-production-last": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Reads and validates each stack's config (production flag); every problem of every stack at once. */
function loadFleet(root: string, names: readonly string[]): FleetStack[] {
  const problems: string[] = [];
  const fleet: FleetStack[] = [];
  for (const name of names) {
    try {
      const loaded = loadStackConfig(root, name);
      const parsed = parseStackConfig(rawConfigObject(loaded.config));
      if (!parsed.ok) problems.push(...parsed.problems.map((p) => `${name}: ${p.path}: ${p.message}`));
      else fleet.push({ name, production: parsed.config.production });
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) throw new UsageError(`invalid stack config:\n  ${problems.join("\n  ")}`);
  return fleet;
}

/**
 * The stack's policy config files, one per pack in `policyPacks` order (the CLI pairs them in order):
 * the compliance pack's derived from the stack's validated config (as `npm run gate -- --stack` does),
 * the deployability pack's own (it takes no settings). Written to a temporary directory.
 */
export function derivedPolicyConfigs(root: string, stack: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `policy-config-${stack}-`));
  return policyPacks(root).map((pack) => {
    if (path.basename(pack) === "deployability") return path.join(pack, "config.json");
    const file = path.join(dir, "compliance.json");
    const derived = derivePolicyConfig(readStackConfig(root, stack), stack);
    fs.writeFileSync(file, JSON.stringify(derived.document, null, 2) + "\n");
    return file;
  });
}

export async function runDeploy(argv: string[], io: DeployIo): Promise<number> {
  try {
    const args = parse(argv);
    if (args.help) {
      io.stdout(`${usage}\n`);
      return 0;
    }
    if (!args.stacks) throw new UsageError("--stacks is required");
    const op = args.op as Operation;
    if (op !== "preview" && op !== "up")
      throw new UsageError(`--op: expected preview or up, found '${String(args.op)}'`);
    const concurrency = Number(args.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) {
      throw new UsageError(
        `--concurrency: expected a whole number from 1 to 32, found '${String(args.concurrency)}'`,
      );
    }
    const names = args.stacks
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    const explicit: Record<string, string[]> = {};
    for (const edge of args.after ?? []) {
      const m = /^([^=]+)=(.+)$/.exec(edge);
      if (!m) throw new UsageError(`--after: expected <stack>=<stack,...>, found '${edge}'`);
      explicit[m[1]!] = [...(explicit[m[1]!] ?? []), ...m[2]!.split(",").map((s) => s.trim())];
    }
    const fleet = loadFleet(io.root, names);
    const after = orderOf(fleet, explicit, !args["no-production-last"]);
    const runner =
      io.runner ??
      automationRunner({
        root: io.root,
        policyConfigs: io.policyConfigs ?? ((stack) => Promise.resolve(derivedPolicyConfigs(io.root, stack))),
      });
    const results = await runFleet(fleet, after, op, runner, {
      concurrency,
      onLine: (stack, line) => io.stdout(`[${stack}] ${line}\n`),
    });
    io.stdout(`\n${summarize(op, results)}\n`);
    return results.every((r) => r.status === "succeeded") ? 0 : 1;
  } catch (err) {
    if (err instanceof UsageError || err instanceof FleetError) {
      io.stderr(`deploy: ${err.message}\n${usage}\n`);
      return 2;
    }
    throw err;
  }
}

if (require.main === module) {
  runDeploy(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    root: repoRoot(),
  }).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`deploy: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
