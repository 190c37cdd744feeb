/**
 * Table-driven control tests: each case is a resource (or a stack) the control must reject or accept,
 * evaluated by the real pack server. Every case also records which control x cloud it covers; the root
 * hook in coverage.test.ts fails the run when a cloud a control declares lacks a rejecting or an
 * accepting case, and prints the count.
 */
import * as assert from "node:assert/strict";
import { controls, policies } from "../../policies/pack";
import type { Cloud, Control } from "../../policies/lib/types";
import { pack, type Diagnostic, type PackUnderTest, type TestResource } from "./harness";

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
  /**
   * Rejections: exactly these messages, in any order, and no other mandatory finding of the control
   * (asserts the whole verdict, so a mutant that adds, drops or rewords a finding fails the case).
   */
  readonly messages?: readonly string[];
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
  return runOn(await pack(), controlId, c);
}

/** Evaluates one case on a given pack (the shared one, or an in-process pack of other policies). */
export async function runOn(
  server: PackUnderTest,
  controlId: string,
  c: ResourceCase,
  controlList: readonly Control[] = controls,
): Promise<Diagnostic[]> {
  await server.configure(configFile(c.settings));
  // A stack-level control sees resources only through analyzeStack, as under the CLI.
  const isStack = controlList.find((x) => x.id === controlId)?.stack !== undefined;
  const stack = c.stack ?? (isStack ? [c.resource!] : undefined);
  const diags = stack ? await server.analyzeStack(stack) : await server.analyze(c.resource!);
  return diags.filter((d) => d.policyName === controlId);
}

/** Why the diagnostics of a control do not meet the case, or undefined when they do. */
export function caseFailure(c: ResourceCase, diags: readonly Diagnostic[]): string | undefined {
  const detail = JSON.stringify(diags, null, 1);
  if (c.expect === "accept") {
    return diags.length === 0 ? undefined : `expected no finding, got ${detail}`;
  }
  if (c.expect === "unknown") {
    if (diags.length === 0) return "expected an advisory 'can't run during preview' result";
    for (const d of diags) {
      if (d.enforcementLevel !== "advisory" || !/can't run policy .* during preview/.test(d.message))
        return `expected only advisory 'can't run during preview' results, got ${detail}`;
    }
    return undefined;
  }
  const mandatory = diags.filter((d) => d.enforcementLevel === "mandatory");
  if (mandatory.length === 0) return `expected a mandatory finding, got ${detail}`;
  if (c.match && !mandatory.some((d) => c.match!.test(d.message)))
    return `no message matches ${String(c.match)}: ${detail}`;
  if (c.messages) {
    // The server reports `<policy description>\n<message>`; compare the control's own message.
    const got = mandatory.map((d) => d.message.slice(d.message.indexOf("\n") + 1)).sort();
    const want = [...c.messages].sort();
    if (JSON.stringify(got) !== JSON.stringify(want))
      return `expected exactly the messages ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
  }
  if (c.on) {
    const target = c.stack?.find((r) => r.name === c.on);
    if (!target) return `no resource named ${c.on} in the stack`;
    const urn = target.urn ?? `urn:pulumi:test::platform::${target.type}::${target.name}`;
    if (!mandatory.some((d) => d.urn === urn)) return `no finding on ${c.on}: ${detail}`;
  }
  return undefined;
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
        const failure = caseFailure(c, diags);
        assert.ok(failure === undefined, failure);
        record(controlId, c.cloud, c.expect);
      });
    }
  });
}
