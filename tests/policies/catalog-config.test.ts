import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { controls, policies, settingsSchema } from "../../policies/pack";
import { type catalogObject, stale } from "../../policies/tools/catalog";
import { reconcilePolicyConfig } from "../../policies/lib/cli-config";
import { frameworkIds } from "../../policies/lib/types";
import { configFile } from "./cases";
import { pack, policyInfos, type TestResource } from "./harness";

const root = path.resolve(__dirname, "../../..");
const readJson = (rel: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(root, rel), "utf8")) as Record<string, unknown>;

describe("catalog", () => {
  it("is generated from the code and checked in current (npm run catalog)", async function () {
    this.timeout(60000);
    assert.deepEqual(await stale(), []);
  });

  it("lists at least 35 controls, each mapped to at least two frameworks and to the clouds it covers", () => {
    const catalog = readJson("policies/catalog.json") as ReturnType<typeof catalogObject>;
    assert.ok(catalog.controls.length >= 35, `${catalog.controls.length} controls`);
    for (const c of catalog.controls) {
      const mapped = frameworkIds.filter((f) => f !== "cis" && c.frameworks[f].length > 0);
      assert.ok(mapped.length >= 2, `${c.id} maps to ${mapped.join(", ")}`);
      const clouds = Object.entries(c.resourceTypes).filter(([, t]) => t.length > 0);
      assert.ok(clouds.length >= 1, `${c.id} covers no cloud`);
      for (const key of [
        "id",
        "title",
        "severity",
        "category",
        "enforcement",
        "rationale",
        "remediation",
        "uncertain",
        "stackLevel",
      ]) {
        assert.ok(key in c, `${c.id} lacks ${key}`);
      }
      assert.ok(["critical", "high", "medium", "low"].includes(c.severity));
    }
  });

  it("names every policy after its control id (kebab-case) and has one policy per control", () => {
    for (const c of controls) {
      assert.match(c.id, /^[a-z0-9]+(-[a-z0-9]+)+$/);
      assert.ok(
        policies.some((p) => p.name === c.id),
        c.id,
      );
    }
    assert.equal(new Set(policies.map((p) => p.name)).size, policies.length);
  });
});

describe("policy config", () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const fileSchema = readJson("policies/config/schema.json");

  for (const env of ["dev", "prod"]) {
    it(`policies/config/${env}.json matches the config schema and every policy's schema (as the CLI validates)`, () => {
      const file = readJson(`policies/config/${env}.json`);
      assert.ok(ajv.validate(fileSchema, file), ajv.errorsText());
      const resolved = reconcilePolicyConfig(policyInfos(), file, "mandatory");
      for (const p of policies) {
        const schema = {
          type: "object",
          properties: p.configSchema?.properties ?? {},
          required: p.configSchema?.required ?? [],
        };
        assert.ok(ajv.validate(schema, resolved[p.name]!.properties), `${p.name}: ${ajv.errorsText()}`);
      }
    });
  }

  it("keeps security controls mandatory in dev and makes only resilience controls advisory", () => {
    const dev = readJson("policies/config/dev.json") as Record<
      string,
      { enforcementLevel: string; environment: string }
    >;
    const prod = readJson("policies/config/prod.json") as Record<
      string,
      { enforcementLevel: string; environment: string }
    >;
    for (const c of controls) {
      if (c.kind === "security") {
        assert.notEqual(dev[c.id]!.enforcementLevel, "advisory", c.id);
        assert.notEqual(dev[c.id]!.enforcementLevel, "disabled", c.id);
      }
      assert.notEqual(prod[c.id]!.enforcementLevel, "advisory", c.id);
      assert.equal(dev[c.id]!.environment, "dev");
      assert.equal(prod[c.id]!.environment, "prod");
    }
    assert.ok(controls.some((c) => c.kind === "resilience" && dev[c.id]!.enforcementLevel === "advisory"));
  });

  it("the CLI's schema validation rejects invalid settings with a message naming the setting", () => {
    const resolved = reconcilePolicyConfig(
      policyInfos(),
      configFile({ environment: 7, waivers: [{ control: "x" }] }),
      "mandatory",
    );
    const schema = { type: "object", properties: settingsSchema.properties };
    assert.equal(ajv.validate(schema, resolved["disallow-public-admin-ports"]!.properties), false);
    assert.match(ajv.errorsText(), /environment/);
  });

  it("the pack itself rejects invalid settings sent through Configure with a clear message", async () => {
    const server = await pack();
    await server.configure(
      configFile({
        environment: "",
        backupRetentionDays: "seven",
        waivers: [
          {
            control: "disallow-public-admin-ports",
            resource: "x",
            reason: "r",
            approvedBy: "a",
            expires: "31/12/2099",
          },
        ],
        frameworks: ["hipaa"],
      }),
    );
    const vpc: TestResource = { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { cidrBlock: "10.0.0.0/16" } };
    await assert.rejects(server.analyze(vpc), (e: Error) => {
      assert.match(e.message, /invalid policy config for "[a-z-]+"/);
      assert.match(e.message, /environment: expected a non-empty string/);
      assert.match(e.message, /backupRetentionDays: expected an integer >= 1, found "seven"/);
      assert.match(e.message, /waivers\[0\]\.expires: expected a date YYYY-MM-DD/);
      assert.match(e.message, /unknown framework "hipaa"/);
      return true;
    });
    await assert.rejects(server.analyzeStack([vpc]), /invalid policy config/);
    await server.configure(configFile({ enviroment: "prod" }));
    await assert.rejects(server.analyze(vpc), /unknown setting "enviroment"/);
    await server.configure();
  });

  it("runs only the controls of the frameworks in scope", async () => {
    const server = await pack();
    const sg: TestResource = {
      type: "aws:ec2/securityGroup:SecurityGroup",
      name: "sg",
      props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
    };
    await server.configure(configFile({ frameworks: ["soc2"] }));
    assert.ok((await server.analyze(sg)).some((d) => d.policyName === "disallow-public-admin-ports"));
    const latest: TestResource = {
      type: "kubernetes:apps/v1:Deployment",
      name: "d",
      props: { spec: { template: { spec: { containers: [{ name: "c", image: "nginx" }] } } } },
    };
    await server.configure(configFile({ frameworks: ["lfpdppp"] }));
    // disallow-latest-image-tag maps to SOC 2, ISO, PCI and GDPR only.
    assert.ok(!(await server.analyze(latest)).some((d) => d.policyName === "disallow-latest-image-tag"));
    await server.configure();
  });
});
