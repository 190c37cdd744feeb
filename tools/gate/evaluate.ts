/**
 * Evaluation: start the pack, configure it with the stack's policy config, `analyze` every resource,
 * `analyzeStack` once with all of them, and turn the diagnostics into findings enriched from the catalog.
 */
import { PolicyPackProcess, providerUrn, type AnalyzerInfo, type Diagnostic } from "./analyzer";
import { loadCatalog, type CatalogControl } from "./catalog";
import type {
  ControlInfo,
  Coverage,
  Finding,
  GateInput,
  GateResource,
  GateResult,
  Severity,
  Totals,
} from "./model";
import { resolvePolicyConfig, type PolicyConfig, type ResolvedConfig } from "./policy-config";
import {
  isPreviewUnknown,
  parseExpiredWaiver,
  parseUnusedWaiver,
  parseWaivedFinding,
  reportingPolicies,
  stripDescription,
  unusedWaiversPolicy,
  waivedFindingsPolicy,
} from "./waivers";

export interface EvaluateOptions {
  /** Pack directory (PulumiPolicy.yaml, package.json, catalog.json). */
  readonly packDir: string;
  /** What run-policy-pack loads: the compiled pack directory, or the pack directory itself. */
  readonly program: string;
  readonly policyConfig: PolicyConfig;
  /** Named in config errors. */
  readonly policyConfigFile: string;
  /** Concurrent `analyze` calls in flight. */
  readonly concurrency?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Full evaluation result, plus per-control evaluated resources (for JUnit and compliance). */
export interface Evaluation extends GateResult {
  /** Control id → URNs of the resources it evaluated. */
  readonly evaluated: ReadonlyMap<string, readonly string[]>;
  readonly packStartMs: number;
  /** Milliseconds spent in the `analyze` calls (all resources) and in the one `analyzeStack` call. */
  readonly analyzeMs: number;
  readonly analyzeStackMs: number;
  /** The pack's `frameworks` setting from the resolved policy config, when it has one. */
  readonly frameworkScope?: readonly string[];
}

const isCloudResource = (r: GateResource) =>
  r.custom && !r.type.startsWith("pulumi:providers:") && !r.type.startsWith("pulumi:pulumi:");

export async function evaluate(input: GateInput, opts: EvaluateOptions): Promise<Evaluation> {
  const started = Date.now();
  const catalog = loadCatalog(opts.packDir, opts.program);
  const pack = await PolicyPackProcess.start({
    packDir: opts.packDir,
    program: opts.program,
    project: input.project,
    stack: input.stack,
    config: input.config,
    dryRun: input.kind !== "state",
  });
  try {
    const info = await pack.getAnalyzerInfo();
    const resolved = resolvePolicyConfig(info, opts.policyConfig, opts.policyConfigFile);
    await pack.configure(resolved);

    const providers = new Map<string, GateResource>();
    for (const r of input.resources) if (r.type.startsWith("pulumi:providers:")) providers.set(r.urn, r);

    const resourcePolicies = info.policies.filter(
      (p) => !p.stack && (resolved[p.name]?.enforcement ?? p.enforcement) !== "disabled",
    );
    const diagnostics: { d: Diagnostic; subject: string }[] = [];
    const applicable = new Map<string, Set<string>>(); // urn → resource policies that applied
    const total = input.resources.length;
    let done = 0;
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const r = input.resources[next++]!;
        const res = await pack.analyze(r, providers.get(providerUrn(r.provider)));
        for (const d of res.diagnostics) diagnostics.push({ d, subject: r.urn });
        const na = new Set(res.notApplicable.map((n) => n.policy));
        applicable.set(r.urn, new Set(resourcePolicies.filter((p) => !na.has(p.name)).map((p) => p.name)));
        done++;
        opts.onProgress?.(done, total);
      }
    };
    const analyzeStarted = Date.now();
    await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 16, Math.max(total, 1)) }, worker));
    const analyzeStackStarted = Date.now();
    const stackResult = await pack.analyzeStack(input.resources, providers);
    const analyzeStackMs = Date.now() - analyzeStackStarted;
    for (const d of stackResult.diagnostics) diagnostics.push({ d, subject: "" });

    const controls = buildControls(info, resolved, catalog);
    const byId = new Map(controls.map((c) => [c.id, c]));
    const byUrn = new Map(input.resources.map((r) => [r.urn, r]));
    const findings = diagnostics.map(({ d, subject }) => toFinding(d, subject, byId, byUrn));
    findings.sort(compareFindings);
    const evaluated = evaluatedResources(input, controls, applicable, stackResult.notApplicable);
    const coverage = computeCoverage(input, controls, catalog.size > 0, applicable);
    return {
      input,
      pack: { name: info.name, version: info.version },
      controls,
      findings,
      coverage,
      totals: totalsOf(input, findings),
      durationMs: Date.now() - started,
      evaluated,
      packStartMs: pack.startMs,
      analyzeMs: analyzeStackStarted - analyzeStarted,
      analyzeStackMs,
      ...frameworkScopeOf(resolved),
    };
  } finally {
    await pack.stop();
  }
}

function frameworkScopeOf(resolved: ResolvedConfig): { frameworkScope?: string[] } {
  for (const c of Object.values(resolved)) {
    const f = c.properties.frameworks;
    if (Array.isArray(f) && f.every((x) => typeof x === "string")) return { frameworkScope: f as string[] };
  }
  return {};
}

function buildControls(
  info: AnalyzerInfo,
  resolved: ResolvedConfig,
  catalog: ReadonlyMap<string, CatalogControl>,
): ControlInfo[] {
  return info.policies
    .filter((p) => !reportingPolicies.has(p.name))
    .map((p): ControlInfo => {
      const c = catalog.get(p.name);
      return {
        id: p.name,
        title: c?.title ?? p.description,
        severity: c?.severity ?? p.severity ?? "medium",
        category: c?.category ?? "",
        enforcement: resolved[p.name]?.enforcement ?? p.enforcement,
        rationale: c?.rationale ?? "",
        remediation: c?.remediation ?? (p.remediation ? p.remediation.split("\n") : []),
        frameworks: c?.frameworks ?? {},
        resourceTypes: c?.resourceTypes ?? [],
        stackLevel: c?.stackLevel ?? p.stack,
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

function toFinding(
  d: Diagnostic,
  subject: string,
  controls: ReadonlyMap<string, ControlInfo>,
  resources: ReadonlyMap<string, GateResource>,
): Finding {
  const urn = d.urn || subject;
  const r = resources.get(urn);
  const base = { urn, type: r?.type ?? "", name: r?.name ?? "", policy: d.policy };
  const message = stripDescription(d.message, d.description);
  const severityOf = (control: string): Severity => d.severity ?? controls.get(control)?.severity ?? "medium";
  if (d.policy === waivedFindingsPolicy) {
    const w = parseWaivedFinding(message);
    if (w) {
      const control = controls.get(w.control);
      return {
        ...base,
        kind: "waived",
        control: w.control,
        enforcement: control?.enforcement ?? "mandatory",
        severity: control?.severity ?? "medium",
        message: w.message,
        waiver: { reason: w.reason, approvedBy: w.approvedBy, expires: w.expires },
      };
    }
  }
  if (d.policy === unusedWaiversPolicy) {
    const u = parseUnusedWaiver(message);
    return {
      ...base,
      kind: "unused-waiver",
      control: u?.control ?? d.policy,
      enforcement: d.enforcement,
      severity: "low",
      message,
    };
  }
  if (isPreviewUnknown(message)) {
    return {
      ...base,
      kind: "preview-unknown",
      control: d.policy,
      enforcement: "advisory",
      severity: severityOf(d.policy),
      message,
    };
  }
  const expired = parseExpiredWaiver(message);
  return {
    ...base,
    kind: "violation",
    control: d.policy,
    enforcement: d.enforcement === "remediate" ? "mandatory" : d.enforcement,
    severity: severityOf(d.policy),
    message,
    ...(expired ? { expiredWaiver: { expires: expired.expires, reason: expired.reason } } : {}),
  };
}

const severityRank: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const kindRank = { violation: 0, waived: 1, "preview-unknown": 2, "unused-waiver": 3 } as const;

export function compareFindings(a: Finding, b: Finding): number {
  return (
    kindRank[a.kind] - kindRank[b.kind] ||
    Number(b.enforcement === "mandatory") - Number(a.enforcement === "mandatory") ||
    severityRank[a.severity] - severityRank[b.severity] ||
    a.control.localeCompare(b.control) ||
    a.urn.localeCompare(b.urn) ||
    a.message.localeCompare(b.message)
  );
}

function evaluatedResources(
  input: GateInput,
  controls: readonly ControlInfo[],
  applicable: ReadonlyMap<string, Set<string>>,
  stackNotApplicable: readonly { policy: string }[],
): Map<string, string[]> {
  const skippedStack = new Set(stackNotApplicable.map((n) => n.policy));
  const out = new Map<string, string[]>();
  for (const c of controls) {
    if (c.enforcement === "disabled") continue;
    const types = new Set(c.resourceTypes);
    const urns = input.resources
      .filter((r) => {
        if (types.size > 0 && !types.has(r.type)) return false;
        if (c.stackLevel) return !skippedStack.has(c.id) && (types.size > 0 || isCloudResource(r));
        return applicable.get(r.urn)?.has(c.id) ?? false;
      })
      .map((r) => r.urn);
    out.set(c.id, urns);
  }
  return out;
}

function computeCoverage(
  input: GateInput,
  controls: readonly ControlInfo[],
  haveCatalog: boolean,
  applicable: ReadonlyMap<string, Set<string>>,
): Coverage {
  const covered = new Set(
    controls.filter((c) => c.enforcement !== "disabled").flatMap((c) => c.resourceTypes),
  );
  const cloud = input.resources.filter(isCloudResource);
  const counts = new Map<string, number>();
  for (const r of cloud) {
    const isCovered = haveCatalog ? covered.has(r.type) : (applicable.get(r.urn)?.size ?? 0) > 0;
    if (!isCovered) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  }
  const notCovered = [...counts.entries()]
    .map(([type, count]) => ({ type, count }))
    .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  return {
    evaluated: cloud.length,
    notCovered,
    notCoveredResources: notCovered.reduce((s, t) => s + t.count, 0),
  };
}

function totalsOf(input: GateInput, findings: readonly Finding[]): Totals {
  const v = findings.filter((f) => f.kind === "violation");
  return {
    resources: input.resources.length,
    mandatory: v.filter((f) => f.enforcement === "mandatory").length,
    advisory: v.filter((f) => f.enforcement !== "mandatory").length,
    waived: findings.filter((f) => f.kind === "waived").length,
    unusedWaivers: findings.filter((f) => f.kind === "unused-waiver").length,
    previewUnknown: findings.filter((f) => f.kind === "preview-unknown").length,
  };
}

/** 0: no mandatory violation remains; 1: at least one does. */
export function exitCodeOf(totals: Totals): 0 | 1 {
  return totals.mandatory > 0 ? 1 : 0;
}
