import { strict as assert } from "node:assert";
import { clouds } from "../components/regions";
import { runGate } from "../tools/gate/cli";
import { planFor, root } from "./helpers";
import { matrix } from "./matrix";

interface GateJson {
  verdict: string;
  totals: { resources: number; mandatory: number; waived: number };
  findings: { kind: string; control: string; enforcement: string; urn: string; message: string }[];
  policyConfig: { source: string; environment: string; production: boolean };
}

/** The gate as a user runs it: the policy config is derived from the stack file, nothing hand-written. */
async function gate(stack: string, file: string): Promise<{ code: number; doc: GateJson }> {
  let out = "";
  const code = await runGate(["--stack", stack, "--config", file, "--format", "json"], {
    stdout: (s) => (out += s),
    stderr: () => undefined,
    isTty: false,
    cwd: root,
  });
  return { code, doc: JSON.parse(out) as GateJson };
}

describe("the stack matrix", () => {
  it("has all six ordered production pairs, the six non-production pairs and each cloud alone", () => {
    const pairs = clouds.flatMap((a) => clouds.filter((b) => b !== a).map((b) => `${a}-${b}`));
    assert.deepEqual(
      matrix.map((s) => s.name),
      [
        ...pairs.map((p) => `dev-${p}`),
        ...clouds.map((c) => `dev-${c}`),
        ...pairs.map((p) => `prod-${p}`),
      ].sort(),
    );
  });

  for (const stack of matrix) {
    it(`${stack.name}: plans every component on each site and passes the gate with zero mandatory violations`, async () => {
      const plan = await planFor(stack.name, stack.file);
      const sites = plan.resources.filter((r) => r.type === "platform:site:Site");
      assert.deepEqual(
        sites.map((s) => s.name),
        stack.secondary ? ["primary", "secondary"] : ["primary"],
      );
      for (const component of [
        "platform:security:SiteKeys",
        "platform:network:Network",
        "platform:monitoring:Monitoring",
        "platform:storage:ObjectStorage",
        "platform:database:PostgreSQL",
        "platform:backup:Backup",
        "platform:governance:Governance",
        "platform:filestore:FileStore",
      ]) {
        assert.equal(
          plan.resources.filter((r) => r.type === component).length,
          sites.length,
          `${component} per site`,
        );
      }
      // Clouds that implement the cluster contract build a cluster and a registry on each of their sites.
      for (const [role, cloud] of [
        ["primary", stack.primary],
        ["secondary", stack.secondary],
      ] as const) {
        if (cloud !== "azure") continue;
        for (const [type, name] of [
          ["platform:compute:Cluster", `${role}-cluster`],
          ["platform:compute:Registry", `${role}-registry`],
        ] as const) {
          assert.ok(
            plan.resources.some((r) => r.type === type && r.name === name),
            `${name} (${type}) on the ${cloud} site`,
          );
        }
      }
      const { code, doc } = await gate(stack.name, stack.file);
      assert.equal(doc.policyConfig.production, stack.production, "judged as production iff the stack is");
      assert.match(doc.policyConfig.source, /^derived from tests\/fixtures\/matrix\/Pulumi\..+\.yaml$/);
      const mandatory = doc.findings.filter((f) => f.kind !== "waived" && f.enforcement === "mandatory");
      assert.deepEqual(
        mandatory.map((f) => `${f.control} ${f.urn.split("::").pop() ?? ""}: ${f.message}`),
        [],
      );
      assert.equal(code, 0);
      assert.equal(doc.totals.resources, plan.resources.length);
    });
  }
});
