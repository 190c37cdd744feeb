import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";
import { driftOf, main, markdown } from "../tools/drift";
import { fixture, root } from "./helpers";

const preview = fixture(path.join("drift", "preview-refresh.json"));

describe("drift detection (tools/drift.ts, .github/workflows/drift.yml)", () => {
  it("lists every resource that differs after a refresh, with property names only", () => {
    const drifted = driftOf(JSON.parse(fs.readFileSync(preview, "utf8")));
    assert.deepEqual(
      drifted.map((d) => [d.op, d.type, d.name, d.properties.join(",")]),
      [
        [
          "update",
          "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
          "primary-storage-data-public-access",
          "blockPublicPolicy,restrictPublicBuckets",
        ],
        ["create", "aws:ec2/securityGroup:SecurityGroup", "?img src=x onerror=alert(1)??evil", ""],
        ["replace", "aws:rds/instance:Instance", "primary-database-instance", "storageEncrypted"],
      ],
    );
  });

  it("exit codes: 3 on drift (with a markdown report), 0 when clean, 2 on unreadable input", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-"));
    let out = "";
    assert.equal(
      main(["--preview", preview, "--stack", "prod", "--out", path.join(dir, "d.md")], (s) => (out += s)),
      3,
    );
    assert.match(out, /^3 drifted resources in prod$/m);
    const report = fs.readFileSync(path.join(dir, "d.md"), "utf8");
    assert.match(report, /^\| update \| aws:s3\/bucketPublicAccessBlock/m);
    assert.doesNotMatch(report, /<img/);
    const clean = path.join(dir, "clean.json");
    fs.writeFileSync(
      clean,
      JSON.stringify({ steps: [{ op: "same", urn: "urn:pulumi:a::b::aws:s3/bucket:Bucket::x" }] }),
    );
    assert.equal(
      main(["--preview", clean, "--stack", "dev"], () => undefined),
      0,
    );
    assert.equal(markdown("dev", []), "No drift in stack `dev`.\n");
    fs.writeFileSync(clean, "{}");
    out = "";
    assert.equal(
      main(["--preview", clean, "--stack", "dev"], (s) => (out += s)),
      2,
    );
    assert.match(out, /expected a `pulumi preview --refresh --json` document/);
  });

  it("the workflow validates, runs nightly per stack with OIDC, refreshes read-only, gates the state and files issues", () => {
    const text = fs.readFileSync(path.join(root, ".github/workflows/drift.yml"), "utf8");
    assert.deepEqual(validateWorkflow(text).errors, []);
    const wf = parse(text) as {
      on: Record<string, unknown>;
      jobs: Record<
        string,
        {
          permissions: Record<string, string>;
          strategy: { matrix: { stack: string[] } };
          steps: { run?: string }[];
        }
      >;
    };
    assert.ok("schedule" in wf.on);
    const job = wf.jobs.drift!;
    assert.deepEqual(job.strategy.matrix.stack, ["dev", "prod"]);
    assert.equal(job.permissions["id-token"], "write");
    const runs = job.steps.map((s) => s.run ?? "").join("\n");
    assert.match(runs, /pulumi preview --stack "\$STACK" --refresh --json --show-sames/);
    assert.doesNotMatch(runs, /pulumi refresh --yes|pulumi up/);
    assert.match(runs, /npm run --silent drift -- --preview drift\/preview\.json/);
    assert.match(runs, /npm run --silent gate -- --state drift\/state\.json/);
    assert.match(runs, /gh issue create --title "\$title" --label drift/);
  });
});
