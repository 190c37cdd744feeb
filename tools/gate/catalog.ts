/**
 * The control catalog the policy pack generates (`<pack>/catalog.json`): titles, severities, framework
 * references, remediation and the resource types each control covers. Optional: without it the gate
 * falls back to what the analyzer itself says (GetAnalyzerInfo, not-applicable answers).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { frameworkIds, type FrameworkId, type Severity } from "./model";

export interface CatalogControl {
  readonly id: string;
  readonly title: string;
  readonly severity?: Severity;
  readonly category?: string;
  readonly rationale?: string;
  readonly remediation: readonly string[];
  readonly frameworks: Partial<Record<FrameworkId, readonly string[]>>;
  readonly resourceTypes: readonly string[];
  readonly stackLevel: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function strs(v: unknown): string[] {
  if (typeof v === "string") return v === "" ? [] : [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

const severities: readonly string[] = ["critical", "high", "medium", "low"];

export function parseCatalog(doc: unknown): Map<string, CatalogControl> {
  const out = new Map<string, CatalogControl>();
  if (!isObject(doc) || !Array.isArray(doc.controls)) return out;
  for (const c of doc.controls) {
    if (!isObject(c) || typeof c.id !== "string") continue;
    const frameworks: Partial<Record<FrameworkId, string[]>> = {};
    if (isObject(c.frameworks)) {
      for (const f of frameworkIds) {
        const refs = strs(c.frameworks[f]);
        if (refs.length > 0) frameworks[f] = refs;
      }
    }
    const types = isObject(c.resourceTypes)
      ? Object.values(c.resourceTypes).flatMap(strs)
      : strs(c.resourceTypes);
    out.set(c.id, {
      id: c.id,
      title: typeof c.title === "string" ? c.title : c.id,
      ...(typeof c.severity === "string" && severities.includes(c.severity)
        ? { severity: c.severity as Severity }
        : {}),
      ...(typeof c.category === "string" ? { category: c.category } : {}),
      ...(typeof c.rationale === "string" ? { rationale: c.rationale } : {}),
      remediation: strs(c.remediation),
      frameworks,
      resourceTypes: [...new Set(types)],
      stackLevel: c.stackLevel === true,
    });
  }
  return out;
}

/**
 * A catalog built from the pack's `pack.js` (which exports `controls` without starting a server), for
 * when `catalog.json` has not been generated: the same metadata, resource types from each control's
 * per-cloud checks and stack types.
 */
export function catalogFromPackModule(mod: unknown): Map<string, CatalogControl> {
  if (!isObject(mod) || !Array.isArray(mod.controls)) return new Map();
  const controls = mod.controls.filter(isObject).map((c) => {
    const types: Record<string, string[]> = {};
    for (const source of [c.resources, c.stackTypes]) {
      if (!isObject(source)) continue;
      for (const [cloud, v] of Object.entries(source)) {
        const list = Array.isArray(v) ? strs(v) : isObject(v) ? Object.keys(v) : [];
        types[cloud] = [...(types[cloud] ?? []), ...list];
      }
    }
    return { ...c, resourceTypes: types, stackLevel: typeof c.stack === "function" };
  });
  return parseCatalog({ controls });
}

/**
 * Reads `<packDir>/catalog.json`; without it, derives the catalog from the compiled pack's `pack.js`
 * when there is one; otherwise the catalog is empty. A broken catalog file is an error.
 */
export function loadCatalog(packDir: string, program?: string): Map<string, CatalogControl> {
  const file = path.join(packDir, "catalog.json");
  if (fs.existsSync(file)) {
    try {
      return parseCatalog(JSON.parse(fs.readFileSync(file, "utf8")));
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`);
    }
  }
  const packModule = program && program !== "." ? path.join(program, "pack.js") : undefined;
  if (packModule && fs.existsSync(packModule)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return catalogFromPackModule(require(packModule) as unknown);
  }
  return new Map();
}
