/**
 * Behaviour cases that pin each control's verdict down to the boundary: exact messages, values at and
 * either side of a limit, `every` vs `some` over lists, unset vs false, wildcard spellings. They are data
 * (no mocha calls) so that both the suite (behaviour.test.ts) and the CI mutation check
 * (mutation-check.test.ts) can run them, the latter against mutated copies of the controls.
 */
import type { ResourceCase } from "./cases";
import type { TestResource } from "./harness";

const r = (type: string, name: string, props: Record<string, unknown>): TestResource => ({
  type,
  name,
  props,
});

/** A rejection with exactly these messages. */
const reject = (
  cloud: ResourceCase["cloud"],
  title: string,
  resource: TestResource,
  ...messages: string[]
): ResourceCase => ({ cloud, expect: "reject", title, resource, messages });
const accept = (cloud: ResourceCase["cloud"], title: string, resource: TestResource): ResourceCase => ({
  cloud,
  expect: "accept",
  title,
  resource,
});

const gcpBucket = (props: Record<string, unknown>) => r("gcp:storage/bucket:Bucket", "b", props);
const azureAccount = (props: Record<string, unknown>) =>
  r("azure-native:storage:StorageAccount", "sa", props);
const vault = (props: Record<string, unknown>) =>
  r("azure-native:keyvault:Vault", "kv", {
    properties: { tenantId: "t", sku: { family: "A", name: "premium" }, ...props },
  });
const gcpSecret = (replication: Record<string, unknown>) =>
  r("gcp:secretmanager/secret:Secret", "s", { replication });
const iamPolicy = (statements: Record<string, unknown>[]) =>
  r("aws:iam/policy:Policy", "p", {
    policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
  });
const cmkReplica = (location: string) => ({
  location,
  customerManagedEncryption: { kmsKeyName: `projects/p/locations/${location}/keyRings/r/cryptoKeys/k` },
});

const logGroup = (props: Record<string, unknown>) => r("aws:cloudwatch/logGroup:LogGroup", "lg", props);
const workspace = (props: Record<string, unknown>) =>
  r("azure-native:operationalinsights:Workspace", "ws", props);
const flowLog = (retentionPolicy: Record<string, unknown>) =>
  r("azure-native:network:FlowLog", "fl", { retentionPolicy });
const dev = { environment: "dev" };

const ublaMessage = "uniformBucketLevelAccess is not true (object ACLs apply)";
const saDefaultDeny = "networkRuleSet.defaultAction is not Deny and publicNetworkAccess is not Disabled";
const kvDefaultDeny =
  "properties.networkAcls.defaultAction is not Deny and properties.publicNetworkAccess is not Disabled";
const replicaMessage = "a user-managed replica lacks customerManagedEncryption.kmsKeyName";

export const behaviourCases: Record<string, readonly ResourceCase[]> = {
  "enforce-identity-based-storage-access": [
    reject("gcp", "uniformBucketLevelAccess unset", gcpBucket({ location: "EU" }), ublaMessage),
    reject(
      "gcp",
      "uniformBucketLevelAccess false",
      gcpBucket({ uniformBucketLevelAccess: false }),
      ublaMessage,
    ),
    accept("gcp", "uniformBucketLevelAccess true", gcpBucket({ uniformBucketLevelAccess: true })),
    reject(
      "azure",
      "allowSharedKeyAccess unset (keys work by default)",
      azureAccount({ kind: "StorageV2" }),
      "allowSharedKeyAccess is not false (account keys and SAS work)",
    ),
    reject(
      "azure",
      "allowSharedKeyAccess true",
      azureAccount({ allowSharedKeyAccess: true }),
      "allowSharedKeyAccess is not false (account keys and SAS work)",
    ),
    reject(
      "aws",
      "ownership controls without a rule",
      r("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "oc", { bucket: "b" }),
      "rule.objectOwnership is unset; use BucketOwnerEnforced (ACLs disabled)",
    ),
    reject(
      "aws",
      "BucketOwnerPreferred keeps ACLs",
      r("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "oc", {
        bucket: "b",
        rule: { objectOwnership: "BucketOwnerPreferred" },
      }),
      "rule.objectOwnership is BucketOwnerPreferred; use BucketOwnerEnforced (ACLs disabled)",
    ),
  ],

  "enforce-network-default-deny": [
    reject(
      "azure",
      "defaultAction Allow with public access enabled",
      azureAccount({ publicNetworkAccess: "Enabled", networkRuleSet: { defaultAction: "Allow" } }),
      saDefaultDeny,
    ),
    reject("azure", "storage account with no network rules", azureAccount({}), saDefaultDeny),
    accept(
      "azure",
      "defaultAction Deny with public access enabled",
      azureAccount({ publicNetworkAccess: "Enabled", networkRuleSet: { defaultAction: "Deny" } }),
    ),
    accept(
      "azure",
      "public access Disabled with defaultAction Allow",
      azureAccount({ publicNetworkAccess: "Disabled", networkRuleSet: { defaultAction: "Allow" } }),
    ),
    accept("azure", "lower-case deny", azureAccount({ networkRuleSet: { defaultAction: "deny" } })),
    reject(
      "azure",
      "vault defaultAction Allow with public access enabled",
      vault({ publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Allow" } }),
      kvDefaultDeny,
    ),
    reject(
      "azure",
      "vault with public access enabled and no network ACLs",
      vault({ publicNetworkAccess: "Enabled" }),
      kvDefaultDeny,
    ),
    accept(
      "azure",
      "vault defaultAction Deny with public access enabled",
      vault({ publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Deny" } }),
    ),
    accept(
      "azure",
      "vault public access Disabled with defaultAction Allow",
      vault({ publicNetworkAccess: "Disabled", networkAcls: { defaultAction: "Allow" } }),
    ),
  ],

  "enforce-secrets-encryption-cmk": [
    reject(
      "gcp",
      "one of two user-managed replicas without a key",
      gcpSecret({ userManaged: { replicas: [cmkReplica("europe-west1"), { location: "europe-west4" }] } }),
      replicaMessage,
    ),
    reject(
      "gcp",
      "no user-managed replica has a key",
      gcpSecret({ userManaged: { replicas: [{ location: "europe-west1" }, { location: "europe-west4" }] } }),
      replicaMessage,
    ),
    accept(
      "gcp",
      "every user-managed replica has a key",
      gcpSecret({ userManaged: { replicas: [cmkReplica("europe-west1"), cmkReplica("europe-west4")] } }),
    ),
    reject(
      "gcp",
      "user-managed replication without replicas",
      gcpSecret({ userManaged: { replicas: [] } }),
      "replication does not configure customer-managed encryption",
    ),
    reject(
      "gcp",
      "no replication block",
      gcpSecret({}),
      "replication does not configure customer-managed encryption",
    ),
    reject(
      "gcp",
      "automatic replication with a Google-managed key",
      gcpSecret({ auto: {} }),
      "replication.auto.customerManagedEncryption.kmsKeyName is unset (Google-managed key)",
    ),
    accept(
      "gcp",
      "automatic replication with a customer-managed key",
      gcpSecret({ auto: { customerManagedEncryption: { kmsKeyName: "k" } } }),
    ),
    reject(
      "aws",
      "secret without kmsKeyId",
      r("aws:secretsmanager/secret:Secret", "s", { name: "db" }),
      "kmsKeyId is unset (AWS-managed aws/secretsmanager key)",
    ),
  ],

  "disallow-wildcard-iam-policies": [
    reject(
      "aws",
      'Action "*:*" on Resource "*"',
      iamPolicy([{ Sid: "All", Effect: "Allow", Action: "*:*", Resource: "*" }]),
      'statement All allows Action "*" on Resource "*"',
    ),
    reject(
      "aws",
      'Action "*" among others, statement without a Sid is named by its index',
      iamPolicy([
        { Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
        { Effect: "Allow", Action: ["s3:GetObject", "*"], Resource: ["arn:aws:s3:::b", "*"] },
      ]),
      'statement 1 allows Action "*" on Resource "*"',
    ),
    reject(
      "aws",
      'upper-case "IAM:*"',
      iamPolicy([{ Sid: "Iam", Effect: "Allow", Action: "IAM:*", Resource: "*" }]),
      'statement Iam allows Action "iam:*" on Resource "*" (can grant itself every action)',
    ),
    reject(
      "aws",
      "Allow with NotAction on every resource",
      iamPolicy([{ Sid: "Not", Effect: "Allow", NotAction: "iam:*", Resource: "*" }]),
      'statement Not allows every action except NotAction on Resource "*"',
    ),
    reject(
      "aws",
      "role inline policy with every action, lower-case effect",
      r("aws:iam/role:Role", "role", {
        inlinePolicies: [
          {
            name: "ok",
            policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }),
          },
          {
            name: "admin",
            policy: JSON.stringify({
              Statement: [{ Sid: "A", Effect: "allow", Action: "*", Resource: "*" }],
            }),
          },
        ],
      }),
      'statement A allows Action "*" on Resource "*"',
    ),
    reject(
      "aws",
      'Action "*" with NotResource (every resource but one)',
      iamPolicy([{ Sid: "Nr", Effect: "Allow", Action: "*", NotResource: "arn:aws:s3:::hr-bucket" }]),
      'statement Nr allows Action "*" on every resource except NotResource',
    ),
    reject(
      "aws",
      '"iam:*" with NotResource',
      iamPolicy([
        { Sid: "NrIam", Effect: "Allow", Action: "iam:*", NotResource: ["arn:aws:iam::111111111111:role/x"] },
      ]),
      'statement NrIam allows Action "iam:*" on every resource except NotResource (can grant itself every action)',
    ),
    accept(
      "aws",
      "Deny of every action with NotResource",
      iamPolicy([{ Effect: "Deny", Action: "*", NotResource: "arn:aws:s3:::hr-bucket" }]),
    ),
    accept(
      "aws",
      "one service's actions with NotResource",
      iamPolicy([{ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::hr-bucket/*" }]),
    ),
    accept("aws", "Deny of every action", iamPolicy([{ Effect: "Deny", Action: "*", Resource: "*" }])),
    accept(
      "aws",
      'every action on a named resource (not "*")',
      iamPolicy([{ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b/*" }]),
    ),
    accept(
      "aws",
      "Allow with NotAction on a named resource",
      iamPolicy([{ Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::b" }]),
    ),
    accept(
      "aws",
      "service wildcard other than iam",
      iamPolicy([{ Effect: "Allow", Action: "s3:*", Resource: "*" }]),
    ),
    reject(
      "azure",
      'second permission block grants "*"',
      r("azure-native:authorization:RoleDefinition", "rd", {
        permissions: [{ actions: ["Microsoft.Storage/*/read"] }, { actions: ["*"] }],
      }),
      'permissions grant actions "*" (a custom owner role)',
    ),
    accept(
      "azure",
      "no permission block grants every action",
      r("azure-native:authorization:RoleDefinition", "rd", {
        permissions: [{ actions: ["Microsoft.Storage/*/read"] }, { actions: ["Microsoft.Compute/*"] }],
      }),
    ),
  ],

  "enforce-log-retention": [
    accept("aws", "retention exactly at the production minimum (365)", logGroup({ retentionInDays: 365 })),
    reject(
      "aws",
      "one day under the production minimum",
      logGroup({ retentionInDays: 364 }),
      "retentionInDays is 364; keep logs at least 365 days",
    ),
    accept("aws", "unset keeps logs forever", logGroup({})),
    accept("aws", "0 keeps logs forever", logGroup({ retentionInDays: 0 })),
    reject(
      "azure",
      "workspace default (30 days) in production",
      workspace({}),
      "retentionInDays is 30 (default); keep logs at least 365 days",
    ),
    reject(
      "azure",
      "workspace 0 days is not forever",
      workspace({ retentionInDays: 0 }),
      "retentionInDays is 0; keep logs at least 365 days",
    ),
    accept("azure", "workspace at the production minimum", workspace({ retentionInDays: 365 })),
    {
      ...accept("azure", "workspace default meets the non-production minimum (30)", workspace({})),
      settings: dev,
    },
    {
      ...reject(
        "azure",
        "one day under the non-production minimum",
        workspace({ retentionInDays: 29 }),
        "retentionInDays is 29; keep logs at least 30 days",
      ),
      settings: dev,
    },
    reject(
      "azure",
      "flow log retention enabled for 90 days",
      flowLog({ enabled: true, days: 90 }),
      "retentionPolicy.days is 90; keep logs at least 365 days",
    ),
    accept("azure", "flow log retention disabled (kept forever)", flowLog({ enabled: false, days: 7 })),
    accept("azure", "flow log retention enabled with 0 days (forever)", flowLog({ enabled: true, days: 0 })),
    reject(
      "gcp",
      "project bucket default (30 days)",
      r("gcp:logging/projectBucketConfig:ProjectBucketConfig", "lb", { bucketId: "audit" }),
      "retentionDays is 30 (default); keep logs at least 365 days",
    ),
    accept(
      "gcp",
      "project bucket at the production minimum",
      r("gcp:logging/projectBucketConfig:ProjectBucketConfig", "lb", {
        bucketId: "audit",
        retentionDays: 365,
      }),
    ),
  ],
};
