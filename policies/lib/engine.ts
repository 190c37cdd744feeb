/**
 * Evaluating controls: building subjects from what the policy server passes, running resource and stack
 * checks, scoping by framework and environment, and applying waivers. Pure functions; the pack's policies
 * (lib/policy.ts) and the reporting policies call them.
 */
import type { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import { formatExpiredWaiver } from "../findings";
import { isUnknownValueError } from "./props";
import { isAwsAccessLogTarget, isAwsAuditTrailTarget } from "./checks";
import { isProduction, type PackSettings, type Waiver, type WaiverRole } from "./settings";
import type { CheckContext, Control, Finding, ResourceCheck, Subject } from "./types";

export function subjectFromArgs(args: ResourceValidationArgs): Subject {
  return {
    type: args.type,
    name: args.name,
    urn: args.urn,
    props: args.props,
    protect: args.opts.protect === true,
    ...(args.provider ? { provider: { ...args.provider } } : {}),
    ...(args.opts.parent ? { parent: args.opts.parent } : {}),
    propertyDependencies: {},
    dependencies: [],
  };
}

export function subjectFromResource(r: PolicyResource): Subject {
  const propertyDependencies: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(r.propertyDependencies)) propertyDependencies[k] = v.map((d) => d.urn);
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: r.props,
    protect: r.opts.protect === true,
    ...(r.provider ? { provider: { ...r.provider } } : {}),
    ...(r.parent ? { parent: r.parent.urn } : {}),
    propertyDependencies,
    dependencies: r.dependencies.map((d) => d.urn),
  };
}

const checkIndex = new WeakMap<Control, Map<string, ResourceCheck>>();

/** The control's check for a resource type, if it has one. */
export function checkFor(control: Control, type: string): ResourceCheck | undefined {
  let index = checkIndex.get(control);
  if (!index) {
    index = new Map();
    for (const byType of Object.values(control.resources)) {
      for (const [t, check] of Object.entries(byType ?? {})) index.set(t, check);
    }
    checkIndex.set(control, index);
  }
  return index.get(type);
}

/** Why a control does not run with these settings, or undefined when it runs. */
export function outOfScope(control: Control, settings: PackSettings): string | undefined {
  const mapped = settings.frameworks.some((f) => control.frameworks[f].length > 0);
  if (!mapped) return `control maps to none of the frameworks in scope (${settings.frameworks.join(", ")})`;
  if (control.productionOnly && !isProduction(settings)) {
    return `control applies to production environments only (environment: ${settings.environment})`;
  }
  return undefined;
}

export function checkContext(settings: PackSettings, subject: Subject): CheckContext {
  return { settings, production: isProduction(settings), subject };
}

export function findingsOf(subject: Subject, messages: readonly string[]): Finding[] {
  return messages.map((message) => ({ urn: subject.urn, name: subject.name, type: subject.type, message }));
}

export interface Evaluation {
  readonly findings: Finding[];
  /** URNs whose check could not run because a value is unknown during preview. */
  readonly unknownUrns: Set<string>;
  readonly firstUnknown?: Error;
}

/** Runs every check of a control over all resources of a stack. */
export function evaluateControl(
  control: Control,
  subjects: readonly Subject[],
  settings: PackSettings,
): Evaluation {
  const findings: Finding[] = [];
  const unknownUrns = new Set<string>();
  let firstUnknown: Error | undefined;
  for (const subject of subjects) {
    const check = checkFor(control, subject.type);
    if (!check) continue;
    try {
      findings.push(...findingsOf(subject, check(subject.props, checkContext(settings, subject))));
    } catch (e) {
      if (!isUnknownValueError(e)) throw e;
      unknownUrns.add(subject.urn);
      firstUnknown ??= e as Error;
    }
  }
  if (control.stack) {
    try {
      const onUnknown = (e: unknown) => {
        firstUnknown ??= e as Error;
      };
      findings.push(...control.stack(subjects, { settings, production: isProduction(settings), onUnknown }));
    } catch (e) {
      if (!isUnknownValueError(e)) throw e;
      firstUnknown ??= e as Error;
    }
  }
  return firstUnknown ? { findings, unknownUrns, firstUnknown } : { findings, unknownUrns };
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

/**
 * The role of each resource in a stack that a waiver can name (settings.ts `waiverRoles`), read from the
 * resources around it. Undefined during `analyze`, which sees one resource: a waiver with a role then
 * matches nothing there (the stack phase, which sees the whole stack, decides).
 */
export type RoleOf = (urn: string) => ReadonlySet<WaiverRole>;

export function stackRoles(subjects: readonly Subject[]): RoleOf {
  const cache = new Map<string, Set<WaiverRole>>();
  const byUrn = new Map(subjects.map((s) => [s.urn, s]));
  return (urn) => {
    let roles = cache.get(urn);
    if (!roles) {
      roles = new Set();
      const subject = byUrn.get(urn);
      if (subject && isAwsAccessLogTarget(subjects, subject)) roles.add("access-log-target");
      if (subject && isAwsAuditTrailTarget(subjects, subject)) roles.add("audit-trail-target");
      cache.set(urn, roles);
    }
    return roles;
  };
}

/** What the waiver applies to, for messages: `type <t>, role <r>, resource <pattern>`. */
export function waiverSubject(waiver: Waiver): string {
  return [
    waiver.type !== undefined ? `type ${waiver.type}` : "",
    waiver.role !== undefined ? `role ${waiver.role}` : "",
    waiver.resource !== undefined ? waiver.resource : "",
  ]
    .filter(Boolean)
    .join(", ");
}

/** True when the waiver designates this resource: every selector it gives (resource, type, role) matches. */
export function waiverCovers(
  waiver: Waiver,
  finding: { readonly urn: string; readonly name: string; readonly type: string },
  roleOf?: RoleOf,
): boolean {
  if (waiver.resource !== undefined) {
    const re = globToRegExp(waiver.resource);
    const ok = waiver.resource.startsWith("urn:")
      ? re.test(finding.urn)
      : re.test(finding.name) || re.test(finding.urn);
    if (!ok) return false;
  }
  if (waiver.type !== undefined && !globToRegExp(waiver.type).test(finding.type)) return false;
  if (waiver.role !== undefined && !(roleOf?.(finding.urn).has(waiver.role) ?? false)) return false;
  return true;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function isExpired(waiver: Waiver, on: string = today()): boolean {
  return waiver.expires < on;
}

export interface WaiverMatch {
  readonly finding: Finding;
  readonly waiver: Waiver;
}

export interface WaiverOutcome {
  /** What the control reports: unwaived findings, and expired-waiver findings with their suffix. */
  readonly reported: Finding[];
  readonly waived: WaiverMatch[];
  readonly expired: WaiverMatch[];
}

/** Splits a control's findings into reported, waived and expired-waiver ones. */
export function applyWaivers(
  controlId: string,
  findings: readonly Finding[],
  settings: PackSettings,
  roleOf?: RoleOf,
): WaiverOutcome {
  const reported: Finding[] = [];
  const waived: WaiverMatch[] = [];
  const expired: WaiverMatch[] = [];
  const now = today();
  const candidates = settings.waivers.filter((w) => w.control === controlId);
  for (const finding of findings) {
    const matching = candidates.filter((w) => waiverCovers(w, finding, roleOf));
    const valid = matching.find((w) => !isExpired(w, now));
    if (valid) {
      waived.push({ finding, waiver: valid });
    } else if (matching.length > 0) {
      const w = matching[0]!;
      expired.push({ finding, waiver: w });
      reported.push({ ...finding, message: formatExpiredWaiver(finding.message, w) });
    } else {
      reported.push(finding);
    }
  }
  return { reported, waived, expired };
}
