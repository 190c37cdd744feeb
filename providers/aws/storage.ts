import * as pulumi from "@pulumi/pulumi";
import { Bucket } from "@pulumi/aws/s3/bucket";
import { BucketLifecycleConfiguration } from "@pulumi/aws/s3/bucketLifecycleConfiguration";
import { BucketLogging } from "@pulumi/aws/s3/bucketLogging";
import { BucketObjectLockConfiguration } from "@pulumi/aws/s3/bucketObjectLockConfiguration";
import { BucketOwnershipControls } from "@pulumi/aws/s3/bucketOwnershipControls";
import { BucketPolicy } from "@pulumi/aws/s3/bucketPolicy";
import { BucketPublicAccessBlock } from "@pulumi/aws/s3/bucketPublicAccessBlock";
import { BucketServerSideEncryptionConfiguration } from "@pulumi/aws/s3/bucketServerSideEncryptionConfiguration";
import { BucketVersioning } from "@pulumi/aws/s3/bucketVersioning";
import { BucketReplicationConfig } from "@pulumi/aws/s3/bucketReplicationConfig";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicy } from "@pulumi/aws/iam/rolePolicy";
import { Provider } from "@pulumi/aws/provider";
import { kmsKey, siteAccountId } from "./keys";
import { uniqueName } from "../../components/naming";
import { iamName, kmsAliasName } from "./names";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type { StorageBuildInputs, StorageBuildOutputs } from "../../components/storage";
import { serviceTrustPolicy } from "./iam";

/** Statements every bucket policy of ours starts with: HTTPS only, TLS 1.2 or later. */
export function transportStatements(
  bucketArn: pulumi.Output<string>,
): pulumi.Input<Record<string, unknown>>[] {
  const resources = [bucketArn, pulumi.interpolate`${bucketArn}/*`];
  return [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: resources,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "DenyOutdatedTls",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: resources,
      Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
    },
  ];
}

/**
 * CloudFront may read objects through its origin access control for one distribution only
 * ("Restrict access to an Amazon S3 origin": service principal cloudfront.amazonaws.com, s3:GetObject,
 * `AWS:SourceArn` the distribution's ARN:
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html).
 */
export function cloudFrontReadStatement(bucketArn: string, distributionArn: string): Record<string, unknown> {
  return {
    Sid: "CloudFrontReadsThroughOriginAccessControl",
    Effect: "Allow",
    Principal: { Service: "cloudfront.amazonaws.com" },
    Action: "s3:GetObject",
    Resource: `${bucketArn}/*`,
    Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
  };
}

/** Where CloudFront standard logging v2 writes in the access-log bucket. */
export const cloudFrontLogPrefix = "cloudfront";

/**
 * CloudWatch Logs vended delivery may write CloudFront's access logs (standard logging v2, whose delivery
 * sources live in us-east-1) under `cloudfront/` of the access-log bucket, for this account's delivery
 * sources only ("Logs sent to Amazon S3", bucket policy for delivery.logs.amazonaws.com; no ACLs needed:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html#AWS-logs-infrastructure-V2-S3).
 */
function cloudFrontLogDeliveryStatement(
  logsArn: pulumi.Output<string>,
  accountId: pulumi.Input<string>,
): Record<string, unknown> {
  return {
    Sid: "CloudFrontStandardLogsFromThisAccount",
    Effect: "Allow",
    Principal: { Service: "delivery.logs.amazonaws.com" },
    Action: "s3:PutObject",
    Resource: pulumi.interpolate`${logsArn}/${cloudFrontLogPrefix}/*`,
    Condition: {
      StringEquals: { "aws:SourceAccount": accountId, "s3:x-amz-acl": "bucket-owner-full-control" },
      ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:aws:logs:us-east-1:${accountId}:delivery-source:*` },
    },
  };
}

/** The controls every bucket of ours has: owner-enforced objects (no ACLs) and all public access blocked. */
export function lockDown(
  name: string,
  bucket: Bucket,
  opts: pulumi.CustomResourceOptions,
): BucketPublicAccessBlock {
  new BucketOwnershipControls(
    `${name}-ownership`,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    opts,
  );
  return new BucketPublicAccessBlock(
    `${name}-public-access-block`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
}

interface BucketSetArgs {
  /** Name parts of the two buckets (environment, role, region for a replica). */
  readonly nameParts: readonly string[];
  /** The site's random suffix, which makes the bucket names globally unique. */
  readonly suffix: pulumi.Output<string>;
  /** KMS key ARN of the data bucket (in the bucket's region). */
  readonly keyArn: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
  readonly immutableDays: number;
  readonly settings: StorageBuildInputs<"aws">["settings"];
  readonly production: boolean;
  /** The CloudFront distribution admitted to read the data bucket (resolved once it exists). */
  readonly cdnDistributionArn?: pulumi.Output<string>;
}

interface BucketSet {
  readonly bucket: Bucket;
  readonly logs: Bucket;
  readonly versioning: BucketVersioning;
}

/**
 * A data bucket and its access-log bucket, in the region of `opts`' provider:
 *
 * - the data bucket: SSE-KMS with `keyArn` (S3 Bucket Keys on, to cut KMS calls), versioning, lifecycle
 *   (STANDARD_IA, then GLACIER; noncurrent versions to GLACIER, then expired; incomplete multipart
 *   uploads aborted), all public access blocked, ACLs disabled, a policy that denies non-TLS and
 *   pre-1.2 TLS requests, server access logs to the log bucket, and with `immutableDays` S3 Object Lock
 *   in COMPLIANCE mode with that default retention (Object Lock can only be turned on at bucket
 *   creation, which is why `objectLockEnabled` is set on the bucket itself).
 * - the access-log bucket: S3 server access logging only delivers to SSE-S3 (AES256) encrypted buckets
 *   (SSE-KMS target buckets are not supported), so that one bucket uses AES256; otherwise it is locked
 *   down the same way, accepts writes only from the S3 logging service of this account, and expires logs
 *   after the access-log retention.
 */
function bucketSet(name: string, args: BucketSetArgs, opts: pulumi.CustomResourceOptions): BucketSet {
  const { settings, accountId } = args;
  const stateful = statefulOptions({ production: args.production }, opts);
  const immutable = args.immutableDays > 0;

  const logs = new Bucket(
    `${name}-logs`,
    {
      bucket: uniqueName("s3Bucket", [...args.nameParts, "access-logs"], args.suffix),
      forceDestroy: false,
      objectLockEnabled: false,
    },
    stateful,
  );
  const logsBlock = lockDown(`${name}-logs`, logs, opts);
  new BucketServerSideEncryptionConfiguration(
    `${name}-logs-encryption`,
    {
      bucket: logs.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    },
    opts,
  );
  new BucketVersioning(
    `${name}-logs-versioning`,
    { bucket: logs.id, versioningConfiguration: { status: "Enabled" } },
    opts,
  );
  new BucketLifecycleConfiguration(
    `${name}-logs-lifecycle`,
    {
      bucket: logs.id,
      rules: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: {},
          expiration: { days: settings.accessLogDays },
          noncurrentVersionExpiration: { noncurrentDays: 1 },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    },
    opts,
  );
  const logsPolicy = new BucketPolicy(
    `${name}-logs-policy`,
    {
      bucket: logs.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          ...transportStatements(logs.arn),
          {
            Sid: "S3ServerAccessLogsFromThisAccount",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${logs.arn}/*`,
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
          },
          ...(args.cdnDistributionArn ? [cloudFrontLogDeliveryStatement(logs.arn, accountId)] : []),
        ],
      }),
    },
    { ...opts, dependsOn: [logsBlock] },
  );

  const bucket = new Bucket(
    `${name}-bucket`,
    {
      bucket: uniqueName("s3Bucket", [...args.nameParts, "data"], args.suffix),
      forceDestroy: false,
      objectLockEnabled: immutable,
    },
    stateful,
  );
  const block = lockDown(`${name}-bucket`, bucket, opts);
  new BucketServerSideEncryptionConfiguration(
    `${name}-bucket-encryption`,
    {
      bucket: bucket.id,
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.keyArn },
          bucketKeyEnabled: true,
        },
      ],
    },
    opts,
  );
  const versioning = new BucketVersioning(
    `${name}-bucket-versioning`,
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    opts,
  );
  new BucketLifecycleConfiguration(
    `${name}-bucket-lifecycle`,
    {
      bucket: bucket.id,
      rules: [
        {
          id: "tier-current-versions",
          status: "Enabled",
          filter: {},
          transitions: [
            { days: settings.coolAfterDays, storageClass: "STANDARD_IA" },
            { days: settings.archiveAfterDays, storageClass: "GLACIER" },
          ],
        },
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: {},
          noncurrentVersionTransitions: [{ noncurrentDays: 30, storageClass: "GLACIER" }],
          noncurrentVersionExpiration: { noncurrentDays: Math.max(settings.noncurrentVersionDays, 31) },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
        {
          id: "remove-expired-delete-markers",
          status: "Enabled",
          filter: {},
          expiration: { expiredObjectDeleteMarker: true },
        },
      ],
    },
    { ...opts, dependsOn: [versioning] },
  );
  new BucketPolicy(
    `${name}-bucket-policy`,
    {
      bucket: bucket.id,
      // S3 keeps ONE policy per bucket: every grant on the data bucket goes into this statement list.
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: pulumi
          .all([
            pulumi.all(transportStatements(bucket.arn)),
            args.cdnDistributionArn
              ? pulumi
                  .all([bucket.arn, args.cdnDistributionArn])
                  .apply(([arn, distribution]) => [cloudFrontReadStatement(arn, distribution)])
              : pulumi.output([]),
          ])
          .apply(([transport, cdn]) => [...transport, ...cdn]),
      }),
    },
    { ...opts, dependsOn: [block] },
  );
  new BucketLogging(
    `${name}-bucket-logging`,
    {
      bucket: bucket.id,
      targetBucket: logs.id,
      targetPrefix: "s3-access/",
      targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
    },
    { ...opts, dependsOn: [logsPolicy] },
  );
  if (immutable) {
    new BucketObjectLockConfiguration(
      `${name}-bucket-object-lock`,
      {
        bucket: bucket.id,
        objectLockEnabled: "Enabled",
        rule: { defaultRetention: { mode: "COMPLIANCE", days: args.immutableDays } },
      },
      statefulOptions({ production: args.production }, { ...opts, dependsOn: [versioning] }),
    );
  }
  return { bucket, logs, versioning };
}

/**
 * Cross-Region Replication of `source` to `replica`: a role S3 assumes, allowed to read the source's
 * versions (decrypting with the source key through S3 only) and to write replicas (encrypting with the
 * replica key), and the replication rule (every object, delete markers included, KMS-encrypted objects
 * re-encrypted with the replica key).
 */
function replicate(
  name: string,
  names: { readonly role: string; readonly policy: string },
  source: { set: BucketSet; keyArn: pulumi.Input<string>; region: string },
  replica: { set: BucketSet; keyArn: pulumi.Input<string>; region: string },
  opts: pulumi.CustomResourceOptions,
): BucketReplicationConfig {
  const role = new Role(
    `${name}-role`,
    {
      name: names.role,
      description: "S3 cross-region replication of the site's data bucket",
      assumeRolePolicy: serviceTrustPolicy("s3.amazonaws.com"),
      maxSessionDuration: 3600,
    },
    opts,
  );
  const src = source.set.bucket.arn;
  const dst = replica.set.bucket.arn;
  const rolePolicy = new RolePolicy(
    `${name}-policy`,
    {
      name: names.policy,
      role: role.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "ReadSourceConfiguration",
            Effect: "Allow",
            Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
            Resource: [src],
          },
          {
            Sid: "ReadSourceVersions",
            Effect: "Allow",
            Action: [
              "s3:GetObjectVersionForReplication",
              "s3:GetObjectVersionAcl",
              "s3:GetObjectVersionTagging",
              "s3:GetObjectRetention",
              "s3:GetObjectLegalHold",
            ],
            Resource: [pulumi.interpolate`${src}/*`],
          },
          {
            Sid: "WriteReplicas",
            Effect: "Allow",
            Action: [
              "s3:ReplicateObject",
              "s3:ReplicateDelete",
              "s3:ReplicateTags",
              "s3:ObjectOwnerOverrideToBucketOwner",
            ],
            Resource: [pulumi.interpolate`${dst}/*`],
          },
          {
            Sid: "DecryptSourceThroughS3",
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: [source.keyArn],
            Condition: { StringLike: { "kms:ViaService": `s3.${source.region}.amazonaws.com` } },
          },
          {
            Sid: "EncryptReplicasThroughS3",
            Effect: "Allow",
            Action: ["kms:Encrypt", "kms:GenerateDataKey"],
            Resource: [replica.keyArn],
            Condition: { StringLike: { "kms:ViaService": `s3.${replica.region}.amazonaws.com` } },
          },
        ],
      }),
    },
    opts,
  );
  return new BucketReplicationConfig(
    `${name}-config`,
    {
      bucket: source.set.bucket.id,
      role: role.arn,
      rules: [
        {
          id: "replicate-everything",
          status: "Enabled",
          priority: 1,
          filter: {},
          deleteMarkerReplication: { status: "Enabled" },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          destination: {
            bucket: dst,
            storageClass: "STANDARD_IA",
            encryptionConfiguration: { replicaKmsKeyId: replica.keyArn },
          },
        },
      ],
    },
    // S3 checks the role when the configuration is put: its policy comes first (IAM is eventually
    // consistent, and nothing else orders the two).
    { ...opts, dependsOn: [source.set.versioning, replica.set.versioning, rolePolicy] },
  );
}

/**
 * The site's S3 object store: a data bucket and its access-log bucket (see `bucketSet`). Geo-redundant
 * (production by default): a second set in the site's replica region (`SiteContext.replicaRegion`: the
 * region's pair in the same jurisdiction, or the region the stack names explicitly), with its own provider
 * (named after the site role, so the tag transform still knows the site) and its own KMS key, and
 * Cross-Region Replication from the data bucket to the replica.
 */
export function storage(
  name: string,
  ctx: SiteContext<"aws">,
  inputs: StorageBuildInputs<"aws">,
): StorageBuildOutputs<"aws"> {
  const { settings, keys, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const accountId = siteAccountId(ctx, opts);
  const nameParts = [ctx.stack.environment, ctx.role];
  const suffix = ctx.uniqueSuffix;
  const common = { accountId, immutableDays: settings.immutableDays, settings, production: ctx.production };
  // A CDN in front of the bucket: its read grant joins the bucket's one policy once the distribution
  // exists (the distribution needs only the bucket's domain name, so nothing waits in a circle).
  const [distributionArn, setDistributionArn] = inputs.servedByCdn
    ? pulumi.deferredOutput<string>()
    : [undefined, undefined];
  const primary = bucketSet(
    name,
    {
      ...common,
      nameParts,
      suffix,
      keyArn: keys.keyArn,
      ...(distributionArn ? { cdnDistributionArn: distributionArn } : {}),
    },
    opts,
  );

  if (settings.geoRedundant) {
    // The site's replica region: the region's pair in the same jurisdiction, or the one the stack names
    // explicitly (components/regions.ts `replicaRegionOf`); never a hidden table sending data abroad.
    const region = ctx.replicaRegion;
    if (region === undefined) {
      throw new Error(
        `Storage: geoRedundant needs a replica region for ${ctx.site.region}; set replicaRegion on the ${ctx.role} site`,
      );
    }
    const provider = new Provider(
      `${ctx.role}-storage-replica`,
      { region, allowedAccountIds: [ctx.site.accountId] },
      opts,
    );
    const replicaOpts: pulumi.CustomResourceOptions = { parent, provider };
    const replicaKey = kmsKey(
      `${name}-replica`,
      {
        description: `${ctx.stack.environment} ${ctx.role} storage replica key (${region})`,
        region,
        accountId,
        aliasName: kmsAliasName(ctx, "storage-replica"),
        production: ctx.production,
      },
      replicaOpts,
    );
    const replica = bucketSet(
      `${name}-replica`,
      { ...common, nameParts: [...nameParts, region], suffix, keyArn: replicaKey.arn },
      replicaOpts,
    );
    replicate(
      `${name}-replication`,
      { role: iamName(ctx, "s3-replication"), policy: iamName(ctx, "s3-replication-access") },
      { set: primary, keyArn: keys.keyArn, region: ctx.site.region },
      { set: replica, keyArn: replicaKey.arn, region },
      opts,
    );
  }

  inputs.monitoring?.dashboard.add(
    {
      cloud: "aws",
      section: "storage",
      title: "Data bucket size",
      unit: "Bytes",
      // Daily storage metrics: https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-dimensions.html
      metric: {
        namespace: "AWS/S3",
        metricName: "BucketSizeBytes",
        dimensions: { BucketName: primary.bucket.bucket, StorageType: "StandardStorage" },
        stat: "Average",
      },
    },
    {
      cloud: "aws",
      section: "storage",
      title: "Data bucket objects",
      unit: "Count",
      metric: {
        namespace: "AWS/S3",
        metricName: "NumberOfObjects",
        dimensions: { BucketName: primary.bucket.bucket, StorageType: "AllStorageTypes" },
        stat: "Average",
      },
    },
  );
  return {
    storeId: primary.bucket.id,
    storeName: primary.bucket.bucket,
    endpoint: pulumi.interpolate`https://${primary.bucket.bucketRegionalDomainName}`,
    accessLogDestination: primary.logs.bucket,
    immutable: settings.immutableDays > 0,
    geoRedundant: settings.geoRedundant,
    origin: {
      bucketName: primary.bucket.bucket,
      bucketArn: primary.bucket.arn,
      regionalDomainName: primary.bucket.bucketRegionalDomainName,
      logBucketArn: primary.logs.arn,
      admitDistribution: setDistributionArn
        ? (arn: pulumi.Output<string>) => {
            setDistributionArn(arn);
          }
        : undefined,
    },
  };
}
