/**
 * Compliance evidence: per framework in scope, each control with its framework references and the
 * resources it evaluated, passed, failed and waived (what an auditor asks for), as markdown and JSON.
 */
import type { Evaluation } from "../evaluate";
import { frameworkNames, type ControlInfo, type FrameworkId } from "../model";
import { boundEvaluation, jsonSafe, mdCode, mdText } from "../sanitize";
import { frameworksInScope, inputLabel, policyConfigLabel } from "./common";

export type Outcome = "passed" | "failed" | "waived";

export interface ControlEvidence {
  readonly control: string;
  readonly title: string;
  readonly severity: string;
  readonly enforcement: string;
  readonly references: readonly string[];
  readonly evaluated: number;
  readonly passed: number;
  readonly failed: number;
  readonly waived: number;
  /** URN → outcome, for every resource the control evaluated or reported. */
  readonly resources: Readonly<Record<string, Outcome>>;
}

/** Outcome of every (control, resource) pair: evaluated resources pass unless a finding says otherwise. */
export function outcomes(result: Evaluation): Map<string, Map<string, Outcome>> {
  const stackUrn = result.input.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
  const out = new Map<string, Map<string, Outcome>>();
  for (const c of result.controls) {
    out.set(c.id, new Map((result.evaluated.get(c.id) ?? []).map((urn) => [urn, "passed" as Outcome])));
  }
  for (const f of result.findings) {
    const m = out.get(f.control);
    if (!m) continue;
    const urn = f.urn || stackUrn;
    if (f.kind === "violation") m.set(urn, "failed");
    else if (f.kind === "waived" && m.get(urn) !== "failed") m.set(urn, "waived");
  }
  return out;
}

function evidenceOf(c: ControlInfo, fw: FrameworkId, o: Map<string, Outcome> | undefined): ControlEvidence {
  const entries = [...(o ?? new Map<string, Outcome>()).entries()];
  const count = (k: Outcome) => entries.filter(([, v]) => v === k).length;
  return {
    control: c.id,
    title: c.title,
    severity: c.severity,
    enforcement: c.enforcement,
    references: c.frameworks[fw] ?? [],
    evaluated: entries.length,
    passed: count("passed"),
    failed: count("failed"),
    waived: count("waived"),
    resources: Object.fromEntries(entries),
  };
}

export interface FrameworkEvidence {
  readonly framework: FrameworkId;
  readonly name: string;
  readonly controls: readonly ControlEvidence[];
}

export function complianceEvidence(unbounded: Evaluation): FrameworkEvidence[] {
  const result = boundEvaluation(unbounded);
  const o = outcomes(result);
  return frameworksInScope(result.frameworkScope).map((fw) => ({
    framework: fw,
    name: frameworkNames[fw],
    controls: result.controls
      .filter((c) => (c.frameworks[fw] ?? []).length > 0 && c.enforcement !== "disabled")
      .map((c) => evidenceOf(c, fw, o.get(c.id))),
  }));
}

/** One summary row per framework (used by the PR comment too). */
export function complianceRows(result: Evaluation) {
  return complianceEvidence(result).map((f) => ({
    name: f.name,
    controls: f.controls.length,
    evaluated: f.controls.reduce((s, c) => s + c.evaluated, 0),
    passed: f.controls.reduce((s, c) => s + c.passed, 0),
    failed: f.controls.reduce((s, c) => s + c.failed, 0),
    waived: f.controls.reduce((s, c) => s + c.waived, 0),
  }));
}

export function formatComplianceJson(unbounded: Evaluation): string {
  const result = boundEvaluation(unbounded);
  return (
    jsonSafe(
      JSON.stringify(
        {
          schemaVersion: 1,
          input: {
            kind: result.input.kind,
            origin: result.input.origin,
            project: result.input.project,
            stack: result.input.stack,
          },
          pack: result.pack,
          packs: result.packs ?? [],
          policyConfig: result.policyConfig,
          generatedAt: new Date().toISOString(),
          frameworks: complianceEvidence(result),
        },
        null,
        2,
      ),
    ) + "\n"
  );
}

export function formatComplianceMarkdown(unbounded: Evaluation): string {
  const result = boundEvaluation(unbounded);
  const out = [
    `# Compliance evidence: ${mdText(result.input.project)} / ${mdText(result.input.stack)}`,
    "",
    `Source: ${mdText(inputLabel(result))}. Policy pack ${mdCode(`${result.pack.name}@${result.pack.version}`)}. Generated ${new Date().toISOString()}.`,
    "",
    `${mdText(policyConfigLabel(result))}.`,
    "",
  ];
  for (const f of complianceEvidence(result)) {
    out.push(`## ${mdText(f.name)}`, "");
    if (f.controls.length === 0) {
      out.push("No control of the pack maps to this framework.", "");
      continue;
    }
    out.push(
      "| Control | References | Enforcement | Evaluated | Passed | Failed | Waived |",
      "|---|---|---|---:|---:|---:|---:|",
    );
    for (const c of f.controls) {
      out.push(
        `| ${mdCode(c.control)} ${mdText(c.title)} | ${mdText(c.references.join(", "))} | ${mdText(c.enforcement)} | ${c.evaluated} | ${c.passed} | ${c.failed} | ${c.waived} |`,
      );
    }
    out.push("");
  }
  return out.join("\n");
}
