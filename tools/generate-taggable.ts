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

/** SDK package folder, and the input property that holds tags for it. */
const sdks = [
  { pkg: "aws", property: "tags" },
  { pkg: "azure-native", property: "tags" },
  { pkg: "gcp", property: "labels" },
] as const;

function* jsFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "types") yield* jsFiles(full);
    } else if (entry.name.endsWith(".js")) yield full;
  }
}

/** Type tokens of the SDK in `sdkDir` whose `<Class>Args` interface has the optional `property`. */
export function taggableTypes(sdkDir: string, property: string): string[] {
  const out = new Set<string>();
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
      if (new RegExp(`\\n    ${property}\\?: `).test(body)) out.add(token!);
    }
  }
  return [...out].sort();
}

export function generate(root: string): string {
  const catalog: Record<string, { property: string; sdkVersion: string; types: string[] }> = {};
  for (const { pkg, property } of sdks) {
    const dir = path.join(root, "node_modules", "@pulumi", pkg);
    const version = (
      JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }
    ).version;
    catalog[pkg] = { property, sdkVersion: version, types: taggableTypes(dir, property) };
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
    const parsed = JSON.parse(text) as Record<string, { types: string[] }>;
    console.log(
      Object.entries(parsed)
        .map(([pkg, v]) => `${pkg}: ${v.types.length} taggable types`)
        .join(", "),
    );
  }
}
