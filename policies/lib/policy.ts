/** Turns controls into `@pulumi/policy` policies, and defines the two advisory waiver-reporting policies. */
import type {
  Policies,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import {
  formatUnusedWaiver,
  formatWaivedFinding,
  unusedWaiversPolicy,
  waivedFindingsPolicy,
} from "../findings";
import {
  applyWaivers,
  checkContext,
  checkFor,
  evaluateControl,
  findingsOf,
  outOfScope,
  subjectFromArgs,
  stackRoles,
  subjectFromResource,
  waiverCovers,
} from "./engine";
import "./sdk-fastpath";
import { parseSettings, settingsSchema } from "./settings";
import { defaultEnforcement, frameworkIds, type Control } from "./types";

function tagsOf(control: Control): string[] {
  return [control.category, ...frameworkIds.filter((f) => control.frameworks[f].length > 0)];
}

function base(control: Control) {
  return {
    name: control.id,
    description: control.title,
    displayName: control.title,
    enforcementLevel: defaultEnforcement(control),
    severity: control.severity,
    configSchema: settingsSchema,
    remediationSteps: control.remediation.join("\n"),
    tags: tagsOf(control),
  };
}

function resourcePolicy(control: Control): ResourceValidationPolicy {
  const validateResource = (args: ResourceValidationArgs, report: ReportViolation): void => {
    const settings = parseSettings(control.id, args.getConfig<Record<string, unknown>>());
    const check = checkFor(control, args.type);
    if (!check) return;
    const reason = outOfScope(control, settings);
    if (reason) args.notApplicable(reason);
    const subject = subjectFromArgs(args);
    const findings = findingsOf(subject, check(subject.props, checkContext(settings, subject)));
    for (const f of applyWaivers(control.id, findings, settings).reported) report(f.message);
  };
  const policy: ResourceValidationPolicy = { ...base(control), validateResource };
  const remediate = control.remediate;
  if (remediate) {
    policy.remediateResource = (args: ResourceValidationArgs) => {
      const settings = parseSettings(control.id, args.getConfig<Record<string, unknown>>());
      if (!checkFor(control, args.type) || outOfScope(control, settings)) return undefined;
      const subject = subjectFromArgs(args);
      return remediate(args.props, checkContext(settings, subject)) ? args.props : undefined;
    };
  }
  return policy;
}

function stackPolicy(control: Control): StackValidationPolicy {
  return {
    ...base(control),
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const settings = parseSettings(control.id, args.getConfig<Record<string, unknown>>());
      const reason = outOfScope(control, settings);
      if (reason) args.notApplicable(reason);
      const subjects = args.resources.map(subjectFromResource);
      const evaluation = evaluateControl(control, subjects, settings);
      for (const f of applyWaivers(control.id, evaluation.findings, settings, stackRoles(subjects)).reported)
        report(f.message, f.urn);
      // Findings that are certain are reported above; a value unknown during preview then yields the
      // server's advisory "can't run policy during preview" result rather than a silent pass.
      if (evaluation.firstUnknown) throw evaluation.firstUnknown;
    },
  };
}

export function policyOf(control: Control): ResourceValidationPolicy | StackValidationPolicy {
  return control.stack ? stackPolicy(control) : resourcePolicy(control);
}

function reportingBase(name: string, description: string) {
  return {
    name,
    description,
    displayName: description,
    enforcementLevel: "advisory" as const,
    severity: "low" as const,
    configSchema: settingsSchema,
    tags: ["governance", "waivers"],
  };
}

/** Advisory stack policy: one violation per finding a valid waiver suppressed. */
export function waivedFindingsPolicyOf(controls: readonly Control[]): StackValidationPolicy {
  return {
    ...reportingBase(waivedFindingsPolicy, "Findings suppressed by a waiver"),
    validateStack: (args, report) => {
      const settings = parseSettings(waivedFindingsPolicy, args.getConfig<Record<string, unknown>>());
      if (settings.waivers.length === 0) args.notApplicable("no waivers configured");
      const subjects = args.resources.map(subjectFromResource);
      const roleOf = stackRoles(subjects);
      for (const control of controls) {
        if (outOfScope(control, settings) || !settings.waivers.some((w) => w.control === control.id))
          continue;
        const { findings } = evaluateControl(control, subjects, settings);
        for (const { finding, waiver } of applyWaivers(control.id, findings, settings, roleOf).waived) {
          report(formatWaivedFinding(control.id, finding.message, waiver), finding.urn || undefined);
        }
      }
    },
  };
}

/** Advisory stack policy: one violation per waiver that matches no finding. */
export function unusedWaiversPolicyOf(controls: readonly Control[]): StackValidationPolicy {
  return {
    ...reportingBase(unusedWaiversPolicy, "Waivers that match no finding"),
    validateStack: (args, report) => {
      const settings = parseSettings(unusedWaiversPolicy, args.getConfig<Record<string, unknown>>());
      if (settings.waivers.length === 0) args.notApplicable("no waivers configured");
      const subjects = args.resources.map(subjectFromResource);
      const byId = new Map(controls.map((c) => [c.id, c]));
      const roleOf = stackRoles(subjects);
      const evaluations = new Map<string, ReturnType<typeof evaluateControl>>();
      for (const waiver of settings.waivers) {
        const control = byId.get(waiver.control);
        let used = false;
        if (control && !outOfScope(control, settings)) {
          let evaluation = evaluations.get(control.id);
          if (!evaluation) {
            evaluation = evaluateControl(control, subjects, settings);
            evaluations.set(control.id, evaluation);
          }
          used =
            evaluation.findings.some((f) => waiverCovers(waiver, f, roleOf)) ||
            // A resource whose check could not run during preview may still need the waiver.
            subjects.some((s) => evaluation!.unknownUrns.has(s.urn) && waiverCovers(waiver, s, roleOf));
        }
        if (!used) report(formatUnusedWaiver(waiver));
      }
    },
  };
}

export function packPolicies(controls: readonly Control[]): Policies {
  return [...controls.map(policyOf), waivedFindingsPolicyOf(controls), unusedWaiversPolicyOf(controls)];
}
