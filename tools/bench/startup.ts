/**
 * `npm run bench:startup [-- --runs 5]`: how long the Pulumi Node.js language host takes to load this
 * program before it can register the first resource, for the three ways it can run it:
 *
 * - `ts-node` (Pulumi.yaml `typescript: true`, the default): ts-node registers with type-checking and
 *   compiles every program module with the TypeScript 5 API on each `pulumi` command;
 * - `ts-node transpile-only` (`PULUMI_NODEJS_TRANSPILE_ONLY=true`): ts-node without type-checking;
 * - precompiled JavaScript (`typescript: false`, `main: dist/index.js`): plain `require` of the output
 *   of `npm run build` (the TypeScript 7 compiler that also type-checks).
 *
 * Each sample is a fresh Node process that registers ts-node as the language host does (options from
 * pulumi/pulumi sdk/nodejs/cmd/run/run.ts) and requires the program module; medians over `--runs`.
 */
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../paths";

const root = repoRoot();

const modes = {
  "ts-node (type-check)": `require("ts-node").register({ transpileOnly: false, typeCheck: true, compilerOptions: { target: "es2022", module: "commonjs", moduleResolution: "node", sourceMap: true } }); require(${JSON.stringify(path.join(root, "index.ts"))});`,
  "ts-node transpile-only": `require("ts-node").register({ transpileOnly: true, typeCheck: false, compilerOptions: { target: "es2022", module: "commonjs", moduleResolution: "node", sourceMap: true } }); require(${JSON.stringify(path.join(root, "index.ts"))});`,
  "precompiled JavaScript": `require(${JSON.stringify(path.join(root, "dist", "index.js"))});`,
  "floor: @pulumi/pulumi only": `require("@pulumi/pulumi");`,
} as const;

function sample(code: string): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["-e", code], {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0)
    throw new Error(`startup sample failed: ${r.stderr.trim().split("\n").slice(-3).join(" ")}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function measure(runs: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, code] of Object.entries(modes)) {
    const xs = Array.from({ length: runs }, () => sample(code));
    out[name] = median(xs);
  }
  return out;
}

if (require.main === module) {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
  const runs = Number(values.runs);
  const result = measure(runs);
  console.log(`program startup, medians of ${runs} (load average ${(os.loadavg()[0] ?? 0).toFixed(1)}):`);
  for (const [name, ms] of Object.entries(result))
    console.log(`  ${name.padEnd(28)} ${(ms / 1000).toFixed(2)} s`);
}
