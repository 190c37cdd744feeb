/** Name rules per cloud: each named type with a name the cloud refuses and one it accepts. */
import { strict as assert } from "node:assert";
import { UNKNOWN } from "../policies/harness";
import { deployabilityPack, res, ruleCases, type RuleCase } from "./cases";
import type { Cloud } from "../../policies/lib/types";

type Row = readonly [type: string, property: string, good: string, bad: string, match: RegExp];

function table(cloud: Cloud, rows: readonly Row[], extra: Record<string, unknown> = {}): RuleCase[] {
  return rows.flatMap(([type, property, good, bad, match], i): RuleCase[] => [
    {
      title: `${type} ${property} '${good}'`,
      cloud,
      expect: "accept",
      resource: res(type, `ok-${i}`, { ...extra, [property]: good }),
    },
    {
      title: `${type} ${property} '${bad}'`,
      cloud,
      expect: "reject",
      resource: res(type, `bad-${i}`, { ...extra, [property]: bad }),
      match,
    },
  ]);
}

const long = (n: number, c = "a") => c.repeat(n);

ruleCases(
  "enforce-aws-name-rules",
  table("aws", [
    ["aws:s3/bucket:Bucket", "bucket", "prod-primary-data-a1b2c3", "Prod_Data", /not allowed/],
    ["aws:s3/bucket:Bucket", "bucket", "my.bucket-1", "ab", /length 2, allowed 3-63/],
    ["aws:s3/bucket:Bucket", "bucket", "x-n-bucket", "xn--bucket", /reserved prefix/],
    ["aws:s3/bucket:Bucket", "bucket", "logs-s3", "logs-s3alias", /reserved suffix/],
    ["aws:s3/bucket:Bucket", "bucket", "a.b.c", "a..b", /adjacent periods/],
    ["aws:s3/bucketV2:BucketV2", "bucket", "data-bucket", "data-bucket-", /cannot end with '-'/],
    ["aws:rds/instance:Instance", "identifier", "prod-primary-pg", "1-pg", /cannot start with '1'/],
    ["aws:rds/instance:Instance", "identifier", "pg-a-b", "pg--a", /consecutive hyphens/],
    ["aws:rds/instance:Instance", "identifier", long(63), long(64), /length 64, allowed 1-63/],
    [
      "aws:rds/instance:Instance",
      "finalSnapshotIdentifier",
      "prod-pg-final-a1b2c3",
      "final-",
      /cannot end with '-'/,
    ],
    ["aws:rds/parameterGroup:ParameterGroup", "name", "prod-pg-postgres16", "pg_16", /not allowed/],
    ["aws:rds/subnetGroup:SubnetGroup", "name", "prod-pg-data", "default", /must not be 'default'/],
    ["aws:iam/role:Role", "name", long(64), long(65), /length 65, allowed 1-64/],
    ["aws:iam/rolePolicy:RolePolicy", "name", "flow-logs+write@x", "flow logs", /' ' not allowed/],
    ["aws:iam/policy:Policy", "name", long(128), long(129), /allowed 1-128/],
    [
      "aws:kms/alias:Alias",
      "name",
      "alias/prod-primary-site",
      "prod-primary-site",
      /must start with 'alias\/'/,
    ],
    ["aws:kms/alias:Alias", "name", "alias/aws-x/site", "alias/aws/site", /reserved for AWS managed keys/],
    [
      "aws:cloudwatch/logGroup:LogGroup",
      "name",
      "/platform/prod/primary",
      "/platform/prod primary",
      /' ' not allowed/,
    ],
    ["aws:sns/topic:Topic", "name", "prod-alerts-critical", "prod.alerts", /period is allowed only/],
    ["aws:sns/topic:Topic", "name", "prod-alerts.fifo", "prod alerts", /not allowed/],
  ]),
);

ruleCases(
  "enforce-azure-name-rules",
  table("azure", [
    [
      "azure-native:storage:StorageAccount",
      "accountName",
      "stprodsecse101c",
      "st-prod-sec",
      /'-' not allowed/,
    ],
    ["azure-native:storage:StorageAccount", "accountName", long(24), long(25), /allowed 3-24/],
    [
      "azure-native:keyvault:Vault",
      "vaultName",
      "kv-prod-sec-se101c",
      "kv-abcdefghijklmnop-sec-",
      /length 24|cannot end with '-'/,
    ],
    ["azure-native:keyvault:Vault", "vaultName", "kv-a-b", "kv-a--b", /consecutive hyphens/],
    ["azure-native:keyvault:Vault", "vaultName", "kv1", "1kv", /cannot start with '1'/],
    ["azure-native:keyvault:Key", "keyName", "secondary-site-key", "site_key", /not allowed/],
    [
      "azure-native:dbforpostgresql:Server",
      "serverName",
      "psql-prod-secondary-se101c",
      "psql-Prod",
      /'P' not allowed/,
    ],
    ["azure-native:dbforpostgresql:Server", "serverName", "psql-x", "psql-", /cannot end with '-'/],
    ["azure-native:operationalinsights:Workspace", "workspaceName", "log-prod", "log", /allowed 4-63/],
    [
      "azure-native:monitor:ActionGroup",
      "groupShortName",
      "prosec-high",
      "prod-secondary",
      /length 14, allowed 1-12/,
    ],
    [
      "azure-native:resources:ResourceGroup",
      "resourceGroupName",
      "rg-prod_(x).1",
      "rg-prod.",
      /cannot end with '\.'/,
    ],
    [
      "azure-native:managedidentity:UserAssignedIdentity",
      "resourceName",
      "id-prod-secondary-cmk",
      "id.prod",
      /not allowed/,
    ],
    ["azure-native:storage:BlobContainer", "containerName", "data", "data--x", /consecutive hyphens/],
    [
      "azure-native:network:VirtualNetwork",
      "virtualNetworkName",
      "vnet-prod_1",
      "vnet-prod-",
      /cannot end with '-'/,
    ],
    ["azure-native:network:VirtualNetwork", "virtualNetworkName", long(64), long(65), /allowed 2-64/],
    ["azure-native:network:Subnet", "subnetName", "snet-data", "-snet", /cannot start with '-'/],
    [
      "azure-native:network:NetworkSecurityGroup",
      "networkSecurityGroupName",
      "nsg-prod-data",
      "nsg prod",
      /not allowed/,
    ],
    ["azure-native:network:RouteTable", "routeTableName", "rt-prod-data", long(81), /allowed 1-80/],
    [
      "azure-native:network:PublicIPAddress",
      "publicIpAddressName",
      "pip-prod-nat",
      "pip-prod.",
      /cannot end with '\.'/,
    ],
    ["azure-native:network:NatGateway", "natGatewayName", "ng-prod", "ng/prod", /not allowed/],
    ["azure-native:network:PrivateEndpoint", "privateEndpointName", "pe-kv-prod", "p", /allowed 2-64/],
    [
      "azure-native:datafactory:Factory",
      "factoryName",
      "adf-prod-secondary-a1b2c3",
      "adf--prod",
      /consecutive/,
    ],
    ["azure-native:datafactory:Factory", "factoryName", "adf-prod", "adf-prod-", /cannot end with '-'/],
    [
      "azure-native:datafactory:IntegrationRuntime",
      "integrationRuntimeName",
      "vnet-ir",
      "ir",
      /allowed 3-63/,
    ],
    [
      "azure-native:datafactory:LinkedService",
      "linkedServiceName",
      "site_key_vault",
      "site-key-vault",
      /'-' not allowed/,
    ],
    [
      "azure-native:datafactory:Dataset",
      "datasetName",
      "source_objects",
      "source-objects",
      /'-' not allowed/,
    ],
    [
      "azure-native:datafactory:Pipeline",
      "pipelineName",
      "replicate-objects",
      "replicate.objects",
      /'\.' not allowed/,
    ],
    [
      "azure-native:datafactory:Trigger",
      "triggerName",
      "every-15-minutes",
      "15-minutes",
      /cannot start with '1'/,
    ],
    [
      "azure-native:datafactory:ManagedPrivateEndpoint",
      "managedPrivateEndpointName",
      "pe-blob",
      "pe-blob-",
      /cannot end with '-'/,
    ],
    [
      "azure-native:datafactory:CredentialOperation",
      "credentialName",
      "replication-identity",
      "-identity",
      /cannot start with '-'/,
    ],
    ["azure-native:keyvault:Secret", "secretName", "primary-object-store-key", "primary_key", /not allowed/],
    [
      "azure-native:managedidentity:FederatedIdentityCredential",
      "federatedIdentityCredentialResourceName",
      "secondary-transfer-service",
      "-transfer",
      /cannot start with '-'/,
    ],
    [
      "azure-native:resources:Deployment",
      "deploymentName",
      "prod-secondary-adf-vnet",
      long(65),
      /allowed 1-64/,
    ],
    [
      "azure-native:dbforpostgresql:Migration",
      "migrationName",
      "primarypgonline",
      "prod-pg-online",
      /not allowed/,
    ],
  ]),
);

ruleCases("enforce-gcp-name-rules", [
  ...table("gcp", [
    ["gcp:compute/network:Network", "name", "vpc-dev-primary", "Vpc_1", /not allowed/],
    ["gcp:compute/subnetwork:Subnetwork", "name", "snet-dev-primary-data", "1-snet", /cannot start with '1'/],
    ["gcp:compute/firewall:Firewall", "name", long(63), long(64), /allowed 1-63/],
    ["gcp:compute/router:Router", "name", "cr-dev-primary", "cr-dev-", /cannot end with '-'/],
    ["gcp:compute/routerNat:RouterNat", "name", "nat-dev-primary", "nat.dev", /not allowed/],
    ["gcp:compute/route:Route", "name", "dev-primary-google-apis", "-route", /cannot start with '-'/],
    ["gcp:compute/globalAddress:GlobalAddress", "name", "psa-dev-primary", "PSA", /not allowed/],
    [
      "gcp:sql/databaseInstance:DatabaseInstance",
      "name",
      "dev-primary-pg-e31d00",
      "1-pg",
      /must start with a letter/,
    ],
    ["gcp:storage/bucket:Bucket", "name", "dev-primary-data-e31d00", "goog-data", /goog/],
    ["gcp:storage/bucket:Bucket", "name", "data_bucket.example", "my-google-data", /google/],
    ["gcp:storage/bucket:Bucket", "name", long(63), long(64), /at most 63 characters/],
    ["gcp:kms/keyRing:KeyRing", "name", "dev-primary_site", "dev.primary", /not allowed/],
    ["gcp:kms/cryptoKey:CryptoKey", "name", "primary-site-key", long(64), /allowed 1-63/],
    ["gcp:serviceaccount/account:Account", "accountId", "sa-dev-primary", "sa-x", /allowed 6-30/],
    [
      "gcp:logging/projectBucketConfig:ProjectBucketConfig",
      "bucketId",
      "dev-primary-logs",
      "_logs",
      /cannot start with '_'/,
    ],
    ["gcp:logging/projectSink:ProjectSink", "name", "dev-primary-site-logs", long(101), /allowed 1-100/],
    ["gcp:dns/managedZone:ManagedZone", "name", "dev-primary-googleapis", "googleapis.com", /not allowed/],
    ["gcp:container/cluster:Cluster", "name", "dev-primary-gke", long(41), /allowed 1-40/],
    ["gcp:container/nodePool:NodePool", "name", "general", "1-general", /cannot start with '1'/],
    [
      "gcp:artifactregistry/repository:Repository",
      "repositoryId",
      "dev-primary-images",
      "images-",
      /cannot end with '-'/,
    ],
  ]),
  {
    title: "Cloud SQL project:instance longer than 98 characters",
    cloud: "gcp",
    expect: "reject",
    resource: res("gcp:sql/databaseInstance:DatabaseInstance", "long-sql", {
      name: `pg-${long(70)}`,
      project: long(30, "p"),
    }),
    match: /at most 98/,
  },
  {
    title: "Cloud SQL project:instance within 98 characters",
    cloud: "gcp",
    expect: "accept",
    resource: res("gcp:sql/databaseInstance:DatabaseInstance", "short-sql", {
      name: `pg-${long(60)}`,
      project: long(30, "p"),
    }),
  },
]);

describe("names computed during preview", () => {
  it("an unknown name (a random suffix on first create) gives the advisory 'can't run during preview', not a pass or a failure", async () => {
    const server = await deployabilityPack();
    const diags = (
      await server.analyze(res("aws:s3/bucket:Bucket", "unknown-name", { bucket: UNKNOWN }))
    ).filter((d) => d.policyName === "enforce-aws-name-rules");
    assert.ok(diags.length > 0, "expected the server's advisory result");
    for (const d of diags) {
      assert.equal(d.enforcementLevel, "advisory");
      assert.match(d.message, /can't run policy .* during preview/);
    }
  });

  it("an unset name (the provider auto-names) passes", async () => {
    const server = await deployabilityPack();
    const diags = (await server.analyze(res("aws:iam/role:Role", "auto-named", {}))).filter(
      (d) => d.policyName === "enforce-aws-name-rules",
    );
    assert.deepEqual(diags, []);
  });
});
