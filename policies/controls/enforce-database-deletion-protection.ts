import { defineControl } from "../lib/define";
import { get, isFalse, isTrue } from "../lib/props";
import type { CheckContext } from "../lib/types";

const flag = (key: string) => (props: Record<string, unknown>) =>
  isTrue(get(props, key)) ? [] : [`${key} is not true`];
const protectedByPulumi = (_props: Record<string, unknown>, ctx: CheckContext) =>
  ctx.subject.protect
    ? []
    : [
        "Azure has no server-level deletion protection flag: set the Pulumi `protect` resource option (and an ARM CanNotDelete lock)",
      ];

export const enforceDatabaseDeletionProtection = defineControl({
  id: "enforce-database-deletion-protection",
  title: "Production databases are protected against deletion",
  severity: "high",
  category: "resilience",
  kind: "resilience",
  productionOnly: true,
  rationale:
    "A stray `pulumi destroy`, a replacement caused by an immutable property change or a console click must not delete a production database (SOC 2 A1.2, ISO 27001 A.8.13, GDPR Art. 32(1)(c)).",
  remediation: [
    "AWS: deletionProtection true on RDS instances, Aurora and DocumentDB clusters; deletionProtectionEnabled on DynamoDB tables.",
    "GCP: Cloud SQL deletionProtection true (Pulumi-side) and settings.deletionProtectionEnabled true (API-side).",
    "Azure: set the Pulumi protect option on database servers (and an ARM CanNotDelete management lock).",
  ],
  frameworks: {
    soc2: ["A1.2", "CC8.1"],
    iso27001: ["A.8.13", "A.8.32"],
    gdpr: ["Art. 32(1)(c)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: ["PCI DSS does not require deletion protection; none is mapped."],
  resources: {
    aws: {
      "aws:rds/instance:Instance": flag("deletionProtection"),
      "aws:rds/cluster:Cluster": flag("deletionProtection"),
      "aws:docdb/cluster:Cluster": flag("deletionProtection"),
      "aws:dynamodb/table:Table": flag("deletionProtectionEnabled"),
    },
    azure: {
      "azure-native:dbforpostgresql:Server": protectedByPulumi,
      "azure-native:dbforpostgresql:FlexibleServer": protectedByPulumi,
      "azure-native:dbformysql:Server": protectedByPulumi,
      "azure-native:dbformysql:FlexibleServer": protectedByPulumi,
      "azure-native:sql:Server": protectedByPulumi,
      "azure-native:cosmosdb:DatabaseAccount": protectedByPulumi,
    },
    gcp: {
      "gcp:sql/databaseInstance:DatabaseInstance": (props) => {
        const out: string[] = [];
        if (isFalse(get(props, "deletionProtection"))) out.push("deletionProtection is false");
        if (!isTrue(get(props, "settings.deletionProtectionEnabled")))
          out.push("settings.deletionProtectionEnabled is not true");
        return out;
      },
      "gcp:alloydb/cluster:Cluster": (props) =>
        isFalse(get(props, "deletionProtection")) ? ["deletionProtection is false"] : [],
    },
  },
});
