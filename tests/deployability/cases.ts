/**
 * Table-driven deployability tests: each case is a resource (or a stack) a rule must reject or accept,
 * evaluated by the real deployability pack server (dist/policies/deployability/index.js, started as the
 * engine starts it) through `Analyze` (resource rules) or `AnalyzeStack` (stack rules). Every case records
 * the rule x cloud it covers; coverage.test.ts fails the run when a cloud a rule declares lacks a
 * rejecting or an accepting case.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { rules } from "../../policies/deployability/pack";
import type { Cloud } from "../../policies/lib/types";
import { PackUnderTest, urnOf, type Diagnostic, type TestResource } from "../policies/harness";

export type Expectation = "reject" | "accept";

export interface RuleCase {
  readonly title: string;
  readonly cloud: Cloud;
  readonly expect: Expectation;
  readonly resource?: TestResource;
  readonly stack?: readonly TestResource[];
  /** Name of the resource the finding must be on (stack cases). */
  readonly on?: string;
  /** A rejection message must match. */
  readonly match?: RegExp;
}

export const coverage = new Map<string, Map<Cloud, Set<Expectation>>>();

let shared: Promise<PackUnderTest> | undefined;

/** One deployability pack server for the run (stopped by the root hook in coverage.test). */
export function deployabilityPack(): Promise<PackUnderTest> {
  shared ??= PackUnderTest.start(path.resolve(__dirname, "../../policies/deployability/index.js"));
  return shared;
}

export async function stopDeployabilityPack(): Promise<void> {
  if (shared) (await shared).stop();
  shared = undefined;
}

export async function run(ruleId: string, c: RuleCase): Promise<Diagnostic[]> {
  const server = await deployabilityPack();
  const rule = rules.find((r) => r.id === ruleId);
  const stack = c.stack ?? (rule?.stack ? [c.resource!] : undefined);
  const diags = stack ? await server.analyzeStack(stack) : await server.analyze(c.resource!);
  return diags.filter((d) => d.policyName === ruleId);
}

export function ruleCases(ruleId: string, cases: readonly RuleCase[]): void {
  describe(ruleId, () => {
    it("is a rule of the deployability pack", () =>
      assert.ok(
        rules.some((r) => r.id === ruleId),
        `no rule ${ruleId}`,
      ));
    for (const c of cases) {
      it(`${c.expect}s ${c.cloud}: ${c.title}`, async () => {
        const diags = await run(ruleId, c);
        const detail = JSON.stringify(diags, null, 1);
        if (c.expect === "accept") {
          assert.equal(diags.length, 0, `expected no finding, got ${detail}`);
        } else {
          const mandatory = diags.filter((d) => d.enforcementLevel === "mandatory");
          assert.ok(mandatory.length > 0, `expected a mandatory finding, got ${detail}`);
          if (c.match)
            assert.ok(
              mandatory.some((d) => c.match!.test(d.message)),
              `no message matches ${String(c.match)}: ${detail}`,
            );
          if (c.on) {
            const target = c.stack?.find((r) => r.name === c.on);
            assert.ok(target, `no resource named ${c.on} in the stack`);
            const urn = target.urn ?? urnOf(target.type, target.name);
            assert.ok(
              mandatory.some((d) => d.urn === urn),
              `no finding on ${c.on}: ${detail}`,
            );
          }
        }
        let byCloud = coverage.get(ruleId);
        if (!byCloud) coverage.set(ruleId, (byCloud = new Map()));
        let seen = byCloud.get(c.cloud);
        if (!seen) byCloud.set(c.cloud, (seen = new Set()));
        seen.add(c.expect);
      });
    }
  });
}

/** A resource of the stack under test (props as the engine sends them). */
export function res(
  type: string,
  name: string,
  props: Record<string, unknown>,
  extra: Partial<Omit<TestResource, "type" | "name" | "props">> = {},
): TestResource {
  return { type, name, props, ...extra };
}
