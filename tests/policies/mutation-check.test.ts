/**
 * The CI-sized mutation check: a fixed list of hand-chosen mutants of the compiled controls, each a text
 * substitution in a temporary copy of dist/policies. Each mutant is loaded in this process and the boundary
 * cases of its control (behaviour-cases.ts) run against it through the pack's own analyzer handlers; at
 * least one case must fail, or the tests no longer catch that mistake. The full mutation run is
 * `npm run mutation` (StrykerJS); this keeps the mutants that once survived, or that matter most, killed on
 * every test run without it. The first four are the survivors named in issue 10.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PolicyPackArgs } from "@pulumi/policy";
import type { Control } from "../../policies/lib/types";
import { behaviourCases } from "./behaviour-cases";
import { caseFailure, runOn } from "./cases";
import { PackUnderTest } from "./harness";

interface HandMutant {
  readonly control: string;
  /** Compiled control module under dist/policies/controls/. */
  readonly file: string;
  /** Text in the compiled module (must occur exactly once) and what it becomes. */
  readonly from: string;
  readonly to: string;
  readonly what: string;
}

const storage = "enforce-identity-based-storage-access";
const denyByDefault = "enforce-network-default-deny";
const secrets = "enforce-secrets-encryption-cmk";
const wildcard = "disallow-wildcard-iam-policies";
const retention = "enforce-log-retention";

export const handMutants: readonly HandMutant[] = [
  {
    control: storage,
    file: `${storage}.js`,
    from: `(0, props_1.isTrue)((0, props_1.get)(props, "uniformBucketLevelAccess"))`,
    to: `!(0, props_1.isFalse)((0, props_1.get)(props, "uniformBucketLevelAccess"))`,
    what: "an unset uniformBucketLevelAccess passes",
  },
  {
    control: secrets,
    file: `${secrets}.js`,
    from: "replicas.every(",
    to: "replicas.some(",
    what: "every -> some over GCP secret replicas",
  },
  {
    control: denyByDefault,
    file: `${denyByDefault}.js`,
    from: `"networkRuleSet.defaultAction")) === "deny"`,
    to: `"networkRuleSet.defaultAction")) !== "deny"`,
    what: "storage account defaultAction compared the other way",
  },
  {
    control: wildcard,
    file: `${wildcard}.js`,
    from: `a === "*" || a === "*:*"`,
    to: `a === "*"`,
    what: 'the "*:*" action dropped',
  },
  {
    control: storage,
    file: `${storage}.js`,
    from: `(0, props_1.isFalse)((0, props_1.get)(props, "allowSharedKeyAccess"))`,
    to: `(0, props_1.get)(props, "allowSharedKeyAccess") !== true`,
    what: "an unset allowSharedKeyAccess passes",
  },
  {
    control: storage,
    file: `${storage}.js`,
    from: `v === "BucketOwnerEnforced"`,
    to: `v !== "ObjectWriter"`,
    what: "only ObjectWriter counts as ACLs enabled",
  },
  {
    control: secrets,
    file: `${secrets}.js`,
    from: "replicas.length === 0",
    to: "replicas.length < 0",
    what: "user-managed replication without replicas passes",
  },
  {
    control: denyByDefault,
    file: `${denyByDefault}.js`,
    from: `"properties.networkAcls.defaultAction")) === "deny"`,
    to: `"properties.networkAcls.defaultAction")) !== "allow"`,
    what: "a vault with public access and an unset defaultAction passes",
  },
  {
    control: denyByDefault,
    file: `${denyByDefault}.js`,
    from: `(props, "publicNetworkAccess")) === "disabled" ||`,
    to: `(props, "publicNetworkAccess")) === "disabled" &&`,
    what: "storage needs both public access disabled and deny-by-default",
  },
  {
    control: wildcard,
    file: `${wildcard}.js`,
    from: `(0, props_1.lower)(a) === "iam:*"`,
    to: `a === "iam:*"`,
    what: '"IAM:*" in another case passes',
  },
  {
    control: wildcard,
    file: `${wildcard}.js`,
    from: `.map(String).includes("*")`,
    to: `.map(String).every((x) => x === "*")`,
    what: 'Resource "*" listed with other resources passes',
  },
  {
    control: wildcard,
    file: `${wildcard}.js`,
    from: `(0, props_1.lower)(s["Effect"]) !== "allow"`,
    to: `s["Effect"] !== "Allow"`,
    what: 'a lower-case "allow" effect passes',
  },
  {
    control: wildcard,
    file: `${wildcard}.js`,
    from: `s["NotAction"] !== undefined`,
    to: "false",
    what: "Allow + NotAction on every resource passes",
  },
  {
    control: wildcard,
    file: `${wildcard}.js`,
    from: `.some((p) => (0, props_1.list)((0, props_1.get)(p, "actions")).includes("*"))`,
    to: `.every((p) => (0, props_1.list)((0, props_1.get)(p, "actions")).includes("*"))`,
    what: 'a role definition with "*" in one of several permission blocks passes',
  },
  {
    control: wildcard,
    file: `${wildcard}.js`,
    from: `s["NotResource"] === undefined`,
    to: "true",
    what: 'Allow + Action "*" + NotResource passes',
  },
  {
    control: wildcard,
    file: `${wildcard}.js`,
    from: `String(s["Sid"] ?? i)`,
    to: "String(i)",
    what: "the finding names the statement by index although it has a Sid",
  },
  {
    control: retention,
    file: `${retention}.js`,
    from: "days >= min",
    to: "days > min",
    what: "retention exactly at the minimum is refused",
  },
  {
    control: retention,
    file: `${retention}.js`,
    from: "ctx.production ? ctx.settings.productionLogRetentionDays : ctx.settings.logRetentionDays",
    to: "ctx.production ? ctx.settings.logRetentionDays : ctx.settings.productionLogRetentionDays",
    what: "production and non-production minimums swapped",
  },
  {
    control: retention,
    file: `${retention}.js`,
    from: "(v === undefined || v === 0) && unsetMeansForever",
    to: "(v === undefined || v === 0) || unsetMeansForever",
    what: "an unset workspace retention (30-day default) counts as forever",
  },
];

const distRoot = path.resolve(__dirname, "../..");

/** Loads the policies and controls of a copy of dist/policies (fresh module instances). */
function loadCopy(copy: string): { policies: PolicyPackArgs["policies"]; controls: readonly Control[] } {
  for (const k of Object.keys(require.cache)) if (k.startsWith(copy + path.sep)) delete require.cache[k];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(copy, "policies", "pack.js")) as {
    policies: PolicyPackArgs["policies"];
    controls: readonly Control[];
  };
}

/** The failures of the control's boundary cases against the policies of a copy. */
async function failuresIn(copy: string, control: string): Promise<string[]> {
  const { policies, controls } = loadCopy(copy);
  const server = PackUnderTest.inProcess(policies);
  const out: string[] = [];
  for (const c of behaviourCases[control] ?? []) {
    const diags = (await runOn(server, control, c, controls)).filter((d) => d.policyName === control);
    const failure = caseFailure(c, diags);
    if (failure !== undefined) out.push(`${c.expect}s ${c.cloud}: ${c.title ?? ""}: ${failure}`);
  }
  return out;
}

describe("mutation check (hand-chosen mutants of the compiled controls must fail a test)", function () {
  this.timeout(60000);
  let copy = "";

  before(() => {
    // Inside dist/ so the copy resolves @pulumi/policy and the rest from the project's node_modules.
    copy = fs.mkdtempSync(path.join(distRoot, ".mutation-check-"));
    fs.cpSync(path.join(distRoot, "policies"), path.join(copy, "policies"), { recursive: true });
  });
  after(() => {
    if (copy) fs.rmSync(copy, { recursive: true, force: true });
  });

  it("the unmutated copy passes every boundary case", async () => {
    for (const control of new Set(handMutants.map((m) => m.control))) {
      assert.deepEqual(await failuresIn(copy, control), [], control);
    }
  });

  for (const m of handMutants) {
    it(`${m.control}: ${m.what}`, async () => {
      assert.ok(behaviourCases[m.control]?.length, `no boundary cases for ${m.control}`);
      const file = path.join(copy, "policies", "controls", m.file);
      const original = fs.readFileSync(file, "utf8");
      assert.equal(
        original.split(m.from).length - 1,
        1,
        `the mutant's text must occur exactly once in ${m.file} (the compiled control changed?): ${m.from}`,
      );
      fs.writeFileSync(file, original.replace(m.from, m.to));
      try {
        const failures = await failuresIn(copy, m.control);
        assert.ok(failures.length > 0, `mutant survived: ${m.what} (${m.from} -> ${m.to})`);
      } finally {
        fs.writeFileSync(file, original);
      }
    });
  }
});
