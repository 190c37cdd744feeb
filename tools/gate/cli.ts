/**
 * `npm run gate -- (--stack <name> | --preview <file> | --state <file>) [options]`
 *
 * The offline policy verdict: evaluates a plan, a `pulumi preview --json` document or a `pulumi stack
 * export` document with the policy pack in `policies/`, started the way the Pulumi CLI starts it and
 * driven over the analyzer protocol. Exit code 0 when no mandatory violation remains, 1 when one does,
 * 2 for usage and input errors (one line, no stack trace).
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
import { locateSources } from "./sources";
import { renderers, type FormatName, formatNames, fileNames } from "./render";
import { cap, neutraliseCommands, textValue } from "./sanitize";

export const usage = `usage: npm run gate -- (--stack <name> | --preview <file> | --state <file>) [options]

Inputs (exactly one):
  --stack <name>           run the program for a stack offline (mock harness) and judge its plan
  --preview <file>         judge a document printed by \`pulumi preview --json\`
  --state <file>           judge a document printed by \`pulumi stack export\`
Options:
  --config <file>          stack config file for --stack (default Pulumi.<stack>.yaml)
  --policy-config <file>   policy pack config, as for --policy-pack-config
                           (default policies/config/<stack>.json when it exists)
  --pack <dir>             policy pack directory (default policies)
  --format <list>          terminal (default), markdown, json, sarif, junit; comma-separated or repeated
  --out-dir <dir>          write each format to a file there (gate.txt, gate.md, gate.json, gate.sarif, gate.junit.xml)
  --report compliance      also write the compliance evidence (compliance.md, compliance.json)
  --color / --no-color     force colours on or off (default: on when stdout is a TTY and NO_COLOR is unset)
Exit codes: 0 no mandatory violation, 1 mandatory violation, 2 usage or input error.`;

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
  "policy-config"?: string;
  pack?: string;
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
        "policy-config": { type: "string" },
        pack: { type: "string" },
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
    if (!/^[A-Za-z0-9_.-]+$/.test(args.stack)) throw new UsageError(`invalid stack name '${args.stack}'`);
    const input = await loadStack(args.stack, root, args.config ? path.resolve(cwd, args.config) : undefined);
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

function policyConfigFor(
  args: Args,
  root: string,
  packDir: string,
  stack: string,
  cwd: string,
): [PolicyConfig, string] {
  if (args["policy-config"]) {
    const file = path.resolve(cwd, args["policy-config"]);
    return [loadPolicyConfig(file), file];
  }
  const file = path.join(packDir, "config", `${stack}.json`);
  if (fs.existsSync(file)) return [loadPolicyConfig(file), path.relative(root, file)];
  return [{}, "(no policy config)"];
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
  const packDir = path.resolve(io.cwd, args.pack ?? path.join(root, "policies"));
  const color = args["no-color"] ? false : args.color ? true : io.isTty && !process.env.NO_COLOR;
  let result: Evaluation;
  try {
    const input = await loadInput(args, root, io.cwd);
    const [policyConfig, policyConfigFile] = policyConfigFor(args, root, packDir, input.stack, io.cwd);
    const progress = progressReporter(io, input.resources.length);
    result = await evaluate(input, {
      packDir,
      program: packProgram(root, packDir),
      policyConfig,
      policyConfigFile,
      onProgress: progress,
    });
  } catch (err) {
    if (err instanceof InputError || err instanceof PackError || err instanceof UsageError) {
      io.stderr(`gate: ${neutraliseCommands(textValue(cap(err.message, 4000)))}\n`); // one safe line
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
