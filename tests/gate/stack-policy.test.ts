import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { environmentFor, profiles } from "../../policies/config/environments";
import { derivePolicyConfig, main, readStackConfig, stackFacts } from "../../tools/gate/stack-policy";
import { policyConfigLabel } from "../../tools/gate/format/common";
import type { GateResult } from "../../tools/gate/model";
import { root, tmpDir } from "./helpers";

/** Issue 8, item 2: the policy config follows the stack file; it is derived, never hand-copied. */
describe("policy config derived from the stack", () => {
  it("dev: not production, its frameworks (plus CIS), its data classification kept to its jurisdictions", () => {
    const facts = stackFacts(readStackConfig(root, "dev"));
    assert.equal(facts.environment, "dev");
    assert.equal(facts.production, false);
    const env = environmentFor(facts);
    assert.deepEqual(env.settings.frameworks, ["soc2", "iso27001", "cis"]);
    assert.deepEqual(env.settings.productionEnvironments, []);
    const internal = env.settings.allowedRegions.internal!;
    for (const r of ["europe-west1", "eu-west-1", "eu", "westeurope"]) assert.ok(internal.includes(r), r);
    for (const r of ["us-east-1", "us", "eastus"]) assert.ok(!internal.includes(r), r);
    assert.deepEqual(env.settings.waivers, []);
  });

  it("prod: production from the stack's `production`, the access-log waiver by type and role", () => {
    const { document, facts } = derivePolicyConfig(readStackConfig(root, "prod"), "Pulumi.prod.yaml");
    assert.equal(facts.production, true);
    const entry = document["enforce-storage-geo-redundancy"] as Record<string, unknown>;
    assert.equal(entry.environment, "prod");
    assert.deepEqual(entry.productionEnvironments, ["prod"]);
    const waivers = entry.waivers as { type?: string; role?: string; resource?: string; reason: string }[];
    assert.deepEqual(
      waivers.map((w) => [w.type, w.role, w.resource]),
      [
        ["aws:s3/bucket*", "access-log-target", undefined],
        ["aws:s3/bucket*", "audit-trail-target", undefined],
        ["aws:iam/accessKey:AccessKey", undefined, "replication-objects-reader-key"],
      ],
    );
    // The reason cites only evidence that is built: the site trail's S3 data events (providers/aws/governance.ts).
    assert.doesNotMatch(waivers[0]!.reason, /not built/);
    assert.match(waivers[0]!.reason, /CloudTrail trail \(S3 data events/);
    assert.match(waivers[1]!.reason, /Object Lock/);
  });

  it("prod: the stack's recovery objectives reach every policy as the recovery setting; dev has none", () => {
    const prod = readStackConfig(root, "prod");
    const { document, facts } = derivePolicyConfig(prod, "Pulumi.prod.yaml");
    assert.ok(prod.recovery, "Pulumi.prod.yaml declares platform:recovery");
    assert.deepEqual(facts.recovery, prod.recovery);
    const entry = document["enforce-recovery-objectives"] as Record<string, unknown>;
    assert.deepEqual(entry.recovery, prod.recovery);
    assert.equal(entry.enforcementLevel, "mandatory");
    const dev = derivePolicyConfig(readStackConfig(root, "dev"), "Pulumi.dev.yaml");
    assert.equal(
      (dev.document["enforce-recovery-objectives"] as Record<string, unknown>).recovery,
      undefined,
    );
  });

  it("the reports' policy-config line names the recovery objectives the pack checked", () => {
    const policyConfig = {
      source: "derived from Pulumi.prod.yaml",
      environment: "prod",
      production: true,
      frameworks: ["soc2"],
    };
    const label = (p: GateResult["policyConfig"]) => policyConfigLabel({ policyConfig: p } as GateResult);
    assert.match(
      label({ ...policyConfig, recovery: { rpoMinutes: 60, rtoMinutes: 45 } }),
      /; recovery objectives RPO 60 min, RTO 45 min\)$/,
    );
    assert.doesNotMatch(label(policyConfig), /recovery/);
  });

  it("only the Azure -> AWS stack waives its missing object copy (DataSync cannot read the site's Blob)", () => {
    const waiverOf = (sites: string) =>
      environmentFor({
        environment: "prod",
        production: true,
        frameworks: ["soc2"],
        regions: [],
        sites,
      }).settings.waivers.filter((w) => w.control === "enforce-recovery-objectives");
    assert.deepEqual(
      waiverOf("azure>aws").map((w) => w.type),
      ["aws:s3/bucket*"],
    );
    assert.match(waiverOf("azure>aws")[0]!.reason, /agentArns/);
    for (const sites of ["aws>azure", "aws>gcp", "gcp>aws", "azure>gcp", "gcp>azure"]) {
      assert.deepEqual(waiverOf(sites), [], sites);
    }
  });

  it("the name decides nothing: an environment called `production` that is not production is judged as not production", () => {
    const env = environmentFor({
      environment: "production",
      production: false,
      frameworks: ["soc2"],
      regions: [],
    });
    assert.deepEqual(env.settings.productionEnvironments, []);
    const prodLike = environmentFor({
      environment: "live",
      production: true,
      frameworks: ["soc2"],
      regions: [],
    });
    assert.deepEqual(prodLike.settings.productionEnvironments, ["live"]);
    assert.deepEqual(Object.keys(profiles), ["dev", "prod"]);
  });

  it("npm run policy-config writes the derived --policy-pack-config document; an invalid stack is exit 2", () => {
    const out = path.join(tmpDir(), "cfg.json");
    assert.equal(
      main(
        ["--stack", "prod", "--out", out],
        root,
        () => undefined,
        () => undefined,
      ),
      0,
    );
    const written = JSON.parse(fs.readFileSync(out, "utf8")) as Record<string, unknown>;
    assert.deepEqual(written, derivePolicyConfig(readStackConfig(root, "prod"), "x").document);
    let err = "";
    const bad = path.join(tmpDir(), "Pulumi.bad.yaml");
    fs.writeFileSync(bad, "config:\n  platform:environment: Bad Name\n");
    assert.equal(
      main(
        ["--stack", "bad", "--config", bad],
        root,
        () => undefined,
        (s) => (err += s),
      ),
      2,
    );
    assert.match(err, /platform:environment/);
  });
});
