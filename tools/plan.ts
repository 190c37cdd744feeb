/**
 * `npm run plan -- --stack <name> [--json <file>] [--config <file>]`
 *
 * Runs the program for a stack offline (mock harness, no cloud credentials, no Pulumi CLI), prints the
 * resource tree the way `pulumi preview` does with counts per cloud and per type, and with `--json`
 * writes the plan document. Exit code 1 on a config or program error (errors only, no stack trace),
 * 2 on a usage error.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { runProgram, type Plan, type PlanResource } from "./harness";
import { cloudOf } from "./pulumi-wire";

/** The resource tree, indented by parent, in registration order (children follow their parent). */
export function renderTree(plan: Plan): string {
  const children = new Map<string, PlanResource[]>();
  for (const r of plan.resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const rows: { type: string; name: string }[] = [];
  const walk = (parent: string, prefix: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      const branch = parent === "" ? "" : `${prefix}${last ? "└─ " : "├─ "}`;
      rows.push({ type: `${branch}${r.type}`, name: r.name });
      walk(r.urn, parent === "" ? "" : `${prefix}${last ? "   " : "│  "}`);
    });
  };
  walk("", "");
  const width = Math.max(...rows.map((r) => r.type.length), 4) + 2;
  const nameWidth = Math.max(...rows.map((r) => r.name.length), 4) + 2;
  const lines = [`     ${"Type".padEnd(width)}${"Name".padEnd(nameWidth)}Plan`];
  for (const r of rows) lines.push(` +   ${r.type.padEnd(width)}${r.name.padEnd(nameWidth)}create`);
  return lines.join("\n");
}

export function countBy<T>(items: readonly T[], key: (t: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function summary(plan: Plan): string {
  const custom = plan.resources.filter((r) => r.custom);
  const byCloud = countBy(custom, (r) => cloudOf(r.type))
    .map(([c, n]) => `${c} ${n}`)
    .join(", ");
  const byType = countBy(plan.resources, (r) => r.type)
    .map(([t, n]) => `    ${String(n).padStart(4)}  ${t}`)
    .join("\n");
  return [
    `Resources:\n    + ${plan.resources.length} to create (${custom.length} cloud resources, ${plan.resources.length - custom.length} components)`,
    `By cloud: ${byCloud}`,
    `By type:\n${byType}`,
  ].join("\n\n");
}

async function main(argv: string[]): Promise<number> {
  let values: { stack?: string; json?: string; config?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string", short: "s" },
        json: { type: "string" },
        config: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`plan: ${(err as Error).message}`);
    return 2;
  }
  if (values.help || !values.stack) {
    console.error("usage: npm run plan -- --stack <name> [--json <file>] [--config <Pulumi.<stack>.yaml>]");
    return values.help ? 0 : 2;
  }
  const started = process.hrtime.bigint();
  let result;
  try {
    result = await runProgram({
      stack: values.stack,
      ...(values.config ? { configFile: path.resolve(values.config) } : {}),
    });
  } catch (err) {
    console.error(`plan: ${(err as Error).message}`);
    return 1;
  }
  const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
  if (!result.ok) {
    console.error(`Plan for stack '${values.stack}' failed; nothing would be created.\n`);
    for (const e of result.errors) console.error(e);
    return 1;
  }
  const { plan } = result;
  console.log(
    `Previewing update (${plan.stack}), offline under mocks: no cloud credentials, no Pulumi CLI\n`,
  );
  console.log(renderTree(plan));
  console.log(`\n${summary(plan)}\n\nDuration: ${ms} ms`);
  if (values.json) {
    const doc = {
      project: plan.project,
      stack: plan.stack,
      config: plan.config,
      outputs: plan.outputs ?? {},
      resources: plan.resources,
    };
    fs.mkdirSync(path.dirname(path.resolve(values.json)), { recursive: true });
    fs.writeFileSync(values.json, JSON.stringify(doc, null, 2) + "\n");
    console.log(`Plan written to ${values.json}`);
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`plan: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
