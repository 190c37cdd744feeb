import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadPreview, loadStack, loadState, InputError } from "../../tools/gate/inputs";
import { secretSig, sigKey, unknownValue } from "../../tools/gate/wire";
import {
  evaluateWithFixture,
  findingKeys,
  planToPreview,
  planToStackExport,
  previewFixture,
  root,
  smallProgram,
  tmpDir,
} from "./helpers";

describe("gate inputs", function () {
  this.timeout(120_000);

  it("gives the same findings for a plan, its preview JSON and its stack export", async () => {
    const { runProgram } = await import("../../tools/harness/index.js");
    const run = await runProgram({ stack: "dev", root, program: smallProgram });
    assert.ok(run.ok, run.ok ? "" : run.errors.join("; "));
    const dir = tmpDir();
    const previewFile = path.join(dir, "preview.json");
    const stateFile = path.join(dir, "state.json");
    fs.writeFileSync(previewFile, JSON.stringify(planToPreview(run.plan)));
    fs.writeFileSync(stateFile, JSON.stringify(planToStackExport(run.plan)));

    const fromStack = await loadStack("dev", root, undefined, smallProgram);
    const fromPreview = loadPreview(previewFile);
    const fromState = loadState(stateFile);
    assert.equal(fromPreview.resources.length, fromStack.resources.length);
    assert.equal(fromState.resources.length, fromStack.resources.length);

    const [a, b, c] = [
      await evaluateWithFixture(fromStack),
      await evaluateWithFixture(fromPreview),
      await evaluateWithFixture(fromState),
    ];
    const keys = findingKeys(a.findings);
    assert.ok(
      keys.some((k) => k.includes("fixture-no-public-bucket|mandatory|") && k.includes("::assets|")),
      keys.join("\n"),
    );
    assert.ok(
      keys.some((k) => k.includes("fixture-encrypt-database|mandatory|")),
      keys.join("\n"),
    );
    assert.ok(
      keys.some((k) => k.includes("fixture-key-rotation|advisory|")),
      keys.join("\n"),
    );
    assert.deepEqual(findingKeys(b.findings), keys);
    assert.deepEqual(findingKeys(c.findings), keys);
    assert.deepEqual(b.totals, a.totals);
    assert.deepEqual(c.totals, a.totals);
    assert.deepEqual(a.coverage.notCovered, [{ type: "aws:sqs/queue:Queue", count: 1 }]);
    assert.deepEqual(b.coverage, a.coverage);
  });

  it("turns preview secrets, unknowns and __defaults into what the engine sends", () => {
    const input = loadPreview(previewFixture);
    const db = input.resources.find((r) => r.name === "orders")!;
    assert.deepEqual(db.inputs.password, { [sigKey]: secretSig, value: "[secret]" });
    const bucket = input.resources.find((r) => r.name === "assets")!;
    assert.equal(bucket.inputs.bucket, unknownValue);
    assert.ok(!("__defaults" in bucket.inputs));
    const provider = input.resources.find((r) => r.type === "pulumi:providers:aws")!;
    assert.ok(!("__internal" in provider.inputs));
    assert.equal(input.stack, "prod");
    assert.equal(input.project, "shop");
  });

  it("skips deleted resources in a preview and pending deletions in a state", () => {
    const dir = tmpDir();
    const doc = JSON.parse(fs.readFileSync(previewFixture, "utf8")) as { steps: { op: string }[] };
    doc.steps[2]!.op = "delete";
    const file = path.join(dir, "p.json");
    fs.writeFileSync(file, JSON.stringify(doc));
    assert.equal(loadPreview(file).resources.length, 4);
  });

  const bad: [string, string, (f: string) => unknown, RegExp][] = [
    ["not JSON", "{ nope", loadPreview, /not valid JSON/],
    ["empty", "  \n", loadPreview, /empty/],
    [
      "a stack export given as preview",
      JSON.stringify({ version: 3, deployment: { resources: [] } }),
      loadPreview,
      /use --state/,
    ],
    ["a preview given as state", JSON.stringify({ steps: [] }), loadState, /use --preview/],
    ["a preview without steps", JSON.stringify({ steps: [] }), loadPreview, /no resources/],
    [
      "a step without newState",
      JSON.stringify({ steps: [{ op: "create", urn: "urn:pulumi:a::b::t::n" }] }),
      loadPreview,
      /steps\[0\]: missing "newState"/,
    ],
    [
      "a resource without type",
      JSON.stringify({ deployment: { resources: [{ urn: "urn:pulumi:a::b::t::n" }] } }),
      loadState,
      /missing "type"/,
    ],
    ["a JSON array", "[]", loadState, /found a JSON array/],
  ];
  for (const [what, text, load, pattern] of bad) {
    it(`rejects ${what} with a one-line error naming the file`, () => {
      const file = path.join(tmpDir(), "input.json");
      fs.writeFileSync(file, text);
      assert.throws(
        () => load(file),
        (err: unknown) =>
          err instanceof InputError &&
          pattern.test(err.message) &&
          err.message.startsWith(file) &&
          !err.message.includes("\n"),
      );
    });
  }

  it("rejects a missing file", () => {
    assert.throws(() => loadPreview("/nonexistent/preview.json"), /no such file/);
  });
});
