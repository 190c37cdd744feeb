/**
 * Lists the resource types of the installed cloud SDKs whose inputs take tags (AWS, Azure: `tags`) or
 * labels (GCP: `labels`), for policies/data/taggable-types.json. Run by `npm run catalog`; the policy pack
 * reads only the generated JSON (it does not depend on the SDKs at run time).
 */
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * `key` names the catalog entry. GCP types that have `userLabels` (monitoring alert policies and
 * notification channels) use `labels` for channel settings, so their resource labels are `userLabels`.
 */
export const taggableSdks = [
  { key: "aws", pkg: "aws", property: "tags" },
  { key: "azure", pkg: "azure-native", property: "tags" },
  { key: "gcp", pkg: "gcp", property: "labels" },
  { key: "gcpUserLabels", pkg: "gcp", property: "userLabels" },
] as const;

/**
 * Tag properties nested inside another input, which the declaration scan cannot see: Cloud SQL keeps its
 * labels in `settings.userLabels`. Each entry becomes a catalog entry of its own; a type is kept only while
 * its `<Class>Args` still has the outer property (`settings`), so an SDK change shows up in the catalog.
 */
export const nestedTaggable = [
  {
    key: "gcpSqlSettings",
    pkg: "gcp",
    outer: "settings",
    property: "settings.userLabels",
    types: ["gcp:sql/databaseInstance:DatabaseInstance"],
  },
] as const;

function* jsFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "types") yield* jsFiles(full);
    } else if (entry.name.endsWith(".js")) yield full;
  }
}

export function taggableTypesOf(sdkDir: string, property: string): string[] {
  const out = new Set<string>();
  const pattern = /class (\w+) extends pulumi\.CustomResource[\s\S]*?static __pulumiType = '([^']+)'/g;
  const propLine = new RegExp(`\\n    ${property}\\?: `);
  for (const js of jsFiles(sdkDir)) {
    const source = fs.readFileSync(js, "utf8");
    if (!source.includes("__pulumiType")) continue;
    const dts = js.slice(0, -3) + ".d.ts";
    if (!fs.existsSync(dts)) continue;
    const decl = fs.readFileSync(dts, "utf8");
    for (const m of source.matchAll(pattern)) {
      const start = decl.indexOf(`export interface ${m[1]}Args {`);
      if (start < 0) continue;
      const end = decl.indexOf("\n}", start);
      if (propLine.test(decl.slice(start, end < 0 ? undefined : end))) out.add(m[2]!);
    }
  }
  return [...out].sort();
}

export function taggableCatalog(root: string): string {
  const out: Record<string, { property: string; sdkVersion: string; types: string[] }> = {};
  for (const { key, pkg, property } of taggableSdks) {
    const dir = path.join(root, "node_modules", "@pulumi", pkg);
    const version = (
      JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }
    ).version;
    out[key] = { property, sdkVersion: version, types: taggableTypesOf(dir, property) };
  }
  for (const { key, pkg, outer, property, types } of nestedTaggable) {
    const dir = path.join(root, "node_modules", "@pulumi", pkg);
    const version = (
      JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }
    ).version;
    const withOuter = new Set(taggableTypesOf(dir, outer));
    out[key] = { property, sdkVersion: version, types: types.filter((t) => withOuter.has(t)) };
  }
  const userLabelled = new Set(out["gcpUserLabels"]?.types ?? []);
  if (out["gcp"]) out["gcp"].types = out["gcp"].types.filter((t) => !userLabelled.has(t));
  return JSON.stringify(out) + "\n";
}
