import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { fixtureConfig, fixturePackDir, previewFixture, runCli, tmpDir } from "./helpers";

/** Writes a variant of the hand-made preview (public bucket, unencrypted database) with edits. */
function previewWith(edit: (inputs: Map<string, Record<string, unknown>>) => void): string {
  const doc = JSON.parse(fs.readFileSync(previewFixture, "utf8")) as {
    steps: { newState: { urn: string; inputs?: Record<string, unknown> } }[];
  };
  const byName = new Map(
    doc.steps.map((s) => [s.newState.urn.split("::").pop()!, (s.newState.inputs ??= {})]),
  );
  edit(byName);
  const file = path.join(tmpDir(), "preview.json");
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

function writeConfig(settings: Record<string, unknown>): string {
  const file = path.join(tmpDir(), "policy-config.json");
  fs.writeFileSync(file, JSON.stringify(fixtureConfig(settings)));
  return file;
}

const pack = ["--pack", fixturePackDir];
const future = "2999-12-31";

describe("gate CLI exit codes", function () {
  this.timeout(60_000);

  it("exits 1 on the hand-made preview with a public bucket and an unencrypted database, naming both", () => {
    const r = runCli(["--preview", previewFixture, ...pack]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /fixture-no-public-bucket/);
    assert.match(r.stdout, /bucket assets is publicly readable/);
    assert.match(r.stdout, /fixture-encrypt-database/);
    assert.match(r.stdout, /database orders is not encrypted at rest/);
    assert.match(r.stdout, /^FAIL: 2 mandatory violations/m);
  });

  it("exits 0 when everything passes", () => {
    const file = previewWith((m) => {
      m.get("assets")!.acl = "private";
      m.get("orders")!.storageEncrypted = true;
    });
    const r = runCli(["--preview", file, ...pack]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^PASS: 0 mandatory violations/m);
  });

  it("exits 0 with only advisory violations", () => {
    const file = previewWith((m) => {
      m.get("assets")!.acl = "private";
      m.get("orders")!.storageEncrypted = true;
      m.get("orders")!.enableKeyRotation = false;
    });
    const r = runCli(["--preview", file, ...pack, "--policy-config", writeConfig({})]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    // Make the advisory control apply: a key without rotation.
    const withKey = JSON.parse(fs.readFileSync(file, "utf8")) as { steps: unknown[] };
    withKey.steps.push({
      op: "create",
      urn: "urn:pulumi:prod::shop::aws:kms/key:Key::data",
      newState: {
        urn: "urn:pulumi:prod::shop::aws:kms/key:Key::data",
        custom: true,
        type: "aws:kms/key:Key",
        inputs: {},
      },
    });
    fs.writeFileSync(file, JSON.stringify(withKey));
    const r2 = runCli(["--preview", file, ...pack]);
    assert.equal(r2.status, 0, r2.stdout + r2.stderr);
    assert.match(r2.stdout, /Advisory violations \(1\)/);
    assert.match(r2.stdout, /^PASS: 0 mandatory violations, 1 advisory violation/m);
  });

  it("exits 1 when an advisory control is made mandatory by the policy config", () => {
    const file = previewWith((m) => {
      m.get("assets")!.acl = "private";
      m.get("orders")!.storageEncrypted = true;
    });
    const doc = JSON.parse(fs.readFileSync(file, "utf8")) as { steps: unknown[] };
    doc.steps.push({
      op: "create",
      urn: "urn:pulumi:prod::shop::aws:kms/key:Key::data",
      newState: {
        urn: "urn:pulumi:prod::shop::aws:kms/key:Key::data",
        custom: true,
        type: "aws:kms/key:Key",
        inputs: {},
      },
    });
    fs.writeFileSync(file, JSON.stringify(doc));
    const cfg = path.join(tmpDir(), "cfg.json");
    fs.writeFileSync(cfg, JSON.stringify({ "fixture-key-rotation": "mandatory" }));
    const r = runCli(["--preview", file, ...pack, "--policy-config", cfg]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const all = path.join(tmpDir(), "all.json");
    fs.writeFileSync(all, JSON.stringify({ all: "advisory" }));
    const r2 = runCli(["--preview", previewFixture, ...pack, "--policy-config", all]);
    assert.equal(r2.status, 0, r2.stdout + r2.stderr);
    assert.match(r2.stdout, /Advisory violations \(2\)/);
  });

  it("exits 0 when waivers cover the mandatory violations, and reports them with reason and expiry", () => {
    const waivers = [
      {
        control: "fixture-no-public-bucket",
        resource: "assets",
        reason: "public website",
        approvedBy: "ciso",
        expires: future,
      },
      {
        control: "fixture-encrypt-database",
        resource: "orders",
        reason: "migration",
        approvedBy: "dpo",
        expires: future,
      },
      {
        control: "fixture-key-rotation",
        resource: "nothing",
        reason: "stale",
        approvedBy: "ciso",
        expires: future,
      },
    ];
    const out = tmpDir();
    const r = runCli([
      "--preview",
      previewFixture,
      ...pack,
      "--policy-config",
      writeConfig({ waivers }),
      "--format",
      "terminal,markdown,json,sarif,junit",
      "--out-dir",
      out,
      "--report",
      "compliance",
    ]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^PASS: 0 mandatory violations, 0 advisory violations, 2 waived/m);
    const text = fs.readFileSync(path.join(out, "gate.txt"), "utf8");
    assert.match(text, /Waived \(2\)/);
    assert.match(text, /reason: public website; approved by ciso; expires 2999-12-31/);
    assert.match(text, /unused waiver for fixture-key-rotation on nothing/);
    const md = fs.readFileSync(path.join(out, "gate.md"), "utf8");
    assert.match(md, /### Waived findings \(2\)/);
    assert.match(
      md,
      /\| `fixture-encrypt-database` \| `orders` \| database orders is not encrypted at rest \| migration \| dpo \| 2999-12-31 \|/,
    );
    const json = JSON.parse(fs.readFileSync(path.join(out, "gate.json"), "utf8")) as {
      totals: { waived: number; unusedWaivers: number };
    };
    assert.equal(json.totals.waived, 2);
    assert.equal(json.totals.unusedWaivers, 1);
    const sarif = JSON.parse(fs.readFileSync(path.join(out, "gate.sarif"), "utf8")) as {
      runs: { results: { ruleId: string; suppressions?: { status: string }[] }[] }[];
    };
    const suppressed = sarif.runs[0]!.results.filter((x) => x.suppressions?.[0]?.status === "accepted");
    assert.equal(suppressed.length, 2);
    const junit = fs.readFileSync(path.join(out, "gate.junit.xml"), "utf8");
    assert.match(junit, /failures="0" errors="0" skipped="2"/);
    const compliance = JSON.parse(fs.readFileSync(path.join(out, "compliance.json"), "utf8")) as {
      frameworks: { framework: string; controls: { control: string; waived: number }[] }[];
    };
    const soc2 = compliance.frameworks.find((f) => f.framework === "soc2")!;
    assert.equal(soc2.controls.find((c) => c.control === "fixture-no-public-bucket")!.waived, 1);
    assert.ok(fs.existsSync(path.join(out, "compliance.md")));
  });

  it("exits 1 when a waiver has expired, and says so", () => {
    const waivers = [
      {
        control: "fixture-no-public-bucket",
        resource: "assets",
        reason: "public website",
        approvedBy: "ciso",
        expires: "2020-01-31",
      },
      {
        control: "fixture-encrypt-database",
        resource: "orders",
        reason: "migration",
        approvedBy: "dpo",
        expires: future,
      },
    ];
    const r = runCli(["--preview", previewFixture, ...pack, "--policy-config", writeConfig({ waivers })]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /waiver expired 2020-01-31: public website/);
    assert.match(r.stdout, /^FAIL: 1 mandatory violation, 0 advisory violations, 1 waived/m);
  });

  const usage: [string, string[], RegExp][] = [
    ["no input", [], /give exactly one of --stack, --preview, --state/],
    ["two inputs", ["--preview", "a.json", "--state", "b.json"], /exactly one/],
    ["an unknown option", ["--preview", "a.json", "--nope"], /Unknown option '--nope'/],
    ["an unknown format", ["--preview", "a.json", "--format", "html"], /unknown format 'html'/],
    [
      "several formats without --out-dir",
      ["--preview", "a.json", "--format", "json,sarif"],
      /need --out-dir/,
    ],
  ];
  for (const [what, args, pattern] of usage) {
    it(`exits 2 on ${what}`, () => {
      const r = runCli(args);
      assert.equal(r.status, 2);
      assert.match(r.stderr, pattern);
    });
  }

  it("exits 2 with one line and no stack trace on bad input", () => {
    const dir = tmpDir();
    const cases: [string, string, RegExp][] = [
      ["--preview", "not json", /not valid JSON/],
      ["--state", JSON.stringify({ steps: [] }), /not a `pulumi stack export` document .*use --preview/],
      ["--preview", "", /empty/],
    ];
    for (const [flag, text, pattern] of cases) {
      const file = path.join(dir, `${cases.indexOf(cases.find((c) => c[1] === text)!)}.json`);
      fs.writeFileSync(file, text);
      const r = runCli([flag, file, ...pack]);
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.match(r.stderr, pattern);
      assert.ok(r.stderr.includes(file));
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.ok(!/\n\s+at /.test(r.stderr));
    }
    const missing = runCli(["--preview", path.join(dir, "missing.json"), ...pack]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /missing\.json: cannot read --preview file \(no such file\)/);
    const badConfig = path.join(dir, "cfg.json");
    fs.writeFileSync(badConfig, JSON.stringify({ "fixture-key-rotation": "sometimes" }));
    const r = runCli(["--preview", previewFixture, ...pack, "--policy-config", badConfig]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /"fixture-key-rotation": "sometimes" is not a valid enforcement level/);
  });

  it("exits 2 when the policy config does not match a policy's schema", () => {
    const r = runCli([
      "--preview",
      previewFixture,
      ...pack,
      "--policy-config",
      writeConfig({ waivers: "all of them" }),
    ]);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /policy config is invalid: .*fixture-encrypt-database: \/waivers must be array/);
  });

  it("prints SARIF to stdout that names the rules", () => {
    const r = runCli(["--preview", previewFixture, ...pack, "--format", "sarif"]);
    assert.equal(r.status, 1);
    const log = JSON.parse(r.stdout) as { version: string; runs: { results: unknown[] }[] };
    assert.equal(log.version, "2.1.0");
    assert.equal(log.runs[0]!.results.length, 2);
  });
});
