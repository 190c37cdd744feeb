/** Input hardening: BOM, non-object inputs, deep nesting, oversize URNs: input errors (exit 2, one line). */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError, loadPreview, loadState } from "../../tools/gate/inputs";
import { maxDepth, maxUrnLength } from "../../tools/gate/limits";
import { previewFixture, runCli, tmpDir } from "./helpers";

function write(text: string, name = "input.json"): string {
  const file = path.join(tmpDir(), name);
  fs.writeFileSync(file, text);
  return file;
}

function nested(depth: number): unknown {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

function stateWith(resource: Record<string, unknown>): string {
  return JSON.stringify({
    deployment: {
      resources: [
        {
          urn: "urn:pulumi:p::s::aws:s3/bucketV2:BucketV2::b",
          type: "aws:s3/bucketV2:BucketV2",
          custom: true,
          ...resource,
        },
      ],
    },
  });
}

function inputError(load: () => unknown, file: string, pattern: RegExp): void {
  assert.throws(load, (err: unknown) => {
    assert.ok(err instanceof InputError, String(err));
    assert.match(err.message, pattern);
    assert.ok(err.message.startsWith(file), err.message);
    assert.ok(!err.message.includes("\n"));
    return true;
  });
}

describe("gate: input limits", function () {
  this.timeout(120_000);

  it("accepts a UTF-8 byte order mark", () => {
    const file = write("\ufeff" + fs.readFileSync(previewFixture, "utf8"));
    assert.equal(loadPreview(file).resources.length, loadPreview(previewFixture).resources.length);
  });

  it("refuses non-object inputs or outputs, naming the resource", () => {
    for (const bad of ["a string", 42, [1, 2], true]) {
      const file = write(stateWith({ inputs: bad }));
      inputError(
        () => loadState(file),
        file,
        /"inputs" of urn:pulumi:p::s::aws:s3\/bucketV2:BucketV2::b is (a|an) \w+, not an object/,
      );
    }
    const file = write(stateWith({ outputs: "x" }));
    inputError(() => loadState(file), file, /"outputs" of .* is a string, not an object/);
  });

  it(`refuses nesting deeper than ${maxDepth} levels, naming the file; accepts ${maxDepth - 10}`, () => {
    const deep = write(stateWith({ inputs: nested(2000) }));
    inputError(() => loadState(deep), deep, new RegExp(`nesting deeper than ${maxDepth} levels`));
    const ok = write(stateWith({ inputs: nested(maxDepth - 10) }));
    assert.equal(loadState(ok).resources.length, 1);
  });

  it("refuses an oversize URN (a 10 MB resource name) with its length", () => {
    const urn = `urn:pulumi:p::s::aws:s3/bucketV2:BucketV2::${"n".repeat(10 * 1024 * 1024)}`;
    const file = write(stateWith({ urn }));
    inputError(
      () => loadState(file),
      file,
      new RegExp(`the URN is \\d+ characters, more than ${maxUrnLength}`),
    );
  });

  it("CLI: deep nesting is exit 2 with one line, not an internal error", () => {
    const file = write(
      JSON.stringify({
        steps: [
          { op: "create", newState: { urn: "urn:pulumi:p::s::t::n", type: "t", inputs: nested(2000) } },
        ],
      }),
    );
    const run = runCli(["--preview", file, "--environment", "prod"]);
    assert.equal(run.status, 2, run.stderr);
    assert.equal(run.stderr.trim().split("\n").length, 1);
    assert.match(run.stderr, /^gate: .*nesting deeper than/);
    assert.ok(!run.stderr.includes("internal error"));
  });

  it("CLI: an input error quoting a hostile value prints one line without escape characters", () => {
    const file = write(
      JSON.stringify({
        steps: [{ op: "create", newState: { urn: "urn:pulumi:p::s::t::x\u001b[2J\n::add-mask::y" } }],
      }),
    );
    const run = runCli(["--preview", file, "--environment", "prod"]);
    assert.equal(run.status, 2);
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
    assert.ok(!run.stderr.includes("\u001b"));
  });
});
