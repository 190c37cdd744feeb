import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { runGate } from "../../tools/gate/cli";
import { root } from "../helpers";

/**
 * An outside-reviewer corpus: `pulumi preview --json` documents (tests/policies/corpus/<cloud>.json) with
 * misconfigured resources of the types users commonly create, each paired with a correctly configured
 * twin, judged by the offline gate exactly as CI judges a preview (one gate run per document, prod policy
 * config). Each document lists its pairs under `cases`: the control that must fire on the misconfigured
 * resource, and the twin that control must leave alone. Twins (and the fully configured resources they
 * point at) must draw no finding from any control.
 */

interface CorpusCase {
  readonly control: string;
  readonly misconfigured: string;
  /** null when no compliant resource of that type exists (a service account key is always long-lived). */
  readonly correct: string | null;
}

interface CorpusDocument {
  readonly cases: readonly CorpusCase[];
  readonly steps: readonly { readonly urn: string; readonly newState?: { readonly type?: string } }[];
}

interface GateFinding {
  readonly kind: string;
  readonly control: string;
  readonly enforcement: string;
  readonly urn: string;
  readonly message: string;
}

const corpusDir = path.join(root, "tests", "policies", "corpus");
const policyConfig = path.join("policies", "config", "prod.json");
const clouds = ["aws", "azure", "gcp", "kubernetes"] as const;

/**
 * Stack-level findings (no URN) that are about what a single-cloud document cannot contain, not about any
 * resource in it: the AWS document is a primary site without a secondary one, and the prod config's
 * documented waiver matches no resource of the corpus.
 */
const stackLevelExceptions: readonly { control: string; kind: string }[] = [
  { control: "enforce-secondary-site-different-cloud", kind: "violation" },
  { control: "enforce-storage-geo-redundancy", kind: "unused-waiver" },
  // The prod waiver for the Data Factory S3 reader key names a program resource the corpus does not have.
  { control: "disallow-long-lived-access-keys", kind: "unused-waiver" },
];

const prodLevels = JSON.parse(fs.readFileSync(path.join(root, policyConfig), "utf8")) as Record<
  string,
  { enforcementLevel: string }
>;

function load(cloud: string): CorpusDocument {
  return JSON.parse(fs.readFileSync(path.join(corpusDir, `${cloud}.json`), "utf8")) as CorpusDocument;
}

async function judge(cloud: string): Promise<GateFinding[]> {
  let out = "";
  let err = "";
  const code = await runGate(
    [
      "--preview",
      path.join(corpusDir, `${cloud}.json`),
      "--format",
      "json",
      // The corpus is misconfigured for the compliance controls; the deployability pack has its own cases.
      "--pack",
      "policies",
      "--policy-config",
      policyConfig,
    ],
    { stdout: (s) => (out += s), stderr: (s) => (err += s), isTty: false, cwd: root },
  );
  assert.ok(code === 0 || code === 1, `gate exited ${code}: ${err}`);
  return (JSON.parse(out) as { findings: GateFinding[] }).findings;
}

const nameOf = (urn: string) => urn.split("::").pop() ?? urn;
const show = (fs: readonly GateFinding[]) =>
  fs.map((f) => `${f.control} [${f.kind}/${f.enforcement}]: ${f.message.split("\n").pop() ?? ""}`);

describe("outside-reviewer corpus through the gate (prod config)", () => {
  it("has about 60 misconfigured resources or more, each cloud represented, every twin present", () => {
    let total = 0;
    for (const cloud of clouds) {
      const doc = load(cloud);
      const names = new Set(doc.steps.map((s) => nameOf(s.urn)));
      assert.ok(doc.cases.length >= 10, `${cloud}: only ${doc.cases.length} cases`);
      for (const c of doc.cases) {
        assert.ok(names.has(c.misconfigured), `${cloud}: no resource ${c.misconfigured}`);
        if (c.correct !== null) assert.ok(names.has(c.correct), `${cloud}: no twin ${c.correct}`);
        assert.ok(prodLevels[c.control], `${cloud}: unknown control ${c.control}`);
      }
      total += new Set(doc.cases.map((c) => c.misconfigured)).size;
    }
    assert.ok(total >= 60, `only ${total} misconfigured resources`);
  });

  for (const cloud of clouds) {
    describe(cloud, () => {
      const doc = load(cloud);
      let findings: GateFinding[] = [];
      const on = (name: string) => findings.filter((f) => f.urn !== "" && nameOf(f.urn) === name);
      before(async () => {
        findings = await judge(cloud);
      });

      for (const c of doc.cases) {
        it(`${c.control}: flags ${c.misconfigured}${c.correct ? `, passes ${c.correct}` : ""}`, () => {
          const hits = on(c.misconfigured).filter((f) => f.control === c.control && f.kind === "violation");
          assert.ok(
            hits.length > 0,
            `${c.misconfigured}: no ${c.control} violation; got ${JSON.stringify(show(on(c.misconfigured)))}`,
          );
          // A remediating control's violations that remediation cannot fix are reported as mandatory.
          const level = prodLevels[c.control]!.enforcementLevel;
          const expected = level === "remediate" ? "mandatory" : level;
          for (const h of hits) assert.equal(h.enforcement, expected, `${c.misconfigured}: ${h.message}`);
          if (c.correct !== null) {
            assert.deepEqual(
              show(on(c.correct).filter((f) => f.control === c.control)),
              [],
              `${c.correct} (twin) is flagged`,
            );
          }
        });
      }

      it("twins draw no finding from any control", () => {
        const twins = [...new Set(doc.cases.map((c) => c.correct).filter((n): n is string => n !== null))];
        const flagged = twins.flatMap((t) => show(on(t)).map((m) => `${t}: ${m}`));
        assert.deepEqual(flagged, []);
      });

      it("no stack-level finding beyond the listed exceptions, nothing unknown during preview", () => {
        const stackLevel = findings.filter(
          (f) =>
            f.urn === "" && !stackLevelExceptions.some((e) => e.control === f.control && e.kind === f.kind),
        );
        assert.deepEqual(show(stackLevel), []);
        assert.deepEqual(show(findings.filter((f) => f.kind === "preview-unknown")), []);
      });
    });
  }
});
