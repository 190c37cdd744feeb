/**
 * One naming helper for every name the program gives a cloud resource.
 *
 * Each cloud resource type has its own rules (length, characters, hyphens, first and last character).
 * `fitName` derives a name from parts (environment, role, purpose) that always satisfies the rules of its
 * kind, for the longest valid environment name: it lowercases where the kind needs it, drops characters
 * the kind refuses, collapses repeated hyphens, and when the result is too long truncates it and appends
 * a short hash of the untruncated name (so two long names that differ only at the end stay distinct);
 * never a leading or trailing hyphen.
 *
 * Names that must be unique across a whole cloud (S3 buckets, storage accounts, Key Vaults, Cloud SQL
 * instances, GCS buckets) or that the cloud keeps reserved after deletion (soft-deleted Key Vaults, GCP
 * key rings and keys, RDS final snapshots) carry a suffix from a `random` resource of the site
 * (`SiteContext.uniqueSuffix`): it cannot be predicted from public ids, it is kept stable in the state,
 * and a re-created stack draws a new one. `uniqueName` appends it and still fits the rules.
 *
 * Sources for the rules: AWS "Bucket naming rules" (S3 User Guide), RDS "Naming constraints", IAM
 * "IAM object quotas"; Azure "Naming rules and restrictions for Azure resources"
 * (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules); Google Cloud
 * "Bucket names", Cloud SQL "Instance ID", "Resource names" (RFC 1035) and Cloud KMS "Object hierarchy".
 */
import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** The rules one kind of name must satisfy. */
export interface NameRule {
  /** Shortest accepted name. */
  readonly minLength: number;
  /** Longest accepted name. */
  readonly maxLength: number;
  /** Characters allowed anywhere in the name (tested one by one). */
  readonly allowed: RegExp;
  /** Separator between parts: "-" where the kind takes hyphens, "" where it takes none. */
  readonly separator: "-" | "_" | "";
  /** Lowercase the name (most kinds; Azure storage accounts, S3, GCS and RFC 1035 names require it). */
  readonly lowercase: boolean;
  /** The first character must match. */
  readonly first: RegExp;
  /** The last character must match. */
  readonly last: RegExp;
  /** Where the rule comes from (documentation page). */
  readonly source: string;
  /** Prefixes the cloud reserves (a name starting with one is refused). */
  readonly reservedPrefixes?: readonly string[];
}

const lowerAlnum = /[a-z0-9]/;
const letter = /[a-z]/;

/** Rules by kind of name. */
export const nameRules = {
  /** S3 general purpose bucket: 3-63, lowercase letters, digits, hyphens (dots avoided: TLS). */
  s3Bucket: {
    minLength: 3,
    maxLength: 63,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: lowerAlnum,
    last: lowerAlnum,
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
    // Reserved by S3 (access point aliases, S3 demo names); `xn--` cannot occur (hyphens collapse).
    reservedPrefixes: ["xn--", "sthree-", "amzn-s3-demo-"],
  },
  /** RDS DB instance / parameter group / subnet group / snapshot identifier: 1-63, letter first, no "--", no trailing hyphen. */
  rdsIdentifier: {
    minLength: 1,
    maxLength: 63,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: letter,
    last: lowerAlnum,
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.Constraints",
  },
  /** ElastiCache replication group / parameter group / subnet group / snapshot id: 1-40, letter first, no "--", no trailing hyphen. */
  elasticacheId: {
    minLength: 1,
    maxLength: 40,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: letter,
    last: lowerAlnum,
    source:
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html",
  },
  /** AWS Backup vault, backup plan and selection name: 2-50, letters, digits, hyphens, underscores (we use lowercase and hyphens). */
  awsBackupName: {
    minLength: 2,
    maxLength: 50,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: lowerAlnum,
    last: lowerAlnum,
    source: "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupVault.html",
  },
  /** AWS Backup restore testing plan and selection name: 1-50, letters, digits and underscores only, letter first. */
  awsRestoreTestingName: {
    minLength: 1,
    maxLength: 50,
    allowed: /[a-z0-9_]/,
    separator: "_",
    lowercase: true,
    first: letter,
    last: lowerAlnum,
    source: "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateRestoreTestingPlan.html",
  },
  /** Azure Backup vault (Microsoft.DataProtection/backupVaults): 2-50, letters, digits, hyphens, letter first. */
  azureBackupVault: {
    minLength: 2,
    maxLength: 50,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: letter,
    last: lowerAlnum,
    source: "https://learn.microsoft.com/azure/backup/create-manage-backup-vault",
  },
  /** Azure Managed Redis cluster: 1-60, letters, digits, hyphens; no leading, trailing or consecutive hyphens; globally unique (DNS). */
  azureRedis: {
    minLength: 1,
    maxLength: 60,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: lowerAlnum,
    last: lowerAlnum,
    source: "https://learn.microsoft.com/rest/api/redis/redisenterprisecache/redis-enterprise/create",
  },
  /** Memorystore for Redis instance id: 1-40, lowercase letters, digits, hyphens, letter first, no trailing hyphen. */
  gcpRedisInstance: {
    minLength: 1,
    maxLength: 40,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: letter,
    last: lowerAlnum,
    source:
      "https://cloud.google.com/memorystore/docs/redis/reference/rest/v1/projects.locations.instances/create",
  },
  /** Filestore instance id: 1-63, lowercase letters, digits, hyphens, letter first, no trailing hyphen. */
  gcpFilestoreInstance: {
    minLength: 1,
    maxLength: 63,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: letter,
    last: lowerAlnum,
    source: "https://cloud.google.com/filestore/docs/reference/rest/v1/projects.locations.instances/create",
  },
  /** IAM role or policy name: 1-64, alphanumerics and +=,.@_- (we use lowercase letters, digits, hyphens). */
  iamRole: {
    minLength: 1,
    maxLength: 64,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: lowerAlnum,
    last: lowerAlnum,
    source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
  },
  /** Generic AWS name (SNS topic 256, CloudWatch alarm 255, security group 255): kept at 128 for readability. */
  awsName: {
    minLength: 1,
    maxLength: 128,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: lowerAlnum,
    last: lowerAlnum,
    source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
  },
  /** AWS Budgets budget name: 1-100, no ':' or '\\' (we use lowercase letters, digits, hyphens). */
  awsBudget: {
    minLength: 1,
    maxLength: 100,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: lowerAlnum,
    last: lowerAlnum,
    source: "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html",
  },
  /** Azure storage account: 3-24, lowercase letters and digits only, globally unique. */
  azureStorageAccount: {
    minLength: 3,
    maxLength: 24,
    allowed: /[a-z0-9]/,
    separator: "",
    lowercase: true,
    first: lowerAlnum,
    last: lowerAlnum,
    source:
      "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftstorage",
  },
  /** Azure Key Vault: 3-24, alphanumerics and hyphens, letter first, letter or digit last, no "--", globally unique. */
  azureKeyVault: {
    minLength: 3,
    maxLength: 24,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: letter,
    last: lowerAlnum,
    source:
      "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftkeyvault",
  },
  /** Azure Database for PostgreSQL flexible server: 3-63, lowercase letters, digits, hyphens; not starting or ending with a hyphen; globally unique (DNS). */
  azurePostgresServer: {
    minLength: 3,
    maxLength: 63,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: lowerAlnum,
    last: lowerAlnum,
    source:
      "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftdbforpostgresql",
  },
  /** Log Analytics workspace: 4-63, alphanumerics and hyphens, alphanumeric first and last. */
  azureLogAnalytics: {
    minLength: 4,
    maxLength: 63,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: lowerAlnum,
    last: lowerAlnum,
    source:
      "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftoperationalinsights",
  },
  /** Azure Data Factory: 3-63, letters, digits and hyphens, starting and ending with a letter or digit; globally unique. */
  azureDataFactory: {
    minLength: 3,
    maxLength: 63,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: lowerAlnum,
    last: lowerAlnum,
    source: "https://learn.microsoft.com/azure/data-factory/naming-rules",
  },
  /** Generic Azure resource name (resource groups 90, VNets 64, NSGs 80, identities 128): kept within 64. */
  azureName: {
    minLength: 1,
    maxLength: 64,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: lowerAlnum,
    last: lowerAlnum,
    source: "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules",
  },
  /** Azure consumption budget: 1-63, letters, digits, '_' and '-'. */
  azureBudget: {
    minLength: 1,
    maxLength: 63,
    allowed: /[a-z0-9_-]/,
    separator: "-",
    lowercase: true,
    first: lowerAlnum,
    last: lowerAlnum,
    source:
      "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftconsumption",
  },
  /** Azure Monitor action group short name: at most 12 characters. */
  azureActionGroupShortName: {
    minLength: 1,
    maxLength: 12,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: lowerAlnum,
    last: lowerAlnum,
    source: "https://learn.microsoft.com/azure/azure-monitor/alerts/action-groups",
  },
  /** GCP resource name (networks, subnetworks, firewalls, routers, addresses): RFC 1035, 1-63. */
  gcpName: {
    minLength: 1,
    maxLength: 63,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: letter,
    last: lowerAlnum,
    source: "https://cloud.google.com/compute/docs/naming-resources#resource-name-format",
  },
  /** GKE cluster or node pool name: 1-40, lowercase letters, digits, hyphens, letter first, no trailing hyphen. */
  gkeName: {
    minLength: 1,
    maxLength: 40,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: letter,
    last: lowerAlnum,
    source:
      "https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters#Cluster",
  },
  /** Artifact Registry repository id: 1-63, lowercase letters, digits, hyphens, letter first, no trailing hyphen. */
  artifactRegistryRepository: {
    minLength: 1,
    maxLength: 63,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: letter,
    last: lowerAlnum,
    source: "https://cloud.google.com/artifact-registry/docs/repositories/create-repos",
  },
  /** Cloud SQL instance id: lowercase letters, digits, hyphens, letter first; kept at 63 (project:instance ≤ 98). */
  gcpSqlInstance: {
    minLength: 1,
    maxLength: 63,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: letter,
    last: lowerAlnum,
    source: "https://cloud.google.com/sql/docs/postgres/create-instance#create-2nd-gen",
  },
  /** Cloud Storage bucket: 3-63, lowercase letters, digits, hyphens (no dots), letter or digit first and last. */
  gcsBucket: {
    minLength: 3,
    maxLength: 63,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: lowerAlnum,
    last: lowerAlnum,
    source: "https://cloud.google.com/storage/docs/buckets#naming",
  },
  /** Cloud KMS key ring or key: 1-63, letters, digits, '_' and '-'. */
  gcpKms: {
    minLength: 1,
    maxLength: 63,
    allowed: /[a-z0-9_-]/,
    separator: "-",
    lowercase: true,
    first: lowerAlnum,
    last: lowerAlnum,
    source: "https://cloud.google.com/kms/docs/resource-hierarchy#key_rings",
  },
  /** GCP service account id: 6-30, RFC 1035. */
  gcpServiceAccount: {
    minLength: 6,
    maxLength: 30,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: letter,
    last: lowerAlnum,
    source: "https://cloud.google.com/iam/docs/service-accounts-create#creating",
  },
  /** Cloud Billing budget display name: at most 60 characters. */
  gcpBudget: {
    minLength: 1,
    maxLength: 60,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    first: lowerAlnum,
    last: lowerAlnum,
    source: "https://cloud.google.com/billing/docs/reference/budget/rest/v1/billingAccounts.budgets",
  },
  /** Cloud Logging bucket, sink or exclusion id: 1-100, letters, digits, '_', '-', '.' (we use '-'). */
  gcpLogging: {
    minLength: 1,
    maxLength: 100,
    allowed: /[a-z0-9_-]/,
    separator: "-",
    lowercase: true,
    first: lowerAlnum,
    last: lowerAlnum,
    source: "https://cloud.google.com/logging/docs/reference/v2/rest/v2/projects.locations.buckets/create",
  },
} as const satisfies Record<string, NameRule>;

export type NameKind = keyof typeof nameRules;

/** Length of the hash appended to a truncated name. */
const hashLength = 4;

function shortHash(text: string, length: number): string {
  return crypto.createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** Keeps only allowed characters, collapses repeated separators and trims them from both ends. */
function clean(rule: NameRule, text: string): string {
  const lowered = rule.lowercase ? text.toLowerCase() : text;
  let out = "";
  for (const ch of lowered) {
    if (ch === "-" || ch === "_") {
      if (rule.separator !== "" && rule.allowed.test(ch) && out !== "" && !/[-_]$/.test(out)) out += ch;
      continue;
    }
    if (rule.allowed.test(ch)) out += ch;
  }
  return out.replace(/[-_]+$/, "");
}

/**
 * Fixes the start: a digit where a letter must come first gets an `x` prefix, and so does a name that
 * starts with a prefix the cloud reserves.
 */
function fixStart(rule: NameRule, text: string): string {
  if (text === "") return text;
  if ((rule.reservedPrefixes ?? []).some((p) => text.startsWith(p))) return `x${rule.separator}${text}`;
  if (rule.first.test(text[0] ?? "")) return text;
  return rule.first.test("x") ? `x${text}` : text;
}

/**
 * A name of `kind` from `parts` (joined by the kind's separator). Throws when the parts leave nothing
 * usable (a programming error, not user input: environment names are validated by the config schema).
 */
export function fitName(kind: NameKind, parts: readonly string[], suffix?: string): string {
  const rule: NameRule = nameRules[kind];
  const sep = rule.separator;
  const tail = suffix === undefined ? "" : clean(rule, suffix);
  const base = fixStart(rule, clean(rule, parts.filter((p) => p !== "").join(sep === "" ? "" : sep)));
  if (base === "") throw new Error(`fitName(${kind}): no usable characters in ${JSON.stringify(parts)}`);
  const join = (head: string) => [head, tail].filter((p) => p !== "").join(sep);
  let name = join(base);
  if (name.length > rule.maxLength) {
    // Truncate the base, keep the suffix whole, and mark the cut with a hash of the untruncated base
    // (so two long names that differ only past the cut stay distinct) where there is room for it.
    const hash = shortHash(base, hashLength);
    const budget = rule.maxLength - (tail === "" ? 0 : tail.length + sep.length);
    const withHash = budget - hash.length - sep.length;
    const head = clean(rule, base.slice(0, Math.max(1, withHash >= 1 ? withHash : budget)));
    name = [head, withHash >= 1 ? hash : "", tail].filter((p) => p !== "").join(sep);
  }
  if (name.length < rule.minLength) {
    name = (name + shortHash(name, rule.minLength)).slice(0, Math.max(rule.minLength, name.length));
  }
  const problem = nameProblem(kind, name);
  if (problem) throw new Error(`fitName(${kind}) produced '${name}': ${problem}`);
  return name;
}

/** A globally unique name: `fitName` with the site's random suffix appended (an Output, known after create). */
export function uniqueName(
  kind: NameKind,
  parts: readonly string[],
  suffix: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.output(suffix).apply((s) => fitName(kind, parts, s));
}

/** What is wrong with `name` under the rules of `kind`, or undefined when it fits. */
export function nameProblem(kind: NameKind, name: string): string | undefined {
  const rule: NameRule = nameRules[kind];
  if (name.length < rule.minLength || name.length > rule.maxLength) {
    return `length ${name.length}, expected ${rule.minLength}-${rule.maxLength}`;
  }
  const bad = [...name].find((ch) => !rule.allowed.test(ch));
  if (bad !== undefined) return `character '${bad}' is not allowed`;
  if (!rule.first.test(name[0] ?? "")) return `cannot start with '${name[0] ?? ""}'`;
  if (!rule.last.test(name[name.length - 1] ?? "")) return `cannot end with '${name[name.length - 1] ?? ""}'`;
  if (/[-_]{2}/.test(name)) return "consecutive hyphens";
  const prefix = (rule.reservedPrefixes ?? []).find((p) => name.startsWith(p));
  if (prefix !== undefined) return `the prefix '${prefix}' is reserved`;
  return undefined;
}

/** Length of the random suffix of globally unique names (36^6 ≈ 2.2 billion values). */
export const uniqueSuffixLength = 6;
