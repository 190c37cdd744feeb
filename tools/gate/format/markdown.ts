/**
 * A pull-request comment: verdict, plan summary (resources per cloud, site and type), mandatory and
 * advisory violations, waived findings with reason and expiry, compliance coverage per framework. Stays
 * under GitHub's 65,536-character comment limit by showing fewer rows per control (with counts of what
 * is left out) until it fits.
 */
import type { Evaluation } from "../evaluate";
import type { Finding } from "../model";
import { boundEvaluation, commentMarkerId, mdCode, mdText } from "../sanitize";
import { complianceRows } from "./compliance";
import {
  cloudOf,
  controlMap,
  countBy,
  frameworkTags,
  inputLabel,
  isAdvisory,
  isMandatory,
  noticeLines,
  packsLabel,
  plural,
  policyConfigLabel,
  siteResolver,
  verdict,
} from "./common";

/** GitHub's limit is 65,536 characters; leave room for a marker and the action's own additions. */
export const commentLimit = 60_000;

/**
 * Hidden marker so a workflow can find and update its previous comment. The stack name is reduced to
 * `[A-Za-z0-9_.-]` and `%XX` escapes, so it can neither close the comment nor forge another stack's marker;
 * no input-derived value in the body can contain `<!--` (every `<` is a character reference).
 */
export function commentMarker(stack: string): string {
  return `<!-- pulumi-policy-gate:${commentMarkerId(stack)} -->`;
}

/** Input-derived prose (messages, titles, reasons): literal text in a table cell or a line. */
const cell = mdText;
/** Input-derived identifiers (names, types, URNs, control ids). */
const code = mdCode;

function render(result: Evaluation, rowsPerControl: number, typeRows: number): string {
  const controls = controlMap(result);
  const t = result.totals;
  const pass = verdict(result) === "pass";
  const out: string[] = [commentMarker(result.input.stack)];
  out.push(
    `## ${pass ? "✅" : "❌"} Policy gate: ${code(result.input.stack)} — ${pass ? "passed" : "failed"}`,
    "",
    `${cell(inputLabel(result))} · packs ${cell(packsLabel(result))} · ${plural(result.controls.length, "control")} · ${(result.durationMs / 1000).toFixed(1)} s`,
    "",
    `${cell(policyConfigLabel(result))}`,
    "",
    `**${plural(t.mandatory, "mandatory violation")}** · ${plural(t.advisory, "advisory violation")} · ${t.waived} waived` +
      ` · ${plural(result.coverage.notCoveredResources, "resource")} not covered by any control`,
    "",
  );

  // Plan summary.
  const site = siteResolver(result.input.resources);
  const cloudResources = result.input.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
  out.push("### Plan summary", "");
  out.push(
    `${plural(result.input.resources.length, "resource")}: ${cloudResources.length} cloud resources, ` +
      `${result.input.resources.length - cloudResources.length} components, providers and the stack.`,
    "",
  );
  const bySite = countBy(cloudResources, (r) => JSON.stringify([cloudOf(r.type), site(r) || "—"]));
  out.push("| Cloud | Site | Resources |", "|---|---|---:|");
  for (const [key, n] of bySite) {
    const [cloud, s] = JSON.parse(key) as [string, string];
    out.push(`| ${cell(cloud)} | ${cell(s)} | ${n} |`);
  }
  const byType = countBy(cloudResources, (r) => r.type);
  out.push("", `<details><summary>Resources by type (${plural(byType.length, "type")})</summary>`, "");
  out.push("| Type | Resources |", "|---|---:|");
  for (const [type, n] of byType.slice(0, typeRows)) out.push(`| ${code(type)} | ${n} |`);
  if (byType.length > typeRows) out.push(`| … ${byType.length - typeRows} more types | |`);
  out.push("", "</details>", "");

  const violations = (title: string, findings: readonly Finding[]) => {
    if (findings.length === 0) return;
    out.push(`### ${title} (${findings.length})`, "");
    const groups = new Map<string, Finding[]>();
    for (const f of findings) {
      const g = groups.get(f.control);
      if (g) g.push(f);
      else groups.set(f.control, [f]);
    }
    for (const [id, group] of groups) {
      const c = controls.get(id);
      out.push(
        `#### ${code(id)} — ${cell(c?.title ?? id)} (${cell(group[0]!.severity)}, ${plural(group.length, "resource")})`,
        "",
      );
      const tags = frameworkTags(c);
      if (tags.length > 0) out.push(`Frameworks: ${tags.map(cell).join(" · ")}`, "");
      out.push("| Resource | Type | Message |", "|---|---|---|");
      for (const f of group.slice(0, rowsPerControl)) {
        const name = f.name ? code(f.name) : "(stack)";
        out.push(
          `| <span title="${cell(f.urn)}">${name}</span> | ${f.type ? code(f.type) : ""} | ${cell(f.message)} |`,
        );
      }
      if (group.length > rowsPerControl) out.push(`| … ${group.length - rowsPerControl} more | | |`);
      out.push("");
      if (c && c.remediation.length > 0) out.push(`**Remediation:** ${cell(c.remediation.join(" "))}`, "");
    }
  };
  violations("❌ Mandatory violations", result.findings.filter(isMandatory));
  violations("⚠️ Advisory violations", result.findings.filter(isAdvisory));

  const remediated = result.findings.filter((f) => f.kind === "remediated");
  if (remediated.length > 0) {
    out.push(`### Remediated before analysis (${remediated.length})`, "");
    for (const f of remediated.slice(0, rowsPerControl * 4))
      out.push(`- \`${f.control}\` on \`${f.name}\`: ${f.message}`);
    if (remediated.length > rowsPerControl * 4)
      out.push(`- … ${remediated.length - rowsPerControl * 4} more`);
    out.push("");
  }
  const notices = noticeLines(result);
  if (notices.length > 0) {
    out.push("### Not covered by this offline run", "");
    for (const n of notices) out.push(`- ${cell(n)}`);
    out.push("");
  }
  const waived = result.findings.filter((f) => f.kind === "waived");
  if (waived.length > 0) {
    out.push(`### Waived findings (${waived.length})`, "");
    out.push(
      "| Control | Resource | Finding | Reason | Approved by | Expires |",
      "|---|---|---|---|---|---|",
    );
    const shown = waived.slice(0, rowsPerControl * 4);
    for (const f of shown) {
      out.push(
        `| ${code(f.control)} | ${f.name ? code(f.name) : "(stack)"} | ${cell(f.message)} | ${cell(f.waiver?.reason ?? "")} | ${cell(f.waiver?.approvedBy ?? "")} | ${cell(f.waiver?.expires ?? "")} |`,
      );
    }
    if (waived.length > shown.length) out.push(`| … ${waived.length - shown.length} more | | | | | |`);
    out.push("");
  }
  const unused = result.findings.filter((f) => f.kind === "unused-waiver");
  if (unused.length > 0) {
    out.push(`### Unused waivers (${unused.length})`, "");
    for (const f of unused.slice(0, rowsPerControl * 4)) out.push(`- ${cell(f.message)}`);
    if (unused.length > rowsPerControl * 4) out.push(`- … ${unused.length - rowsPerControl * 4} more`);
    out.push("");
  }

  // Compliance coverage per framework.
  const rows = complianceRows(result);
  if (rows.length > 0) {
    out.push("### Compliance coverage", "");
    out.push(
      "| Framework | Controls | Resources evaluated | Passed | Failed | Waived |",
      "|---|---:|---:|---:|---:|---:|",
    );
    for (const r of rows) {
      out.push(
        `| ${cell(r.name)} | ${r.controls} | ${r.evaluated} | ${r.passed} | ${r.failed} | ${r.waived} |`,
      );
    }
    out.push("");
  }
  if (result.coverage.notCovered.length > 0) {
    out.push(
      `<details><summary>Not covered by any control: ${plural(result.coverage.notCoveredResources, "resource")} of ${plural(result.coverage.notCovered.length, "type")}</summary>`,
      "",
    );
    for (const t of result.coverage.notCovered.slice(0, typeRows)) out.push(`- ${code(t.type)} (${t.count})`);
    if (result.coverage.notCovered.length > typeRows)
      out.push(`- … ${result.coverage.notCovered.length - typeRows} more types`);
    out.push("", "</details>", "");
  }
  out.push(
    "<sub>Offline policy gate: the policy pack evaluated through the Pulumi analyzer protocol, without cloud credentials.</sub>",
    "",
  );
  return out.join("\n");
}

export function formatMarkdown(unbounded: Evaluation, limit = commentLimit): string {
  const result = boundEvaluation(unbounded);
  for (const [rows, types] of [
    [Infinity, Infinity],
    [50, 100],
    [20, 50],
    [10, 30],
    [5, 20],
    [2, 10],
    [1, 5],
    [0, 0],
  ] as const) {
    const text = render(result, rows, types);
    if (text.length <= limit) return text;
  }
  const text = render(result, 0, 0);
  const note = "\n\n… (truncated to fit a pull-request comment; see the JSON report)\n";
  // Cut at a line end, so no element, character reference or table row is left open.
  const cut = text.lastIndexOf("\n", limit - note.length);
  return text.slice(0, Math.max(cut, 0)) + note;
}
