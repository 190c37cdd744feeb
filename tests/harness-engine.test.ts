/**
 * The mock harness refuses what the engine refuses and records what the engine records: a second
 * registration of one URN fails ("Duplicate resource URN"), and outputs named in
 * `additionalSecretOutputs` are secret in the recorded plan and in what the program reads back.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";
import { Bucket } from "@pulumi/aws/s3";
import { Topic } from "@pulumi/aws/sns";
import { runProgram, secretSig, sigKey } from "../tools/harness";

describe("the mock harness plays the engine (URNs and secret outputs)", () => {
  it("refuses a second resource with the same URN, as the engine does", async () => {
    const result = await runProgram({
      stack: "dev",
      program: async () => {
        const provider = new Provider("p", { region: "eu-west-1" });
        new Topic("alerts-a-b", { name: "a" }, { provider });
        new Topic("alerts-a-b", { name: "b" }, { provider });
      },
    });
    assert.equal(result.ok, false);
    assert.ok(
      !result.ok &&
        result.errors.some((e) =>
          /^Duplicate resource URN .urn:pulumi:dev::platform::.*aws:sns\/topic:Topic::alerts-a-b./.test(e),
        ),
      !result.ok ? result.errors.join("\n") : "",
    );
    assert.equal(result.plan.resources.filter((r) => r.name === "alerts-a-b").length, 1);
  });

  it("accepts the same name under different types or parents (different URNs)", async () => {
    const result = await runProgram({
      stack: "dev",
      program: async () => {
        const provider = new Provider("p", { region: "eu-west-1" });
        new Topic("same", {}, { provider });
        new Bucket("same", {}, { provider });
      },
    });
    assert.ok(result.ok, !result.ok ? result.errors.join("\n") : "");
  });

  it("marks outputs named in additionalSecretOutputs as secret, in the plan and for the program", async () => {
    let seen: boolean | undefined;
    const result = await runProgram({
      stack: "dev",
      program: async () => {
        const provider = new Provider("p", { region: "eu-west-1" });
        const plain = new Bucket("plain", { bucket: "plain-bucket" }, { provider });
        const hidden = new Bucket(
          "hidden",
          { bucket: "hidden-bucket" },
          { provider, additionalSecretOutputs: ["arn", "bucket"] },
        );
        seen = (await pulumi.isSecret(hidden.arn)) && !(await pulumi.isSecret(plain.arn));
      },
    });
    assert.ok(result.ok, !result.ok ? result.errors.join("\n") : "");
    const hidden = result.plan.resources.find((r) => r.name === "hidden")!;
    const plain = result.plan.resources.find((r) => r.name === "plain")!;
    assert.deepEqual(hidden.additionalSecretOutputs, ["arn", "bucket"]);
    assert.deepEqual(hidden.outputs.arn, { [sigKey]: secretSig });
    assert.deepEqual(
      hidden.outputs.bucket,
      { [sigKey]: secretSig },
      "an echoed input named there is secret too",
    );
    assert.equal(hidden.inputs.bucket, "hidden-bucket", "inputs stay as given");
    assert.equal(typeof plain.outputs.arn, "string");
    assert.equal(seen, true, "the program reads the output back as a secret");
  });
});
