/**
 * The control model: what a control declares (metadata that becomes the catalog) and how it checks
 * resources. Controls are plain data plus pure functions, so the pack, the catalog tool, the offline
 * gate and the tests all use the same objects without starting the policy pack's gRPC server.
 */
import type { EnforcementLevel } from "@pulumi/policy";
import type { PackSettings } from "./settings";

export const clouds = ["aws", "azure", "gcp", "kubernetes"] as const;
export type Cloud = (typeof clouds)[number];

export const frameworkIds = ["soc2", "iso27001", "pciDss", "gdpr", "lfpdppp", "cis"] as const;
export type FrameworkId = (typeof frameworkIds)[number];

export type Severity = "critical" | "high" | "medium" | "low";

export type Category =
  "data-protection" | "exposure" | "resilience" | "logging" | "identity" | "governance" | "kubernetes";

/**
 * `security` controls stay mandatory in every environment; `resilience` controls may be advisory outside
 * production (the generated dev config does that); `reporting` policies are always advisory.
 */
export type ControlKind = "security" | "resilience" | "reporting";

export type FrameworkMap = Record<FrameworkId, string[]>;

/** A resource as a check sees it: the same shape for `analyze` (inputs) and `analyzeStack` (outputs). */
export interface Subject {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** Properties as the policy server hands them over: unknown values throw when read. */
  readonly props: Record<string, unknown>;
  readonly protect: boolean;
  readonly provider?: {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Record<string, unknown>;
  };
  readonly parent?: string;
  /** URNs this resource depends on, per input property (stack analysis only; empty during `analyze`). */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly dependencies: readonly string[];
}

export interface CheckContext {
  readonly settings: PackSettings;
  readonly production: boolean;
  readonly subject: Subject;
}

/** Returns the violation messages for one resource (empty when compliant). */
export type ResourceCheck = (props: Record<string, unknown>, ctx: CheckContext) => string[];

export interface Finding {
  readonly urn: string;
  readonly name: string;
  readonly type: string;
  readonly message: string;
}

export interface StackContext {
  readonly settings: PackSettings;
  readonly production: boolean;
  /** Records that a value needed for a verdict is unknown during preview (see `known` in lib/checks.ts). */
  readonly onUnknown: (e: unknown) => void;
}

export type StackCheck = (subjects: readonly Subject[], ctx: StackContext) => Finding[];

export interface ControlMetadata {
  /** Policy name, kebab-case, named by what it requires. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly category: Category;
  readonly kind: ControlKind;
  readonly rationale: string;
  readonly remediation: readonly string[];
  readonly frameworks: FrameworkMap;
  /** Mapping notes where a framework reference is uncertain or deliberately left out. */
  readonly uncertain: readonly string[];
  /** Only evaluated when the configured environment is a production one. */
  readonly productionOnly?: boolean;
  /** Default enforcement when it differs from the kind's default. */
  readonly enforcement?: EnforcementLevel;
}

export interface Control extends ControlMetadata {
  /** Per-resource checks by cloud and type token. */
  readonly resources: Partial<Record<Cloud, Record<string, ResourceCheck>>>;
  /** Cross-resource check; its presence makes the control a stack policy. */
  readonly stack?: StackCheck;
  /** Types the stack check inspects, per cloud (for the catalog). */
  readonly stackTypes?: Partial<Record<Cloud, readonly string[]>>;
  /** Safe in-place fix used when the control runs with enforcement level `remediate`. */
  readonly remediate?: (props: Record<string, unknown>, ctx: CheckContext) => boolean;
}

export function defaultEnforcement(control: ControlMetadata): EnforcementLevel {
  if (control.enforcement) return control.enforcement;
  return control.kind === "reporting" ? "advisory" : "mandatory";
}

/** Cloud of a type token, from its package prefix. */
export function cloudOf(type: string): Cloud | undefined {
  const pkg = type.split(":")[0];
  switch (pkg) {
    case "aws":
      return "aws";
    case "azure-native":
      return "azure";
    case "gcp":
      return "gcp";
    case "kubernetes":
      return "kubernetes";
    default:
      return undefined;
  }
}
