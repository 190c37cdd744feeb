import { defineControl } from "../lib/define";
import type { CheckContext, ResourceCheck } from "../lib/types";

const protect: ResourceCheck = (_props, ctx: CheckContext) =>
  ctx.subject.protect ? [] : ["the Pulumi `protect` resource option is not set on this stateful resource"];

const byType = (types: readonly string[]) => Object.fromEntries(types.map((t) => [t, protect]));

export const enforceProtectOnStatefulResources = defineControl({
  id: "enforce-protect-on-stateful-resources",
  title: "Production stateful resources carry the Pulumi protect option",
  severity: "medium",
  category: "resilience",
  kind: "resilience",
  productionOnly: true,
  rationale:
    "`protect` makes Pulumi refuse to delete or replace a resource until the option is removed in a reviewed change; for databases, buckets and keys a deletion is data loss (ISO 27001 A.8.32 change management, SOC 2 CC8.1).",
  remediation: [
    "Pass { protect: true } (or inherit it from the component) for databases, object storage and key material in production; remove it in a separate reviewed change before an intended deletion.",
  ],
  frameworks: {
    soc2: ["CC8.1", "A1.2"],
    iso27001: ["A.8.32", "A.8.13"],
    gdpr: ["Art. 32(1)(c)"],
  },
  uncertain: [
    "No framework names Pulumi's option; the mapping is to the change-management and backup controls it serves.",
  ],
  resources: {
    aws: byType([
      "aws:rds/instance:Instance",
      "aws:rds/cluster:Cluster",
      "aws:dynamodb/table:Table",
      "aws:docdb/cluster:Cluster",
      "aws:redshift/cluster:Cluster",
      "aws:s3/bucket:Bucket",
      "aws:s3/bucketV2:BucketV2",
      "aws:kms/key:Key",
      "aws:efs/fileSystem:FileSystem",
      "aws:backup/vault:Vault",
    ]),
    azure: byType([
      "azure-native:dbforpostgresql:Server",
      "azure-native:dbforpostgresql:FlexibleServer",
      "azure-native:dbformysql:Server",
      "azure-native:dbformysql:FlexibleServer",
      "azure-native:sql:Server",
      "azure-native:sql:Database",
      "azure-native:cosmosdb:DatabaseAccount",
      "azure-native:storage:StorageAccount",
      "azure-native:keyvault:Vault",
      "azure-native:keyvault:Key",
      "azure-native:recoveryservices:Vault",
    ]),
    gcp: byType([
      "gcp:sql/databaseInstance:DatabaseInstance",
      "gcp:alloydb/cluster:Cluster",
      "gcp:spanner/instance:Instance",
      "gcp:storage/bucket:Bucket",
      "gcp:kms/keyRing:KeyRing",
      "gcp:kms/cryptoKey:CryptoKey",
      "gcp:bigquery/dataset:Dataset",
    ]),
  },
});
