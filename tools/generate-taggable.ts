/**
 * Generates `components/taggable-types.json`: for each cloud SDK this program uses, the resource type
 * tokens whose inputs accept tags (AWS, Azure: `tags`; GCP: `labels`). The tag transform reads it to
 * tag exactly the resources that can carry tags. A test checks the checked-in file is current, so an
 * SDK upgrade that adds taggable types shows up as a failing test until it is regenerated.
 *
 * Usage: `npm run generate:taggable` (writes the file), or `--check` (exit 1 when stale).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./paths";

/** SDK package folder, and the input properties that hold tags for it, in order of preference. */
const sdks = [
  { pkg: "aws", properties: ["tags"] },
  { pkg: "azure-native", properties: ["tags"] },
  // GCP: `labels`, except where `labels` means something else and `userLabels` are the resource's labels
  // (monitoring notification channels, alert policies, SLOs, uptime checks: there `labels` is config).
  { pkg: "gcp", properties: ["userLabels", "labels"] },
] as const;

/**
 * Tag properties nested inside another input, which the declaration scan cannot see. Cloud SQL keeps its
 * labels in `settings.userLabels`.
 */
const nested: Record<string, string> = {
  "gcp:sql/databaseInstance:DatabaseInstance": "settings.userLabels",
};

function* jsFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "types") yield* jsFiles(full);
    } else if (entry.name.endsWith(".js")) yield full;
  }
}

/**
 * Type tokens of the SDK in `sdkDir` whose `<Class>Args` interface has one of `properties` as a string
 * map (`{ [key: string]: Input<string> }`; list-shaped tags such as autoscaling groups' are left out),
 * with the property each one uses.
 */
export function taggableTypes(sdkDir: string, properties: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const tokenPattern = /class (\w+) extends pulumi\.CustomResource[\s\S]*?static __pulumiType = '([^']+)'/g;
  for (const js of jsFiles(sdkDir)) {
    const source = fs.readFileSync(js, "utf8");
    if (!source.includes("__pulumiType")) continue;
    const dts = js.slice(0, -3) + ".d.ts";
    if (!fs.existsSync(dts)) continue;
    const decl = fs.readFileSync(dts, "utf8");
    for (const m of source.matchAll(tokenPattern)) {
      const [, className, token] = m;
      const start = decl.indexOf(`export interface ${className}Args {`);
      if (start < 0) continue;
      const end = decl.indexOf("\n}", start);
      const body = decl.slice(start, end < 0 ? undefined : end);
      const property = properties.find((p) =>
        new RegExp(`\\n    ${p}\\?: pulumi\\.Input<\\{\\n\\s+\\[key: string\\]: pulumi\\.Input<string>`).test(
          body,
        ),
      );
      if (property) out[token!] = property;
    }
  }
  for (const [token, property] of Object.entries(nested)) {
    if (token.startsWith(`${path.basename(sdkDir)}:`)) out[token] = property;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

export function generate(root: string): string {
  const catalog: Record<string, { sdkVersion: string; types: Record<string, string> }> = {};
  for (const { pkg, properties } of sdks) {
    const dir = path.join(root, "node_modules", "@pulumi", pkg);
    const version = (
      JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }
    ).version;
    catalog[pkg] = { sdkVersion: version, types: taggableTypes(dir, properties) };
  }
  return JSON.stringify(catalog, null, 1) + "\n";
}

export const catalogPath = (root: string): string => path.join(root, "components", "taggable-types.json");

if (require.main === module) {
  const root = repoRoot();
  const text = generate(root);
  if (process.argv.includes("--check")) {
    const current = fs.existsSync(catalogPath(root)) ? fs.readFileSync(catalogPath(root), "utf8") : "";
    if (current !== text) {
      console.error("components/taggable-types.json is stale: run `npm run generate:taggable`");
      process.exit(1);
    }
  } else {
    fs.writeFileSync(catalogPath(root), text);
    const parsed = JSON.parse(text) as Record<string, { types: Record<string, string> }>;
    console.log(
      Object.entries(parsed)
        .map(([pkg, v]) => `${pkg}: ${Object.keys(v.types).length} taggable types`)
        .join(", "),
    );
  }
}
