import { children, finding, ofType } from "../lib/checks";
import { defineControl } from "../lib/define";
import { get, list, lower, str } from "../lib/props";
import type { Finding } from "../lib/types";

const azureDatabases = [
  "azure-native:dbforpostgresql:Server",
  "azure-native:dbforpostgresql:FlexibleServer",
  "azure-native:dbformysql:Server",
  "azure-native:dbformysql:FlexibleServer",
  "azure-native:sql:Server",
  "azure-native:sql:Database",
] as const;

const exports_ = (props: Record<string, unknown>) =>
  list(get(props, "enabledCloudwatchLogsExports")).length > 0
    ? []
    : ["enabledCloudwatchLogsExports is empty: database logs stay on the instance"];

export const enableDatabaseLogExports = defineControl({
  id: "enable-database-log-exports",
  title: "Database logs are exported to the central log service",
  severity: "medium",
  category: "logging",
  kind: "security",
  rationale:
    "Connection, authentication and error logs of databases are the audit trail of access to the data itself (PCI DSS 10.2.1, 10.2.1.2); kept only on the server they are lost with it and invisible to monitoring.",
  remediation: [
    "AWS: enabledCloudwatchLogsExports on RDS instances, Aurora and DocumentDB clusters (e.g. postgresql, upgrade; audit, error, slowquery for MySQL; audit, profiler for DocumentDB).",
    "Azure: a monitor DiagnosticSetting on every PostgreSQL/MySQL flexible server and SQL server/database to the Log Analytics workspace.",
    "GCP Cloud SQL for PostgreSQL: database flags log_connections and log_disconnections on (Cloud SQL sends its logs to Cloud Logging).",
  ],
  frameworks: {
    soc2: ["CC7.2"],
    iso27001: ["A.8.15"],
    pciDss: ["10.2.1", "10.2.1.2"],
    gdpr: ["Art. 32(1)(d)", "Art. 33"],
    lfpdppp: ["Art. 19"],
    cis: ["GCP 6.2.2/6.2.3 (log_connections, log_disconnections)"],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    aws: {
      "aws:rds/instance:Instance": exports_,
      "aws:rds/cluster:Cluster": exports_,
      "aws:docdb/cluster:Cluster": exports_,
    },
    gcp: {
      "gcp:sql/databaseInstance:DatabaseInstance": (props) => {
        if (!(str(get(props, "databaseVersion")) ?? "").startsWith("POSTGRES")) return [];
        const flags = new Map(
          list(get(props, "settings.databaseFlags")).map((f) => [
            lower(get(f, "name")),
            lower(get(f, "value")),
          ]),
        );
        return ["log_connections", "log_disconnections"]
          .filter((f) => flags.get(f) !== "on")
          .map((f) => `database flag ${f} is not on`);
      },
    },
  },
  stack: (subjects) => {
    const out: Finding[] = [];
    for (const db of ofType(subjects, azureDatabases)) {
      if (children(subjects, ["azure-native:monitor:DiagnosticSetting"], "resourceUri", db).length === 0) {
        out.push(finding(db, "no monitor DiagnosticSetting exports this database's logs"));
      }
    }
    return out;
  },
  stackTypes: { azure: [...azureDatabases, "azure-native:monitor:DiagnosticSetting"] },
});
