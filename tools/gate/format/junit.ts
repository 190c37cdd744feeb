/**
 * JUnit XML for any CI that reads it: one test suite per control, one test case per control and
 * resource it evaluated; a violation is a failure (mandatory) or a skipped case with the message
 * (advisory is reported, waived is skipped with the waiver).
 */
import { policyConfigLabel } from "./common";
import type { Evaluation } from "../evaluate";
import type { Finding } from "../model";
import { boundEvaluation, xmlText as xml } from "../sanitize";
import { outcomes } from "./compliance";

export function formatJunit(unbounded: Evaluation): string {
  const result = boundEvaluation(unbounded);
  const o = outcomes(result);
  const byUrn = new Map(result.input.resources.map((r) => [r.urn, r]));
  const stackUrn = result.input.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
  // Findings by control and resource, read once (one scan, not one per test case).
  const byControlUrn = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const key = `${f.control}\u0000${f.urn || stackUrn}`;
    const list = byControlUrn.get(key);
    if (list) list.push(f);
    else byControlUrn.set(key, [f]);
  }
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const c of result.controls) {
    const cases = o.get(c.id);
    if (!cases || cases.size === 0) continue;
    const body: string[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    for (const [urn] of cases) {
      const r = byUrn.get(urn);
      const here = byControlUrn.get(`${c.id}\u0000${urn}`) ?? [];
      const violations = here.filter((f) => f.kind === "violation");
      const mandatory = violations.filter((f) => f.enforcement === "mandatory");
      const waived = here.filter((f) => f.kind === "waived");
      const name = `${c.id} ${r?.name ?? urn}`;
      const open = `    <testcase classname="${xml(c.id)}" name="${xml(name)}" file="${xml(r?.source?.file ?? "")}">`;
      if (mandatory.length > 0) {
        suiteFailures++;
        const text = mandatory.map((f) => f.message).join("\n");
        body.push(
          open,
          `      <failure type="mandatory" message="${xml(mandatory[0]!.message)}">${xml(`${urn}\n${text}`)}</failure>`,
          "    </testcase>",
        );
      } else if (violations.length > 0) {
        body.push(
          open,
          `      <system-out>${xml(`advisory: ${violations.map((f) => f.message).join("\n")}`)}</system-out>`,
          "    </testcase>",
        );
      } else if (waived.length > 0) {
        suiteSkipped++;
        const w = waived[0]!.waiver;
        body.push(
          open,
          `      <skipped message="${xml(`waived: ${w ? `${w.reason} (approved by ${w.approvedBy}, expires ${w.expires})` : waived[0]!.message}`)}"/>`,
          "    </testcase>",
        );
      } else {
        body.push(open.replace(/>$/, "/>"));
      }
    }
    tests += cases.size;
    failures += suiteFailures;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite name="${xml(c.id)}" tests="${cases.size}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}">`,
      ...body,
      "  </testsuite>",
    );
  }
  const name = `policy gate ${result.input.stack}`;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    // JUnit has no run-level properties on <testsuites>: the policy config is stated in a comment.
    `<!-- ${xml(policyConfigLabel(result)).replace(/--/g, "- -")} -->`,
    `<testsuites name="${xml(name)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${(result.durationMs / 1000).toFixed(3)}">`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}
