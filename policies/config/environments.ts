/**
 * The pack's settings for a stack, derived from what the stack says about itself (never hand-copied):
 * its environment name, whether it is production, its compliance frameworks, the classification of the
 * data it holds and the regions it may place that data in. The offline gate derives these facts from a
 * stack's validated config (`npm run gate -- --stack <name>`; `npm run policy-config -- --stack <name>`
 * writes the same as a `--policy-pack-config` file for `pulumi preview`).
 *
 * `profiles` are the two generic environments (`dev`: not production, `prod`: production, every framework
 * in scope) from which `npm run catalog` generates policies/config/<profile>.json, for judging a
 * `pulumi preview --json` or `pulumi stack export` document of a program that has no stack file here
 * (`--environment dev|prod`). Edit here, then regenerate; a test fails while the JSON files are stale.
 *
 * This module imports no program code (policies stand alone): the facts are plain data.
 */
import type { EnforcementLevel } from "@pulumi/policy";
import { euEeaRegions, mexicoRegions } from "../lib/regions";
import { defaultSettings, type PackSettings, type RecoverySettings, type Waiver } from "../lib/settings";
import { frameworkIds, type ControlMetadata, type FrameworkId } from "../lib/types";

/** What a stack says about itself, as far as the policy pack is concerned. */
export interface StackFacts {
  /** The stack's environment name (its `environment` tag). */
  readonly environment: string;
  readonly production: boolean;
  /** Compliance frameworks the stack declares (`soc2`, `iso27001`, `pci-dss`/`pciDss`, `gdpr`, `lfpdppp`). */
  readonly frameworks: readonly string[];
  /** Highest classification of the data the stack holds (its `data-classification` tag). */
  readonly dataClassification?: string;
  /**
   * Every region (and multi-region location) the stack may place data of that classification in; empty
   * when the stack does not say (no residency restriction beyond the personal-data defaults).
   */
  readonly regions: readonly string[];
  /** The clouds of the stack's sites, `primary>secondary` (e.g. `aws>azure`) or just the primary's. */
  readonly sites?: string;
  /** Declared recovery objectives (`platform:recovery`), when the stack has them. */
  readonly recovery?: RecoverySettings;
}

export interface EnvironmentConfig {
  readonly facts: StackFacts;
  readonly settings: PackSettings;
  /** Enforcement level of a control in this environment (undefined: the control's default). */
  readonly enforcement: (control: ControlMetadata) => EnforcementLevel | undefined;
}

/** Personal-data classifications and where they may live, whatever the stack (GDPR, LFPDPPP). */
const personalDataRegions: Readonly<Record<string, readonly string[]>> = {
  // GDPR: personal data of EU data subjects stays in the EU/EEA.
  personal: [...euEeaRegions],
  "personal-sensitive": [...euEeaRegions],
  // LFPDPPP: personal data collected in Mexico under a privacy notice that names these regions.
  "personal-mx": [...mexicoRegions, ...euEeaRegions],
};

/**
 * Waivers of this program, matched by what a resource is (its type and its role in the stack), so they
 * apply to every stack whose layout has such a resource, whatever its site or name.
 */
const productionWaivers: readonly Waiver[] = [
  {
    control: "enforce-storage-geo-redundancy",
    type: "aws:s3/bucket*",
    role: "access-log-target",
    reason:
      "S3 server-access-log buckets hold operational evidence kept 90 days (lifecycle rule), not business " +
      "data; the buckets they describe are replicated cross-region. Replicating each log bucket would need " +
      "a further log bucket for the replica's own access logs. Object-level API activity on the data bucket " +
      "is also recorded by the site's CloudTrail trail (S3 data events, providers/aws/governance.ts), but in " +
      "the same region: a regional loss of S3 loses both records.",
    approvedBy: "platform-team",
    expires: "2027-06-30",
  },
  {
    control: "enforce-storage-geo-redundancy",
    type: "aws:s3/bucket*",
    role: "audit-trail-target",
    reason:
      "The CloudTrail bucket holds the site's audit trail for 365 days under S3 Object Lock (COMPLIANCE) with " +
      "log file validation; a second copy of the same events is in the site's CloudWatch Logs group (365 " +
      "days). Both are in the site's region: a regional loss of S3 and CloudWatch loses the trail history " +
      "(the multi-region trail keeps recording from the next event on). Cross-region replication needs an " +
      "object-locked replica bucket with its own key, access logs and replication role: not built yet.",
    approvedBy: "platform-team",
    expires: "2027-06-30",
  },
];

/**
 * Waivers for resources the program builds on any stack that has them (production or not): matched by
 * type and name, so a stack without such a resource has nothing waived.
 */
const programWaivers: readonly (Waiver & { readonly sites: string })[] = [
  {
    control: "disallow-long-lived-access-keys",
    // Only AWS -> Azure replicates objects with Data Factory's S3 connector.
    sites: "aws>azure",
    // The read-only IAM user key Data Factory's Amazon S3 connector needs (AWS primary, Azure secondary).
    type: "aws:iam/accessKey:AccessKey",
    resource: "replication-objects-reader-key",
    reason:
      "Azure Data Factory's Amazon S3 connector accepts only an access key pair (no federation). The key " +
      "belongs to a dedicated user that may only read the data bucket, lives only in the secondary's " +
      "Key Vault (and Pulumi state as a secret), and is replaced by the first `pulumi up` of every " +
      "90-day period (replacementTrigger). Revisit when Storage Mover's federated S3 source is scheduled.",
    approvedBy: "platform-team",
    expires: "2027-06-30",
  },
  {
    control: "enforce-recovery-objectives",
    // Only Azure -> AWS has no object replication (components/replication.ts objectReplicationGap).
    sites: "azure>aws",
    type: "aws:s3/bucket*",
    reason:
      "No managed service copies Azure Blob into S3 with the site's storage settings: DataSync reads Azure " +
      "Blob only with a SAS token (https://docs.aws.amazon.com/datasync/latest/userguide/creating-azure-blob-location.html), " +
      "which the site's storage accounts refuse (shared-key access disabled), and pulumi-aws's " +
      "LocationAzureBlob requires agentArns (an agent VM this program does not run). The database is " +
      "replicated; objects written on the primary are lost with it until a copy path exists (README, Recovery).",
    approvedBy: "platform-team",
    expires: "2027-06-30",
  },
];

/** Stack framework names to the pack's framework ids. CIS (a technical baseline, not a framework a stack declares) is always in scope. */
export function frameworksOf(declared: readonly string[]): FrameworkId[] {
  const alias: Record<string, FrameworkId> = {
    "pci-dss": "pciDss",
    "iso-27001": "iso27001",
    "soc-2": "soc2",
  };
  const ids = new Set<FrameworkId>(["cis"]);
  for (const f of declared) {
    const id = (frameworkIds as readonly string[]).includes(f) ? (f as FrameworkId) : alias[f];
    if (!id) throw new Error(`unknown framework "${f}" (expected one of ${frameworkIds.join(", ")})`);
    ids.add(id);
  }
  return frameworkIds.filter((f) => ids.has(f));
}

/** The pack settings and enforcement levels of a stack. */
export function environmentFor(facts: StackFacts): EnvironmentConfig {
  const allowedRegions: Record<string, readonly string[]> = { ...personalDataRegions };
  const classification = facts.dataClassification?.toLowerCase();
  if (classification && facts.regions.length > 0 && !(classification in personalDataRegions)) {
    allowedRegions[classification] = [...new Set(facts.regions.map((r) => r.toLowerCase()))].sort();
  }
  const settings: PackSettings = {
    ...defaultSettings,
    environment: facts.environment,
    // The stack says whether it is production; the name decides nothing.
    productionEnvironments: facts.production ? [facts.environment] : [],
    frameworks: frameworksOf(facts.frameworks),
    allowedRegions,
    ...(facts.recovery
      ? { recovery: { rpoMinutes: facts.recovery.rpoMinutes, rtoMinutes: facts.recovery.rtoMinutes } }
      : {}),
    waivers: [
      ...(facts.production ? productionWaivers : []),
      ...programWaivers.filter((w) => w.sites === facts.sites).map(({ sites: _sites, ...w }) => w),
    ],
  };
  return {
    facts,
    settings,
    // Outside production, resilience controls are advisory; security controls stay mandatory everywhere.
    enforcement: (control) => (!facts.production && control.kind === "resilience" ? "advisory" : undefined),
  };
}

/** The generic environments policies/config/<name>.json is generated for (`--environment <name>`). */
export const profiles: Readonly<Record<string, EnvironmentConfig>> = {
  dev: environmentFor({ environment: "dev", production: false, frameworks: [...frameworkIds], regions: [] }),
  prod: environmentFor({ environment: "prod", production: true, frameworks: [...frameworkIds], regions: [] }),
};

/** Compatibility name: the profiles by environment. */
export const environments = profiles;

interface PolicyLike {
  readonly name: string;
  readonly enforcementLevel?: EnforcementLevel;
}

/**
 * The `--policy-pack-config` document of an environment for a pack's policies: the same settings under
 * every policy's key (each policy only sees its own config), plus the policy's enforcement level.
 */
export function policyConfigDocument(
  env: EnvironmentConfig,
  policies: readonly PolicyLike[],
  controls: readonly ControlMetadata[],
  defaultLevel: (control: ControlMetadata) => EnforcementLevel,
): Record<string, unknown> {
  const settings = JSON.parse(JSON.stringify(env.settings)) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const p of policies) {
    const control = controls.find((c) => c.id === p.name);
    const level = control
      ? (env.enforcement(control) ?? defaultLevel(control))
      : (p.enforcementLevel ?? "advisory");
    out[p.name] = { enforcementLevel: level, ...settings };
  }
  return out;
}
