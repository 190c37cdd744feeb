/**
 * The gate's data model: one normalized resource list whatever the input (mock-harness plan, `pulumi
 * preview --json`, `pulumi stack export`), and the findings the policy pack reported about it.
 */

/** A property bag in wire form: secrets as `{ [sigKey]: secretSig, value }`, unknowns as the sentinel. */
export type WireProps = Record<string, unknown>;

/** Where a resource comes from in the repository, when known. */
export interface SourceLocation {
  /** Path relative to the source root, with forward slashes. */
  readonly file: string;
  readonly line?: number;
}

/** One resource as the engine hands it to an analyzer. */
export interface GateResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** Parent URN, "" for the stack. */
  readonly parent: string;
  /** Provider reference `<provider urn>::<id>`, "" when none. */
  readonly provider: string;
  /** What `analyze` sees (the resource inputs). */
  readonly inputs: WireProps;
  /** What `analyzeStack` sees (outputs when the input has them, else inputs). */
  readonly state: WireProps;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly protect: boolean;
  readonly ignoreChanges: readonly string[];
  /** `undefined` when the input does not say (the engine then marks it as not defined). */
  readonly deleteBeforeReplace: boolean | undefined;
  readonly additionalSecretOutputs: readonly string[];
  readonly aliases: readonly string[];
  readonly customTimeouts: { readonly create: number; readonly update: number; readonly delete: number };
  readonly source?: SourceLocation;
}

export type InputKind = "stack" | "preview" | "state";

/**
 * Something an offline input cannot carry that the engine would have, or a part of the input the gate
 * does not judge (as the engine does not): stated in every output format rather than guessed.
 */
export interface Notice {
  /** Stable id, e.g. `partial-preview`, `read-resources`, `secret-placeholders`, `stack-phase-inputs`. */
  readonly code: string;
  readonly message: string;
}

/** The normalized input of one gate run. */
export interface GateInput {
  readonly kind: InputKind;
  /** The file or stack the resources came from (for messages and reports). */
  readonly origin: string;
  readonly project: string;
  readonly stack: string;
  /** Stack config (`<namespace>:<key>` → text), secrets as "[secret]"; empty when unknown. */
  readonly config: Readonly<Record<string, string>>;
  readonly resources: readonly GateResource[];
  /** The stack config file, relative to the source root, when known (SARIF locations). */
  readonly configFile?: string;
  /** Config keys whose values are secrets (sent to the pack's ConfigureStack as the CLI does). */
  readonly configSecretKeys?: readonly string[];
  /** Stack tags as the CLI would pass them to ConfigureStack (what an offline run can know). */
  readonly tags?: Readonly<Record<string, string>>;
  /** What the input cannot carry, or what the gate skipped as the engine does. */
  readonly notices?: readonly Notice[];
}

/** The policy config a run used, stated in every output format. */
export interface PolicyConfigUsed {
  /**
   * Where it came from: `derived from Pulumi.prod.yaml`, a file given with `--policy-config`,
   * `policies/config/dev.json (--environment dev)`, or `pack defaults`.
   */
  readonly source: string;
  /** The `environment` setting the compliance pack ran with ("" when the config does not set it). */
  readonly environment: string;
  /** Whether the compliance pack judged the stack as production. */
  readonly production: boolean;
  readonly frameworks: readonly string[];
  /** The recovery objectives the pack checked the stack against (its `recovery` setting), when set. */
  readonly recovery?: { readonly rpoMinutes: number; readonly rtoMinutes: number };
}

/** A policy pack the run used. */
export interface PackUsed {
  readonly name: string;
  readonly version: string;
  /** Pack directory relative to the repository root (or absolute when outside it). */
  readonly dir: string;
  /** Where its policy config came from. */
  readonly policyConfig: string;
}

export type Enforcement = "advisory" | "mandatory" | "remediate" | "disabled";
export type Severity = "critical" | "high" | "medium" | "low";

export const frameworkNames = {
  soc2: "SOC 2",
  iso27001: "ISO/IEC 27001:2022",
  pciDss: "PCI DSS v4.0",
  gdpr: "GDPR",
  lfpdppp: "LFPDPPP",
  cis: "CIS Benchmarks",
} as const;
export type FrameworkId = keyof typeof frameworkNames;
export const frameworkIds = Object.keys(frameworkNames) as FrameworkId[];

/** What the gate knows about a control (policy name == control id). */
export interface ControlInfo {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly category: string;
  /** Enforcement level in effect for this run (after the policy config). */
  readonly enforcement: Enforcement;
  readonly rationale: string;
  readonly remediation: readonly string[];
  readonly frameworks: Readonly<Partial<Record<FrameworkId, readonly string[]>>>;
  /** Resource types the control checks (from the catalog), empty when unknown. */
  readonly resourceTypes: readonly string[];
  readonly stackLevel: boolean;
}

/**
 * `violation`: a control reported a problem (mandatory or advisory, by its enforcement);
 * `waived`: a violation an approved, unexpired waiver covers (never fails the gate);
 * `unused-waiver`: a waiver that matched nothing;
 * `preview-unknown`: the pack could not decide because a value is only known after deployment;
 * `remediated`: a policy at `remediate` changed the resource's inputs (as `pulumi preview` does before it
 * analyzes them); the message names the properties it changed.
 */
export type FindingKind = "violation" | "waived" | "unused-waiver" | "preview-unknown" | "remediated";

export interface Waiver {
  readonly reason: string;
  readonly approvedBy: string;
  readonly expires: string;
}

export interface Finding {
  readonly kind: FindingKind;
  readonly control: string;
  readonly enforcement: Enforcement;
  readonly severity: Severity;
  /** The URN of the resource, "" for stack-wide findings. */
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The violation text without the policy's description line. */
  readonly message: string;
  /** For waived findings: the waiver; for violations whose waiver expired: the expired waiver. */
  readonly waiver?: Waiver;
  readonly expiredWaiver?: { readonly expires: string; readonly reason: string };
  /** The policy that reported it (differs from `control` for waiver reports). */
  readonly policy: string;
  /** The policy pack that reported it. */
  readonly pack?: string;
}

export interface Coverage {
  /** Custom (cloud) resources evaluated. */
  readonly evaluated: number;
  /** Types no control covers, with their resource count. */
  readonly notCovered: ReadonlyArray<{ readonly type: string; readonly count: number }>;
  readonly notCoveredResources: number;
}

export interface Totals {
  readonly resources: number;
  readonly mandatory: number;
  readonly advisory: number;
  readonly waived: number;
  readonly unusedWaivers: number;
  readonly previewUnknown: number;
  readonly remediated: number;
}

export interface GateResult {
  readonly input: GateInput;
  /** The first pack (the compliance pack by default); `packs` lists every pack that ran. */
  readonly pack: { readonly name: string; readonly version: string };
  readonly packs: readonly PackUsed[];
  /** The compliance pack's policy config: source, environment, production, frameworks. */
  readonly policyConfig: PolicyConfigUsed;
  /** What the offline verdict could not cover for this input (see `Notice`). */
  readonly notices: readonly Notice[];
  readonly controls: readonly ControlInfo[];
  readonly findings: readonly Finding[];
  readonly coverage: Coverage;
  readonly totals: Totals;
  readonly durationMs: number;
}
