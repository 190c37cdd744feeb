/** Helpers shared by the output formats. */
import type { ControlInfo, Finding, GateResource, GateResult } from "../model";
import { frameworkIds, frameworkNames, type FrameworkId } from "../model";

export { cloudOf } from "../../pulumi-wire";

/** The site (our program: the `platform:site:Site` ancestor's name), "" when there is none. */
export function siteResolver(resources: readonly GateResource[]): (r: GateResource) => string {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const cache = new Map<string, string>();
  const resolve = (r: GateResource): string => {
    const hit = cache.get(r.urn);
    if (hit !== undefined) return hit;
    let site = "";
    if (r.type === "platform:site:Site") site = r.name;
    else {
      const parent = byUrn.get(r.parent);
      site = parent ? resolve(parent) : "";
    }
    cache.set(r.urn, site);
    return site;
  };
  return resolve;
}

export function countBy<T>(items: readonly T[], key: (t: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export function frameworkRefs(
  control: ControlInfo | undefined,
): { id: FrameworkId; name: string; refs: readonly string[] }[] {
  if (!control) return [];
  return frameworkIds
    .map((id) => ({ id, name: frameworkNames[id], refs: control.frameworks[id] ?? [] }))
    .filter((f) => f.refs.length > 0);
}

export function frameworkTags(control: ControlInfo | undefined): string[] {
  return frameworkRefs(control).flatMap((f) => f.refs.map((r) => `${f.name} ${r}`));
}

export function controlMap(result: GateResult): Map<string, ControlInfo> {
  return new Map(result.controls.map((c) => [c.id, c]));
}

export const isMandatory = (f: Finding) => f.kind === "violation" && f.enforcement === "mandatory";
export const isAdvisory = (f: Finding) => f.kind === "violation" && f.enforcement !== "mandatory";

export function verdict(result: GateResult): "pass" | "fail" {
  return result.totals.mandatory > 0 ? "fail" : "pass";
}

/** The policy config the run used: `derived from Pulumi.prod.yaml (environment prod, production; frameworks ...)`. */
export function policyConfigLabel(result: GateResult): string {
  const p = result.policyConfig;
  if (!p) return "policy config: not stated";
  const env = p.environment
    ? `environment ${p.environment}, ${p.production ? "production" : "not production"}`
    : "no environment set";
  const fw = p.frameworks.length > 0 ? `; frameworks ${p.frameworks.join(", ")}` : "";
  const recovery = p.recovery
    ? `; recovery objectives RPO ${p.recovery.rpoMinutes} min, RTO ${p.recovery.rtoMinutes} min`
    : "";
  return `policy config: ${p.source} (${env}${fw}${recovery})`;
}

/** Every pack that ran, with its config source: `multicloud-compliance@0.1.0 (policies)`. */
export function packsLabel(result: GateResult): string {
  const packs = result.packs ?? [];
  if (packs.length === 0) return `${result.pack.name}@${result.pack.version}`;
  return packs.map((p) => `${p.name}@${p.version} (${p.dir})`).join(", ");
}

/** What the offline verdict could not cover for this input, one line each. */
export function noticeLines(result: GateResult): string[] {
  return (result.notices ?? []).map((n) => `${n.code}: ${n.message}`);
}

export function inputLabel(result: GateResult): string {
  const i = result.input;
  switch (i.kind) {
    case "stack":
      return `stack ${i.stack} (program run offline under mocks)`;
    case "preview":
      return `preview ${i.origin} (stack ${i.stack})`;
    case "state":
      return `state ${i.origin} (stack ${i.stack})`;
  }
}

/** The frameworks in scope: the pack's `frameworks` setting when its config has one, else all. */
export function frameworksInScope(scope: readonly string[] | undefined): FrameworkId[] {
  if (!scope || scope.length === 0) return [...frameworkIds];
  const alias: Record<string, FrameworkId> = {
    "pci-dss": "pciDss",
    "iso-27001": "iso27001",
    "soc-2": "soc2",
  };
  const ids = scope
    .map((s) => alias[s] ?? s)
    .filter((s): s is FrameworkId => (frameworkIds as string[]).includes(s));
  return frameworkIds.filter((f) => ids.includes(f));
}
