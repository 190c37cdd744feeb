/**
 * Backups kept shorter than the vault's enforced minimum (or longer than its lock's maximum) are refused:
 * Google Cloud refuses a Backup and DR plan whose rule keeps backups less than the vault's minimum
 * enforced retention, and AWS Backup fails every backup and copy job whose lifecycle falls outside the
 * vault lock's minimum and maximum retention (the plan deploys; no recovery point is ever stored).
 */
import { finding } from "../../lib/checks";
import { list, peek, UNKNOWN } from "../../lib/props";
import { designates, knownString, ofTypes, propertyDeps } from "../lib/graph";
import type { Finding, Rule, Subject } from "../lib/rule";

const awsVaultTypes = ["aws:backup/vault:Vault"];
const awsLockTypes = ["aws:backup/vaultLockConfiguration:VaultLockConfiguration"];
const awsPlanTypes = ["aws:backup/plan:Plan"];
const gcpVaultTypes = ["gcp:backupdisasterrecovery/backupVault:BackupVault"];
const gcpPlanTypes = ["gcp:backupdisasterrecovery/backupPlan:BackupPlan"];

const awsSource = {
  url: "https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html",
  quote:
    "Minimum and maximum retention: if a backup or copy job's lifecycle retention is shorter than the vault lock's minimum retention period or longer than its maximum, the vault fails the job.",
};
const gcpSource = {
  url: "https://cloud.google.com/backup-disaster-recovery/docs/reference/rest/v1/projects.locations.backupPlans#BackupRule",
  quote:
    "backupRetentionDays: Required. Configures the duration for which backup data will be kept. The value should be greater than or equal to minimum enforced retention of the backup vault.",
};

interface Limits {
  readonly vault: Subject;
  readonly min: number | undefined;
  readonly max: number | undefined;
}

function numberAt(obj: unknown, path: string): number | undefined {
  const v = peek(obj, path);
  return typeof v === "number" ? v : undefined;
}

/** The lock limits of an AWS vault (undefined when it has no lock). */
function awsLimits(subjects: readonly Subject[], vault: Subject): Limits | undefined {
  const lock = ofTypes(subjects, awsLockTypes).find((l) => designates(l, "backupVaultName", vault, ["name"]));
  if (!lock) return undefined;
  return {
    vault,
    min: numberAt(lock.props, "minRetentionDays"),
    max: numberAt(lock.props, "maxRetentionDays"),
  };
}

/** What is wrong with keeping recovery points `days` (undefined: forever) in a vault with `limits`. */
function problem(days: number | undefined, limits: Limits): string | undefined {
  if (limits.min !== undefined && (days ?? Infinity) < limits.min)
    return `keeps recovery points ${days} days, less than the vault lock's minimum of ${limits.min}`;
  if (limits.max !== undefined && (days ?? Infinity) > limits.max)
    return `keeps recovery points ${days === undefined ? "forever" : `${days} days`}, more than the vault lock's maximum of ${limits.max}`;
  return undefined;
}

/**
 * The vaults a plan's rule may target: the one whose name/ARN the rule names when known, else every vault
 * the plan's rules depend on (during preview the name is an output of the vault).
 */
function targets(plan: Subject, vaults: readonly Subject[], value: unknown, key: "name" | "arn"): Subject[] {
  if (typeof value === "string" && value !== "") {
    return vaults.filter(
      (v) => knownString(v.props, key) === value || (key === "arn" && knownString(v.props, "arn") === value),
    );
  }
  const deps = propertyDeps(plan, "rules");
  return vaults.filter((v) => deps.includes(v.urn));
}

function checkAws(subjects: readonly Subject[]): Finding[] {
  const out: Finding[] = [];
  const vaults = ofTypes(subjects, awsVaultTypes);
  for (const plan of ofTypes(subjects, awsPlanTypes)) {
    const rules = peek(plan.props, "rules");
    if (rules === UNKNOWN) continue;
    for (const rule of list(rules)) {
      const checks: { days: number | undefined; candidates: Subject[]; what: string }[] = [
        {
          days: numberAt(rule, "lifecycle.deleteAfter"),
          candidates: targets(plan, vaults, peek(rule, "targetVaultName"), "name"),
          what: `rule '${knownString(rule, "ruleName") ?? "?"}'`,
        },
        ...list(peek(rule, "copyActions")).map((copy) => ({
          days: numberAt(copy, "lifecycle.deleteAfter"),
          candidates: targets(plan, vaults, peek(copy, "destinationVaultArn"), "arn"),
          what: `copy action of rule '${knownString(rule, "ruleName") ?? "?"}'`,
        })),
      ];
      for (const c of checks) {
        const limits = c.candidates
          .map((v) => awsLimits(subjects, v))
          .filter((l): l is Limits => l !== undefined);
        if (limits.length === 0) continue;
        const problems = limits.map((l) => problem(c.days, l));
        // Only what fails against every vault it may target (during preview the target can be ambiguous).
        if (problems.every((p) => p !== undefined)) {
          out.push(
            finding(
              plan,
              `${c.what} ${problems[0]!} (vault '${limits[0]!.vault.name}'): AWS Backup fails the job. Source: ${awsSource.url}`,
            ),
          );
        }
      }
    }
  }
  return out;
}

function checkGcp(subjects: readonly Subject[]): Finding[] {
  const out: Finding[] = [];
  for (const plan of ofTypes(subjects, gcpPlanTypes)) {
    const vault = ofTypes(subjects, gcpVaultTypes).find((v) =>
      designates(plan, "backupVault", v, ["backupVaultId", "name"]),
    );
    if (!vault) continue;
    const text = knownString(vault.props, "backupMinimumEnforcedRetentionDuration");
    const seconds = text === undefined ? undefined : Number(/^(\d+)(?:\.\d+)?s$/.exec(text)?.[1] ?? NaN);
    if (seconds === undefined || Number.isNaN(seconds)) continue;
    const minDays = seconds / 86_400;
    for (const rule of list(peek(plan.props, "backupRules"))) {
      const days = numberAt(rule, "backupRetentionDays");
      if (days !== undefined && days < minDays) {
        out.push(
          finding(
            plan,
            `rule '${knownString(rule, "ruleId") ?? "?"}' keeps backups ${days} days, less than the vault's minimum enforced retention (${text}, ${minDays} days): the plan is refused. Source: ${gcpSource.url}`,
          ),
        );
      }
    }
  }
  return out;
}

export const requireBackupRetentionWithinVaultLock: Rule = {
  id: "require-backup-retention-within-vault-lock",
  title: "Backup plan retention fits the target vault's enforced minimum and lock maximum",
  category: "topology",
  severity: "high",
  refuses:
    "Google Cloud refuses a backup plan whose rule keeps backups less than the vault's minimum enforced retention; AWS Backup fails every backup and copy job whose retention is below the vault lock's minimum or above its maximum.",
  remediation:
    "Derive the plan's retention and the vault's lock from one setting (components/backup.ts resolveBackupSettings: minimum = retention, maximum = the stack's ceiling).",
  sources: [awsSource, gcpSource],
  stackTypes: {
    aws: [...awsVaultTypes, ...awsLockTypes, ...awsPlanTypes],
    gcp: [...gcpVaultTypes, ...gcpPlanTypes],
  },
  stack: (subjects) => [...checkAws(subjects), ...checkGcp(subjects)],
};
