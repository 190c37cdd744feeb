import { defineControl } from "../lib/define";
import { get, isSet, lower, str } from "../lib/props";

/** DMS engines whose endpoints take an SSL mode. */
const sslEngines = new Set([
  "postgres",
  "aurora-postgresql",
  "mysql",
  "aurora",
  "mariadb",
  "sqlserver",
  "oracle",
  "sybase",
  "db2",
  "redshift",
  "babelfish",
]);

export const enforceReplicationEndpointTls = defineControl({
  id: "enforce-replication-endpoint-tls",
  title: "Database replication endpoints require TLS",
  severity: "high",
  category: "data-protection",
  kind: "security",
  rationale:
    "Change-data-capture streams carry every row written to the source, plus the replication credential; a connection that falls back to cleartext exposes both to anyone on the path (PCI DSS 4.2.1; ISO/IEC 27001 A.8.24).",
  remediation: [
    "AWS DMS endpoints for database engines: sslMode require, verify-ca or verify-full (with certificateArn).",
    "GCP Database Migration Service: PostgreSQL/MySQL connection profiles to a host set ssl (the server's CA certificate); Cloud SQL and AlloyDB profiles are always encrypted.",
    "Azure Database for PostgreSQL migrations: sslMode Require, VerifyCA or VerifyFull (the default for sources other than single server is Prefer, which falls back to cleartext).",
  ],
  frameworks: {
    soc2: ["CC6.7"],
    iso27001: ["A.8.24"],
    pciDss: ["4.2.1"],
    gdpr: ["Art. 32(1)(a)"],
    lfpdppp: ["Art. 18"],
  },
  resources: {
    aws: {
      "aws:dms/endpoint:Endpoint": (props) => {
        if (!sslEngines.has(lower(get(props, "engineName")))) return [];
        const mode = lower(get(props, "sslMode"));
        return ["require", "verify-ca", "verify-full"].includes(mode)
          ? []
          : [
              `sslMode is ${str(get(props, "sslMode")) ?? "unset (none)"}; set require, verify-ca or verify-full`,
            ];
      },
    },
    gcp: {
      "gcp:databasemigrationservice/connectionProfile:ConnectionProfile": (props) => {
        const out: string[] = [];
        for (const engine of ["postgresql", "mysql"]) {
          if (isSet(props, `${engine}.host`) && !isSet(props, `${engine}.ssl`)) {
            out.push(`${engine}.ssl is unset: the connection to ${engine}.host is not encrypted`);
          }
        }
        return out;
      },
    },
    azure: {
      "azure-native:dbforpostgresql:Migration": (props) => {
        const mode = lower(get(props, "sslMode"));
        return ["require", "verifyca", "verifyfull"].includes(mode)
          ? []
          : [
              `sslMode is ${str(get(props, "sslMode")) ?? "unset (Prefer)"}; set Require, VerifyCA or VerifyFull`,
            ];
      },
    },
  },
});
