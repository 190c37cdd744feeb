/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per control (help text, framework tags, severity),
 * one result per finding, located by URN (logical location) and, where known, by the program's source
 * file or the stack config (physical location). Waived findings carry an accepted suppression.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Log, ReportingDescriptor, Result } from "sarif";
import type { Evaluation } from "../evaluate";
import type { ControlInfo, Finding, GateResource, SourceLocation } from "../model";
import { boundEvaluation, jsonSafe, mdText } from "../sanitize";
import { frameworkRefs, frameworkTags } from "./common";

const securitySeverity = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" } as const;

function ruleOf(c: ControlInfo): ReportingDescriptor {
  const refs = frameworkRefs(c);
  const help = [
    c.title,
    c.rationale,
    c.remediation.length > 0 ? `Remediation: ${c.remediation.join(" ")}` : "",
    refs.length > 0 ? `Frameworks: ${refs.map((f) => `${f.name} ${f.refs.join(", ")}`).join("; ")}` : "",
  ].filter(Boolean);
  const markdown = [
    `**${mdText(c.title)}**`,
    mdText(c.rationale),
    c.remediation.length > 0
      ? `**Remediation**\n\n${c.remediation.map((r) => `- ${mdText(r)}`).join("\n")}`
      : "",
    refs.length > 0
      ? `**Frameworks**\n\n${refs.map((f) => `- ${mdText(f.name)}: ${mdText(f.refs.join(", "))}`).join("\n")}`
      : "",
    `Enforcement: ${mdText(c.enforcement)}. Severity: ${mdText(c.severity)}.`,
  ].filter(Boolean);
  return {
    id: c.id,
    name: c.id
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(""),
    shortDescription: { text: c.title },
    fullDescription: { text: c.rationale || c.title },
    help: { text: help.join("\n\n"), markdown: markdown.join("\n\n") },
    defaultConfiguration: {
      level: c.enforcement === "mandatory" ? "error" : c.enforcement === "disabled" ? "none" : "warning",
    },
    properties: {
      tags: ["security", "iac", "pulumi", ...(c.category ? [c.category] : []), ...frameworkTags(c)],
      "security-severity": securitySeverity[c.severity],
      precision: "very-high",
      "problem.severity": c.enforcement === "mandatory" ? "error" : "warning",
      enforcement: c.enforcement,
    },
  };
}

function waiverRule(id: string): ReportingDescriptor {
  return {
    id,
    name: id.replace(/(^|-)(\w)/g, (_m, _d, ch: string) => ch.toUpperCase()),
    shortDescription: { text: "A waiver in the policy config matches no violation" },
    help: { text: "Remove the waiver, or fix its control id or resource pattern." },
    defaultConfiguration: { level: "note" },
    properties: { tags: ["iac", "pulumi", "waiver"] },
  };
}

function levelOf(f: Finding): Result.level {
  if (f.kind === "unused-waiver" || f.kind === "preview-unknown") return "note";
  return f.enforcement === "mandatory" ? "error" : "warning";
}

export interface SarifOptions {
  /** Repository root the source files are relative to. */
  readonly root: string;
}

export function toSarif(unbounded: Evaluation, opts: SarifOptions): Log {
  const result = boundEvaluation(unbounded);
  const rules: ReportingDescriptor[] = result.controls.map(ruleOf);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  for (const f of result.findings) {
    if (!index.has(f.control)) {
      index.set(f.control, rules.length);
      rules.push(
        f.kind === "unused-waiver"
          ? waiverRule(f.control)
          : { id: f.control, shortDescription: { text: f.control } },
      );
    }
  }
  const byUrn = new Map(result.input.resources.map((r) => [r.urn, r]));
  const fallback = fallbackLocation(result, opts.root);
  const results: Result[] = result.findings.map((f) => {
    const r: GateResource | undefined = byUrn.get(f.urn);
    const where: SourceLocation | undefined = r?.source ?? fallback;
    const text =
      f.kind === "waived" && f.waiver
        ? `${f.message} (waived: ${f.waiver.reason}; approved by ${f.waiver.approvedBy}; expires ${f.waiver.expires})`
        : f.message;
    const res: Result = {
      ruleId: f.control,
      ruleIndex: index.get(f.control)!,
      level: levelOf(f),
      message: { text: f.urn ? `${text} [${f.name || f.urn}]` : text },
      locations: [
        {
          ...(where
            ? {
                physicalLocation: {
                  artifactLocation: { uri: where.file, uriBaseId: "%SRCROOT%" },
                  ...(where.line ? { region: { startLine: where.line } } : {}),
                },
              }
            : {}),
          logicalLocations: [
            {
              fullyQualifiedName: f.urn || `stack ${result.input.stack}`,
              name: f.name || result.input.stack,
              kind: "resource",
            },
          ],
        },
      ],
      partialFingerprints: {
        "pulumiUrnControl/v1": createHash("sha256")
          .update(`${f.control}\u0000${f.urn}\u0000${f.kind}`)
          .digest("hex"),
      },
      properties: {
        urn: f.urn,
        resourceType: f.type,
        enforcement: f.enforcement,
        severity: f.severity,
        kind: f.kind,
      },
    };
    if (f.kind === "waived") {
      res.suppressions = [
        {
          kind: "external",
          status: "accepted",
          justification: f.waiver
            ? `${f.waiver.reason} (approved by ${f.waiver.approvedBy}, expires ${f.waiver.expires})`
            : "waived",
        },
      ];
    }
    return res;
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "pulumi-policy-gate",
            fullName: `Offline policy gate (${result.pack.name})`,
            version: result.pack.version || "0.0.0",
            informationUri: "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/",
            rules,
          },
        },
        automationDetails: { id: `pulumi-policy-gate/${result.input.stack}/` },
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "The repository root." } } },
        results,
        properties: {
          stack: result.input.stack,
          project: result.input.project,
          input: result.input.kind,
          policyConfig: result.policyConfig,
          packs: result.packs ?? [],
          notices: result.notices ?? [],
        },
      },
    ],
  };
}

/** The stack config file (or Pulumi.yaml) when it is in the repository; else no physical location. */
function fallbackLocation(result: Evaluation, root: string): SourceLocation | undefined {
  const candidates = [result.input.configFile, `Pulumi.${result.input.stack}.yaml`, "Pulumi.yaml"];
  for (const c of candidates) {
    if (c && fs.existsSync(path.join(root, c))) return { file: c };
  }
  return undefined;
}

export function formatSarif(result: Evaluation, opts: SarifOptions): string {
  return jsonSafe(JSON.stringify(toSarif(result, opts), null, 2)) + "\n";
}
