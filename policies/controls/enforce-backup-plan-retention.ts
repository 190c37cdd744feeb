import { defineControl } from "../lib/define";
import { get, lower, num, str } from "../lib/props";
import type { CheckContext } from "../lib/types";

function minDays(ctx: CheckContext): number {
  return ctx.production ? ctx.settings.productionBackupRetentionDays : ctx.settings.backupRetentionDays;
}

const daysPer: Readonly<Record<string, number>> = { D: 1, W: 7, M: 30, Y: 365 };

/** Days of an ISO 8601 date duration (`P35D`, `P5W`, `P1M`, `P1Y`; months as 30 days), else undefined. */
export function isoDays(text: unknown): number | undefined {
  const m = typeof text === "string" ? /^P(\d+)([DWMY])$/.exec(text.toUpperCase()) : null;
  return m ? Number(m[1]) * daysPer[m[2]!]! : undefined;
}

function tooShort(where: string, days: number, min: number): string {
  return `${where} keeps recovery points ${days} day(s); require at least ${min}`;
}

export const enforceBackupPlanRetention = defineControl({
  id: "enforce-backup-plan-retention",
  title: "Backup plans keep recovery points long enough",
  severity: "high",
  category: "resilience",
  kind: "resilience",
  rationale:
    "A vaulted backup is the copy that survives the loss, encryption or deletion of the source; a rule that deletes it before anyone notices the problem leaves no good copy to restore (SOC 2 A1.2, ISO 27001 A.8.13, GDPR Art. 32(1)(c)). Same thresholds as database backups: 7 days, 35 in production.",
  remediation: [
    "AWS Backup: every rule's lifecycle.deleteAfter (and each copy action's) at least the configured days, or unset (kept until deleted).",
    'Azure Backup (Data Protection): every AzureRetentionRule lifecycle\'s deleteAfter.duration (ISO 8601, e.g. "P35D") at least the configured days.',
    "GCP Backup and DR: every backupRules[].backupRetentionDays at least the configured days (the vault's minimum enforced retention should match).",
  ],
  frameworks: {
    soc2: ["A1.2", "CC9.1"],
    iso27001: ["A.8.13"],
    pciDss: ["12.10.1"],
    gdpr: ["Art. 32(1)(c)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: [
    "PCI DSS v4.0.1 has no backup-retention requirement; 12.10.1 (incident response incl. recovery) is the closest and is marked as such.",
    "Azure durations in months or years are counted as 30 and 365 days; durations with time parts are not judged.",
  ],
  resources: {
    aws: {
      "aws:backup/plan:Plan": (props, ctx) => {
        const min = minDays(ctx);
        const out: string[] = [];
        const rules = get(props, "rules");
        for (const [i, rule] of (Array.isArray(rules) ? rules : []).entries()) {
          const name = str(get(rule, "ruleName")) ?? String(i);
          const days = num(get(rule, "lifecycle.deleteAfter"));
          if (days !== undefined && days < min) out.push(tooShort(`rule ${name}`, days, min));
          const copies = get(rule, "copyActions");
          for (const copy of Array.isArray(copies) ? copies : []) {
            const copyDays = num(get(copy, "lifecycle.deleteAfter"));
            if (copyDays !== undefined && copyDays < min)
              out.push(tooShort(`rule ${name}'s copy action`, copyDays, min));
          }
        }
        return out;
      },
    },
    azure: {
      "azure-native:dataprotection:BackupPolicy": (props, ctx) => {
        const min = minDays(ctx);
        const out: string[] = [];
        const rules = get(props, "properties.policyRules");
        for (const rule of Array.isArray(rules) ? rules : []) {
          if (lower(get(rule, "objectType")) !== "azureretentionrule") continue;
          const lifecycles = get(rule, "lifecycles");
          for (const lifecycle of Array.isArray(lifecycles) ? lifecycles : []) {
            const days = isoDays(get(lifecycle, "deleteAfter.duration"));
            if (days !== undefined && days < min)
              out.push(tooShort(`retention rule ${str(get(rule, "name")) ?? ""}`.trimEnd(), days, min));
          }
        }
        return out;
      },
    },
    gcp: {
      "gcp:backupdisasterrecovery/backupPlan:BackupPlan": (props, ctx) => {
        const min = minDays(ctx);
        const rules = get(props, "backupRules");
        const list = Array.isArray(rules) ? rules : [];
        if (list.length === 0) return ["backupRules is empty: the plan keeps nothing"];
        return list.flatMap((rule, i) => {
          const days = num(get(rule, "backupRetentionDays"));
          const name = str(get(rule, "ruleId")) ?? String(i);
          if (days === undefined) return [`backupRules ${name} has no backupRetentionDays`];
          return days < min ? [tooShort(`backupRules ${name}`, days, min)] : [];
        });
      },
    },
  },
});
