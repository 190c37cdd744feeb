/**
 * Name rules as each cloud documents them (not as the program chooses to name things: the program's own
 * rules in components/naming.ts are stricter, and a test keeps the two in agreement). A spec is checked
 * character by character so a finding says exactly what is wrong.
 */
import { get } from "../../lib/props";
import type { RuleResourceCheck, Source } from "./rule";

export interface NameSpec {
  /** What is named, for messages ("S3 bucket name"). */
  readonly what: string;
  readonly minLength: number;
  readonly maxLength: number;
  /** Characters allowed anywhere (tested one by one), and how to say it in a message. */
  readonly allowed: RegExp;
  readonly allowedText: string;
  /** Allowed first / last characters (optional). */
  readonly first?: RegExp;
  readonly firstText?: string;
  readonly last?: RegExp;
  readonly lastText?: string;
  /** Two hyphens in a row are refused. */
  readonly noConsecutiveHyphens?: boolean;
  /** Other refused shapes: pattern -> reason. */
  readonly refused?: readonly { readonly pattern: RegExp; readonly reason: string }[];
  /** Text removed from the front before checking (e.g. "alias/" for KMS aliases, which must start with it). */
  readonly requiredPrefix?: string;
  readonly source: Source;
}

/** What is wrong with `name` under `spec` (every problem), or [] when the cloud accepts it. */
export function nameProblems(spec: NameSpec, name: string): string[] {
  const out: string[] = [];
  let body = name;
  if (spec.requiredPrefix !== undefined) {
    if (!name.startsWith(spec.requiredPrefix)) out.push(`must start with '${spec.requiredPrefix}'`);
    else body = name.slice(spec.requiredPrefix.length);
  }
  const length = [...name].length;
  if (length < spec.minLength || length > spec.maxLength)
    out.push(`length ${length}, allowed ${spec.minLength}-${spec.maxLength}`);
  const bad = [...new Set([...body].filter((ch) => !spec.allowed.test(ch)))];
  if (bad.length > 0)
    out.push(
      `character${bad.length > 1 ? "s" : ""} ${bad.map((c) => `'${c}'`).join(", ")} not allowed (${spec.allowedText})`,
    );
  if (spec.first && body !== "" && !spec.first.test(body[0]!))
    out.push(`cannot start with '${body[0]}' (${spec.firstText ?? "first character"})`);
  if (spec.last && body !== "" && !spec.last.test(body[body.length - 1]!))
    out.push(`cannot end with '${body[body.length - 1]}' (${spec.lastText ?? "last character"})`);
  if (spec.noConsecutiveHyphens && body.includes("--")) out.push("contains consecutive hyphens");
  for (const r of spec.refused ?? []) if (r.pattern.test(name)) out.push(r.reason);
  return out;
}

/** One finding message for a name that breaks its spec. */
export function nameMessage(
  spec: NameSpec,
  property: string,
  name: string,
  problems: readonly string[],
): string {
  return `${spec.what} '${name}' (${property}) is refused by the cloud: ${problems.join("; ")}. Source: ${spec.source.url}`;
}

/**
 * A resource check for named properties: each `property` holding a name is read through the policy
 * server's proxy (an unknown name yields the advisory "can't run during preview" result) and checked.
 * Unset properties pass (the provider then auto-names within the limits).
 */
export function nameCheck(properties: Readonly<Record<string, NameSpec>>): RuleResourceCheck {
  return (props) => {
    const out: string[] = [];
    for (const [property, spec] of Object.entries(properties)) {
      const value = get(props, property);
      if (typeof value !== "string") continue;
      const problems = nameProblems(spec, value);
      if (problems.length > 0) out.push(nameMessage(spec, property, value, problems));
    }
    return out;
  };
}
