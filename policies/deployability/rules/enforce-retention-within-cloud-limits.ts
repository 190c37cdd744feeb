/**
 * Retention and deletion windows must be values the cloud accepts: outside the documented range the
 * create call fails (`InvalidParameterValue`, `BadRequest`, `INVALID_ARGUMENT`) when `pulumi up` runs.
 */
import { get, num } from "../../lib/props";
import type { Rule, RuleResourceCheck, Source } from "../lib/rule";

interface Range {
  readonly path: string;
  readonly what: string;
  readonly min: number;
  readonly max: number;
  /** Only these values are accepted (CloudWatch Logs). */
  readonly values?: readonly number[];
  /** Values that mean "unset" and pass (0 = never expire for CloudWatch Logs in the provider). */
  readonly unset?: readonly number[];
  readonly source: Source;
}

const sources = {
  logAnalytics: {
    url: "https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure",
    quote:
      "You can extend the interactive (analytics) retention period of tables with the Analytics plan to up to two years (730 days); using the API or CLI you can reduce it to four days.",
  },
  keyVault: {
    url: "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview",
    quote: "The retention period for soft-deleted vaults and objects can be set between 7 and 90 days.",
  },
  postgres: {
    url: "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-backup-restore",
    quote: "Backup retention can be configured from 7 to 35 days.",
  },
  cloudWatch: {
    url: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
    quote:
      "retentionInDays valid values: 1 | 3 | 5 | 7 | 14 | 30 | 60 | 90 | 120 | 150 | 180 | 365 | 400 | 545 | 731 | 1096 | 1827 | 2192 | 2557 | 2922 | 3288 | 3653.",
  },
  kms: {
    url: "https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html",
    quote:
      "PendingWindowInDays: this value is optional; if you include a value, it must be between 7 and 30, inclusive.",
  },
  rds: {
    url: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
    quote: "BackupRetentionPeriod: must be a value from 0 to 35.",
  },
  gcpLogging: {
    url: "https://cloud.google.com/logging/docs/buckets#custom-retention",
    quote: "You can configure Cloud Logging to retain your logs between 1 day and 3650 days.",
  },
  cloudSql: {
    url: "https://cloud.google.com/sql/docs/postgres/backup-recovery/backups",
    quote:
      "Retained automated backups: 1 to 365. Transaction log retention: 1 to 7 days (Enterprise edition), up to 35 days (Enterprise Plus edition).",
  },
} satisfies Record<string, Source>;

function rangeCheck(ranges: readonly Range[]): RuleResourceCheck {
  return (props) => {
    const out: string[] = [];
    for (const r of ranges) {
      const raw = get(props, r.path);
      const v = num(raw);
      if (v === undefined || r.unset?.includes(v)) continue;
      const ok = r.values ? r.values.includes(v) : v >= r.min && v <= r.max;
      if (!ok) {
        const allowed = r.values ? `one of ${r.values.join(", ")}` : `${r.min}-${r.max}`;
        out.push(`${r.what} (${r.path}) is ${v}; the cloud accepts ${allowed}. Source: ${r.source.url}`);
      }
    }
    return out;
  };
}

const cloudWatchValues = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export const enforceRetentionWithinCloudLimits: Rule = {
  id: "enforce-retention-within-cloud-limits",
  title: "Retention and deletion windows are within the values each cloud accepts",
  category: "topology",
  severity: "high",
  refuses:
    "Log Analytics refuses retention above 730 days (or below 4); Key Vault soft-delete retention outside 7-90; PostgreSQL flexible server backup retention outside 7-35; CloudWatch Logs retention not in its list of values; KMS deletion windows outside 7-30; RDS backup retention outside 0-35; Cloud Logging bucket retention outside 1-3650; Cloud SQL retained backups outside 1-365 and transaction log retention outside 1-35.",
  remediation:
    "Restrict the config's retention choices to the values every cloud of the stack accepts (components/config.ts), or map them per cloud.",
  sources: Object.values(sources),
  resources: {
    aws: {
      "aws:cloudwatch/logGroup:LogGroup": rangeCheck([
        {
          path: "retentionInDays",
          what: "CloudWatch Logs retention",
          min: 1,
          max: 3653,
          values: cloudWatchValues,
          unset: [0],
          source: sources.cloudWatch,
        },
      ]),
      "aws:kms/key:Key": rangeCheck([
        {
          path: "deletionWindowInDays",
          what: "KMS key deletion window",
          min: 7,
          max: 30,
          source: sources.kms,
        },
      ]),
      "aws:rds/instance:Instance": rangeCheck([
        { path: "backupRetentionPeriod", what: "RDS backup retention", min: 0, max: 35, source: sources.rds },
      ]),
    },
    azure: {
      "azure-native:operationalinsights:Workspace": rangeCheck([
        {
          path: "retentionInDays",
          what: "Log Analytics retention",
          min: 4,
          max: 730,
          source: sources.logAnalytics,
        },
      ]),
      "azure-native:keyvault:Vault": rangeCheck([
        {
          path: "properties.softDeleteRetentionInDays",
          what: "Key Vault soft-delete retention",
          min: 7,
          max: 90,
          source: sources.keyVault,
        },
      ]),
      "azure-native:dbforpostgresql:Server": rangeCheck([
        {
          path: "backup.backupRetentionDays",
          what: "PostgreSQL backup retention",
          min: 7,
          max: 35,
          source: sources.postgres,
        },
      ]),
    },
    gcp: {
      "gcp:logging/projectBucketConfig:ProjectBucketConfig": rangeCheck([
        {
          path: "retentionDays",
          what: "Cloud Logging bucket retention",
          min: 1,
          max: 3650,
          source: sources.gcpLogging,
        },
      ]),
      "gcp:sql/databaseInstance:DatabaseInstance": (props, subject) => {
        const plus = String(get(props, "settings.edition") ?? "").toUpperCase() === "ENTERPRISE_PLUS";
        return rangeCheck([
          {
            path: "settings.backupConfiguration.backupRetentionSettings.retainedBackups",
            what: "Cloud SQL retained backups",
            min: 1,
            max: 365,
            source: sources.cloudSql,
          },
          {
            path: "settings.backupConfiguration.transactionLogRetentionDays",
            what: `Cloud SQL transaction log retention (${plus ? "Enterprise Plus" : "Enterprise"} edition)`,
            min: 1,
            max: plus ? 35 : 7,
            source: sources.cloudSql,
          },
        ])(props, subject);
      },
    },
  },
};
