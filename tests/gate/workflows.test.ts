import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";
import { stackMatrix } from "../../tools/deploy/matrix";
import { root } from "./helpers";

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  strategy?: { matrix: { stack: string[] } };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const dir = path.join(root, ".github/workflows");
const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
const load = (f: string) => parse(read(f)) as Workflow;
const uses = (job: Job, action: string) => job.steps.filter((s) => s.uses?.startsWith(`${action}@`));

describe("workflows for users", () => {
  for (const file of ["pull-request.yml", "deploy.yml"]) {
    it(`${file} validates against the GitHub workflow schema`, () => {
      const state = validateWorkflow(read(file));
      assert.deepEqual(state.errors, []);
    });
  }

  it("the validator rejects an invalid workflow (the check can fail)", () => {
    const broken = read("deploy.yml").replace("runs-on: ubuntu-latest", "runs-onn: ubuntu-latest");
    assert.ok(validateWorkflow(broken).errors.length > 0);
  });

  it("pull requests: check, then the offline gate for dev and prod with a PR comment and SARIF upload", () => {
    const wf = load("pull-request.yml");
    assert.ok("pull_request" in wf.on);
    const check = wf.jobs.check!;
    const runs = check.steps.map((s) => s.run ?? "").join("\n");
    for (const cmd of ["npm ci", "npm run typecheck", "npm test"]) assert.ok(runs.includes(cmd), cmd);
    const gate = wf.jobs.gate!;
    assert.equal(gate.needs, "check");
    assert.deepEqual(gate.strategy?.matrix.stack, ["dev", "prod"]);
    const gateRun = gate.steps.find((s) => s.run?.includes("npm run --silent gate"))!.run!;
    assert.match(gateRun, /--stack "\$\{\{ matrix\.stack \}\}"/);
    assert.match(gateRun, /--format terminal,markdown,json,sarif,junit --out-dir gate-report/);
    assert.equal(uses(gate, "marocchino/sticky-pull-request-comment")[0]?.with?.path, "gate-report/gate.md");
    assert.equal(
      uses(gate, "github/codeql-action/upload-sarif")[0]?.with?.sarif_file,
      "gate-report/gate.sarif",
    );
    assert.equal(gate.permissions?.["security-events"], "write");
    assert.match(gate.steps.at(-1)!.run!, /exit 1/);
  });

  it("pull requests: the real preview with the policy pack runs only when credentials are configured", () => {
    const wf = load("pull-request.yml");
    const preview = wf.jobs.preview!;
    assert.match(preview.if ?? "", /needs\.credentials\.outputs\.configured == 'true'/);
    const step = uses(preview, "pulumi/actions")[0]!;
    assert.equal(step.with?.command, "preview");
    assert.equal(step.with?.policyPacks, "policies");
    assert.equal(step.with?.["comment-on-pr"], true);
    assert.equal(preview.permissions?.["id-token"], "write");
    // The policy config is derived from the stack file before the preview, never a hand-copied file.
    const derive = preview.steps.findIndex((s) =>
      s.run?.includes("npm run --silent policy-config -- --stack"),
    );
    assert.ok(derive >= 0 && derive < preview.steps.indexOf(step));
    assert.equal(step.with?.policyPackConfigs, "policy-config.json");
  });

  it("pushes to main: a stack matrix from the stack files, non-production first, then production behind its environment", () => {
    const wf = load("deploy.yml");
    assert.deepEqual((wf.on.push as { branches: string[] }).branches, ["main"]);
    const stacks = wf.jobs["stacks"]!;
    assert.ok(stacks.steps.some((s) => s.run === "npm run --silent deploy:matrix -- --github-output"));
    const nonprod = wf.jobs["up-nonproduction"]!;
    const prod = wf.jobs["up-production"]!;
    const matrixOf = (job: Job) => (job.strategy?.matrix as unknown as { stack: string }).stack;
    assert.equal(matrixOf(nonprod), "${{ fromJSON(needs.stacks.outputs.nonproduction) }}");
    assert.equal(matrixOf(prod), "${{ fromJSON(needs.stacks.outputs.production) }}");
    // Production only after the checks and every non-production stack.
    assert.deepEqual(nonprod.needs, ["stacks", "check"]);
    assert.deepEqual(prod.needs, ["stacks", "check", "up-nonproduction"]);
    assert.match(String(prod.if), /needs\.check\.result == 'success'/);
    assert.match(String(prod.if), /needs\.up-nonproduction\.result == 'success'/);
    for (const job of [nonprod, prod]) {
      assert.equal(job.environment, "${{ matrix.stack }}");
      assert.equal(job.permissions?.["id-token"], "write", "cloud logins through OIDC");
      const up = uses(job, "pulumi/actions")[0];
      assert.equal(up?.with?.command, "up");
      assert.deepEqual(String(up?.with?.policyPacks).trim().split("\n"), [
        "policies",
        "policies/deployability",
      ]);
      assert.deepEqual(String(up?.with?.policyPackConfigs).trim().split("\n"), [
        "policy-config.json",
        "policies/deployability/config.json",
      ]);
      assert.ok(
        job.steps.some(
          (s) =>
            s.run ===
            'npm run --silent policy-config -- --stack "${{ matrix.stack }}" --out policy-config.json',
        ),
      );
    }
  });

  it("the deploy matrix lists every stack file, split by production (the stack files decide)", () => {
    const m = stackMatrix(root);
    assert.deepEqual(m, { nonproduction: ["dev"], production: ["prod"] });
    const files = fs.readdirSync(root).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));
    assert.equal(m.nonproduction.length + m.production.length, files.length);
  });
});
