import { strict as assert } from "node:assert";
import { runGate } from "../tools/gate/cli";
import { root } from "./helpers";

interface GateJson {
  verdict: string;
  totals: { mandatory: number; advisory: number; waived: number; unusedWaivers: number };
  findings: { kind: string; control: string; enforcement: string; urn: string; message: string }[];
  policyConfig: { source: string; environment: string; production: boolean; frameworks: string[] };
}

async function gate(stack: string): Promise<{ code: number; doc: GateJson }> {
  let out = "";
  const code = await runGate(["--stack", stack, "--format", "json"], {
    stdout: (s) => (out += s),
    stderr: () => undefined,
    isTty: false,
    cwd: root,
  });
  return { code, doc: JSON.parse(out) as GateJson };
}

/**
 * The program's own stacks through the real policy pack (started as the CLI starts it, spoken to over
 * the analyzer protocol): zero mandatory violations, and nothing waived that the prod config does not
 * list. Settings are added to the program to pass; controls are never weakened.
 */
describe("the dev and prod plans pass the policy pack", () => {
  it("dev: no mandatory violation, nothing waived", async () => {
    const { code, doc } = await gate("dev");
    const mandatory = doc.findings.filter((f) => f.kind !== "waived" && f.enforcement === "mandatory");
    assert.deepEqual(
      mandatory.map((f) => `${f.control} ${f.urn}: ${f.message}`),
      [],
    );
    assert.equal(code, 0);
    assert.equal(doc.totals.waived, 0);
    // No hand-written policy config: derived from the stack file, and the output says so.
    assert.deepEqual(doc.policyConfig, {
      source: "derived from Pulumi.dev.yaml",
      environment: "dev",
      production: false,
      frameworks: ["soc2", "iso27001", "cis"],
    });
  });

  it("prod: no mandatory violation; only the documented access-log, audit-trail bucket and S3 reader-key waivers apply", async () => {
    const { code, doc } = await gate("prod");
    const mandatory = doc.findings.filter((f) => f.kind !== "waived" && f.enforcement === "mandatory");
    assert.deepEqual(
      mandatory.map((f) => `${f.control} ${f.urn}: ${f.message}`),
      [],
    );
    assert.equal(code, 0);
    assert.deepEqual(
      doc.findings
        .filter((f) => f.kind === "waived")
        .map((f) => `${f.control} ${f.urn.split("::").pop()}`)
        .sort(),
      [
        "enforce-storage-geo-redundancy primary-storage-logs",
        "enforce-storage-geo-redundancy primary-storage-replica-logs",
        "enforce-storage-geo-redundancy primary-governance-trail-bucket",
        // The ALB's access-log bucket (SSE-S3 by ALB's requirement), a log bucket like the two above.
        "enforce-storage-geo-redundancy primary-ingress-access-logs",
        "disallow-long-lived-access-keys replication-objects-reader-key",
      ].sort(),
    );
    assert.equal(doc.totals.unusedWaivers, 0);
    assert.equal(doc.policyConfig.source, "derived from Pulumi.prod.yaml");
    assert.equal(doc.policyConfig.production, true);
  });
});
