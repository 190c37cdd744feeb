/**
 * AWS names the program sets explicitly must fit the service's naming rules: S3 refuses the bucket
 * (`InvalidBucketName`), RDS and IAM answer `InvalidParameterValue` / `ValidationError`, KMS refuses the
 * alias, each only when `pulumi up` calls the API (the provider's own checks cover few of these).
 */
import { nameCheck, type NameSpec } from "../lib/names";
import type { Rule } from "../lib/rule";

const s3: NameSpec = {
  what: "S3 bucket name",
  minLength: 3,
  maxLength: 63,
  allowed: /[a-z0-9.-]/,
  allowedText: "lowercase letters, numbers, dots and hyphens",
  first: /[a-z0-9]/,
  firstText: "must begin with a letter or number",
  last: /[a-z0-9]/,
  lastText: "must end with a letter or number",
  refused: [
    { pattern: /\.\./, reason: "contains two adjacent periods" },
    { pattern: /^\d{1,3}(\.\d{1,3}){3}$/, reason: "is formatted as an IP address" },
    {
      pattern: /^(xn--|sthree-|amzn-s3-demo-)/,
      reason: "starts with a reserved prefix (xn--, sthree-, amzn-s3-demo-)",
    },
    {
      pattern: /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/,
      reason: "ends with a reserved suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)",
    },
  ],
  source: {
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
    quote:
      "Bucket names must be between 3 (min) and 63 (max) characters long; can consist only of lowercase letters, numbers, dots (.), and hyphens (-); must begin and end with a letter or number; must not contain two adjacent periods; must not be formatted as an IP address; must not start with xn--, sthree-, amzn-s3-demo-; must not end with -s3alias, --ol-s3, .mrap, --x-s3.",
  },
};

const rdsIdentifier = (what: string, maxLength: number, url: string, quote: string): NameSpec => ({
  what,
  minLength: 1,
  maxLength,
  allowed: /[A-Za-z0-9-]/,
  allowedText: "letters, numbers and hyphens",
  first: /[A-Za-z]/,
  firstText: "first character must be a letter",
  last: /[A-Za-z0-9]/,
  lastText: "can't end with a hyphen",
  noConsecutiveHyphens: true,
  source: { url, quote },
});

const rdsInstance = rdsIdentifier(
  "RDS DB instance identifier",
  63,
  "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
  "DBInstanceIdentifier: must contain from 1 to 63 letters, numbers, or hyphens; first character must be a letter; can't end with a hyphen or contain two consecutive hyphens.",
);
const rdsSnapshot = rdsIdentifier(
  "RDS final snapshot identifier",
  255,
  "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html",
  "FinalDBSnapshotIdentifier: must be 1 to 255 letters, numbers, or hyphens; first character must be a letter; can't end with a hyphen or contain two consecutive hyphens.",
);
const rdsParameterGroup = rdsIdentifier(
  "RDS DB parameter group name",
  255,
  "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html",
  "DBParameterGroupName: must be 1 to 255 letters, numbers, or hyphens; first character must be a letter; can't end with a hyphen or contain two consecutive hyphens.",
);

const rdsSubnetGroup: NameSpec = {
  what: "RDS DB subnet group name",
  minLength: 1,
  maxLength: 255,
  allowed: /[A-Za-z0-9._ -]/,
  allowedText: "letters, numbers, periods, underscores, spaces and hyphens",
  first: /[A-Za-z]/,
  firstText: "first character must be a letter",
  refused: [{ pattern: /^default$/i, reason: "must not be 'default'" }],
  source: {
    url: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html",
    quote:
      "DBSubnetGroupName: must contain no more than 255 letters, numbers, periods, underscores, spaces, or hyphens; must not be default; first character must be a letter.",
  },
};

const iamQuotas = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html";
const iamSource = {
  url: iamQuotas,
  quote:
    "Names of users, groups, roles, policies ... must be alphanumeric, including plus (+), equals (=), comma (,), period (.), at (@), underscore (_), and hyphen (-). Character limits: role name 64 characters, policy name 128 characters.",
};
const iamName = (what: string, maxLength: number): NameSpec => ({
  what,
  minLength: 1,
  maxLength,
  allowed: /[A-Za-z0-9+=,.@_-]/,
  allowedText: "alphanumerics and + = , . @ _ -",
  source: iamSource,
});

const kmsAlias: NameSpec = {
  what: "KMS alias name",
  minLength: 1,
  maxLength: 256,
  requiredPrefix: "alias/",
  allowed: /[A-Za-z0-9/_-]/,
  allowedText: "alphanumerics, forward slashes, underscores and dashes",
  refused: [{ pattern: /^alias\/aws\//, reason: "the alias/aws/ prefix is reserved for AWS managed keys" }],
  source: {
    url: "https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html",
    quote:
      "The alias must be string of 1-256 characters. It can contain only alphanumeric characters, forward slashes (/), underscores (_), and dashes (-). The alias name for a customer managed key cannot begin with alias/aws/.",
  },
};

const logGroup: NameSpec = {
  what: "CloudWatch Logs log group name",
  minLength: 1,
  maxLength: 512,
  allowed: /[.\-_/#A-Za-z0-9]/,
  allowedText: "letters, numbers and . - _ / #",
  source: {
    url: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
    quote:
      "logGroupName: Length Constraints: Minimum length of 1. Maximum length of 512. Pattern: [\\.\\-_/#A-Za-z0-9]+",
  },
};

const snsTopic: NameSpec = {
  what: "SNS topic name",
  minLength: 1,
  maxLength: 256,
  allowed: /[A-Za-z0-9_.-]/,
  allowedText: "ASCII letters, numbers, underscores and hyphens (and '.fifo' for FIFO topics)",
  refused: [{ pattern: /\.(?!fifo$)/, reason: "a period is allowed only in the '.fifo' suffix" }],
  source: {
    url: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
    quote:
      "Topic names must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long. For a FIFO topic, the name must end with the .fifo suffix.",
  },
};

const elasticacheSource =
  "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html";
const elasticacheReplicationGroup = rdsIdentifier(
  "ElastiCache replication group id",
  40,
  elasticacheSource,
  "ReplicationGroupId: a name must contain from 1 to 40 alphanumeric characters or hyphens; the first character must be a letter; a name cannot end with a hyphen or contain two consecutive hyphens.",
);
const elasticacheGroupName = (what: string): NameSpec =>
  rdsIdentifier(
    what,
    255,
    elasticacheSource,
    "Cache subnet group and parameter group names: up to 255 letters, digits or hyphens; first character a letter; no trailing or consecutive hyphens.",
  );

const backupName = (what: string, url: string, quote: string): NameSpec => ({
  what,
  minLength: 2,
  maxLength: 50,
  allowed: /[A-Za-z0-9_-]/,
  allowedText: "letters, numbers, hyphens and underscores",
  source: { url, quote },
});
const backupVault = backupName(
  "AWS Backup vault name",
  "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupVault.html",
  "backupVaultName: Pattern: ^[a-zA-Z0-9\\-\\_]{2,50}$",
);
const backupPlan: NameSpec = {
  ...backupName(
    "AWS Backup plan name",
    "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupPlanInput.html",
    "BackupPlanName: the display name of a backup plan. Must contain 1-50 alphanumeric or '-_.' characters.",
  ),
  minLength: 1,
  allowed: /[A-Za-z0-9_.-]/,
  allowedText: "letters, numbers, hyphens, underscores and periods",
};
const backupSelection: NameSpec = {
  ...backupName(
    "AWS Backup selection name",
    "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html",
    "SelectionName: the display name of a resource selection document. Must contain 1 to 50 alphanumeric or '-_.' characters.",
  ),
  minLength: 1,
  allowed: /[A-Za-z0-9_.-]/,
  allowedText: "letters, numbers, hyphens, underscores and periods",
};
const restoreTesting = (what: string, url: string): NameSpec => ({
  what,
  minLength: 1,
  maxLength: 50,
  allowed: /[A-Za-z0-9_]/,
  allowedText: "letters, numbers and underscores (no hyphens)",
  source: {
    url,
    quote:
      "The RestoreTestingPlanName / RestoreTestingSelectionName cannot be changed after creation, and it must consist of only alphanumeric characters and underscores (provider: between 1 and 50 characters).",
  },
});
const restoreTestingPlan = restoreTesting(
  "AWS Backup restore testing plan name",
  "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_RestoreTestingPlanForCreate.html",
);
const restoreTestingSelection = restoreTesting(
  "AWS Backup restore testing selection name",
  "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_RestoreTestingSelectionForCreate.html",
);
const budget: NameSpec = {
  what: "AWS Budgets budget name",
  minLength: 1,
  maxLength: 100,
  allowed: /[^:\\]/,
  allowedText: "any character but ':' and '\\'",
  source: {
    url: "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html",
    quote:
      "BudgetName: Length Constraints: Minimum length of 1. Maximum length of 100. Pattern: ^(?![^:\\\\]*/action/|(?i).*<script>.*</script>.*)[^:\\\\]+$",
  },
};

const canary: NameSpec = {
  what: "CloudWatch Synthetics canary name",
  minLength: 1,
  maxLength: 21,
  allowed: /[0-9a-z_-]/,
  allowedText: "lowercase letters, numbers, hyphens and underscores",
  source: {
    url: "https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_StartCanary.html",
    quote: "name: Length Constraints: Minimum length of 1. Maximum length of 21. Pattern: ^[0-9a-z_\\-]+$",
  },
};

const cloudTrail: NameSpec = {
  what: "CloudTrail trail name",
  minLength: 3,
  maxLength: 128,
  allowed: /[A-Za-z0-9._-]/,
  allowedText: "ASCII letters, numbers, periods, underscores and dashes",
  first: /[A-Za-z0-9]/,
  firstText: "start with a letter or number",
  last: /[A-Za-z0-9]/,
  lastText: "end with a letter or number",
  refused: [{ pattern: /[._-]{2}/, reason: "has adjacent periods, underscores or dashes" }],
  source: {
    url: "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html",
    quote:
      "Name: contain only ASCII letters (a-z, A-Z), numbers (0-9), periods (.), underscores (_), or dashes (-); start with a letter or number, and end with a letter or number; be between 3 and 128 characters; have no adjacent periods, underscores or dashes.",
  },
};

const eksCluster: NameSpec = {
  what: "EKS cluster name",
  minLength: 1,
  maxLength: 100,
  allowed: /[A-Za-z0-9_-]/,
  allowedText: "letters, numbers, hyphens and underscores",
  first: /[A-Za-z0-9]/,
  firstText: "must start with an alphanumeric character",
  source: {
    url: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html",
    quote:
      "name: The unique name to give to your cluster. The name can contain only alphanumeric characters (case-sensitive), hyphens, and underscores. It must start with an alphanumeric character and can't be longer than 100 characters. Pattern: ^[0-9A-Za-z][A-Za-z0-9\\-_]*",
  },
};

const eksNodeGroup: NameSpec = {
  what: "EKS managed node group name",
  minLength: 1,
  maxLength: 63,
  allowed: /[A-Za-z0-9_-]/,
  allowedText: "letters, numbers, hyphens and underscores",
  first: /[A-Za-z0-9]/,
  firstText: "must start with a letter or digit",
  source: {
    url: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html",
    quote:
      "nodegroupName: The unique name to give your node group. The node group name can't be longer than 63 characters. It must start with a letter or digit, but can also include hyphens and underscores for the remaining characters.",
  },
};

const ecrRepository: NameSpec = {
  what: "ECR repository name",
  minLength: 2,
  maxLength: 256,
  allowed: /[a-z0-9._/-]/,
  allowedText: "lowercase letters, numbers, and the separators . _ - /",
  first: /[a-z0-9]/,
  firstText: "must start with a lowercase letter or number",
  last: /[a-z0-9]/,
  lastText: "must end with a lowercase letter or number",
  refused: [
    {
      pattern: /[._/-]{2}/,
      reason:
        "has two separators in a row (each '/'-segment is lowercase alphanumerics joined by single '.', '_' or '-')",
    },
  ],
  source: {
    url: "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html",
    quote:
      "repositoryName: Length Constraints: Minimum length of 2. Maximum length of 256. Pattern: (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*",
  },
};

const elbSource = {
  url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
  quote:
    'Name: This name must be unique per region per account, can have a maximum of 32 characters, must contain only alphanumeric characters or hyphens, must not begin or end with a hyphen, and must not begin with "internal-". (CreateTargetGroup: maximum of 32 characters, alphanumeric characters or hyphens, must not begin or end with a hyphen.)',
};
const loadBalancer: NameSpec = {
  what: "Elastic Load Balancing load balancer name",
  minLength: 1,
  maxLength: 32,
  allowed: /[A-Za-z0-9-]/,
  allowedText: "alphanumeric characters and hyphens",
  first: /[A-Za-z0-9]/,
  firstText: "must not begin with a hyphen",
  last: /[A-Za-z0-9]/,
  lastText: "must not end with a hyphen",
  refused: [{ pattern: /^internal-/i, reason: "must not begin with 'internal-'" }],
  source: elbSource,
};
const targetGroup: NameSpec = {
  ...loadBalancer,
  what: "Elastic Load Balancing target group name",
  refused: [],
};

export const awsNameSpecs = {
  loadBalancer,
  targetGroup,
  budget,
  canary,
  cloudTrail,
  elasticacheReplicationGroup,
  elasticacheSubnetGroup: elasticacheGroupName("ElastiCache subnet group name"),
  elasticacheParameterGroup: elasticacheGroupName("ElastiCache parameter group name"),
  s3,
  rdsInstance,
  rdsSnapshot,
  rdsParameterGroup,
  rdsSubnetGroup,
  iamRole: iamName("IAM role name", 64),
  iamPolicy: iamName("IAM policy name", 128),
  kmsAlias,
  logGroup,
  snsTopic,
  backupVault,
  backupPlan,
  backupSelection,
  restoreTestingPlan,
  restoreTestingSelection,
  eksCluster,
  eksNodeGroup,
  ecrRepository,
};

export const enforceAwsNameRules: Rule = {
  id: "enforce-aws-name-rules",
  title: "AWS resource names fit each service's naming rules",
  category: "names",
  severity: "high",
  refuses:
    "S3 refuses bucket names outside 3-63 lowercase letters/digits/dots/hyphens (InvalidBucketName); RDS refuses identifiers that do not start with a letter, end with a hyphen or contain '--'; IAM refuses role names over 64 and policy names over 128 characters; KMS refuses aliases without 'alias/' or under 'alias/aws/'; EKS refuses cluster names over 100 and node group names over 63 characters or starting with '-'/'_'; ECR refuses repository names with uppercase letters or doubled separators.",
  remediation:
    "Derive the name with components/naming.ts (fitName/uniqueName with the kind for this resource type), which truncates with a hash and never leaves a stray hyphen.",
  sources: [
    logGroup.source,
    snsTopic.source,
    s3.source,
    rdsInstance.source,
    rdsSnapshot.source,
    rdsParameterGroup.source,
    rdsSubnetGroup.source,
    iamSource,
    kmsAlias.source,
    backupVault.source,
    backupPlan.source,
    backupSelection.source,
    restoreTestingPlan.source,
    restoreTestingSelection.source,
    budget.source,
    canary.source,
    cloudTrail.source,
    eksCluster.source,
    eksNodeGroup.source,
    ecrRepository.source,
    elbSource,
  ],
  resources: {
    aws: {
      "aws:budgets/budget:Budget": nameCheck({ name: budget }),
      "aws:lb/loadBalancer:LoadBalancer": nameCheck({ name: loadBalancer }),
      "aws:lb/targetGroup:TargetGroup": nameCheck({ name: targetGroup }),
      "aws:synthetics/canary:Canary": nameCheck({ name: canary }),
      "aws:cloudtrail/trail:Trail": nameCheck({ name: cloudTrail }),
      "aws:eks/cluster:Cluster": nameCheck({ name: eksCluster }),
      "aws:eks/nodeGroup:NodeGroup": nameCheck({ nodeGroupName: eksNodeGroup }),
      "aws:ecr/repository:Repository": nameCheck({ name: ecrRepository }),
      "aws:s3/bucket:Bucket": nameCheck({ bucket: s3 }),
      "aws:s3/bucketV2:BucketV2": nameCheck({ bucket: s3 }),
      "aws:rds/instance:Instance": nameCheck({
        identifier: rdsInstance,
        finalSnapshotIdentifier: rdsSnapshot,
      }),
      "aws:rds/parameterGroup:ParameterGroup": nameCheck({ name: rdsParameterGroup }),
      "aws:rds/subnetGroup:SubnetGroup": nameCheck({ name: rdsSubnetGroup }),
      "aws:iam/role:Role": nameCheck({ name: awsNameSpecs.iamRole }),
      "aws:iam/rolePolicy:RolePolicy": nameCheck({ name: iamName("IAM inline policy name", 128) }),
      "aws:iam/policy:Policy": nameCheck({ name: awsNameSpecs.iamPolicy }),
      "aws:kms/alias:Alias": nameCheck({ name: kmsAlias }),
      "aws:cloudwatch/logGroup:LogGroup": nameCheck({ name: logGroup }),
      "aws:sns/topic:Topic": nameCheck({ name: snsTopic }),
      "aws:elasticache/replicationGroup:ReplicationGroup": nameCheck({
        replicationGroupId: elasticacheReplicationGroup,
      }),
      "aws:elasticache/subnetGroup:SubnetGroup": nameCheck({
        name: elasticacheGroupName("ElastiCache subnet group name"),
      }),
      "aws:elasticache/parameterGroup:ParameterGroup": nameCheck({
        name: elasticacheGroupName("ElastiCache parameter group name"),
      }),
      "aws:backup/vault:Vault": nameCheck({ name: backupVault }),
      "aws:backup/plan:Plan": nameCheck({ name: backupPlan }),
      "aws:backup/selection:Selection": nameCheck({ name: backupSelection }),
      "aws:backup/restoreTestingPlan:RestoreTestingPlan": nameCheck({ name: restoreTestingPlan }),
      "aws:backup/restoreTestingSelection:RestoreTestingSelection": nameCheck({
        name: restoreTestingSelection,
      }),
    },
  },
};
