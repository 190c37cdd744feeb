/**
 * `npm run bench [-- --runs 5 --scale 5000 --gate-sizes 1000,5000,20000,50000 --only-gate]`: medians of
 * wall time and peak memory of `plan` and `gate` for dev and prod and for generated scale inputs, plus the
 * floor (a Node process that only loads the SDK modules the program imports) and each figure's ratio to
 * it. The gate runs on a generated `pulumi preview --json` document at each size of `--gate-sizes`, with
 * the cost per resource (wall time and total memory of gate plus pack) so growth faster than linear shows.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../paths";
import { scalePreview } from "./scale";

interface Sample {
  readonly ms: number;
  /** Peak RSS of the measured process, MiB. */
  readonly rss: number;
  /** Peak RSS of the policy pack process it started, MiB (0 when none). */
  readonly packRss: number;
  readonly status: number | null;
  /** Last stderr line when the command failed (exit code other than 0 and 1). */
  readonly error?: string | undefined;
}

const root = repoRoot();
const dist = path.join(root, "dist");
const probe = path.join(dist, "tools/bench/rss-probe.js");

function runOnce(args: string[]): Sample {
  const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}-${Date.now()}-${Math.random()}.txt`);
  const env = { ...process.env, BENCH_RSS_FILE: rssFile, NODE_OPTIONS: `--require ${probe}`, NO_COLOR: "1" };
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    env,
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const lines = fs.existsSync(rssFile)
    ? fs.readFileSync(rssFile, "utf8").trim().split("\n").filter(Boolean)
    : [];
  fs.rmSync(rssFile, { force: true });
  const rows = lines.map((l) => l.split(" ").map(Number) as [number, number, number]);
  const main = rows.find(([, ppid]) => ppid === process.pid);
  const children = main ? rows.filter(([, ppid]) => ppid === main[0]) : [];
  const error =
    r.status !== 0 && r.status !== 1 ? r.stderr.trim().split("\n").pop()?.slice(0, 160) : undefined;
  return {
    ms,
    rss: main ? main[2] / 1024 : 0,
    packRss: children.reduce((m, [, , kb]) => Math.max(m, kb / 1024), 0),
    status: r.status,
    error,
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

interface Row {
  readonly name: string;
  readonly ms: number;
  readonly rss: number;
  readonly packRss: number;
  readonly note: string;
  /** Resources in the input (gate scale rows): per-resource figures are shown. */
  readonly resources?: number;
}

function measure(name: string, args: string[], runs: number, note = ""): Row {
  const warm = runOnce(args); // warms the file cache; not counted
  if (warm.error) {
    process.stderr.write(`  ${name}: failed (${warm.error})\n`);
    return { name, ms: NaN, rss: NaN, packRss: 0, note: `failed: ${warm.error}` };
  }
  const samples = Array.from({ length: runs }, () => runOnce(args));
  process.stderr.write(`  ${name}: done\n`);
  return {
    name,
    ms: median(samples.map((s) => s.ms)),
    rss: median(samples.map((s) => s.rss)),
    packRss: median(samples.map((s) => s.packRss)),
    note: note || `exit ${samples[0]!.status}`,
  };
}

function main(): void {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      runs: { type: "string" },
      scale: { type: "string" },
      "skip-scale-plan": { type: "boolean" },
      "gate-sizes": { type: "string" },
      "only-gate": { type: "boolean" },
    },
  });
  const runs = Math.max(5, Number(values.runs ?? "5"));
  const scale = Math.max(5000, Number(values.scale ?? "5000"));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
  const gateSizes = (values["gate-sizes"] ?? `1000,${scale},20000,50000`)
    .split(",")
    .map((n) => Number(n.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ");
  process.stderr.write(
    `bench: ${runs} runs each (median), gate sizes ${gateSizes.join(", ")}, node ${process.version}, ` +
      `${os.cpus().length} CPUs, load average ${load()}\n`,
  );

  const plan = path.join(dist, "tools/plan.js");
  const gate = path.join(dist, "tools/gate/cli.js");
  const rows: Row[] = [
    measure("floor (load the program's SDK modules)", [path.join(dist, "tools/bench/floor.js")], runs),
  ];
  const full = !values["only-gate"];
  if (full) {
    for (const stack of ["dev", "prod"])
      rows.push(measure(`plan --stack ${stack}`, [plan, "--stack", stack], runs));
    for (const stack of ["dev", "prod"])
      rows.push(measure(`gate --stack ${stack}`, [gate, "--stack", stack], runs));
  }
  if (full && !values["skip-scale-plan"]) {
    rows.push(
      measure(
        `plan, synthetic program (~${scale} resources)`,
        [path.join(dist, "tools/bench/scale-plan.js"), String(scale)],
        runs,
      ),
    );
  }
  for (const size of gateSizes) {
    const file = path.join(dir, `preview-${size}.json`);
    fs.writeFileSync(file, JSON.stringify(scalePreview(size)));
    const row = measure(
      `gate --preview (${size} resources)`,
      [gate, "--preview", file, "--environment", "prod"],
      runs,
    );
    rows.push({ ...row, resources: size });
    fs.rmSync(file, { force: true });
  }
  fs.rmSync(dir, { recursive: true, force: true });

  const floor = rows[0]!;
  const header = `| Command | Wall time (median) | × floor | Peak RSS (median) | × floor | Policy pack peak RSS | Total RSS | Note |`;
  const lines = [header, "|---|---:|---:|---:|---:|---:|---:|---|"];
  for (const r of rows) {
    lines.push(
      `| ${r.name} | ${(r.ms / 1000).toFixed(2)} s | ${(r.ms / floor.ms).toFixed(1)} | ${r.rss.toFixed(0)} MiB | ${(r.rss / floor.rss).toFixed(1)} | ${r.packRss ? `${r.packRss.toFixed(0)} MiB` : "—"} | ${(r.rss + r.packRss).toFixed(0)} MiB | ${r.note} |`,
    );
  }
  const scaled = rows.filter((r) => r.resources !== undefined);
  if (scaled.length > 0) {
    lines.push(
      "",
      "| Gate input | Wall time per resource | Total RSS per resource | Time per resource vs smallest |",
    );
    lines.push("|---|---:|---:|---:|");
    const base = scaled[0]!;
    const perMs = (r: Row) => r.ms / r.resources!;
    for (const r of scaled) {
      lines.push(
        `| ${r.resources} resources | ${perMs(r).toFixed(3)} ms | ${(((r.rss + r.packRss) * 1024) / r.resources!).toFixed(1)} KiB | ${(perMs(r) / perMs(base)).toFixed(2)} |`,
      );
    }
  }
  lines.push(
    "",
    `Load average at the end: ${load()} (the machine is shared; compare medians taken together).`,
  );
  console.log(lines.join("\n"));
}

main();
