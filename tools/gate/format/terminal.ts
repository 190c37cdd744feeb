/** The default output: violations grouped by enforcement, severity and control, and a summary line. */
import type { Finding, GateResult } from "../model";
import { boundEvaluation, neutraliseCommands, textValue as v } from "../sanitize";
import {
  controlMap,
  inputLabel,
  isAdvisory,
  isMandatory,
  noticeLines,
  packsLabel,
  plural,
  policyConfigLabel,
  verdict,
} from "./common";

export interface TerminalOptions {
  readonly color: boolean;
  /** Show at most this many resources per control (the rest are counted). */
  readonly perControl?: number;
}

const codes = { red: 31, yellow: 33, green: 32, cyan: 36, gray: 90, bold: 1, magenta: 35 } as const;
type Paint = (code: keyof typeof codes, s: string) => string;

const severityColor = { critical: "magenta", high: "red", medium: "yellow", low: "cyan" } as const;

export function formatTerminal(unbounded: GateResult, opts: TerminalOptions): string {
  const result = boundEvaluation(unbounded);
  const paint: Paint = (code, s) => (opts.color ? `\u001b[${codes[code]}m${s}\u001b[0m` : s);
  const controls = controlMap(result);
  const perControl = opts.perControl ?? 20;
  const lines: string[] = [];
  lines.push(
    paint("bold", `Policy gate: ${v(inputLabel(result))}`),
    `Packs ${v(packsLabel(result))}: ${plural(result.controls.length, "control")} ` +
      `over ${plural(result.totals.resources, "resource")}`,
    v(policyConfigLabel(result)),
    "",
  );

  const section = (title: string, findings: readonly Finding[], color: keyof typeof codes) => {
    if (findings.length === 0) return;
    lines.push(paint(color, paint("bold", `${title} (${findings.length})`)));
    const groups = new Map<string, Finding[]>();
    for (const f of findings) {
      const key = `${f.severity}\u0000${f.control}`;
      const g = groups.get(key);
      if (g) g.push(f);
      else groups.set(key, [f]);
    }
    for (const group of groups.values()) {
      const first = group[0]!;
      const c = controls.get(first.control);
      const sev = paint(severityColor[first.severity], first.severity.toUpperCase().padEnd(8));
      lines.push(`  ${sev} ${paint("bold", v(first.control))}${c ? ` — ${v(c.title)}` : ""}`);
      for (const f of group.slice(0, perControl)) {
        lines.push(`    • ${f.name ? v(f.name) : "(stack)"}${f.type ? ` (${v(f.type)})` : ""}`);
        if (f.urn) lines.push(paint("gray", `      ${v(f.urn)}`));
        lines.push(`      ${v(f.message)}`);
        if (f.expiredWaiver) {
          lines.push(
            paint(
              "yellow",
              `      waiver expired ${v(f.expiredWaiver.expires)}: ${v(f.expiredWaiver.reason)}`,
            ),
          );
        }
      }
      if (group.length > perControl) lines.push(`    … and ${group.length - perControl} more`);
      if (c && c.remediation.length > 0)
        lines.push(paint("green", `    Remediation: ${v(c.remediation.join(" "))}`));
    }
    lines.push("");
  };

  section("Mandatory violations", result.findings.filter(isMandatory), "red");
  section("Advisory violations", result.findings.filter(isAdvisory), "yellow");

  const waived = result.findings.filter((f) => f.kind === "waived");
  if (waived.length > 0) {
    lines.push(paint("bold", `Waived (${waived.length})`));
    for (const f of waived) {
      lines.push(`  ${v(f.control)} on ${v(f.name || f.urn)}: ${v(f.message)}`);
      if (f.waiver) {
        lines.push(
          paint(
            "gray",
            `    reason: ${v(f.waiver.reason)}; approved by ${v(f.waiver.approvedBy)}; expires ${v(f.waiver.expires)}`,
          ),
        );
      }
    }
    lines.push("");
  }
  const unused = result.findings.filter((f) => f.kind === "unused-waiver");
  if (unused.length > 0) {
    lines.push(paint("bold", `Unused waivers (${unused.length})`));
    for (const f of unused) lines.push(`  ${v(f.message)}`);
    lines.push("");
  }
  const remediated = result.findings.filter((f) => f.kind === "remediated");
  if (remediated.length > 0) {
    lines.push(paint("bold", `Remediated before analysis (${remediated.length})`));
    for (const f of remediated.slice(0, perControl)) lines.push(`  ${f.control} on ${f.name}: ${f.message}`);
    if (remediated.length > perControl) lines.push(`  … ${remediated.length - perControl} more`);
    lines.push("");
  }
  const notices = noticeLines(result);
  if (notices.length > 0) {
    lines.push(paint("bold", "Not covered by this offline run"));
    for (const n of notices) lines.push(`  ${neutraliseCommands(v(n))}`);
    lines.push("");
  }
  const unknown = result.findings.filter((f) => f.kind === "preview-unknown");
  if (unknown.length > 0) {
    lines.push(paint("bold", `Not decidable before deployment (${unknown.length})`));
    for (const f of unknown.slice(0, perControl)) lines.push(`  ${v(f.control)}: ${v(f.message)}`);
    lines.push("");
  }
  const cov = result.coverage;
  if (cov.notCovered.length > 0) {
    lines.push(
      paint(
        "yellow",
        `Not covered by any control: ${plural(cov.notCoveredResources, "resource")} of ${plural(cov.notCovered.length, "type")}`,
      ),
    );
    for (const t of cov.notCovered) lines.push(`  ${String(t.count).padStart(5)}  ${v(t.type)}`);
    lines.push("");
  }
  lines.push(summaryLine(result, paint));
  return neutraliseCommands(lines.join("\n"));
}

export function summaryLine(result: GateResult, paint: Paint = (_c, s) => s): string {
  const t = result.totals;
  const status =
    verdict(result) === "fail" ? paint("red", paint("bold", "FAIL")) : paint("green", paint("bold", "PASS"));
  const covered = result.coverage.evaluated - result.coverage.notCoveredResources;
  return (
    `${status}: ${plural(t.mandatory, "mandatory violation")}, ${plural(t.advisory, "advisory violation")}, ` +
    `${t.waived} waived; ${plural(t.resources, "resource")} (${covered}/${result.coverage.evaluated} cloud resources covered), ` +
    `${plural(result.controls.length, "control")}, ${(result.durationMs / 1000).toFixed(1)} s`
  );
}
