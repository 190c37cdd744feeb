/**
 * The gate's reports are posted and printed: hostile resource and stack names must not inject markup,
 * terminal escapes or CI commands into any format, each value is capped, and no secret from any input
 * reaches a report.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";
import { BucketV2 } from "@pulumi/aws/s3/bucketV2";
import { Instance } from "@pulumi/aws/rds/instance";
import type { Evaluation } from "../../tools/gate/evaluate";
import { loadPreview, loadStack, loadState } from "../../tools/gate/inputs";
import { renderers } from "../../tools/gate/render";
import { Redactor } from "../../tools/gate/redact";
import { cap, commentMarkerId, maskCredentials, mdText, textValue } from "../../tools/gate/sanitize";
import { secretSig, sigKey } from "../../tools/gate/wire";
import { evaluateWithFixture, root, runCli, tmpDir } from "./helpers";

const formats = [
  "terminal",
  "markdown",
  "json",
  "sarif",
  "junit",
  "complianceMarkdown",
  "complianceJson",
] as const;

function renderAll(result: Evaluation): Record<(typeof formats)[number], string> {
  const ctx = { color: false, root };
  return Object.fromEntries(formats.map((f) => [f, renderers[f](result, ctx)])) as Record<
    (typeof formats)[number],
    string
  >;
}

const provider = "urn:pulumi:STACK::shop::pulumi:providers:aws::eu";

/** A preview document with buckets of the given names (all public, so the fixture control names them). */
function previewWith(stack: string, names: readonly string[], extra: Record<string, unknown> = {}): unknown {
  const urn = (type: string, name: string) => `urn:pulumi:${stack}::shop::${type}::${name}`;
  const p = provider.replace("STACK", stack);
  return {
    config: {},
    steps: [
      { op: "create", newState: { urn: p, type: "pulumi:providers:aws", custom: true, inputs: {} } },
      ...names.map((name) => ({
        op: "create",
        newState: {
          urn: urn("aws:s3/bucketV2:BucketV2", name),
          type: "aws:s3/bucketV2:BucketV2",
          custom: true,
          provider: `${p}::id`,
          inputs: { acl: "public-read" },
          ...extra,
        },
      })),
    ],
  };
}

function writeJson(doc: unknown, name: string): string {
  const file = path.join(tmpDir(), name);
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

const hostileNames = [
  "<img src=x onerror=alert(1)>",
  "[click](javascript:alert(1))",
  "a|b\n| forged | row | injected |",
  "ansi\u001b[31mred\u001b]8;;https://evil.example/\u0007link\u001b]8;;\u0007\u009b2J",
  "bidi\u202egnp.exe\u2066x\u2069",
  "::add-mask::hidden",
  "x\n::set-output name=verdict::pass\n##vso[task.setvariable variable=ok]true",
  "tick`code`tick",
  "@octocat please merge",
  "https://evil.example/phish www.evil.example",
];

const hostileStack = "prod --> <!-- pulumi-policy-gate:prod -->\n## ✅ Policy gate: `prod` — passed\n<!--";

describe("gate: hostile names in every format", function () {
  this.timeout(120_000);
  let out: Record<(typeof formats)[number], string>;
  let longOut: Record<(typeof formats)[number], string>;
  const longName = "L".repeat(15_000); // under the URN limit (16 KiB), over every report cap

  before(async () => {
    const file = writeJson(previewWith(hostileStack, [...hostileNames, longName]), "hostile.json");
    const result = await evaluateWithFixture(loadPreview(file));
    assert.equal(result.totals.mandatory, hostileNames.length + 1, "every hostile bucket is reported");
    out = renderAll(result);
    longOut = out;
  });

  it("markdown: the marker is the first line, unique and unforgeable; no HTML, link, row or heading injected", () => {
    const md = out.markdown;
    const lines = md.split("\n");
    assert.match(lines[0]!, /^<!-- pulumi-policy-gate:[A-Za-z0-9_.%-]+ -->$/);
    assert.equal(md.split("<!--").length - 1, 1, "exactly one comment opener");
    assert.equal(md.split("-->").length - 1, 1, "exactly one comment closer");
    assert.ok(!md.includes("pulumi-policy-gate:prod -->"), "the stack cannot take another stack's marker");
    const headings = lines.filter((l) => /^#{1,2} /.test(l));
    assert.equal(headings.length, 1, headings.join("\n"));
    assert.match(headings[0]!, /^## ❌ Policy gate: <code>.*<\/code> — failed$/);
    assert.ok(!md.includes("<img"), "no raw HTML from a name");
    assert.ok(!/\]\(javascript:/i.test(md), "no markdown link from a name");
    assert.ok(!lines.some((l) => l.startsWith("| forged")), "a newline in a name adds no table row");
    assert.ok(!/(^|[^&#\w])@octocat/.test(md.replace(/`[^`]*`/g, "")), "no mention outside code");
    assert.ok(!/https:\/\/evil/.test(md.replace(/`[^`]*`/g, "")), "no autolink outside code");
    for (const l of lines.filter((x) => x.startsWith("| "))) {
      const cells = l.replace(/\\\|/g, "").split("|").length;
      const header = lines.find((h) => h.startsWith("| Resource | Type | Message |"));
      if (header && l.includes("onerror")) assert.equal(cells, header.split("|").length);
    }
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(md));
  });

  it("terminal/text: no control, escape or bidi character, no line a CI reads as a command", () => {
    const text = out.terminal;
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(text), "no control characters but newlines");
    assert.ok(!/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u2028\u2029]/.test(text), "no bidi or separators");
    for (const line of text.split("\n")) {
      assert.ok(!/^\s*::/.test(line), `workflow command line: ${line}`);
      assert.ok(!/##(vso)?\[/.test(line), `azure logging command: ${line}`);
    }
    assert.match(text, /ansi\\e\[31mred\\e\]8;;/, "escapes are shown, not interpreted");
    assert.match(text, /bidi\\u\{202e\}gnp\.exe/);
  });

  it("json, sarif, compliance.json: valid JSON, values preserved (capped), no raw bidi or C1 character", () => {
    for (const f of ["json", "sarif", "complianceJson"] as const) {
      const text = out[f];
      assert.ok(!/[\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/.test(text), f);
      JSON.parse(text);
    }
    const doc = JSON.parse(out.json) as { findings: { name: string }[]; input: { stack: string } };
    const names = doc.findings.map((f) => f.name);
    assert.ok(names.includes("<img src=x onerror=alert(1)>"), "JSON keeps the data (it is escaped by JSON)");
    assert.ok(
      names.every((n) => n.length <= 300),
      "names are capped",
    );
    assert.ok(
      names.some((n) => /…\[\d+ more characters cut\]$/.test(n)),
      "the cut is marked",
    );
    assert.ok(doc.input.stack.startsWith("prod -->"));
  });

  it("junit: well-formed text, no raw markup or control characters from names", () => {
    const xml = out.junit;
    assert.ok(!xml.includes("<img"));
    assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u202a-\u202e]/.test(xml));
    assert.match(xml, /&lt;img src=x onerror=alert\(1\)&gt;/);
    // Every element that opens closes (a crude well-formedness check: tags balance).
    const opens = (xml.match(/<testcase\b[^>]*[^/]>/g) ?? []).length;
    assert.equal(opens, (xml.match(/<\/testcase>/g) ?? []).length);
  });

  it("compliance.md: the stack and project are escaped", () => {
    const md = out.complianceMarkdown;
    assert.ok(!md.includes("<!--"));
    assert.equal(md.split("\n").filter((l) => /^# /.test(l)).length, 1);
  });

  it("a 15,000-character name is capped in every format", () => {
    for (const f of formats) {
      assert.ok(!longOut[f].includes("L".repeat(2100)), `${f} carries the whole name`);
      assert.ok(longOut[f].length < 400_000, `${f}: ${longOut[f].length} characters`);
    }
  });

  it("helpers: cap marks the cut without splitting a surrogate pair; marker id is [A-Za-z0-9_.%-]", () => {
    assert.equal(cap("abc", 3), "abc");
    assert.equal(cap("abcdef", 3), "abc…[3 more characters cut]");
    assert.equal(cap("ab😀cd", 3), "ab…[4 more characters cut]");
    assert.equal(commentMarkerId("prod-eu_1.x"), "prod-eu_1.x");
    assert.equal(commentMarkerId("a -->"), "a%20--%3E");
    assert.equal(textValue("a\nb\u001b"), "a\\nb\\e");
    assert.equal(mdText("a|b"), "a&#124;b");
  });
});

describe("gate: no secret leaves the gate", function () {
  this.timeout(120_000);

  it("masks credential shapes in any value (URL passwords, registry credentials, tokens, keys)", () => {
    assert.equal(
      maskCredentials("postgres://app:s3cr3t@db.internal:5432/x"),
      "postgres://app:****@db.internal:5432/x",
    );
    assert.equal(
      maskCredentials("image bot:tok3n@registry.example.com/team/app:1.0"),
      "image bot:****@registry.example.com/team/app:1.0",
    );
    assert.equal(maskCredentials("docker.io/library/nginx:1.27"), "docker.io/library/nginx:1.27");
    assert.equal(maskCredentials("key AKIAIOSFODNN7EXAMPLE"), "key AKIA****");
    assert.equal(
      maskCredentials("DefaultEndpointsProtocol=https;AccountKey=abc/def+g==;x"),
      "DefaultEndpointsProtocol=https;AccountKey=****;x",
    );
    assert.equal(maskCredentials("owner alice@example.com"), "owner alice@example.com");
  });

  it("redactor: replaces every secret, longest first, leaves other text alone", () => {
    const r = new Redactor(["hunter2", "hunter22", "ab"]);
    assert.equal(r.redact("pw hunter22 and hunter2 ab"), "pw [secret] and [secret] ab");
  });

  /** A bucket whose `acl` (which the fixture control quotes) is "public-read" and secret in the input. */
  async function findingsText(result: Evaluation): Promise<string> {
    return Object.values(renderAll(result)).join("\n");
  }

  it("--state: a decoded `plaintext` secret and a credential-shaped name are not in any report", async () => {
    const secret = { [sigKey]: secretSig, plaintext: JSON.stringify("public-read") };
    const doc = {
      version: 3,
      deployment: {
        resources: [
          {
            urn: "urn:pulumi:prod::shop::pulumi:providers:aws::eu",
            type: "pulumi:providers:aws",
            custom: true,
          },
          {
            urn: "urn:pulumi:prod::shop::aws:s3/bucketV2:BucketV2::https://ci:p4ssw0rd@git.example.com/x",
            type: "aws:s3/bucketV2:BucketV2",
            custom: true,
            inputs: { acl: secret },
            outputs: { acl: secret },
          },
        ],
      },
    };
    const result = await evaluateWithFixture(loadState(writeJson(doc, "state.json")));
    assert.equal(result.totals.mandatory, 1, "the control still sees the decoded value");
    assert.match(result.findings[0]!.message, /acl=\[secret\]/);
    const all = await findingsText(result);
    assert.ok(!all.includes("public-read"), "the secret value appears in no format");
    assert.ok(!all.includes("p4ssw0rd"), "the password in the name appears in no format");
  });

  it("--preview: values of additionalSecretOutputs are redacted", async () => {
    const doc = previewWith("prod", ["b1"], { additionalSecretOutputs: ["acl"] });
    const result = await evaluateWithFixture(loadPreview(writeJson(doc, "preview.json")));
    assert.equal(result.totals.mandatory, 1);
    const all = await findingsText(result);
    assert.ok(!all.includes("public-read"), all.slice(0, 400));
  });

  it("--stack: values the program marks secret (and SDK-declared secret inputs) never reach the pack or a report", async () => {
    const program = async () => {
      const p = new Provider("eu", { region: "eu-west-1" });
      new BucketV2("assets", { acl: pulumi.secret("public-read") } as never, { provider: p });
      new Instance(
        "orders",
        {
          engine: "postgres",
          instanceClass: "db.t4g.micro",
          allocatedStorage: 20,
          password: "hunter2-plain",
        },
        { provider: p },
      );
    };
    const input = await loadStack("dev", root, undefined, program);
    const wire = JSON.stringify(input.resources);
    assert.ok(!wire.includes("hunter2-plain"), "the SDK marks password secret; its value is not kept");
    assert.ok(!wire.includes("public-read"));
    const result = await evaluateWithFixture(input);
    const all = await findingsText(result);
    assert.ok(!all.includes("public-read") && !all.includes("hunter2-plain"));
  });

  it("CLI: every file of --out-dir is free of the secret and of raw control characters", () => {
    const secret = { [sigKey]: secretSig, plaintext: JSON.stringify("public-read") };
    const doc = {
      version: 3,
      deployment: {
        resources: [
          {
            urn: "urn:pulumi:prod::shop::aws:s3/bucketV2:BucketV2::x\u001b[2J::add-mask::y",
            type: "aws:s3/bucketV2:BucketV2",
            custom: true,
            inputs: { acl: secret },
          },
        ],
      },
    };
    const dir = tmpDir();
    const run = runCli([
      "--state",
      writeJson(doc, "state.json"),
      "--pack",
      path.join(root, "tests/gate/fixtures/pack"),
      "--format",
      "terminal,markdown,json,sarif,junit",
      "--report",
      "compliance",
      "--out-dir",
      dir,
    ]);
    assert.equal(run.status, 1, run.stderr);
    for (const f of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, f), "utf8");
      assert.ok(!text.includes("public-read"), f);
      assert.ok(!text.includes("\u001b"), f);
    }
    assert.ok(!run.stdout.includes("public-read") && !run.stdout.includes("\u001b"));
  });
});
