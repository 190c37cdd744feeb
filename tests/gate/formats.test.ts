import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import Ajv04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import type { Log } from "sarif";
import type { Evaluation } from "../../tools/gate/evaluate";
import { complianceEvidence, formatComplianceMarkdown } from "../../tools/gate/format/compliance";
import { toJsonReport } from "../../tools/gate/format/json";
import { formatJunit } from "../../tools/gate/format/junit";
import { commentLimit, formatMarkdown } from "../../tools/gate/format/markdown";
import { toSarif } from "../../tools/gate/format/sarif";
import { formatTerminal } from "../../tools/gate/format/terminal";
import { loadPreview } from "../../tools/gate/inputs";
import type { Finding } from "../../tools/gate/model";
import { evaluateWithFixture, gateResource, previewFixture, root } from "./helpers";

function sarifValidator() {
  const schemaFile = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
  const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8")) as Record<string, unknown>;
  // The schema's `language` pattern is only valid without the `u` flag (a known erratum in the schema).
  const ajv = new Ajv04({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe("gate output formats", function () {
  this.timeout(60_000);
  let result: Evaluation;

  before(async () => {
    result = await evaluateWithFixture(loadPreview(previewFixture));
  });

  it("terminal: groups by severity and control, names resource, type, URN, message, remediation; summary", () => {
    const text = formatTerminal(result, { color: false });
    assert.match(text, /Mandatory violations \(2\)/);
    assert.match(text, /CRITICAL fixture-encrypt-database — Databases encrypt storage at rest/);
    assert.match(text, /• orders \(aws:rds\/instance:Instance\)/);
    assert.match(text, /urn:pulumi:prod::shop::aws:rds\/instance:Instance::orders/);
    assert.match(text, /database orders is not encrypted at rest/);
    assert.match(text, /Remediation: Set storageEncrypted: true/);
    assert.match(text, /Not covered by any control: 1 resource of 1 type\n\s+1 {2}aws:sqs\/queue:Queue/);
    assert.match(text, /^FAIL: 2 mandatory violations, 0 advisory violations, 0 waived; 5 resources/m);
    assert.ok(!text.includes("\u001b["), "no colours when not asked");
    assert.ok(formatTerminal(result, { color: true }).includes("\u001b[31m"));
  });

  it("json: every finding with control, frameworks, severity, enforcement, URN, message; totals", () => {
    const doc = toJsonReport(result) as {
      verdict: string;
      totals: { mandatory: number; advisory: number };
      findings: {
        control: string;
        frameworks: Record<string, string[]>;
        severity: string;
        enforcement: string;
        urn: string;
        message: string;
      }[];
    };
    assert.equal(doc.verdict, "fail");
    assert.equal(doc.totals.mandatory, 2);
    const db = doc.findings.find((f) => f.control === "fixture-encrypt-database")!;
    assert.deepEqual(db.frameworks.pciDss, ["3.5.1"]);
    assert.equal(db.severity, "critical");
    assert.equal(db.enforcement, "mandatory");
    assert.equal(db.urn, "urn:pulumi:prod::shop::aws:rds/instance:Instance::orders");
    assert.equal(db.message, "database orders is not encrypted at rest");
  });

  it("sarif: validates against the SARIF 2.1.0 schema, one rule per control with help and framework tags", () => {
    const log = toSarif(result, { root });
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    const run = log.runs[0]!;
    const rules = run.tool.driver.rules ?? [];
    assert.deepEqual(
      rules.map((r) => r.id),
      ["fixture-encrypt-database", "fixture-key-rotation", "fixture-no-public-bucket"],
    );
    const rule = rules.find((r) => r.id === "fixture-no-public-bucket")!;
    assert.match(rule.help?.text ?? "", /Remove the public ACL/);
    assert.ok((rule.properties?.tags as string[]).includes("PCI DSS v4.0 1.4.1"));
    assert.equal(rule.properties?.["security-severity"], "8.0");
    assert.equal(run.results?.length, 2);
    const r = run.results!.find((x) => x.ruleId === "fixture-no-public-bucket")!;
    assert.equal(r.level, "error");
    assert.equal(
      r.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName,
      "urn:pulumi:prod::shop::aws:s3/bucketV2:BucketV2::assets",
    );
    assert.equal(rules[r.ruleIndex!]!.id, r.ruleId);
  });

  it("sarif: the validator rejects a broken log (the schema check can fail)", () => {
    const broken = { version: "2.1.0", runs: [{ tool: { driver: {} }, results: [{ level: "fatal" }] }] };
    assert.equal(sarifValidator()(broken), false);
  });

  it("sarif: locates results of our program in its source files and falls back to the stack config", () => {
    const withSource = {
      ...result,
      input: {
        ...result.input,
        configFile: "Pulumi.dev.yaml",
        resources: result.input.resources.map((r) =>
          r.name === "orders" ? { ...r, source: { file: "providers/aws/database.ts", line: 42 } } : r,
        ),
      },
    };
    const log: Log = toSarif(withSource, { root });
    const byRule = new Map(log.runs[0]!.results!.map((r) => [r.ruleId, r]));
    const db = byRule.get("fixture-encrypt-database")!.locations![0]!.physicalLocation!;
    assert.equal(db.artifactLocation?.uri, "providers/aws/database.ts");
    assert.equal(db.region?.startLine, 42);
    const bucket = byRule.get("fixture-no-public-bucket")!.locations![0]!.physicalLocation!;
    assert.equal(bucket.artifactLocation?.uri, "Pulumi.dev.yaml");
  });

  it("markdown: names the violated controls, plan summary and compliance coverage", () => {
    const md = formatMarkdown(result);
    assert.match(md, /^<!-- pulumi-policy-gate:prod -->/);
    assert.match(md, /## ❌ Policy gate: `prod` — failed/);
    assert.match(md, /### ❌ Mandatory violations \(2\)/);
    assert.match(
      md,
      /#### `fixture-encrypt-database` — Databases encrypt storage at rest \(critical, 1 resource\)/,
    );
    assert.match(md, /#### `fixture-no-public-bucket`/);
    assert.match(md, /\| aws \| — \| 3 \|/);
    assert.match(md, /\| PCI DSS v4\.0 \| 3 \| 2 \| 0 \| 2 \| 0 \|/);
    assert.match(md, /`aws:sqs\/queue:Queue` \(1\)/);
  });

  it("markdown: stays under GitHub's comment limit for a large plan, with counts of what is left out", () => {
    const resources = Array.from({ length: 6000 }, (_, i) =>
      gateResource({
        urn: `urn:pulumi:prod::big::aws:s3/bucket:Bucket::bucket-${i}`,
        type: "aws:s3/bucket:Bucket",
      }),
    );
    const findings: Finding[] = resources.map((r) => ({
      kind: "violation",
      control: "fixture-no-public-bucket",
      enforcement: "mandatory",
      severity: "high",
      urn: r.urn,
      type: r.type,
      name: r.name,
      message: `bucket ${r.name} is publicly readable (acl=public-read) | with a pipe`,
      policy: "fixture-no-public-bucket",
    }));
    const big: Evaluation = {
      ...result,
      input: { ...result.input, resources },
      findings,
      totals: { ...result.totals, resources: resources.length, mandatory: findings.length },
      evaluated: new Map([["fixture-no-public-bucket", resources.map((r) => r.urn)]]),
    };
    const md = formatMarkdown(big);
    assert.ok(md.length <= commentLimit, `${md.length} characters`);
    assert.match(md, /\*\*6000 mandatory violations\*\*/);
    assert.match(md, /\| … \d+ more \| \| \|/);
    assert.match(md, /&#124; with a pipe/);
  });

  it("junit: one test case per control and resource, failures counted", () => {
    const xml = formatJunit(result);
    assert.match(xml, /<testsuites name="policy gate prod" tests="2" failures="2" errors="0" skipped="0"/);
    assert.equal((xml.match(/<testcase /g) ?? []).length, 2);
    assert.equal((xml.match(/<failure type="mandatory"/g) ?? []).length, 2);
    assert.match(xml, /<testsuite name="fixture-encrypt-database" tests="1" failures="1"/);
  });

  it("compliance: per framework, each control with resources evaluated, passed, failed, waived", () => {
    const evidence = complianceEvidence(result);
    assert.deepEqual(
      evidence.map((f) => f.framework),
      ["soc2", "iso27001", "pciDss", "gdpr", "lfpdppp", "cis"],
    );
    const pci = evidence.find((f) => f.framework === "pciDss")!;
    const db = pci.controls.find((c) => c.control === "fixture-encrypt-database")!;
    assert.deepEqual([db.evaluated, db.passed, db.failed, db.waived], [1, 0, 1, 0]);
    assert.deepEqual(db.references, ["3.5.1"]);
    const lfpdppp = evidence.find((f) => f.framework === "lfpdppp")!;
    assert.deepEqual(
      lfpdppp.controls.map((c) => c.control),
      ["fixture-encrypt-database"],
    );
    const md = formatComplianceMarkdown(result);
    assert.match(md, /## PCI DSS v4\.0/);
    assert.match(
      md,
      /\| `fixture-encrypt-database` Databases encrypt storage at rest \| 3\.5\.1 \| mandatory \| 1 \| 0 \| 1 \| 0 \|/,
    );
  });
});
