/** Machine-readable report: every finding with its control, frameworks, severity and enforcement; totals. */
import type { GateResult } from "../model";
import { boundEvaluation, jsonSafe } from "../sanitize";
import { controlMap, verdict } from "./common";

export function toJsonReport(unbounded: GateResult): Record<string, unknown> {
  const result = boundEvaluation(unbounded);
  const controls = controlMap(result);
  return {
    schemaVersion: 1,
    verdict: verdict(result),
    exitCode: verdict(result) === "fail" ? 1 : 0,
    input: {
      kind: result.input.kind,
      origin: result.input.origin,
      project: result.input.project,
      stack: result.input.stack,
    },
    pack: result.pack,
    packs: result.packs ?? [],
    policyConfig: result.policyConfig,
    notices: result.notices ?? [],
    totals: result.totals,
    coverage: result.coverage,
    controls: result.controls,
    findings: result.findings.map((f) => ({
      kind: f.kind,
      control: f.control,
      title: controls.get(f.control)?.title ?? "",
      frameworks: controls.get(f.control)?.frameworks ?? {},
      severity: f.severity,
      enforcement: f.enforcement,
      urn: f.urn,
      type: f.type,
      name: f.name,
      message: f.message,
      ...(f.waiver ? { waiver: f.waiver } : {}),
      ...(f.expiredWaiver ? { expiredWaiver: f.expiredWaiver } : {}),
      policy: f.policy,
      ...(f.pack ? { pack: f.pack } : {}),
    })),
    durationMs: result.durationMs,
  };
}

export function formatJson(result: GateResult): string {
  return jsonSafe(JSON.stringify(toJsonReport(result), null, 2)) + "\n";
}
