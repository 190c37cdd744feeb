/**
 * Best-effort source locations for resources of this repository's program (used by SARIF so code scanning
 * can annotate a file): a cloud resource is located at the `new <Class>(` in `providers/<cloud>/` that
 * builds it; a component at the `super("<type>"` in `components/`. Anything else, or a resource of another
 * program, falls back to the stack config file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { GateResource, SourceLocation } from "./model";

interface SourceFile {
  readonly rel: string;
  readonly text: string;
}

function listTs(dir: string, root: string): SourceFile[] {
  if (!fs.existsSync(dir)) return [];
  const out: SourceFile[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTs(full, root));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
      out.push({
        rel: path.relative(root, full).split(path.sep).join("/"),
        text: fs.readFileSync(full, "utf8"),
      });
    }
  }
  return out;
}

const cloudDirs: Record<string, string> = {
  aws: "aws",
  "azure-native": "azure",
  gcp: "gcp",
  kubernetes: "kubernetes",
};

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Locates the resources in the program's source tree under `root`; returns URN → location. */
export function locateSources(resources: readonly GateResource[], root: string): Map<string, SourceLocation> {
  const files = [
    ...listTs(path.join(root, "providers"), root),
    ...listTs(path.join(root, "components"), root),
  ];
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const found = new Map<string, SourceLocation>();
  const cache = new Map<string, SourceLocation | undefined>();
  const componentOf = (r: GateResource): string => {
    let p = byUrn.get(r.parent);
    while (p && p.custom) p = byUrn.get(p.parent);
    return p ? p.type : "";
  };
  for (const r of resources) {
    const component = componentOf(r);
    const key = `${r.type}|${component}`;
    if (!cache.has(key)) cache.set(key, locate(r, component, files));
    const loc = cache.get(key);
    if (loc) found.set(r.urn, loc);
  }
  return found;
}

function locate(
  r: GateResource,
  component: string,
  files: readonly SourceFile[],
): SourceLocation | undefined {
  if (!r.custom) {
    const needle = `super("${r.type}"`;
    for (const f of files) {
      const i = f.text.indexOf(needle);
      if (i >= 0) return { file: f.rel, line: lineOf(f.text, i) };
    }
    return undefined;
  }
  const isProvider = r.type.startsWith("pulumi:providers:");
  const pkg = isProvider ? r.type.split(":")[2]! : r.type.split(":")[0]!;
  const cls = isProvider ? "Provider" : r.type.split(":").pop()!;
  const dir = cloudDirs[pkg];
  if (!dir) return undefined;
  const pattern = new RegExp(`new\\s+(?:[\\w$]+\\.)?${escape(cls)}\\s*\\(`);
  const hint = component.split(":").pop()?.toLowerCase() ?? "";
  const candidates: { loc: SourceLocation; score: number }[] = [];
  for (const f of files) {
    if (!f.rel.startsWith(`providers/${dir}/`) || !f.text.includes(`@pulumi/${pkg}`)) continue;
    const m = pattern.exec(f.text);
    if (!m) continue;
    const base = path.posix.basename(f.rel, ".ts").replace(/-/g, "");
    const score = hint && (hint.includes(base) || base.includes(hint)) ? 1 : 0;
    candidates.push({ loc: { file: f.rel, line: lineOf(f.text, m.index) }, score });
  }
  candidates.sort((a, b) => b.score - a.score);
  return candidates[0]?.loc;
}
