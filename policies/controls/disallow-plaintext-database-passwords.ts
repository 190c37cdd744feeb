import { defineControl } from "../lib/define";
import { get, isSet, isTrue, lower, str } from "../lib/props";
import type { ResourceCheck } from "../lib/types";

function awsManaged(passwordKey: string, managedKey: string, writeOnlyKey: string): ResourceCheck {
  return (props) => {
    if (isTrue(get(props, managedKey)) || isSet(props, writeOnlyKey) || !isSet(props, passwordKey)) return [];
    return [
      `${passwordKey} is set as a resource input; use ${managedKey}: true (Secrets Manager) or the write-only ${writeOnlyKey} so the password is never stored in state or plan`,
    ];
  };
}

function azurePostgres(props: Record<string, unknown>): string[] {
  if (!isSet(props, "administratorLoginPassword")) return [];
  if (lower(get(props, "authConfig.passwordAuth")) === "disabled") return [];
  return [
    "administratorLoginPassword is set and password authentication is enabled; use Microsoft Entra authentication (authConfig { activeDirectoryAuth: Enabled, passwordAuth: Disabled })",
  ];
}

export const disallowPlaintextDatabasePasswords = defineControl({
  id: "disallow-plaintext-database-passwords",
  title: "Database credentials are cloud-managed or identity-based, never a literal password input",
  severity: "high",
  category: "data-protection",
  kind: "security",
  rationale:
    "A password passed as a resource input ends up in plans, state and often source or stack config; PCI DSS 8.3.2 and 8.6.2 forbid readable and hard-coded credentials. Cloud-managed secrets (rotated by the provider) or identity-based authentication remove the password from the deployment entirely.",
  remediation: [
    "AWS RDS/Aurora/DocumentDB: manageMasterUserPassword: true (Secrets Manager, optionally masterUserSecretKmsKeyId); Redshift: manageMasterPassword: true. Or the write-only passwordWo / masterPasswordWo inputs, which are never stored.",
    'Azure PostgreSQL flexible server: authConfig { activeDirectoryAuth: "Enabled", passwordAuth: "Disabled" } with an Entra administrator; Azure SQL: administrators.azureADOnlyAuthentication true.',
    "GCP Cloud SQL: IAM database authentication (users of type CLOUD_IAM_USER / CLOUD_IAM_SERVICE_ACCOUNT); for built-in users use the write-only passwordWo; never set rootPassword (use rootPasswordWo).",
  ],
  frameworks: {
    soc2: ["CC6.1"],
    iso27001: ["A.5.17", "A.8.5"],
    pciDss: ["8.3.2", "8.6.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: [
    "The policy server unwraps Pulumi secrets before a policy sees them, so a policy cannot tell a secret password from a literal one; the control therefore requires cloud-managed, write-only or identity-based credentials.",
    "Azure Database for MySQL flexible server cannot disable password authentication through a server property; it is not checked.",
  ],
  resources: {
    aws: {
      "aws:rds/instance:Instance": awsManaged("password", "manageMasterUserPassword", "passwordWo"),
      "aws:rds/cluster:Cluster": awsManaged("masterPassword", "manageMasterUserPassword", "masterPasswordWo"),
      "aws:docdb/cluster:Cluster": awsManaged(
        "masterPassword",
        "manageMasterUserPassword",
        "masterPasswordWo",
      ),
      "aws:redshift/cluster:Cluster": awsManaged(
        "masterPassword",
        "manageMasterPassword",
        "masterPasswordWo",
      ),
    },
    azure: {
      "azure-native:dbforpostgresql:Server": azurePostgres,
      "azure-native:dbforpostgresql:FlexibleServer": azurePostgres,
      "azure-native:sql:Server": (props) =>
        !isSet(props, "administratorLoginPassword") ||
        isTrue(get(props, "administrators.azureADOnlyAuthentication"))
          ? []
          : ["administratorLoginPassword is set without administrators.azureADOnlyAuthentication: true"],
    },
    gcp: {
      "gcp:sql/databaseInstance:DatabaseInstance": (props) =>
        isSet(props, "rootPassword")
          ? ["rootPassword is set as a resource input; use rootPasswordWo or IAM authentication"]
          : [],
      "gcp:sql/user:User": (props) => {
        const type = str(get(props, "type")) ?? "BUILT_IN";
        if (type !== "BUILT_IN") return [];
        return isSet(props, "password") && !isSet(props, "passwordWo")
          ? [
              "password is set as a resource input; use IAM database authentication or the write-only passwordWo",
            ]
          : [];
      },
    },
  },
});
