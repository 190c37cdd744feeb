import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { packDirs } from "../../tools/gate/cli";
import { root, runCli, tmpDir } from "./helpers";

const enginePack = path.join(root, "tests/gate/fixtures/engine-pack");

/** A preview with one S3 bucket missing the tags the compliance pack can add, and no ARN in its outputs. */
function bucketPreview(): string {
  const provider = "urn:pulumi:dev::shop::pulumi:providers:aws::eu";
  const urn = "urn:pulumi:dev::shop::aws:s3/bucketV2:BucketV2::assets";
  const file = path.join(tmpDir(), "preview.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      config: {},
      steps: [
        {
          op: "create",
          urn: provider,
          newState: {
            urn: provider,
            type: "pulumi:providers:aws",
            custom: true,
            inputs: { region: "eu-west-1" },
          },
        },
        {
          op: "create",
          urn,
          newState: {
            urn,
            type: "aws:s3/bucketV2:BucketV2",
            custom: true,
            provider: `${provider}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`,
            inputs: {
              bucket: "assets",
              tags: {
                environment: "dev",
                owner: "web",
                "cost-center": "cc-1",
                "data-classification": "internal",
                "site-role": "primary",
              },
            },
          },
        },
      ],
      changeSummary: { create: 2 },
    }),
  );
  return file;
}

interface Report {
  packs: { name: string; dir: string; policyConfig: string }[];
  policyConfig: { source: string; environment: string; production: boolean };
  findings: { kind: string; control: string; enforcement: string; pack?: string; message: string }[];
}

describe("the gate runs several packs as the CLI runs several --policy-pack", function () {
  this.timeout(240_000);

  it("runs the compliance pack and a second pack: findings labelled by pack, the exit code from both", () => {
    const r = runCli([
      "--preview",
      bucketPreview(),
      "--environment",
      "dev",
      "--pack",
      "policies",
      "--pack",
      enginePack,
      "--format",
      "json",
    ]);
    const doc = JSON.parse(r.stdout) as Report;
    assert.deepEqual(
      doc.packs.map((p) => [p.name, p.dir, p.policyConfig]),
      [
        ["multicloud-compliance", "policies", "policies/config/dev.json (--environment dev)"],
        ["gate-engine-fixture", "tests/gate/fixtures/engine-pack", "pack defaults"],
      ],
    );
    assert.deepEqual(doc.policyConfig, {
      source: "policies/config/dev.json (--environment dev)",
      environment: "dev",
      production: false,
      frameworks: ["soc2", "iso27001", "pciDss", "gdpr", "lfpdppp", "cis"],
    });
    // The compliance pack remediated the missing managed-by tag before analysis (enforce-required-tags
    // is at remediate), so it reports no required-tags violation, as `pulumi preview` would.
    const remediated = doc.findings.filter((f) => f.kind === "remediated");
    assert.ok(
      remediated.some((f) => f.control === "enforce-required-tags" && f.pack === "multicloud-compliance"),
    );
    assert.ok(!doc.findings.some((f) => f.kind === "violation" && f.control === "enforce-required-tags"));
    // The second pack's mandatory stack policy fails (no ARN in a created resource's document): exit 1.
    const arn = doc.findings.filter((f) => f.control === "engine-stack-arn");
    assert.ok(
      arn.length === 1 && arn[0]!.pack === "gate-engine-fixture" && arn[0]!.enforcement === "mandatory",
    );
    assert.equal(r.status, 1);
  });

  it("defaults to the compliance pack and, when it exists, the deployability pack", () => {
    const fake = tmpDir();
    fs.mkdirSync(path.join(fake, "policies"), { recursive: true });
    assert.deepEqual(packDirs({}, fake, fake), [path.join(fake, "policies")]);
    fs.mkdirSync(path.join(fake, "policies", "deployability"));
    fs.writeFileSync(path.join(fake, "policies", "deployability", "package.json"), "{}");
    assert.deepEqual(packDirs({}, fake, fake), [
      path.join(fake, "policies"),
      path.join(fake, "policies", "deployability"),
    ]);
    assert.deepEqual(packDirs({ pack: ["a", "b"] }, fake, "/x"), ["/x/a", "/x/b"]);
  });
});
