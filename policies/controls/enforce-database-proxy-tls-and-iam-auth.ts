import { children, finding, ofType } from "../lib/checks";
import { defineControl } from "../lib/define";
import { get, isTrue, list, lower, str } from "../lib/props";
import type { Finding } from "../lib/types";

const azureServers = ["azure-native:dbforpostgresql:Server", "azure-native:dbforpostgresql:FlexibleServer"];
const azureConfiguration = "azure-native:dbforpostgresql:Configuration";

/** RDS Proxy: TLS required and every client authenticated with IAM. */
function rdsProxy(props: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (!isTrue(get(props, "requireTls")))
    out.push("requireTls is not true: clients may connect in clear text");
  // End-to-end IAM (defaultAuthScheme IAM_AUTH) needs no secret at all; otherwise every auth block must
  // require IAM from clients.
  if (str(get(props, "defaultAuthScheme")) === "IAM_AUTH") return out;
  const auths = list(get(props, "auths"));
  if (auths.length === 0) out.push("no auth block and defaultAuthScheme is not IAM_AUTH");
  auths.forEach((auth, i) => {
    const iam = str(get(auth, "iamAuth")) ?? "DISABLED";
    if (iam !== "REQUIRED")
      out.push(`auths[${i}].iamAuth is ${iam}; use REQUIRED (clients present IAM tokens, not passwords)`);
  });
  return out;
}

/** Cloud SQL Managed Connection Pooling: only on an instance that requires TLS and IAM authentication. */
function cloudSqlPooling(props: Record<string, unknown>): string[] {
  const pooling = list(get(props, "settings.connectionPoolConfigs")).some((c) =>
    isTrue(get(c, "connectionPoolingEnabled")),
  );
  if (!pooling) return [];
  const out: string[] = [];
  const mode = str(get(props, "settings.ipConfiguration.sslMode"));
  if (mode !== "ENCRYPTED_ONLY" && mode !== "TRUSTED_CLIENT_CERTIFICATE_REQUIRED")
    out.push(`managed connection pooling with sslMode ${mode ?? "unset"}; require ENCRYPTED_ONLY`);
  const flags = new Map(
    list(get(props, "settings.databaseFlags")).map((f) => [lower(get(f, "name")), lower(get(f, "value"))]),
  );
  if (flags.get("cloudsql.iam_authentication") !== "on")
    out.push("managed connection pooling without the cloudsql.iam_authentication flag on");
  return out;
}

export const enforceDatabaseProxyTlsAndIamAuth = defineControl({
  id: "enforce-database-proxy-tls-and-iam-auth",
  title: "Database connection poolers require TLS and identity-based authentication",
  severity: "high",
  category: "identity",
  kind: "security",
  rationale:
    "A connection pooler is a second front door to the database: if it accepts clear-text connections or passwords, the database's own TLS and IAM/Entra requirements are bypassed (PCI DSS 4.2.1, 8.3.1; SOC 2 CC6.1; ISO 27001 A.8.5; GDPR Art. 32).",
  remediation: [
    "AWS RDS Proxy: requireTls true and every auth block with iamAuth REQUIRED (or defaultAuthScheme IAM_AUTH).",
    "Azure PostgreSQL flexible server with pgbouncer.enabled: authConfig.passwordAuth Disabled (Microsoft Entra only) and require_secure_transport left on (PgBouncer inherits both).",
    "GCP Cloud SQL with settings.connectionPoolConfigs enabled: settings.ipConfiguration.sslMode ENCRYPTED_ONLY and the cloudsql.iam_authentication flag on.",
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.7"],
    iso27001: ["A.8.5", "A.8.24"],
    pciDss: ["4.2.1", "8.3.1"],
    gdpr: ["Art. 32(1)(a)", "Art. 32(1)(b)"],
    lfpdppp: ["Art. 19"],
  },
  uncertain: [
    "Azure's built-in PgBouncer has no TLS or authentication setting of its own; the control judges the server settings it inherits (learn.microsoft.com/azure/postgresql/flexible-server/concepts-pgbouncer).",
  ],
  resources: {
    aws: { "aws:rds/proxy:Proxy": rdsProxy },
    gcp: { "gcp:sql/databaseInstance:DatabaseInstance": cloudSqlPooling },
  },
  stack: (subjects) => {
    const out: Finding[] = [];
    for (const server of ofType(subjects, azureServers)) {
      const configs = children(subjects, [azureConfiguration], "serverName", server, ["serverName"]);
      const setting = (name: string) =>
        configs.find((c) => lower(get(c.props, "configurationName")) === name)?.props;
      const bouncer = setting("pgbouncer.enabled");
      if (!bouncer || lower(get(bouncer, "value")) !== "true") continue;
      if (lower(get(server.props, "authConfig.passwordAuth")) !== "disabled")
        out.push(
          finding(
            server,
            "PgBouncer is enabled while password authentication is on; set authConfig.passwordAuth Disabled (Microsoft Entra only)",
          ),
        );
      const tls = setting("require_secure_transport");
      if (tls && lower(get(tls, "value")) === "off")
        out.push(finding(server, "PgBouncer is enabled while require_secure_transport is off"));
    }
    return out;
  },
  stackTypes: { azure: [...azureServers, azureConfiguration] },
});
