import { strict as assert } from "node:assert";
import fc from "fast-check";
import { fitName, nameProblem, nameRules, type NameKind } from "../components/naming";

const kinds = Object.keys(nameRules) as NameKind[];
/** Environment names the config schema accepts (`^[a-z][a-z0-9-]{1,15}$`), hyphen runs included. */
const environment = fc.stringMatching(/^[a-z][a-z0-9-]{1,15}$/);
const role = fc.constantFrom("primary", "secondary");
const purpose = fc.constantFrom(
  "data",
  "access-logs",
  "pg",
  "flow-logs",
  "alerts-critical",
  "storage-replica",
);
const suffix = fc.stringMatching(/^[a-z0-9]{6}$/);

describe("naming helper (components/naming.ts)", () => {
  it("fits every kind's rules for every valid environment, role, purpose and suffix", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        environment,
        role,
        purpose,
        fc.option(suffix),
        (kind, env, r, p, s) => {
          const name = fitName(kind, [env, r, p], s ?? undefined);
          assert.equal(nameProblem(kind, name), undefined, `${kind}: '${name}'`);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("keeps the random suffix whole at the end when it has to truncate", () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), environment, purpose, suffix, (kind, env, p, s) => {
        const name = fitName(kind, [env, "secondary", p], s);
        assert.ok(name.endsWith(s), `${kind}: '${name}' ends with '${s}'`);
      }),
      { numRuns: 2000 },
    );
  });

  it("16-character and double-hyphen environments: the cases the issue found", () => {
    // Before: `kv-abcdefghijklmnop-sec-` (trailing hyphen, suffix lost) and `kv-a--b-...` (consecutive hyphens).
    const vault = fitName("azureKeyVault", ["kv", "abcdefghijklmnop", "sec"], "x1y2z3");
    assert.equal(vault.length <= 24, true);
    assert.ok(vault.endsWith("-x1y2z3"), vault);
    assert.equal(nameProblem("azureKeyVault", vault), undefined);
    assert.equal(fitName("azureKeyVault", ["kv", "a--b", "sec"], "x1y2z3"), "kv-a-b-sec-x1y2z3");
    const account = fitName("azureStorageAccount", ["st", "abcdefghijklmnop", "sec", "fl"], "x1y2z3");
    assert.equal(account.length, 24);
    assert.ok(account.endsWith("x1y2z3"), "the whole 6-character suffix survives");
  });

  it("truncated names stay distinct when they differ only past the cut (hash of the full name)", () => {
    const a = fitName("azureActionGroupShortName", ["abcdefghijklmnop", "primary", "critical"]);
    const b = fitName("azureActionGroupShortName", ["abcdefghijklmnop", "primary", "high"]);
    assert.notEqual(a, b);
    assert.ok(a.length <= 12 && b.length <= 12);
  });

  it("starts RFC 1035 and RDS names with a letter", () => {
    assert.match(fitName("gcpName", ["1abc", "net"]), /^[a-z]/);
    assert.match(fitName("rdsIdentifier", ["9prod", "pg"]), /^[a-z]/);
  });

  it("nameProblem rejects what each cloud refuses", () => {
    assert.match(nameProblem("azureKeyVault", "kv-abcdefghijklmnop-sec-") ?? "", /length|end/);
    assert.match(nameProblem("azureKeyVault", "kv-a--b") ?? "", /consecutive/);
    assert.match(nameProblem("azureStorageAccount", "st-prod") ?? "", /character '-'/);
    assert.match(nameProblem("s3Bucket", "Prod-Data") ?? "", /character 'P'/);
    assert.match(nameProblem("gcpName", "1net") ?? "", /start/);
    assert.equal(nameProblem("gcpName", "net-1"), undefined);
  });
});
