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

/** Reads `<packDir>/catalog.json`; an absent file is an empty catalog, a broken one an error. */
export function loadCatalog(packDir: string): Map<string, CatalogControl> {
  const file = path.join(packDir, "catalog.json");
  if (!fs.existsSync(file)) return new Map();
  try {
    return parseCatalog(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}
