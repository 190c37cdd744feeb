/**
 * A pull-request comment: verdict, plan summary (resources per cloud, site and type), mandatory and
 * advisory violations, waived findings with reason and expiry, compliance coverage per framework. Stays
 * under GitHub's 65,536-character comment limit by showing fewer rows per control (with counts of what
 * is left out) until it fits.
 */
import type { Evaluation } from "../evaluate";
import type { Finding } from "../model";
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

/** Hidden marker so a workflow can find and update its previous comment. */
export function commentMarker(stack: string): string {
  return `<!-- pulumi-policy-gate:${stack} -->`;
}

function cell(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

function code(s: string): string {
  return s.includes("`") ? `<code>${s.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</code>` : `\`${s}\``;
}

function render(result: Evaluation, rowsPerControl: number, typeRows: number): string {
  const controls = controlMap(result);
  const t = result.totals;
  const pass = verdict(result) === "pass";
  const out: string[] = [commentMarker(result.input.stack)];
  out.push(
    `## ${pass ? "✅" : "❌"} Policy gate: \`${result.input.stack}\` — ${pass ? "passed" : "failed"}`,
    "",
    `${inputLabel(result)} · packs ${packsLabel(result)} · ${plural(result.controls.length, "control")} · ${(result.durationMs / 1000).toFixed(1)} s`,
    "",
    `${policyConfigLabel(result)}`,
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
  const bySite = countBy(cloudResources, (r) => `${cloudOf(r.type)}\u0000${site(r) || "—"}`);
  out.push("| Cloud | Site | Resources |", "|---|---|---:|");
  for (const [key, n] of bySite) {
    const [cloud, s] = key.split("\u0000");
    out.push(`| ${cell(cloud!)} | ${cell(s!)} | ${n} |`);
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
    for (const f of findings) groups.set(f.control, [...(groups.get(f.control) ?? []), f]);
    for (const [id, group] of groups) {
      const c = controls.get(id);
      out.push(
        `#### ${code(id)} — ${cell(c?.title ?? id)} (${group[0]!.severity}, ${plural(group.length, "resource")})`,
        "",
      );
      const tags = frameworkTags(c);
      if (tags.length > 0) out.push(`Frameworks: ${tags.join(" · ")}`, "");
      out.push("| Resource | Type | Message |", "|---|---|---|");
      for (const f of group.slice(0, rowsPerControl)) {
        const name = f.name ? code(f.name) : "(stack)";
        out.push(
          `| <span title="${cell(f.urn).replace(/"/g, "&quot;")}">${name}</span> | ${f.type ? code(f.type) : ""} | ${cell(f.message)} |`,
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
    for (const n of notices) out.push(`- ${n}`);
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
        `| ${code(f.control)} | ${f.name ? code(f.name) : "(stack)"} | ${cell(f.message)} | ${cell(f.waiver?.reason ?? "")} | ${cell(f.waiver?.approvedBy ?? "")} | ${f.waiver?.expires ?? ""} |`,
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
      out.push(`| ${r.name} | ${r.controls} | ${r.evaluated} | ${r.passed} | ${r.failed} | ${r.waived} |`);
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

export function formatMarkdown(result: Evaluation, limit = commentLimit): string {
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
  return text.slice(0, limit - note.length) + note;
}
