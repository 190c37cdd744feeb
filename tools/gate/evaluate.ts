/**
 * Evaluation: start the pack, configure it with the stack's policy config, `analyze` every resource,
 * `analyzeStack` once with all of them, and turn the diagnostics into findings enriched from the catalog.
 */
import * as path from "node:path";
import { PolicyPackProcess, providerUrn, type AnalyzerInfo, type Diagnostic } from "./analyzer";
import { loadCatalog, type CatalogControl } from "./catalog";
import type {
  ControlInfo,
  Coverage,
  Finding,
  GateInput,
  GateResource,
  GateResult,
  Notice,
  PackUsed,
  PolicyConfigUsed,
  Severity,
  Totals,
} from "./model";
import {
  escEnvironmentsOf,
  resolvePolicyConfig,
  type PolicyConfig,
  type ResolvedConfig,
} from "./policy-config";
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
import { secretPlaceholders } from "./wire";

/** One policy pack to run, with its policy config (as `--policy-pack` with `--policy-pack-config`). */
export interface PackRun {
  /** Pack directory (PulumiPolicy.yaml, package.json, catalog.json). */
  readonly packDir: string;
  /** What run-policy-pack loads: the compiled pack directory, or the pack directory itself. */
  readonly program: string;
  readonly policyConfig: PolicyConfig;
  /** Where the config came from (named in config errors and in every output format). */
  readonly policyConfigFile: string;
}

export interface EvaluateOptions extends Partial<PackRun> {
  /** The packs to run, in order (the CLI's `--policy-pack` order); default: the single pack given inline. */
  readonly packs?: readonly PackRun[];
  /** Concurrent `analyze` calls in flight. */
  readonly concurrency?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Repository root, for pack directories in reports. */
  readonly root?: string;
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

interface RunningPack {
  readonly run: PackRun;
  readonly process: PolicyPackProcess;
  readonly info: AnalyzerInfo;
  readonly resolved: ResolvedConfig;
  readonly catalog: ReadonlyMap<string, CatalogControl>;
  /** Resource policies that run (not disabled). */
  readonly resourcePolicies: readonly string[];
  readonly remediates: boolean;
}

function packsOf(opts: EvaluateOptions): readonly PackRun[] {
  if (opts.packs && opts.packs.length > 0) return opts.packs;
  if (!opts.packDir || !opts.program) throw new Error("evaluate: no policy pack given");
  return [
    {
      packDir: opts.packDir,
      program: opts.program,
      policyConfig: opts.policyConfig ?? {},
      policyConfigFile: opts.policyConfigFile ?? "pack defaults",
    },
  ];
}

/**
 * Runs every pack over the input the way the engine does (pkg/resource/deploy/step_generator.go): per
 * resource, `Remediate` in each pack in order, each seeing the previous one's result, then `Analyze` in
 * every pack on the remediated inputs; then `AnalyzeStack` in every pack with each resource's state.
 */
export async function evaluate(input: GateInput, opts: EvaluateOptions): Promise<Evaluation> {
  const started = Date.now();
  const runs = packsOf(opts);
  const packs: RunningPack[] = [];
  const startedPacks: PolicyPackProcess[] = [];
  const dryRun = input.kind !== "state";
  try {
    for (const run of runs) {
      const catalog = loadCatalog(run.packDir, run.program);
      const process = await PolicyPackProcess.start({
        packDir: run.packDir,
        program: run.program,
        project: input.project,
        stack: input.stack,
        config: input.config,
        dryRun,
      });
      startedPacks.push(process);
      // pkg/resource/plugin/analyzer_plugin.go NewPolicyAnalyzer: ConfigureStack right after the start.
      await process.configureStack({
        stack: input.stack,
        project: input.project,
        organization: "",
        dryRun,
        tags: input.tags ?? {},
        config: input.config,
        configSecretKeys: input.configSecretKeys ?? [],
      });
      const info = await process.getAnalyzerInfo();
      const resolved = resolvePolicyConfig(info, run.policyConfig, run.policyConfigFile);
      await process.configure(resolved);
      const level = (p: { name: string; enforcement: string }) =>
        resolved[p.name]?.enforcement ?? p.enforcement;
      packs.push({
        run,
        process,
        catalog,
        info,
        resolved,
        resourcePolicies: info.policies.filter((p) => !p.stack && level(p) !== "disabled").map((p) => p.name),
        remediates: info.policies.some((p) => !p.stack && level(p) === "remediate"),
      });
    }

    const providers = new Map<string, GateResource>();
    for (const r of input.resources) if (r.type.startsWith("pulumi:providers:")) providers.set(r.urn, r);

    const diagnostics: { d: Diagnostic; subject: string; pack: RunningPack }[] = [];
    const remediations: Finding[] = [];
    const applicable = new Map<string, Set<string>>(); // urn → resource policies that applied
    const stateOf = new Map<string, GateResource>(); // urn → the resource after remediation
    const total = input.resources.length;
    let done = 0;
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const original = input.resources[next++]!;
        const provider = providers.get(providerUrn(original.provider));
        let inputs = original.inputs;
        for (const pack of packs) {
          if (!pack.remediates) continue;
          for (const m of await pack.process.remediate(original, inputs, provider)) {
            if (m.diagnostic) {
              // step_generator.go: a remediation's diagnostic is an advisory policy violation.
              diagnostics.push({
                d: {
                  policy: m.policy,
                  description: m.description,
                  message: m.diagnostic,
                  enforcement: "advisory",
                  urn: original.urn,
                },
                subject: original.urn,
                pack,
              });
            } else if (m.properties) {
              remediations.push(remediationFinding(original, inputs, m.properties, m.policy, pack));
              inputs = m.properties;
            }
          }
        }
        const r: GateResource =
          inputs === original.inputs
            ? original
            : {
                ...original,
                inputs,
                // The stack phase sees the remediated inputs where the state was the inputs themselves.
                state: { ...original.state, ...inputs },
              };
        stateOf.set(r.urn, r);
        const applied = new Set<string>();
        for (const pack of packs) {
          const res = await pack.process.analyze(r, provider);
          for (const d of res.diagnostics) diagnostics.push({ d, subject: r.urn, pack });
          const na = new Set(res.notApplicable.map((n) => n.policy));
          for (const p of pack.resourcePolicies) if (!na.has(p)) applied.add(p);
        }
        applicable.set(r.urn, applied);
        done++;
        opts.onProgress?.(done, total);
      }
    };
    const analyzeStarted = Date.now();
    await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 16, Math.max(total, 1)) }, worker));
    const analyzeStackStarted = Date.now();
    const finalResources = input.resources.map((r) => stateOf.get(r.urn) ?? r);
    const stackNotApplicable: { policy: string }[] = [];
    for (const pack of packs) {
      const stackResult = await pack.process.analyzeStack(finalResources, providers);
      for (const d of stackResult.diagnostics) diagnostics.push({ d, subject: "", pack });
      stackNotApplicable.push(...stackResult.notApplicable);
    }
    const analyzeStackMs = Date.now() - analyzeStackStarted;

    const controls = packs.flatMap((p) => buildControls(p.info, p.resolved, p.catalog));
    controls.sort((a, b) => a.id.localeCompare(b.id));
    const byId = new Map(controls.map((c) => [c.id, c]));
    const byUrn = new Map(input.resources.map((r) => [r.urn, r]));
    const findings = [
      ...diagnostics.map(({ d, subject, pack }) => ({
        ...toFinding(d, subject, byId, byUrn),
        pack: pack.info.name,
      })),
      ...remediations,
    ];
    findings.sort(compareFindings);
    const evaluated = evaluatedResources(input, controls, applicable, stackNotApplicable);
    const coverage = computeCoverage(
      input,
      controls,
      packs.every((p) => p.catalog.size > 0),
      applicable,
    );
    const first = packs[0]!;
    const root = opts.root ?? process.cwd();
    const packsUsed: PackUsed[] = packs.map((p) => ({
      name: p.info.name,
      version: p.info.version,
      dir: relativeDir(root, p.run.packDir),
      policyConfig: p.run.policyConfigFile,
    }));
    return {
      input,
      pack: { name: first.info.name, version: first.info.version },
      packs: packsUsed,
      policyConfig: policyConfigUsed(first),
      notices: [...(input.notices ?? []), ...runNotices(input, packs)],
      controls,
      findings,
      coverage,
      totals: totalsOf(input, findings),
      durationMs: Date.now() - started,
      evaluated,
      packStartMs: packs.reduce((s, p) => s + p.process.startMs, 0),
      analyzeMs: analyzeStackStarted - analyzeStarted,
      analyzeStackMs,
      ...frameworkScopeOf(first.resolved),
    };
  } finally {
    await Promise.all(startedPacks.map((p) => p.stop()));
  }
}

function relativeDir(root: string, dir: string): string {
  const rel = path.relative(root, dir);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : dir;
}

/** The compliance settings (environment, production, frameworks) the first pack ran with. */
function policyConfigUsed(pack: RunningPack): PolicyConfigUsed {
  const props = Object.values(pack.resolved).find(
    (c) => typeof c.properties.environment === "string",
  )?.properties;
  const environment = typeof props?.environment === "string" ? props.environment : "";
  const productionEnvironments = Array.isArray(props?.productionEnvironments)
    ? (props.productionEnvironments as unknown[])
    : [];
  const frameworks = Array.isArray(props?.frameworks)
    ? (props.frameworks as unknown[]).filter((f): f is string => typeof f === "string")
    : [];
  const recovery = props?.recovery as { rpoMinutes?: unknown; rtoMinutes?: unknown } | undefined;
  return {
    source: pack.run.policyConfigFile,
    environment,
    production: environment !== "" && productionEnvironments.includes(environment),
    frameworks,
    ...(recovery && typeof recovery.rpoMinutes === "number" && typeof recovery.rtoMinutes === "number"
      ? { recovery: { rpoMinutes: recovery.rpoMinutes, rtoMinutes: recovery.rtoMinutes } }
      : {}),
  };
}

/** Notices that depend on the run: secrets judged on their placeholder, ESC environments, org packs. */
function runNotices(input: GateInput, packs: readonly RunningPack[]): Notice[] {
  const out: Notice[] = [];
  const withPlaceholders = input.resources.filter((r) => secretPlaceholders(r.inputs).length > 0);
  if (withPlaceholders.length > 0) {
    const sample = withPlaceholders
      .slice(0, 3)
      .map((r) => `${r.name} (${secretPlaceholders(r.inputs).slice(0, 3).join(", ")})`)
      .join("; ");
    out.push({
      code: "secret-placeholders",
      message:
        `${withPlaceholders.length} resource(s) have secret values whose plaintext this input does not carry ` +
        `(${sample}${withPlaceholders.length > 3 ? "; ..." : ""}); policies read "[secret]" where the CLI gives them the plaintext. ` +
        "No control of the compliance pack decides on a secret's content (see README).",
    });
  }
  for (const pack of packs) {
    const envs = escEnvironmentsOf(pack.run.policyConfig);
    if (envs.length > 0) {
      out.push({
        code: "esc-environments",
        message: `${pack.run.policyConfigFile} names Pulumi ESC environments (${envs.join(", ")}); an offline run cannot open them`,
      });
    }
  }
  out.push({
    code: "required-packs",
    message:
      "packs a Pulumi Cloud organization requires (policy groups) run under the CLI and cannot be known offline",
  });
  return out;
}

function remediationFinding(
  r: GateResource,
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  policy: string,
  pack: RunningPack,
): Finding {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .sort();
  const c = pack.catalog.get(policy);
  return {
    kind: "remediated",
    control: policy,
    enforcement: "remediate",
    severity: c?.severity ?? "low",
    urn: r.urn,
    type: r.type,
    name: r.name,
    message: `remediated: ${keys.length > 0 ? keys.join(", ") : "no property"} changed before analysis`,
    policy,
    pack: pack.info.name,
  };
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
  // pkg/resource/deploy/analyze_snapshot.go analyzeResource and step_generator.go AnalyzeResources: every
  // diagnostic at mandatory (remediate counts as mandatory once reported) fails the run, whatever the
  // policy. A waiver report or unused-waiver report configured as mandatory is then a mandatory violation.
  const failsRun = d.enforcement === "mandatory" || d.enforcement === "remediate";
  if (failsRun && reportingPolicies.has(d.policy)) {
    return {
      ...base,
      kind: "violation",
      control: d.policy,
      enforcement: "mandatory",
      severity: severityOf(d.policy),
      message: `${message} (reported at mandatory: fails the run as under the CLI)`,
    };
  }
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
const kindRank = {
  violation: 0,
  waived: 1,
  remediated: 2,
  "preview-unknown": 3,
  "unused-waiver": 4,
} as const;

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
    remediated: findings.filter((f) => f.kind === "remediated").length,
  };
}

/** 0: no mandatory violation remains; 1: at least one does (of any pack: the CLI fails on any). */
export function exitCodeOf(totals: Totals): 0 | 1 {
  return totals.mandatory > 0 ? 1 : 0;
}
