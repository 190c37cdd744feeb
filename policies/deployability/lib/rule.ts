/**
 * The deployability rule model: a rule names what a cloud refuses at apply time, the documentation it
 * comes from (with the sentence that says so), and checks it per resource (during `analyze`) or across
 * the stack (during `analyzeStack`, where dependencies are known). Rules are plain data plus pure
 * functions, so the pack, the catalog tool, the lead's `deployabilityFindings` and the tests share them
 * without starting the policy pack's gRPC server.
 *
 * Shared with the compliance pack: property access (`../../lib/props`), links between resources and the
 * unknown-value handling (`../../lib/checks`), subjects built from what the policy server hands over
 * (`../../lib/engine`).
 */
import type {
  Policies,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { subjectFromArgs, subjectFromResource } from "../../lib/engine";
import { isUnknownValueError } from "../../lib/props";
import type { Cloud, Finding, Subject } from "../../lib/types";

export type { Cloud, Finding, Subject };

/** Which kind of apply-time failure a rule prevents. */
export type RuleCategory = "names" | "topology" | "ordering" | "reachability";

/** A documentation page a rule encodes, and the sentence of it that states the limit. */
export interface Source {
  readonly url: string;
  /** What the page says (short quote or close paraphrase of the limit). */
  readonly quote: string;
}

/** Returns the violation messages for one resource (empty when it deploys). */
export type RuleResourceCheck = (props: Record<string, unknown>, subject: Subject) => string[];

export interface RuleStackContext {
  /** Records that a value needed for a verdict is unknown during preview (see `known` in lib/checks.ts). */
  readonly onUnknown: (e: unknown) => void;
}

export type RuleStackCheck = (subjects: readonly Subject[], ctx: RuleStackContext) => Finding[];

export interface Rule {
  /** Policy name, kebab-case, named by what it requires. */
  readonly id: string;
  readonly title: string;
  readonly category: RuleCategory;
  readonly severity: "critical" | "high" | "medium" | "low";
  /** What the cloud refuses (or breaks) when `pulumi up` runs. */
  readonly refuses: string;
  readonly remediation: string;
  /** Documentation the rule encodes (every URL a finding may cite). */
  readonly sources: readonly Source[];
  /** Per-resource checks by cloud and type token (run by `analyze`). */
  readonly resources?: Partial<Record<Cloud, Record<string, RuleResourceCheck>>>;
  /** Cross-resource check (makes the rule a stack policy, run by `analyzeStack`). */
  readonly stack?: RuleStackCheck;
  /** Types the stack check inspects, per cloud (catalog and test coverage). */
  readonly stackTypes?: Partial<Record<Cloud, readonly string[]>>;
}

/** Clouds a rule covers (every cloud it has a resource check or stack types for). */
export function cloudsOf(rule: Rule): Cloud[] {
  const out = new Set<Cloud>();
  for (const [cloud, byType] of Object.entries(rule.resources ?? {}))
    if (Object.keys(byType ?? {}).length > 0) out.add(cloud as Cloud);
  for (const [cloud, types] of Object.entries(rule.stackTypes ?? {}))
    if ((types ?? []).length > 0) out.add(cloud as Cloud);
  return [...out].sort();
}

/** Types a rule inspects, per cloud. */
export function typesOf(rule: Rule): Partial<Record<Cloud, string[]>> {
  const out: Partial<Record<Cloud, string[]>> = {};
  for (const cloud of cloudsOf(rule)) {
    out[cloud] = [
      ...new Set([...Object.keys(rule.resources?.[cloud] ?? {}), ...(rule.stackTypes?.[cloud] ?? [])]),
    ].sort();
  }
  return out;
}

function checkOf(rule: Rule, type: string): RuleResourceCheck | undefined {
  for (const byType of Object.values(rule.resources ?? {})) {
    const check = byType?.[type];
    if (check) return check;
  }
  return undefined;
}

export interface RuleEvaluation {
  readonly findings: Finding[];
  readonly firstUnknown?: Error;
}

function findingsOf(subject: Subject, messages: readonly string[]): Finding[] {
  return messages.map((message) => ({ urn: subject.urn, name: subject.name, type: subject.type, message }));
}

/** Runs one rule's resource checks on one resource. Unknown values throw (the server's advisory result). */
export function evaluateResource(rule: Rule, subject: Subject): Finding[] {
  const check = checkOf(rule, subject.type);
  return check ? findingsOf(subject, check(subject.props, subject)) : [];
}

/** Runs one rule's stack check over all resources of a stack (resource checks run in `analyze`). */
export function evaluateStack(rule: Rule, subjects: readonly Subject[]): RuleEvaluation {
  if (!rule.stack) return { findings: [] };
  let firstUnknown: Error | undefined;
  const onUnknown = (e: unknown) => {
    firstUnknown ??= e as Error;
  };
  try {
    const findings = rule.stack(subjects, { onUnknown });
    return firstUnknown ? { findings, firstUnknown } : { findings };
  } catch (e) {
    if (!isUnknownValueError(e)) throw e;
    return { findings: [], firstUnknown: e as Error };
  }
}

function base(rule: Rule) {
  return {
    name: rule.id,
    description: rule.title,
    displayName: rule.title,
    enforcementLevel: "mandatory" as const,
    severity: rule.severity,
    remediationSteps: `${rule.remediation}\nSources: ${rule.sources.map((s) => s.url).join(" ")}`,
    tags: ["deployability", rule.category],
  };
}

/** A rule as a `@pulumi/policy` policy. */
export function policyOf(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
  if (rule.stack) {
    return {
      ...base(rule),
      validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const { findings, firstUnknown } = evaluateStack(rule, args.resources.map(subjectFromResource));
        for (const f of findings) report(f.message, f.urn);
        // Certain findings are reported above; a value unknown during preview then yields the server's
        // advisory "can't run policy during preview" result rather than a silent pass.
        if (firstUnknown) throw firstUnknown;
      },
    };
  }
  return {
    ...base(rule),
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
      if (!checkOf(rule, args.type)) return;
      for (const f of evaluateResource(rule, subjectFromArgs(args))) report(f.message);
    },
  };
}

export function packPolicies(rules: readonly Rule[]): Policies {
  return rules.map(policyOf);
}
