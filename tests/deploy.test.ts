import { strict as assert } from "node:assert";
import type * as Automation from "@pulumi/pulumi/automation";
import { automationRunner, policyPacks } from "../tools/deploy/automation";
import * as fs from "node:fs";
import { derivedPolicyConfigs, runDeploy } from "../tools/deploy/cli";
import { FleetError, orderOf, runFleet, type StackRunner } from "../tools/deploy/fleet";
import { root } from "./helpers";

/** A runner that records when each stack starts and ends, and fails the stacks it is told to. */
function recordingRunner(fail: string[] = [], ms = 20) {
  const events: string[] = [];
  let running = 0;
  let peak = 0;
  const runner: StackRunner = async (stack, op, onOutput) => {
    running++;
    peak = Math.max(peak, running);
    events.push(`start ${stack}`);
    onOutput(`${op} of ${stack}: line one`);
    await new Promise((r) => setTimeout(r, ms));
    running--;
    events.push(`end ${stack}`);
    if (fail.includes(stack)) throw new Error(`error: ${stack} refused\nsecond line`);
    return { changes: { create: 2, same: 1 } };
  };
  return { runner, events, peak: () => peak };
}

const fleet = [
  { name: "dev", production: false },
  { name: "staging", production: false },
  { name: "prod", production: true },
];

describe("deploy: many stacks at once (tools/deploy)", () => {
  it("runs non-production stacks concurrently and production only after all of them succeeded", async () => {
    const { runner, events, peak } = recordingRunner();
    const results = await runFleet(fleet, orderOf(fleet, {}, true), "preview", runner, { concurrency: 4 });
    assert.deepEqual(
      results.map((r) => r.status),
      ["succeeded", "succeeded", "succeeded"],
    );
    assert.equal(peak(), 2, "dev and staging at once");
    assert.ok(events.indexOf("start prod") > events.indexOf("end dev"));
    assert.ok(events.indexOf("start prod") > events.indexOf("end staging"));
  });

  it("never exceeds the concurrency limit", async () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ name: `s${i}`, production: false }));
    const { runner, peak } = recordingRunner([], 10);
    await runFleet(many, orderOf(many, {}, true), "preview", runner, { concurrency: 3 });
    assert.equal(peak(), 3);
  });

  it("skips a stack whose predecessor failed, and says why", async () => {
    const { runner, events } = recordingRunner(["staging"]);
    const results = await runFleet(fleet, orderOf(fleet, {}, true), "up", runner, { concurrency: 4 });
    assert.deepEqual(
      results.map((r) => [r.stack, r.status, r.reason ?? ""]),
      [
        ["dev", "succeeded", ""],
        ["staging", "failed", "error: staging refused"],
        ["prod", "skipped", "not run: 'staging' failed"],
      ],
    );
    assert.ok(!events.includes("start prod"));
  });

  it("honours explicit order and rejects cycles and unknown stacks by name", () => {
    const after = orderOf(fleet, { staging: ["dev"] }, false);
    assert.deepEqual([...after.get("staging")!], ["dev"]);
    assert.deepEqual([...after.get("prod")!], []);
    assert.throws(
      () => orderOf(fleet, { dev: ["prod"] }, true),
      (e: Error) => {
        assert.ok(e instanceof FleetError);
        assert.match(e.message, /cycle: (dev -> prod -> dev|prod -> dev -> prod)/);
        return true;
      },
    );
    assert.throws(
      () => orderOf(fleet, { qa: ["dev"] }, true),
      /--after names 'qa', which is not in --stacks/,
    );
  });

  it("CLI: streams lines per stack, prints one summary, exits 1 when a stack failed", async () => {
    let out = "";
    const { runner } = recordingRunner(["prod"]);
    const code = await runDeploy(["--stacks", "dev,prod", "--op", "up"], {
      stdout: (s) => (out += s),
      stderr: (s) => (out += s),
      root,
      runner,
    });
    assert.equal(code, 1);
    assert.match(out, /^\[dev\] up of dev: line one$/m);
    assert.match(out, /^up: 1 of 2 stacks succeeded$/m);
    assert.match(out, /^prod\s+failed\s+0\s+0\s+\d+\.\d\s+error: prod refused$/m);
    assert.match(out, /^dev\s+succeeded\s+2\s+1\s+/m);
  });

  it("CLI: validates every stack's config and the options before running anything (exit 2)", async () => {
    let err = "";
    let ran = false;
    const io = {
      stdout: () => undefined,
      stderr: (s: string) => (err += s),
      root,
      runner: (async () => {
        ran = true;
        return { changes: {} };
      }) as StackRunner,
    };
    assert.equal(await runDeploy(["--stacks", "dev,nope"], io), 2);
    assert.match(err, /nope: no stack config for 'nope'/);
    assert.equal(await runDeploy(["--stacks", "dev", "--concurrency", "0"], io), 2);
    assert.match(err, /--concurrency: expected a whole number from 1 to 32, found '0'/);
    assert.equal(await runDeploy(["--stacks", "dev", "--op", "destroy"], io), 2);
    assert.equal(ran, false);
  });

  it("Automation API runner: selects the stack in the project, attaches the packs and configs, streams output", async () => {
    const calls: { stackName: string; workDir: string; op: string; opts: Record<string, unknown> }[] = [];
    const fake = {
      LocalWorkspace: {
        selectStack: (args: { stackName: string; workDir: string }) =>
          Promise.resolve({
            preview: (opts: Record<string, unknown> & { onOutput: (s: string) => void }) => {
              calls.push({ ...args, op: "preview", opts });
              opts.onOutput("Previewing update (dev)\n  + 3 to cr");
              opts.onOutput("eate\n");
              return Promise.resolve({ changeSummary: { create: 3 } });
            },
            up: (opts: Record<string, unknown>) => {
              calls.push({ ...args, op: "up", opts });
              return Promise.resolve({ summary: { resourceChanges: { update: 1 } } });
            },
          }),
      },
    } as unknown as typeof Automation;
    const runner = automationRunner({
      root,
      policyConfigs: (stack) => Promise.resolve([`/tmp/${stack}-policy.json`]),
      automation: () => fake,
    });
    const lines: string[] = [];
    assert.deepEqual(await runner("dev", "preview", (l) => lines.push(l)), { changes: { create: 3 } });
    assert.deepEqual(lines, ["Previewing update (dev)", "  + 3 to create"]);
    assert.deepEqual(await runner("prod", "up", () => undefined), { changes: { update: 1 } });
    assert.deepEqual(
      calls.map((c) => [c.stackName, c.workDir, c.op, c.opts.policyPacks, c.opts.policyPackConfigs]),
      [
        ["dev", root, "preview", policyPacks(root), ["/tmp/dev-policy.json"]],
        ["prod", root, "up", policyPacks(root), ["/tmp/prod-policy.json"]],
      ],
    );
    assert.ok(policyPacks(root).some((p) => p.endsWith("policies")));
  });
});

describe("deploy: policy configs for the Automation API", () => {
  it("derives the compliance pack's config from the stack and pairs one file per pack, in order", () => {
    const files = derivedPolicyConfigs(root, "prod");
    const packs = policyPacks(root);
    assert.equal(files.length, packs.length);
    const compliance = JSON.parse(fs.readFileSync(files[0]!, "utf8")) as Record<string, unknown>;
    assert.ok(Object.keys(compliance).length > 50, "every compliance policy is configured");
    const dev = JSON.parse(fs.readFileSync(derivedPolicyConfigs(root, "dev")[0]!, "utf8")) as Record<
      string,
      unknown
    >;
    assert.notDeepEqual(dev, compliance, "dev and prod differ (production comes from the stack)");
  });
});
