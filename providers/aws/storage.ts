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
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type { StorageBuildInputs, StorageOutputs } from "../../components/storage";

/** Statements every bucket policy of ours starts with: HTTPS only, TLS 1.2 or later. */
function transportStatements(bucketArn: pulumi.Output<string>): pulumi.Input<Record<string, unknown>>[] {
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

/** The controls every bucket of ours has: owner-enforced objects (no ACLs) and all public access blocked. */
function lockDown(name: string, bucket: Bucket, opts: pulumi.CustomResourceOptions): BucketPublicAccessBlock {
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

/**
 * The site's S3 object store:
 *
 * - the data bucket: SSE-KMS with the site key (S3 Bucket Keys on, to cut KMS calls), versioning,
 *   lifecycle (STANDARD_IA, then GLACIER; noncurrent versions to GLACIER, then expired; incomplete
 *   multipart uploads aborted), all public access blocked, ACLs disabled, a policy that denies non-TLS
 *   and pre-1.2 TLS requests, server access logs to the log bucket, and in production S3 Object Lock in
 *   COMPLIANCE mode with a default retention (immutable backups; Object Lock can only be turned on at
 *   bucket creation, which is why `objectLockEnabled` is set on the bucket itself).
 * - the access-log bucket: S3 server access logging only delivers to SSE-S3 (AES256) encrypted buckets
 *   (SSE-KMS target buckets are not supported), so that one bucket uses AES256; otherwise it is locked
 *   down the same way, accepts writes only from the S3 logging service of this account, and expires logs
 *   after the access-log retention.
 *
 * Geo-redundancy: S3 keeps every object in at least three zones of the region; a copy in a second
 * region needs Cross-Region Replication to a bucket in another region (its own provider, key and IAM
 * role). That is not built here: the site's secondary (on another cloud) is the disaster-recovery
 * copy, and the README documents how to add CRR. `geoRedundant` is therefore reported as false.
 */
export function storage(
  name: string,
  ctx: SiteContext<"aws">,
  inputs: StorageBuildInputs<"aws">,
): StorageOutputs {
  const { settings, keys, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const accountId = ctx.site.accountId
    ? pulumi.output(ctx.site.accountId)
    : getCallerIdentityOutput({}, opts).accountId;
  const base = `${ctx.stack.environment}-${ctx.role}-${ctx.uniqueSuffix}`;
  const immutable = settings.immutableDays > 0;

  // Access-log bucket.
  const logs = new Bucket(
    `${name}-logs`,
    { bucket: `${base}-access-logs`, forceDestroy: false, objectLockEnabled: false },
    statefulOptions(ctx, opts),
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
        ],
      }),
    },
    { ...opts, dependsOn: [logsBlock] },
  );

  // Data bucket.
  const bucket = new Bucket(
    `${name}-bucket`,
    { bucket: `${base}-data`, forceDestroy: false, objectLockEnabled: immutable },
    statefulOptions(ctx, opts),
  );
  const block = lockDown(`${name}-bucket`, bucket, opts);
  new BucketServerSideEncryptionConfiguration(
    `${name}-bucket-encryption`,
    {
      bucket: bucket.id,
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keys.keyArn },
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
      policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: transportStatements(bucket.arn) }),
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
        rule: { defaultRetention: { mode: "COMPLIANCE", days: settings.immutableDays } },
      },
      statefulOptions(ctx, { ...opts, dependsOn: [versioning] }),
    );
  }
  return {
    storeId: bucket.id,
    storeName: bucket.bucket,
    endpoint: pulumi.interpolate`https://${bucket.bucketRegionalDomainName}`,
    accessLogDestination: logs.bucket,
    immutable,
    geoRedundant: false,
  };
}
