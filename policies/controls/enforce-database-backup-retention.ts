import { defineControl } from "../lib/define";
import { get, isFalse, isSet, lower, num, str } from "../lib/props";
import type { CheckContext } from "../lib/types";

function minDays(ctx: CheckContext): number {
  return ctx.production ? ctx.settings.productionBackupRetentionDays : ctx.settings.backupRetentionDays;
}

function atLeast(key: string, defaultDays: number, skipIf?: string) {
  return (props: Record<string, unknown>, ctx: CheckContext): string[] => {
    if (skipIf && isSet(props, skipIf)) return [];
    // Flexible-server read replicas: restores come from the primary's backups.
    if (lower(get(props, "createMode")) === "replica") return [];
    const days = num(get(props, key)) ?? defaultDays;
    const min = minDays(ctx);
    return days >= min
      ? []
      : [
          `${key} is ${days} day(s)${num(get(props, key)) === undefined ? " (provider default)" : ""}; require at least ${min}`,
        ];
  };
}

export const enforceDatabaseBackupRetention = defineControl({
  id: "enforce-database-backup-retention",
  title: "Databases keep automated backups long enough",
  severity: "high",
  category: "resilience",
  kind: "resilience",
  rationale:
    "Automated backups are the recovery path from corruption, ransomware and operator error; a retention shorter than the time it takes to notice a problem loses the last good copy (SOC 2 A1.2, ISO 27001 A.8.13, GDPR Art. 32(1)(c)). Default: 7 days, 35 (the AWS maximum) in production.",
  remediation: [
    "AWS: backupRetentionPeriod on RDS instances and Aurora/DocumentDB clusters, automatedSnapshotRetentionPeriod on Redshift, at least the configured days (read replicas are exempt).",
    "Azure PostgreSQL/MySQL flexible servers: backup.backupRetentionDays (up to 35; read replicas, createMode Replica, are exempt).",
    "GCP Cloud SQL: settings.backupConfiguration.enabled true and backupRetentionSettings.retainedBackups at least the configured days (daily backups; read replicas, masterInstanceName, are exempt).",
  ],
  frameworks: {
    soc2: ["A1.2", "CC9.1"],
    iso27001: ["A.8.13"],
    pciDss: ["12.10.1"],
    gdpr: ["Art. 32(1)(c)"],
    lfpdppp: ["Art. 18"],
    cis: ["GCP 6.7 (Cloud SQL automated backups)"],
  },
  uncertain: [
    "PCI DSS v4.0.1 has no backup-retention requirement; 12.10.1 (incident response incl. recovery) is the closest and is marked as such.",
  ],
  resources: {
    aws: {
      "aws:rds/instance:Instance": atLeast("backupRetentionPeriod", 0, "replicateSourceDb"),
      "aws:rds/cluster:Cluster": atLeast("backupRetentionPeriod", 1),
      "aws:docdb/cluster:Cluster": atLeast("backupRetentionPeriod", 1),
      "aws:redshift/cluster:Cluster": atLeast("automatedSnapshotRetentionPeriod", 1),
    },
    azure: {
      "azure-native:dbforpostgresql:Server": atLeast("backup.backupRetentionDays", 7),
      "azure-native:dbforpostgresql:FlexibleServer": atLeast("backup.backupRetentionDays", 7),
      "azure-native:dbformysql:Server": atLeast("backup.backupRetentionDays", 7),
      "azure-native:dbformysql:FlexibleServer": atLeast("backup.backupRetentionDays", 7),
    },
    gcp: {
      "gcp:sql/databaseInstance:DatabaseInstance": (props, ctx) => {
        if (isSet(props, "masterInstanceName")) return [];
        const backup = get(props, "settings.backupConfiguration");
        if (!backup || isFalse(get(backup, "enabled")) || get(backup, "enabled") === undefined) {
          return ["settings.backupConfiguration.enabled is not true"];
        }
        const unit = str(get(backup, "backupRetentionSettings.retentionUnit")) ?? "COUNT";
        const count = num(get(backup, "backupRetentionSettings.retainedBackups")) ?? 7;
        const min = minDays(ctx);
        return unit === "COUNT" && count < min
          ? [`backupRetentionSettings.retainedBackups is ${count}; require at least ${min}`]
          : [];
      },
    },
  },
});
