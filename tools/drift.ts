/**
 * `npm run drift -- --preview <file> --stack <name> [--out <file.md>]`
 *
 * Summarises drift from a `pulumi preview --refresh --json` document: after the refresh reads every
 * resource's real state, each step other than `same` is a resource whose cloud state no longer matches
 * the program (changed by hand, deleted outside Pulumi, or a change not yet deployed). Prints one line
 * per resource (operation, type, name, the properties that differ) and writes a markdown report for
 * the issue the drift workflow opens or updates. Exit 0: no drift; 3: drift found; 2: unreadable input.
 * Property values are never printed (they may be secrets): only property names.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";

interface Step {
  readonly op?: string;
  readonly urn?: string;
  readonly diffReasons?: readonly string[];
  readonly replaceReasons?: readonly string[];
  readonly detailedDiff?: Readonly<Record<string, { kind?: string }>>;
}

export interface Drifted {
  readonly op: string;
  readonly type: string;
  readonly name: string;
  readonly properties: readonly string[];
}

/** Operations that mean nothing changed. `read` steps are lookups, not managed resources. */
const unchanged = new Set(["same", "read", "refresh"]);

/** Only names, types and property paths reach a report: cap and strip anything that could render. */
function plain(text: string, max = 200): string {
  const cleaned = text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069`|<>[\]]/g, "?");
  return cleaned.length > max ? `${cleaned.slice(0, max)}…` : cleaned;
}

export function driftOf(doc: unknown): Drifted[] {
  if (!doc || typeof doc !== "object" || !Array.isArray((doc as { steps?: unknown }).steps)) {
    throw new Error("expected a `pulumi preview --refresh --json` document with a `steps` list");
  }
  const out: Drifted[] = [];
  for (const step of (doc as { steps: Step[] }).steps) {
    const op = step.op ?? "";
    if (unchanged.has(op) || typeof step.urn !== "string") continue;
    const parts = step.urn.split("::");
    const type = (parts[2] ?? "").split("$").pop() ?? "";
    if (type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:")) continue;
    const properties = [
      ...new Set([
        ...Object.keys(step.detailedDiff ?? {}),
        ...(step.diffReasons ?? []),
        ...(step.replaceReasons ?? []),
      ]),
    ].sort();
    out.push({
      op,
      type: plain(type),
      name: plain(parts[3] ?? ""),
      properties: properties.map((p) => plain(p, 120)),
    });
  }
  return out;
}

export function markdown(stack: string, drifted: readonly Drifted[]): string {
  if (drifted.length === 0) return `No drift in stack \`${plain(stack, 60)}\`.\n`;
  return [
    `Drift in stack \`${plain(stack, 60)}\`: ${drifted.length} resource${drifted.length === 1 ? "" : "s"} differ from the program.`,
    "",
    "| operation | type | name | properties |",
    "| --- | --- | --- | --- |",
    ...drifted.map(
      (d) => `| ${d.op} | ${d.type} | ${d.name} | ${d.properties.join(", ") || "(whole resource)"} |`,
    ),
    "",
    "Run `pulumi up` to converge, or change the program to adopt the change. Values are not shown.",
    "",
  ].join("\n");
}

export function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): number {
  let values: { preview?: string; stack?: string; out?: string };
  try {
    values = parseArgs({
      args: argv,
      options: { preview: { type: "string" }, stack: { type: "string" }, out: { type: "string" } },
      strict: true,
    }).values;
  } catch (err) {
    out(`drift: ${(err as Error).message}\n`);
    return 2;
  }
  if (!values.preview || !values.stack) {
    out("usage: npm run drift -- --preview <file> --stack <name> [--out <file.md>]\n");
    return 2;
  }
  let drifted: Drifted[];
  try {
    drifted = driftOf(JSON.parse(fs.readFileSync(values.preview, "utf8").replace(/^\uFEFF/, "")));
  } catch (err) {
    out(`drift: ${values.preview}: ${(err as Error).message.split("\n")[0]}\n`);
    return 2;
  }
  for (const d of drifted)
    out(`${d.op} ${d.type} ${d.name}: ${d.properties.join(", ") || "(whole resource)"}\n`);
  out(`${drifted.length} drifted resource${drifted.length === 1 ? "" : "s"} in ${plain(values.stack, 60)}\n`);
  if (values.out) fs.writeFileSync(values.out, markdown(values.stack, drifted));
  return drifted.length === 0 ? 0 : 3;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
