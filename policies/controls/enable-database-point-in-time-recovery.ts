import { defineControl } from "../lib/define";
import { get, isSet, isTrue, lower, num, str } from "../lib/props";

export const enableDatabasePointInTimeRecovery = defineControl({
  id: "enable-database-point-in-time-recovery",
  title: "Databases support point-in-time recovery",
  severity: "medium",
  category: "resilience",
  kind: "resilience",
  rationale:
    "Daily snapshots lose up to a day of transactions; continuous log backup lets a database be restored to the second before an incident, which RPO targets in the minutes require (SOC 2 A1.2, GDPR Art. 32(1)(c)).",
  remediation: [
    "AWS: DynamoDB pointInTimeRecovery.enabled true; RDS instances a backupRetentionPeriod above 0 (PITR comes with automated backups).",
    "Azure Cosmos DB: backupPolicy type Continuous. (Azure Database for PostgreSQL/MySQL flexible servers always support PITR within the backup retention.)",
    "GCP Cloud SQL: settings.backupConfiguration.pointInTimeRecoveryEnabled (PostgreSQL, SQL Server) or binaryLogEnabled (MySQL).",
  ],
  frameworks: {
    soc2: ["A1.2"],
    iso27001: ["A.8.13"],
    gdpr: ["Art. 32(1)(c)"],
    lfpdppp: ["Art. 18"],
    cis: ["GCP 6.7 (Cloud SQL backups)"],
  },
  uncertain: ["PCI DSS has no point-in-time-recovery requirement; none is mapped."],
  resources: {
    aws: {
      "aws:dynamodb/table:Table": (props) =>
        isTrue(get(props, "pointInTimeRecovery.enabled")) ? [] : ["pointInTimeRecovery.enabled is not true"],
      "aws:rds/instance:Instance": (props) =>
        isSet(props, "replicateSourceDb") || (num(get(props, "backupRetentionPeriod")) ?? 0) > 0
          ? []
          : ["backupRetentionPeriod is 0: automated backups and point-in-time recovery are off"],
    },
    azure: {
      "azure-native:cosmosdb:DatabaseAccount": (props) =>
        lower(get(props, "backupPolicy.type")) === "continuous"
          ? []
          : ["backupPolicy.type is not Continuous (periodic backups only)"],
    },
    gcp: {
      "gcp:sql/databaseInstance:DatabaseInstance": (props) => {
        if (isSet(props, "masterInstanceName")) return [];
        const version = str(get(props, "databaseVersion")) ?? "";
        const backup = get(props, "settings.backupConfiguration");
        if (version.startsWith("MYSQL"))
          return isTrue(get(backup, "binaryLogEnabled"))
            ? []
            : ["backupConfiguration.binaryLogEnabled is not true (MySQL PITR)"];
        return isTrue(get(backup, "pointInTimeRecoveryEnabled"))
          ? []
          : ["backupConfiguration.pointInTimeRecoveryEnabled is not true"];
      },
    },
  },
});
