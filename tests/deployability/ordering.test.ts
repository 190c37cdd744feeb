/**
 * Ordering and reachability: consumers of keys, roles and grants depend on them (stacks built as the
 * engine sends them, with property dependencies and unknown ids), and closed services have a private path.
 */
import { UNKNOWN, type TestResource } from "../policies/harness";
import { res, ruleCases } from "./cases";

const sub = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-prod";

// ---------------------------------------------------------------------------------------------------------
// Azure: Key Vault key consumers wait for the identity's grant

const identity = res("azure-native:managedidentity:UserAssignedIdentity", "cmk-identity", {
  resourceName: "id-prod-cmk",
  resourceGroupName: "rg-prod",
  principalId: UNKNOWN,
});
const vault = res("azure-native:keyvault:Vault", "vault", {
  vaultName: "kv-prod-x",
  resourceGroupName: "rg-prod",
  properties: { enableRbacAuthorization: true },
});
const grant = res(
  "azure-native:authorization:RoleAssignment",
  "crypto-user",
  { principalId: UNKNOWN, scope: UNKNOWN, roleDefinitionId: "e147488a-f6f5-4113-8e2d-b22465e65bf6" },
  { propertyDependencies: { principalId: ["cmk-identity"], scope: ["vault"] } },
);
const cmkAccount = (dependencies: string[]): TestResource =>
  res(
    "azure-native:storage:StorageAccount",
    "account",
    {
      accountName: "stprodx",
      encryption: {
        keySource: "Microsoft.Keyvault",
        keyVaultProperties: { keyName: "site-key", keyVaultUri: "https://kv-prod-x.vault.azure.net/" },
        encryptionIdentity: {
          encryptionUserAssignedIdentity: `${sub}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-prod-cmk`,
        },
      },
      identity: { type: "UserAssigned" },
    },
    { propertyDependencies: { encryption: ["cmk-identity", "vault"] }, dependencies },
  );
const cmkServer = (dependencies: string[]): TestResource =>
  res(
    "azure-native:dbforpostgresql:Server",
    "server",
    {
      serverName: "psql-prod-x",
      dataEncryption: {
        type: "AzureKeyVault",
        primaryKeyURI: "https://kv-prod-x.vault.azure.net/keys/site-key",
        primaryUserAssignedIdentityId: UNKNOWN,
      },
    },
    { propertyDependencies: { dataEncryption: ["cmk-identity", "vault"] }, dependencies },
  );

ruleCases("require-azure-key-grant-before-use", [
  {
    title: "storage account with a customer-managed key created alongside its identity's grant",
    cloud: "azure",
    expect: "reject",
    stack: [identity, vault, grant, cmkAccount([])],
    on: "account",
    match: /does not depend on the grant of identity 'id-prod-cmk' on vault 'kv-prod-x' \(crypto-user\)/,
  },
  {
    title: "storage account that depends on the grant",
    cloud: "azure",
    expect: "accept",
    stack: [identity, vault, grant, cmkAccount(["crypto-user"])],
  },
  {
    title: "storage account whose identity has no grant at all",
    cloud: "azure",
    expect: "reject",
    stack: [identity, vault, cmkAccount([])],
    match: /no role assignment in the stack grants identity/,
  },
  {
    title: "PostgreSQL server with data encryption created alongside the grant",
    cloud: "azure",
    expect: "reject",
    stack: [identity, vault, grant, cmkServer([])],
    on: "server",
    match: /concepts-data-encryption/,
  },
  {
    title: "PostgreSQL server that waits for the grant through another resource",
    cloud: "azure",
    expect: "accept",
    stack: [
      identity,
      vault,
      grant,
      res("azure-native:keyvault:Key", "key", { keyName: "site-key" }, { dependencies: ["crypto-user"] }),
      cmkServer(["key"]),
    ],
  },
]);

// ---------------------------------------------------------------------------------------------------------
// AWS: flow logs and replication wait for their role's policy

const role = (name: string, props: Record<string, unknown> = {}) =>
  res("aws:iam/role:Role", name, { name: `${name}-1234567`, arn: UNKNOWN, ...props });
const rolePolicy = (name: string, roleName: string) =>
  res(
    "aws:iam/rolePolicy:RolePolicy",
    name,
    { role: UNKNOWN, policy: "{}" },
    { propertyDependencies: { role: [roleName] } },
  );
const flowLog = (dependencies: string[]) =>
  res(
    "aws:ec2/flowLog:FlowLog",
    "flow-log",
    { iamRoleArn: UNKNOWN, logDestinationType: "cloud-watch-logs", trafficType: "ALL" },
    { propertyDependencies: { iamRoleArn: ["flow-role"] }, dependencies },
  );
const replication = (dependencies: string[]) =>
  res(
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    "replication",
    { bucket: "data", role: "arn:aws:iam::111111111111:role/replication-role-1234567", rules: [] },
    { dependencies },
  );

ruleCases("require-aws-role-policy-before-use", [
  {
    title: "flow log created alongside its role's inline policy",
    cloud: "aws",
    expect: "reject",
    stack: [role("flow-role"), rolePolicy("flow-policy", "flow-role"), flowLog([])],
    on: "flow-log",
    match: /does not depend on its policy \(flow-policy\)/,
  },
  {
    title: "flow log that depends on the role policy",
    cloud: "aws",
    expect: "accept",
    stack: [role("flow-role"), rolePolicy("flow-policy", "flow-role"), flowLog(["flow-policy"])],
  },
  {
    title: "flow log whose role carries its policy inline",
    cloud: "aws",
    expect: "accept",
    stack: [role("flow-role", { inlinePolicies: [{ name: "write", policy: "{}" }] }), flowLog([])],
  },
  {
    title: "replication configuration naming its role by ARN, without waiting for the attachment",
    cloud: "aws",
    expect: "reject",
    stack: [
      role("replication-role"),
      res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "replication-attach", {
        role: "replication-role-1234567",
        policyArn: "arn:aws:iam::111111111111:policy/replicate",
      }),
      replication([]),
    ],
    on: "replication",
    match: /replication-attach/,
  },
  {
    title: "replication configuration whose role has no policy",
    cloud: "aws",
    expect: "reject",
    stack: [role("replication-role"), replication([])],
    match: /has no permissions policy/,
  },
  {
    title: "replication configuration that depends on the attachment",
    cloud: "aws",
    expect: "accept",
    stack: [
      role("replication-role"),
      res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "replication-attach", {
        role: "replication-role-1234567",
        policyArn: "arn:aws:iam::111111111111:policy/replicate",
      }),
      replication(["replication-attach"]),
    ],
  },
]);

// ---------------------------------------------------------------------------------------------------------
// Azure: VNet flow log waits for its writer role on the storage account

const flowIdentity = res("azure-native:managedidentity:UserAssignedIdentity", "flow-identity", {
  resourceName: "id-prod-flowlogs",
  principalId: UNKNOWN,
});
const flowAccount = res("azure-native:storage:StorageAccount", "flow-account", { accountName: "stprodfl" });
const writer = res(
  "azure-native:authorization:RoleAssignment",
  "flow-writer",
  { principalId: UNKNOWN, scope: UNKNOWN },
  { propertyDependencies: { principalId: ["flow-identity"], scope: ["flow-account"] } },
);
const vnetFlowLog = (dependencies: string[]) =>
  res(
    "azure-native:network:FlowLog",
    "vnet-flow-log",
    {
      storageId: `${sub}/providers/Microsoft.Storage/storageAccounts/stprodfl`,
      identity: { type: "UserAssigned", userAssignedIdentities: [UNKNOWN] },
    },
    { propertyDependencies: { identity: ["flow-identity"], storageId: ["flow-account"] }, dependencies },
  );

ruleCases("require-azure-flow-log-writer-grant-before-use", [
  {
    title: "flow log created alongside its writer role",
    cloud: "azure",
    expect: "reject",
    stack: [flowIdentity, flowAccount, writer, vnetFlowLog([])],
    on: "vnet-flow-log",
    match: /does not depend on its writer role on storage account 'stprodfl' \(flow-writer\)/,
  },
  {
    title: "flow log that depends on its writer role",
    cloud: "azure",
    expect: "accept",
    stack: [flowIdentity, flowAccount, writer, vnetFlowLog(["flow-writer"])],
  },
  {
    title: "flow log whose identity has no role on the account",
    cloud: "azure",
    expect: "reject",
    stack: [flowIdentity, flowAccount, vnetFlowLog([])],
    match: /no role assignment/,
  },
]);

// ---------------------------------------------------------------------------------------------------------
// GCP: CMEK consumers wait for the key grant to their service agent

const ring = "projects/p/locations/europe-west1/keyRings/site";
const key = res("gcp:kms/cryptoKey:CryptoKey", "key", { keyRing: ring, name: "site-key" });
const keyGrant = (name: string, agent: string) =>
  res(
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
    name,
    {
      cryptoKeyId: UNKNOWN,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: `serviceAccount:service-1@${agent}`,
    },
    { propertyDependencies: { cryptoKeyId: ["key"] } },
  );
const sql = (dependencies: string[]) =>
  res(
    "gcp:sql/databaseInstance:DatabaseInstance",
    "sql",
    { name: "pg-x", encryptionKeyName: UNKNOWN },
    { propertyDependencies: { encryptionKeyName: ["key"] }, dependencies },
  );

ruleCases("require-gcp-key-grant-before-use", [
  {
    title: "Cloud SQL instance created alongside its agent's key grant",
    cloud: "gcp",
    expect: "reject",
    stack: [key, keyGrant("sql-grant", "gcp-sa-cloud-sql.iam.gserviceaccount.com"), sql([])],
    on: "sql",
    match: /does not depend on the grant of key 'site-key'.*\(sql-grant\)/,
  },
  {
    title: "Cloud SQL instance that depends on the grant",
    cloud: "gcp",
    expect: "accept",
    stack: [key, keyGrant("sql-grant", "gcp-sa-cloud-sql.iam.gserviceaccount.com"), sql(["sql-grant"])],
  },
  {
    title: "Cloud SQL instance whose only key grant is for another service's agent",
    cloud: "gcp",
    expect: "reject",
    stack: [key, keyGrant("gcs-grant", "gs-project-accounts.iam.gserviceaccount.com"), sql(["gcs-grant"])],
    match: /no grant in the stack gives key 'site-key' to the gcp-sa-cloud-sql/,
  },
  {
    title: "bucket with a default KMS key naming the key by its full name, depending on its agent's grant",
    cloud: "gcp",
    expect: "accept",
    stack: [
      key,
      keyGrant("gcs-grant", "gs-project-accounts.iam.gserviceaccount.com"),
      res(
        "gcp:storage/bucket:Bucket",
        "bucket",
        { name: "data-x", encryption: { defaultKmsKeyName: `${ring}/cryptoKeys/site-key` } },
        { dependencies: ["gcs-grant"] },
      ),
    ],
  },
  {
    title: "log bucket with CMEK and no grant to the Logging agent",
    cloud: "gcp",
    expect: "reject",
    stack: [
      key,
      res(
        "gcp:logging/projectBucketConfig:ProjectBucketConfig",
        "log-bucket",
        { bucketId: "logs", cmekSettings: { kmsKeyName: UNKNOWN } },
        { propertyDependencies: { cmekSettings: ["key"] } },
      ),
    ],
    on: "log-bucket",
  },
  {
    title: "GKE cluster encrypting secrets with the key alongside the GKE agent's grant",
    cloud: "gcp",
    expect: "reject",
    stack: [
      key,
      keyGrant("gke-grant", "container-engine-robot.iam.gserviceaccount.com"),
      res(
        "gcp:container/cluster:Cluster",
        "gke",
        { name: "dev-primary-gke", databaseEncryption: { state: "ENCRYPTED", keyName: UNKNOWN } },
        { propertyDependencies: { databaseEncryption: ["key"] } },
      ),
    ],
    on: "gke",
    match: /does not depend on the grant of key 'site-key' to the container-engine-robot/,
  },
  {
    title: "GKE cluster, node pool boot disks and Artifact Registry repository after their agents' grants",
    cloud: "gcp",
    expect: "accept",
    stack: [
      key,
      keyGrant("gke-grant", "container-engine-robot.iam.gserviceaccount.com"),
      keyGrant("compute-grant", "compute-system.iam.gserviceaccount.com"),
      keyGrant("ar-grant", "gcp-sa-artifactregistry.iam.gserviceaccount.com"),
      res(
        "gcp:container/cluster:Cluster",
        "gke",
        { name: "dev-primary-gke", databaseEncryption: { state: "ENCRYPTED", keyName: UNKNOWN } },
        { propertyDependencies: { databaseEncryption: ["key"] }, dependencies: ["gke-grant"] },
      ),
      res(
        "gcp:container/nodePool:NodePool",
        "pool",
        { name: "general", nodeConfig: { bootDiskKmsKey: UNKNOWN } },
        { propertyDependencies: { nodeConfig: ["key"] }, dependencies: ["compute-grant"] },
      ),
      res(
        "gcp:artifactregistry/repository:Repository",
        "repo",
        { repositoryId: "dev-primary-images", kmsKeyName: UNKNOWN },
        { propertyDependencies: { kmsKeyName: ["key"] }, dependencies: ["ar-grant"] },
      ),
    ],
  },
  {
    title: "Artifact Registry repository with CMEK and no grant to its agent",
    cloud: "gcp",
    expect: "reject",
    stack: [
      key,
      keyGrant("gke-grant", "container-engine-robot.iam.gserviceaccount.com"),
      res(
        "gcp:artifactregistry/repository:Repository",
        "repo",
        { repositoryId: "dev-primary-images", kmsKeyName: UNKNOWN },
        { propertyDependencies: { kmsKeyName: ["key"] }, dependencies: ["gke-grant"] },
      ),
    ],
    on: "repo",
    match: /no grant in the stack gives key 'site-key' to the gcp-sa-artifactregistry/,
  },
]);

// ---------------------------------------------------------------------------------------------------------
// Reachability: closed services have a private endpoint

const closedVault = res("azure-native:keyvault:Vault", "closed-vault", {
  vaultName: "kv-prod-x",
  properties: { publicNetworkAccess: "Disabled" },
});
const closedAccount = res("azure-native:storage:StorageAccount", "closed-account", {
  accountName: "stprodx",
  publicNetworkAccess: "Disabled",
});
const endpoint = (name: string, target: string, id: unknown) =>
  res(
    "azure-native:network:PrivateEndpoint",
    name,
    { privateLinkServiceConnections: [{ name, privateLinkServiceId: id, groupIds: ["vault"] }] },
    { propertyDependencies: target ? { privateLinkServiceConnections: [target] } : {} },
  );

ruleCases("require-private-endpoint-for-closed-services", [
  {
    title: "Key Vault with public network access disabled and no private endpoint",
    cloud: "azure",
    expect: "reject",
    stack: [closedVault],
    on: "closed-vault",
    match: /Key Vault 'kv-prod-x' has properties.publicNetworkAccess Disabled but no private endpoint/,
  },
  {
    title: "Key Vault with a private endpoint targeting it (id unknown during preview)",
    cloud: "azure",
    expect: "accept",
    stack: [closedVault, endpoint("pe-vault", "closed-vault", UNKNOWN)],
  },
  {
    title: "storage account closed to the public, private endpoint for another resource only",
    cloud: "azure",
    expect: "reject",
    stack: [closedVault, closedAccount, endpoint("pe-vault", "closed-vault", UNKNOWN)],
    on: "closed-account",
  },
  {
    title: "storage account with a private endpoint naming it by ARM id",
    cloud: "azure",
    expect: "accept",
    stack: [
      closedAccount,
      endpoint("pe-blob", "", `${sub}/providers/Microsoft.Storage/storageAccounts/stprodx`),
    ],
  },
]);

// ---------------------------------------------------------------------------------------------------------
// AWS: a CloudTrail trail waits for its bucket's policy (and its CloudWatch Logs role's policy)

const trailBucket = res("aws:s3/bucket:Bucket", "trail-bucket", {
  bucket: "prod-primary-audit-trail-x1y2z3",
  objectLockEnabled: true,
});
const trailBucketPolicy = res(
  "aws:s3/bucketPolicy:BucketPolicy",
  "trail-bucket-policy",
  { bucket: UNKNOWN, policy: UNKNOWN },
  { propertyDependencies: { bucket: ["trail-bucket"] } },
);
const trail = (dependencies: string[], props: Record<string, unknown> = {}): TestResource =>
  res(
    "aws:cloudtrail/trail:Trail",
    "trail",
    { name: "prod-primary-audit-trail", s3BucketName: UNKNOWN, isMultiRegionTrail: true, ...props },
    { propertyDependencies: { s3BucketName: ["trail-bucket"] }, dependencies },
  );

ruleCases("require-cloudtrail-bucket-policy-before-trail", [
  {
    title: "trail created alongside its bucket's policy",
    cloud: "aws",
    expect: "reject",
    stack: [trailBucket, trailBucketPolicy, trail([])],
    on: "trail",
    match: /does not depend on the policy .*trail-bucket-policy/,
  },
  {
    title: "trail whose bucket has no policy in the stack",
    cloud: "aws",
    expect: "reject",
    stack: [trailBucket, trail([])],
    on: "trail",
    match: /has no bucket policy/,
  },
  {
    title: "trail that depends on its bucket's policy",
    cloud: "aws",
    expect: "accept",
    stack: [trailBucket, trailBucketPolicy, trail(["trail-bucket-policy"])],
  },
  {
    title: "trail delivering to a bucket of another stack",
    cloud: "aws",
    expect: "accept",
    stack: [
      res("aws:cloudtrail/trail:Trail", "org-trail", {
        name: "org-trail",
        s3BucketName: "central-audit-logs",
      }),
    ],
  },
]);

ruleCases("require-aws-role-policy-before-use", [
  {
    title: "trail whose CloudWatch Logs role policy may come after it",
    cloud: "aws",
    expect: "reject",
    stack: [
      role("trail-role"),
      rolePolicy("trail-role-policy", "trail-role"),
      res(
        "aws:cloudtrail/trail:Trail",
        "trail-cw",
        { name: "trail", s3BucketName: "b", cloudWatchLogsRoleArn: UNKNOWN },
        { propertyDependencies: { cloudWatchLogsRoleArn: ["trail-role"] } },
      ),
    ],
    on: "trail-cw",
    match: /cloudWatchLogsRoleArn names role .* does not depend on its policy \(trail-role-policy\)/,
  },
]);
