/**
 * Table-driven control tests: each case is a resource (or a stack) the control must reject or accept,
 * evaluated by the real pack server. Every case also records which control x cloud it covers; the root
 * hook in coverage.test.ts fails the run when a cloud a control declares lacks a rejecting or an
 * accepting case, and prints the count.
 */
import * as assert from "node:assert/strict";
import { controls, policies } from "../../policies/pack";
import type { Cloud } from "../../policies/lib/types";
import { pack, type Diagnostic, type TestResource } from "./harness";

export type Expectation = "reject" | "accept" | "unknown";

export interface ResourceCase {
  readonly title?: string;
  readonly cloud: Cloud;
  readonly expect: Expectation;
  readonly resource?: TestResource;
  /** Stack cases (for stack-level controls): all resources of the stack. */
  readonly stack?: readonly TestResource[];
  /** Name of the resource the finding must be reported on (stack cases). */
  readonly on?: string;
  /** A rejection message must match. */
  readonly match?: RegExp;
  /** Pack settings for this case (merged over the defaults, under every policy's key). */
  readonly settings?: Record<string, unknown>;
}

export const coverage = new Map<string, Map<Cloud, Set<Expectation>>>();

function record(control: string, cloud: Cloud, expect: Expectation): void {
  let byCloud = coverage.get(control);
  if (!byCloud) coverage.set(control, (byCloud = new Map()));
  let set = byCloud.get(cloud);
  if (!set) byCloud.set(cloud, (set = new Set()));
  set.add(expect);
}

/** A policy config file that sets the same settings under every policy's key. */
export function configFile(
  settings: Record<string, unknown> = {},
  levels: Record<string, string> = {},
): Record<string, unknown> {
  return Object.fromEntries(
    policies.map((p) => [
      p.name,
      { ...(levels[p.name] ? { enforcementLevel: levels[p.name] } : {}), ...settings },
    ]),
  );
}

export async function run(controlId: string, c: ResourceCase): Promise<Diagnostic[]> {
  const server = await pack();
  await server.configure(configFile(c.settings));
  // A stack-level control sees resources only through analyzeStack, as under the CLI.
  const isStack = controls.find((x) => x.id === controlId)?.stack !== undefined;
  const stack = c.stack ?? (isStack ? [c.resource!] : undefined);
  const diags = stack ? await server.analyzeStack(stack) : await server.analyze(c.resource!);
  return diags.filter((d) => d.policyName === controlId);
}

function describeCase(c: ResourceCase): string {
  const subject = c.resource
    ? `${c.resource.type} ${c.resource.name}`
    : `stack of ${c.stack?.length ?? 0} resources`;
  return `${c.expect}s ${c.cloud}: ${c.title ?? subject}`;
}

export function controlCases(controlId: string, cases: readonly ResourceCase[]): void {
  const control = controls.find((x) => x.id === controlId);
  describe(controlId, () => {
    it("is a control of the pack", () => assert.ok(control, `no control ${controlId}`));
    for (const c of cases) {
      it(describeCase(c), async () => {
        const diags = await run(controlId, c);
        const detail = JSON.stringify(diags, null, 1);
        if (c.expect === "accept") {
          assert.equal(diags.length, 0, `expected no finding, got ${detail}`);
        } else if (c.expect === "unknown") {
          assert.ok(diags.length > 0, "expected an advisory 'can't run during preview' result");
          for (const d of diags) {
            assert.equal(d.enforcementLevel, "advisory", detail);
            assert.match(d.message, /can't run policy .* during preview/, detail);
          }
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
            assert.ok(
              mandatory.some(
                (d) => d.urn === (target.urn ?? `urn:pulumi:test::platform::${target.type}::${target.name}`),
              ),
              `no finding on ${c.on}: ${detail}`,
            );
          }
        }
        record(controlId, c.cloud, c.expect);
      });
    }
  });
}
