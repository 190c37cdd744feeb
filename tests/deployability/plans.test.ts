/**
 * No plan breaks a rule of the deployability pack: the program's dev and prod stacks and every stack of
 * the matrix (tests/matrix.ts), planned under the mock harness, go through the pack as
 * `pulumi preview --policy-pack policies/deployability` sends them, with zero findings. Each violation is
 * reported as `[rule] type name: message`.
 */
import { strict as assert } from "node:assert";
import { DeployabilityPack, formatFinding } from "../../tools/deployability";
import { planFor } from "../helpers";
import { matrix } from "../matrix";

const stacks: { name: string; file?: string }[] = [
  { name: "dev" },
  { name: "prod" },
  ...matrix.map((s) => ({ name: s.name, file: s.file })),
];

describe("every plan passes the deployability pack", function () {
  let pack: DeployabilityPack | undefined;
  before(async () => {
    pack = await DeployabilityPack.start();
  });
  after(async () => {
    await pack?.stop();
  });

  for (const stack of stacks) {
    it(`${stack.name}: zero deployability findings`, async () => {
      const plan = await planFor(stack.name, stack.file);
      const findings = await pack!.check(plan);
      assert.ok(plan.resources.length > 0);
      if (findings.length > 0) {
        assert.fail(
          `${stack.name}: ${findings.length} deployability finding(s):\n  ${findings.map(formatFinding).join("\n  ")}`,
        );
      }
    });
  }
});
