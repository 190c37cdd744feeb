/**
 * `npm run gate -- (--stack <name> | --preview <file> | --state <file>) [options]`
 *
 * The offline policy verdict: evaluates a plan, a `pulumi preview --json` document or a `pulumi stack
 * export` document with the policy packs (the compliance pack in `policies/` and, when present, the
 * deployability pack in `policies/deployability/`), each started the way the Pulumi CLI starts a pack and
 * driven over the analyzer protocol. Exit code 0 when no mandatory violation remains in any pack, 1 when
 * one does, 2 for usage and input errors (one line, no stack trace).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../paths";
import { PackError } from "./analyzer";
import { evaluate, exitCodeOf, type Evaluation } from "./evaluate";
import { InputError, loadPreview, loadStack, loadState } from "./inputs";
import type { GateInput } from "./model";
import { loadPolicyConfig, type PolicyConfig } from "./policy-config";
import { derivePolicyConfig, readStackConfig } from "./stack-policy";
import { locateSources } from "./sources";
import { renderers, type FormatName, formatNames, fileNames } from "./render";
import { cap, neutraliseCommands, textValue } from "./sanitize";

export const usage = `usage: npm run gate -- (--stack <name> | --preview <file> | --state <file>) [options]

Inputs (exactly one):
  --stack <name>           run the program for a stack offline (mock harness) and judge its plan
  --preview <file>         judge a document printed by \`pulumi preview --json --show-sames\`
  --state <file>           judge a document printed by \`pulumi stack export\`
Policy config of the compliance pack (policies/):
  --stack                  derived from the stack's validated config (Pulumi.<stack>.yaml or --config)
  --environment <name>     the generated profile policies/config/<name>.json (dev, prod)
  --policy-config <file>   a --policy-pack-config file; repeat to pair with each --pack in order
  (--preview and --state need --environment or --policy-config: the document does not say)
Options:
  --config <file>          stack config file for --stack (default Pulumi.<stack>.yaml)
  --first-preview          --stack only: judge the engine's first-preview view (cloud-computed values unknown)
  --pack <dir>             a policy pack directory; repeat for several (default: policies and,
                           when it exists, policies/deployability)
  --format <list>          terminal (default), markdown, json, sarif, junit; comma-separated or repeated
  --out-dir <dir>          write each format to a file there (gate.txt, gate.md, gate.json, gate.sarif, gate.junit.xml)
  --report compliance      also write the compliance evidence (compliance.md, compliance.json)
  --color / --no-color     force colours on or off (default: on when stdout is a TTY and NO_COLOR is unset)
Exit codes: 0 no mandatory violation, 1 mandatory violation (in any pack), 2 usage or input error.`;

export interface GateIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly isTty: boolean;
  readonly cwd: string;
}

interface Args {
  stack?: string;
  preview?: string;
  state?: string;
  config?: string;
  "policy-config"?: string[];
  environment?: string;
  "first-preview"?: boolean;
  pack?: string[];
  format?: string[];
  "out-dir"?: string;
  report?: string;
  color?: boolean;
  "no-color"?: boolean;
  help?: boolean;
}

class UsageError extends Error {}

function parse(argv: string[]): Args {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string", short: "s" },
        preview: { type: "string" },
        state: { type: "string" },
        config: { type: "string" },
        "policy-config": { type: "string", multiple: true },
        environment: { type: "string", short: "e" },
        "first-preview": { type: "boolean" },
        pack: { type: "string", multiple: true },
        format: { type: "string", short: "f", multiple: true },
        "out-dir": { type: "string", short: "o" },
        report: { type: "string" },
        color: { type: "boolean" },
        "no-color": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
    return values as Args;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function formatsOf(args: Args): FormatName[] {
  const list = (args.format ?? ["terminal"])
    .flatMap((f) => f.split(","))
    .map((f) => f.trim())
    .filter(Boolean);
  for (const f of list) {
    if (!(formatNames as readonly string[]).includes(f)) {
      throw new UsageError(`unknown format '${f}' (expected one of ${formatNames.join(", ")})`);
    }
  }
  return [...new Set(list)] as FormatName[];
}

/** The program run-policy-pack loads: the compiled pack when it exists (fast), else the pack dir (ts-node). */
export function packProgram(root: string, packDir: string): string {
  const rel = path.relative(root, packDir);
  const compiled = path.join(root, "dist", rel);
  if (!rel.startsWith("..") && fs.existsSync(path.join(compiled, "index.js"))) return compiled;
  return ".";
}

async function loadInput(args: Args, root: string, cwd: string): Promise<GateInput> {
  if (args.stack !== undefined) {
    const input = await loadStack(args.stack, root, {
      ...(args.config ? { configFile: path.resolve(cwd, args.config) } : {}),
      ...(args["first-preview"] ? { previewUnknowns: true } : {}),
    });
    const sources = locateSources(input.resources, root);
    return {
      ...input,
      resources: input.resources.map((r) => ({
        ...r,
        ...(sources.has(r.urn) ? { source: sources.get(r.urn)! } : {}),
      })),
    };
  }
  if (args.preview !== undefined) return loadPreview(path.resolve(cwd, args.preview));
  return loadState(path.resolve(cwd, args.state!));
}

/** The environment profiles generated into policies/config/<name>.json. */
export function environmentNames(root: string): string[] {
  const dir = path.join(root, "policies", "config");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json") && f !== "schema.json")
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

/** The packs to run: given with --pack, else the compliance pack and, when present, the deployability pack. */
export function packDirs(args: Args, root: string, cwd: string): string[] {
  if (args.pack && args.pack.length > 0) return args.pack.map((p) => path.resolve(cwd, p));
  const compliance = path.join(root, "policies");
  const deployability = path.join(compliance, "deployability");
  return fs.existsSync(path.join(deployability, "package.json")) ? [compliance, deployability] : [compliance];
}

/**
 * The policy config of each pack, and where it came from. Explicit `--policy-config` files pair with the
 * packs in order (as the CLI pairs --policy-pack-config with --policy-pack); otherwise the compliance pack
 * gets the stack's derived config (--stack) or the named profile (--environment), and every other pack
 * runs with its defaults, as under the CLI without a config.
 */
function policyConfigsFor(
  args: Args,
  root: string,
  packs: readonly string[],
  cwd: string,
): [PolicyConfig, string][] {
  const files = args["policy-config"] ?? [];
  if (files.length > packs.length) {
    throw new UsageError(`${files.length} --policy-config files for ${packs.length} pack(s)`);
  }
  const compliance = path.join(root, "policies");
  let complianceConfig: [PolicyConfig, string] | undefined;
  if (args.environment !== undefined) {
    const known = environmentNames(root);
    if (!known.includes(args.environment)) {
      throw new UsageError(
        `unknown environment '${args.environment}' (known: ${known.join(", ") || "none"})`,
      );
    }
    const file = path.join(compliance, "config", `${args.environment}.json`);
    complianceConfig = [
      loadPolicyConfig(file),
      `${path.relative(root, file)} (--environment ${args.environment})`,
    ];
  } else if (args.stack !== undefined && files.length === 0) {
    const configFile = args.config ? path.resolve(cwd, args.config) : undefined;
    const stackConfig = readStackConfig(root, args.stack, configFile);
    const label =
      path.relative(root, configFile ?? path.join(root, `Pulumi.${args.stack}.yaml`)) || args.stack;
    complianceConfig = [
      derivePolicyConfig(stackConfig, label).config,
      `derived from ${label.split(path.sep).join("/")}`,
    ];
  }
  return packs.map((dir, i): [PolicyConfig, string] => {
    const file = files[i];
    if (file !== undefined) {
      const resolved = path.resolve(cwd, file);
      return [
        loadPolicyConfig(resolved),
        path.relative(root, resolved).startsWith("..") ? resolved : path.relative(root, resolved),
      ];
    }
    if (path.resolve(dir) === compliance) {
      if (complianceConfig) return complianceConfig;
      throw new UsageError(
        "name the compliance pack's policy config: --environment <" +
          (environmentNames(root).join("|") || "name") +
          "> or --policy-config <file> (a preview or stack export does not say which environment it is)",
      );
    }
    return [{}, "pack defaults"];
  });
}

export async function runGate(argv: string[], io: GateIo): Promise<number> {
  let args: Args;
  let formats: FormatName[];
  try {
    args = parse(argv);
    if (args.help) {
      io.stdout(usage + "\n");
      return 0;
    }
    const inputs = [args.stack, args.preview, args.state].filter((v) => v !== undefined);
    if (inputs.length !== 1) throw new UsageError("give exactly one of --stack, --preview, --state");
    if (args.config && args.stack === undefined) throw new UsageError("--config only applies to --stack");
    if (args["first-preview"] && args.stack === undefined) {
      throw new UsageError("--first-preview only applies to --stack");
    }
    if (args.stack !== undefined && !/^[A-Za-z0-9_.-]+$/.test(args.stack)) {
      throw new UsageError(`invalid stack name '${args.stack}'`);
    }
    if (args.environment !== undefined && (args["policy-config"]?.length ?? 0) > 0) {
      throw new UsageError("give --environment or --policy-config, not both");
    }
    if (args.report !== undefined && args.report !== "compliance") {
      throw new UsageError(`unknown report '${args.report}' (expected: compliance)`);
    }
    formats = formatsOf(args);
    if (formats.length > 1 && !args["out-dir"]) {
      throw new UsageError("several formats need --out-dir (one file per format)");
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`gate: ${err.message}\n${usage}\n`);
      return 2;
    }
    throw err;
  }

  const root = repoRoot();
  const color = args["no-color"] ? false : args.color ? true : io.isTty && !process.env.NO_COLOR;
  let result: Evaluation;
  try {
    const dirs = packDirs(args, root, io.cwd);
    const configs = policyConfigsFor(args, root, dirs, io.cwd);
    const input = await loadInput(args, root, io.cwd);
    const progress = progressReporter(io, input.resources.length);
    result = await evaluate(input, {
      packs: dirs.map((packDir, i) => ({
        packDir,
        program: packProgram(root, packDir),
        policyConfig: configs[i]![0],
        policyConfigFile: configs[i]![1],
      })),
      root,
      onProgress: progress,
    });
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`gate: ${neutraliseCommands(textValue(cap(err.message, 4000)))}
${usage}
`);
      return 2;
    }
    if (err instanceof InputError || err instanceof PackError) {
      io.stderr(`gate: ${neutraliseCommands(textValue(cap(err.message, 4000)))}
`); // one safe line
      return 2;
    }
    throw err;
  }

  const context = { color, root };
  if (args["out-dir"]) {
    const dir = path.resolve(io.cwd, args["out-dir"]);
    fs.mkdirSync(dir, { recursive: true });
    const written: string[] = [];
    for (const f of formats) {
      const file = path.join(dir, fileNames[f]);
      fs.writeFileSync(file, renderers[f](result, { ...context, color: false }));
      written.push(path.relative(io.cwd, file) || file);
    }
    if (args.report === "compliance") written.push(...writeCompliance(result, dir, io.cwd));
    io.stdout(renderers.summary(result, context) + "\n");
    io.stdout(`Reports: ${written.join(", ")}\n`);
  } else {
    const f = formats[0]!;
    io.stdout(renderers[f](result, context) + (f === "terminal" ? "\n" : ""));
    if (args.report === "compliance") io.stdout("\n" + renderers.complianceMarkdown(result, context));
  }
  if (process.env.GATE_TIMINGS) {
    io.stderr(
      `timings: pack start ${result.packStartMs} ms, analyze ${result.analyzeMs} ms, ` +
        `analyzeStack ${result.analyzeStackMs} ms, total ${result.durationMs} ms\n`,
    );
  }
  return exitCodeOf(result.totals);
}

function writeCompliance(result: Evaluation, dir: string, cwd: string): string[] {
  const md = path.join(dir, "compliance.md");
  const json = path.join(dir, "compliance.json");
  fs.writeFileSync(md, renderers.complianceMarkdown(result, { color: false, root: "" }));
  fs.writeFileSync(json, renderers.complianceJson(result, { color: false, root: "" }));
  return [path.relative(cwd, md), path.relative(cwd, json)];
}

function progressReporter(io: GateIo, total: number): ((done: number, total: number) => void) | undefined {
  if (total < 500) return undefined;
  let last = -1;
  return (done) => {
    const pct = Math.floor((done / total) * 100);
    if (io.isTty) {
      if (pct !== last || done === total) io.stderr(`\revaluating ${done}/${total} resources (${pct}%)`);
      if (done === total) io.stderr("\n");
    } else if (pct >= last + 25 || done === total) {
      io.stderr(`evaluating ${done}/${total} resources (${pct}%)\n`);
    } else return;
    last = pct;
  };
}

if (require.main === module) {
  runGate(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTty: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
  }).then(
    // Exit explicitly (the program's runtime may hold handles open) once stdout has been flushed.
    (code) => process.stdout.write("", () => process.exit(code)),
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`gate: internal error: ${neutraliseCommands(textValue(cap(message, 4000)))}\n`);
      process.stdout.write("", () => process.exit(2));
    },
  );
}
