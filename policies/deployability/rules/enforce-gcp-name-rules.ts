/**
 * GCP names the program sets explicitly must fit each API's naming rules: Compute Engine refuses names
 * that are not RFC 1035 labels, Cloud SQL, Cloud Storage, Cloud KMS, IAM and Cloud Logging refuse ids
 * outside their own patterns, each with a 400 `invalid` error only when `pulumi up` calls the API.
 */
import { get, str } from "../../lib/props";
import { nameCheck, nameMessage, nameProblems, type NameSpec } from "../lib/names";
import type { Rule, RuleResourceCheck } from "../lib/rule";

const rfc1035 = (what: string): NameSpec => ({
  what,
  minLength: 1,
  maxLength: 63,
  allowed: /[a-z0-9-]/,
  allowedText: "lowercase letters, digits and hyphens",
  first: /[a-z]/,
  firstText: "first character must be a lowercase letter",
  last: /[a-z0-9]/,
  lastText: "last character must be a lowercase letter or digit",
  source: {
    url: "https://cloud.google.com/compute/docs/naming-resources#resource-name-format",
    quote:
      "Resource names must be 1-63 characters long and match the regular expression [a-z]([-a-z0-9]*[a-z0-9])? (RFC 1035).",
  },
});

const cloudSqlSource = {
  url: "https://cloud.google.com/sql/docs/postgres/create-instance",
  quote:
    "The instance ID is composed of lowercase letters, numbers, and hyphens, and it must start with a letter. The total length of project-ID:instance-ID must be 98 characters or less.",
};
const cloudSqlInstance: NameSpec = {
  what: "Cloud SQL instance ID",
  minLength: 1,
  maxLength: 97,
  allowed: /[a-z0-9-]/,
  allowedText: "lowercase letters, numbers and hyphens",
  first: /[a-z]/,
  firstText: "must start with a letter",
  source: cloudSqlSource,
};

const gcsBucket: NameSpec = {
  what: "Cloud Storage bucket name",
  minLength: 3,
  maxLength: 222,
  allowed: /[a-z0-9_.-]/,
  allowedText: "lowercase letters, numeric characters, dashes, underscores and dots",
  first: /[a-z0-9]/,
  firstText: "must start with a number or letter",
  last: /[a-z0-9]/,
  lastText: "must end with a number or letter",
  refused: [
    { pattern: /^[^.]{64,}$/, reason: "names without dots can have at most 63 characters" },
    {
      pattern: /(^|\.)[^.]{64,}(\.|$)/,
      reason: "each dot-separated component can be no longer than 63 characters",
    },
    { pattern: /^\d{1,3}(\.\d{1,3}){3}$/, reason: "cannot be represented as an IP address" },
    { pattern: /^goog/, reason: "cannot begin with the 'goog' prefix" },
    { pattern: /g[o0][o0]g[l1]e/, reason: "cannot contain 'google' or close misspellings" },
  ],
  source: {
    url: "https://cloud.google.com/storage/docs/buckets#naming",
    quote:
      "Bucket names can only contain lowercase letters, numeric characters, dashes (-), underscores (_), and dots (.); must start and end with a number or letter; must contain 3-63 characters (names containing dots up to 222, each component no longer than 63); cannot be represented as an IP address; cannot begin with the goog prefix; cannot contain google or close misspellings.",
  },
};

const kms = (what: string): NameSpec => ({
  what,
  minLength: 1,
  maxLength: 63,
  allowed: /[A-Za-z0-9_-]/,
  allowedText: "letters, numbers, underscores and hyphens",
  source: {
    url: "https://cloud.google.com/kms/docs/resource-hierarchy",
    quote: "Key ring and key names must match [a-zA-Z0-9_-]{1,63}.",
  },
});

const serviceAccount: NameSpec = {
  what: "service account ID",
  minLength: 6,
  maxLength: 30,
  allowed: /[a-z0-9-]/,
  allowedText: "lowercase letters, digits and hyphens",
  first: /[a-z]/,
  firstText: "must start with a lowercase letter",
  last: /[a-z0-9]/,
  lastText: "must end with a letter or digit",
  source: {
    url: "https://cloud.google.com/iam/docs/service-accounts-create",
    quote:
      "The service account ID must be between 6 and 30 characters, lowercase alphanumeric characters and dashes ([a-z]([-a-z0-9]*[a-z0-9])).",
  },
};

const logging = (what: string, url: string): NameSpec => ({
  what,
  minLength: 1,
  maxLength: 100,
  allowed: /[A-Za-z0-9_.-]/,
  allowedText: "letters, digits, underscores, hyphens and periods",
  first: /[A-Za-z0-9]/,
  firstText: "must start with an alphanumeric character",
  source: {
    url,
    quote:
      "Identifiers are limited to 100 characters and can include only letters, digits, underscores, hyphens, and periods; the first character must be alphanumeric.",
  },
});

const dnsZone: NameSpec = {
  ...rfc1035("Cloud DNS managed zone name"),
  source: {
    url: "https://cloud.google.com/dns/docs/reference/rest/v1/managedZones",
    quote:
      "name: must be 1-63 characters long, must begin with a letter, end with a letter or digit, and only contain lowercase letters, digits or dashes.",
  },
};

const memorystoreInstance: NameSpec = {
  what: "Memorystore for Redis instance ID",
  minLength: 1,
  maxLength: 40,
  allowed: /[a-z0-9-]/,
  allowedText: "lowercase letters, numbers and hyphens",
  first: /[a-z]/,
  firstText: "must start with a letter",
  last: /[a-z0-9]/,
  lastText: "must not end with a hyphen",
  source: {
    url: "https://cloud.google.com/memorystore/docs/redis/reference/rest/v1/projects.locations.instances/create",
    quote:
      "instanceId: must contain only lowercase letters, digits, and hyphens; must start with a letter; must be between 1-40 characters; must end with a number or a letter.",
  },
};

const backupDr = (what: string, url: string, field: string): NameSpec => ({
  ...rfc1035(what),
  source: {
    url,
    quote: `${field}: must start with a lowercase letter followed by up to 62 lowercase letters, numbers, or hyphens, and cannot end with a hyphen (RFC 1035, at most 63 characters).`,
  },
});
const billingBudget: NameSpec = {
  what: "Cloud Billing budget display name",
  minLength: 1,
  maxLength: 60,
  allowed: /./,
  allowedText: "any character",
  source: {
    url: "https://cloud.google.com/billing/docs/reference/budget/rest/v1/billingAccounts.budgets",
    quote:
      "displayName: User data for display name in UI. The name must be less than or equal to 60 characters.",
  },
};
const filestoreInstance: NameSpec = {
  ...rfc1035("Filestore instance ID"),
  source: {
    url: "https://cloud.google.com/filestore/docs/reference/rest/v1/projects.locations.instances/create",
    quote:
      "instanceId: the name of the instance to create. The name must be unique for the specified project and location; it follows the Compute Engine resource name format (RFC 1035: 1-63 characters, a lowercase letter first, then lowercase letters, digits or hyphens, not ending with a hyphen).",
  },
};

const gkeName = (what: string, field: string): NameSpec => ({
  what,
  minLength: 1,
  maxLength: 40,
  allowed: /[a-z0-9-]/,
  allowedText: "lowercase letters, numbers and hyphens",
  first: /[a-z]/,
  firstText: "must start with a lowercase letter",
  last: /[a-z0-9]/,
  lastText: "cannot end with a hyphen",
  source: {
    url: "https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters#Cluster",
    quote: `${field}: must start with a lowercase letter followed by up to 39 lowercase letters, numbers, or hyphens, and cannot end with a hyphen (at most 40 characters).`,
  },
});
const artifactRegistryRepository: NameSpec = {
  what: "Artifact Registry repository ID",
  minLength: 1,
  maxLength: 63,
  allowed: /[a-z0-9-]/,
  allowedText: "lowercase letters, numbers and hyphens",
  first: /[a-z]/,
  firstText: "must start with a letter",
  last: /[a-z0-9]/,
  lastText: "must end with a letter or number",
  source: {
    url: "https://cloud.google.com/artifact-registry/docs/repositories/create-repos",
    quote:
      "Repository names can only contain lowercase letters, numbers, and hyphens, must start with a letter and end with a letter or number, and can be at most 63 characters.",
  },
};

export const gcpNameSpecs = {
  gkeCluster: gkeName("GKE cluster name", "Cluster.name"),
  gkeNodePool: gkeName("GKE node pool name", "NodePool.name"),
  artifactRegistryRepository,
  billingBudget,
  memorystoreInstance,
  backupVault: backupDr(
    "Backup and DR backup vault ID",
    "https://cloud.google.com/backup-disaster-recovery/docs/reference/rest/v1/projects.locations.backupVaults/create",
    "backupVaultId",
  ),
  backupPlan: backupDr(
    "Backup and DR backup plan ID",
    "https://cloud.google.com/backup-disaster-recovery/docs/reference/rest/v1/projects.locations.backupPlans/create",
    "backupPlanId",
  ),
  backupPlanAssociation: backupDr(
    "Backup and DR backup plan association ID",
    "https://cloud.google.com/backup-disaster-recovery/docs/reference/rest/v1/projects.locations.backupPlanAssociations/create",
    "backupPlanAssociationId",
  ),
  filestoreInstance,
  network: rfc1035("VPC network name"),
  subnetwork: rfc1035("subnetwork name"),
  firewall: rfc1035("firewall rule name"),
  router: rfc1035("Cloud Router name"),
  routerNat: rfc1035("Cloud NAT name"),
  route: rfc1035("route name"),
  globalAddress: rfc1035("global address name"),
  cloudSqlInstance,
  gcsBucket,
  kmsKeyRing: kms("Cloud KMS key ring name"),
  kmsKey: kms("Cloud KMS key name"),
  serviceAccount,
  loggingBucket: logging(
    "Cloud Logging bucket ID",
    "https://cloud.google.com/logging/docs/reference/v2/rest/v2/projects.locations.buckets/create",
  ),
  loggingSink: logging(
    "Cloud Logging sink name",
    "https://cloud.google.com/logging/docs/reference/v2/rest/v2/projects.sinks",
  ),
  dnsZone,
};

/** Cloud SQL: the instance ID's own rules, plus `project:instance` within 98 characters when the project is known. */
const cloudSqlCheck: RuleResourceCheck = (props, subject) => {
  const out = nameCheck({ name: cloudSqlInstance })(props, subject);
  const name = str(get(props, "name"));
  const project = str(get(props, "project")) ?? str(subject.provider?.props["project"]);
  if (name !== undefined && project !== undefined && project.length + 1 + name.length > 98) {
    const problem = `'${project}:${name}' is ${project.length + 1 + name.length} characters, at most 98`;
    if (nameProblems(cloudSqlInstance, name).length === 0)
      out.push(nameMessage(cloudSqlInstance, "name", name, [problem]));
  }
  return out;
};

export const enforceGcpNameRules: Rule = {
  id: "enforce-gcp-name-rules",
  title: "GCP resource names fit each API's naming rules",
  category: "names",
  severity: "high",
  refuses:
    "Compute Engine refuses network, subnetwork, firewall, router, NAT, route and address names that are not RFC 1035 labels of 1-63 characters; GKE refuses cluster and node pool names over 40 characters or not starting with a letter; Artifact Registry refuses repository IDs outside lowercase letters, digits and hyphens (1-63, letter first); Cloud SQL refuses instance IDs that do not start with a letter or whose project:instance exceeds 98 characters; Cloud Storage, Cloud KMS, IAM service accounts (6-30) and Cloud Logging (100) refuse ids outside their patterns.",
  remediation:
    "Derive the name with components/naming.ts (fitName/uniqueName with the kind for this resource type).",
  sources: [...new Map(Object.values(gcpNameSpecs).map((s) => [s.source.url, s.source])).values()],
  resources: {
    gcp: {
      "gcp:billing/budget:Budget": nameCheck({ displayName: billingBudget }),
      "gcp:compute/network:Network": nameCheck({ name: gcpNameSpecs.network }),
      "gcp:backupdisasterrecovery/backupVault:BackupVault": nameCheck({
        backupVaultId: gcpNameSpecs.backupVault,
      }),
      "gcp:backupdisasterrecovery/backupPlan:BackupPlan": nameCheck({
        backupPlanId: gcpNameSpecs.backupPlan,
      }),
      "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation": nameCheck({
        backupPlanAssociationId: gcpNameSpecs.backupPlanAssociation,
      }),
      "gcp:compute/subnetwork:Subnetwork": nameCheck({ name: gcpNameSpecs.subnetwork }),
      "gcp:compute/firewall:Firewall": nameCheck({ name: gcpNameSpecs.firewall }),
      "gcp:compute/router:Router": nameCheck({ name: gcpNameSpecs.router }),
      "gcp:compute/routerNat:RouterNat": nameCheck({ name: gcpNameSpecs.routerNat }),
      "gcp:compute/route:Route": nameCheck({ name: gcpNameSpecs.route }),
      "gcp:compute/globalAddress:GlobalAddress": nameCheck({ name: gcpNameSpecs.globalAddress }),
      "gcp:sql/databaseInstance:DatabaseInstance": cloudSqlCheck,
      "gcp:redis/instance:Instance": nameCheck({ name: memorystoreInstance }),
      "gcp:filestore/instance:Instance": nameCheck({ name: filestoreInstance }),
      "gcp:storage/bucket:Bucket": nameCheck({ name: gcsBucket }),
      "gcp:kms/keyRing:KeyRing": nameCheck({ name: gcpNameSpecs.kmsKeyRing }),
      "gcp:kms/cryptoKey:CryptoKey": nameCheck({ name: gcpNameSpecs.kmsKey }),
      "gcp:serviceaccount/account:Account": nameCheck({ accountId: serviceAccount }),
      "gcp:logging/projectBucketConfig:ProjectBucketConfig": nameCheck({
        bucketId: gcpNameSpecs.loggingBucket,
      }),
      "gcp:logging/projectSink:ProjectSink": nameCheck({ name: gcpNameSpecs.loggingSink }),
      "gcp:dns/managedZone:ManagedZone": nameCheck({ name: dnsZone }),
      "gcp:container/cluster:Cluster": nameCheck({ name: gcpNameSpecs.gkeCluster }),
      "gcp:container/nodePool:NodePool": nameCheck({ name: gcpNameSpecs.gkeNodePool }),
      "gcp:artifactregistry/repository:Repository": nameCheck({
        repositoryId: artifactRegistryRepository,
      }),
    },
  },
};
