import * as pulumi from "@pulumi/pulumi";
import { Alias, Key } from "@pulumi/aws/kms";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type { SiteKeysOutputs } from "../../components/keys";
import { awsName, kmsAliasName } from "./names";

/** The account a site deploys into (required in the site config; the provider refuses any other). */
export function siteAccountId(ctx: SiteContext<"aws">, _opts?: pulumi.InvokeOptions): pulumi.Output<string> {
  return pulumi.output(ctx.site.accountId);
}

export interface KmsKeyArgs {
  readonly description: string;
  /** The key's region (its provider's): the CloudWatch Logs service of that region may use it. */
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  /** `alias/...` */
  readonly aliasName: string;
  /** Production: Pulumi `protect` on the key. */
  readonly production: boolean;
  /** Whether the region's CloudWatch Logs service may use the key (encrypted log groups). Default true. */
  readonly cloudWatchLogs?: boolean;
  /** Further key policy statements (services that encrypt with the key). */
  readonly extraStatements?: pulumi.Input<Record<string, unknown>>[];
}

/** The CloudWatch Logs service of one region and account may use the key for its log groups. */
function cloudWatchLogsStatement(region: string, accountId: pulumi.Input<string>): Record<string, unknown> {
  return {
    Sid: "CloudWatchLogsOfThisAccountAndRegion",
    Effect: "Allow",
    Principal: { Service: `logs.${region}.amazonaws.com` },
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    Resource: "*",
    Condition: {
      ArnLike: {
        "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:aws:logs:${region}:${accountId}:*`,
      },
    },
  };
}

/**
 * A symmetric KMS key with yearly rotation, a 30-day deletion window and a key policy scoped to the
 * account (plus the region's CloudWatch Logs service, for encrypted log groups), and its alias.
 * Every region of components/regions.ts is in the commercial partition (`aws`).
 */
export function kmsKey(name: string, args: KmsKeyArgs, opts: pulumi.CustomResourceOptions): Key {
  const { region, accountId } = args;
  const policy = pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministration",
        Effect: "Allow",
        Principal: { AWS: pulumi.interpolate`arn:aws:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      ...((args.cloudWatchLogs ?? true) ? [cloudWatchLogsStatement(region, accountId)] : []),
      ...(args.extraStatements ?? []),
    ],
  });
  const key = new Key(
    `${name}-key`,
    {
      description: args.description,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: 30,
      multiRegion: false,
      bypassPolicyLockoutSafetyCheck: false,
      policy,
    },
    statefulOptions({ production: args.production }, opts),
  );
  new Alias(`${name}-alias`, { name: args.aliasName, targetKeyId: key.keyId }, opts);
  return key;
}

/** The name of the site's CloudTrail trail (providers/aws/governance.ts), known before the trail exists. */
export function auditTrailName(ctx: SiteContext<"aws">): string {
  return awsName(ctx, "audit-trail");
}

/** The ARN of the site's trail: the key policy, the bucket policy and the role trust name it in `aws:SourceArn`. */
export function auditTrailArn(ctx: SiteContext<"aws">): string {
  return `arn:aws:cloudtrail:${ctx.site.region}:${ctx.site.accountId}:trail/${auditTrailName(ctx)}`;
}

/**
 * CloudTrail may encrypt the site trail's log files with the key (and describe it), only for that trail
 * ("Configure AWS KMS key policies for CloudTrail":
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).
 * Readers decrypt through IAM (the account statement delegates to IAM).
 */
function cloudTrailStatements(trailArn: string, accountId: pulumi.Input<string>): Record<string, unknown>[] {
  return [
    {
      Sid: "CloudTrailEncryptsTheSiteTrail",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceArn": trailArn },
        StringLike: {
          "kms:EncryptionContext:aws:cloudtrail:arn": pulumi.interpolate`arn:aws:cloudtrail:*:${accountId}:trail/*`,
        },
      },
    },
    {
      Sid: "CloudTrailDescribesTheKey",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:DescribeKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": trailArn } },
    },
  ];
}

/**
 * The EC2 Auto Scaling service-linked role may use the key for the encrypted root volumes of the EKS
 * managed node groups' instances (it launches them; its predefined permissions cover only AWS managed keys),
 * and create grants for EC2 ("Required AWS KMS key policy for use with encrypted volumes":
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html).
 * The principal is named in a condition (`aws:PrincipalArn`) rather than in `Principal`: KMS refuses a key
 * policy naming a role that does not exist yet, and the service-linked role is created with the account's
 * first Auto Scaling group (possibly the node group itself, after the key).
 */
function autoScalingStatements(accountId: pulumi.Input<string>): Record<string, unknown>[] {
  const condition = {
    StringEquals: {
      "aws:PrincipalArn": pulumi.interpolate`arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
      "aws:PrincipalAccount": accountId,
    },
  };
  return [
    {
      Sid: "AutoScalingUsesTheKeyForNodeVolumes",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
      Condition: condition,
    },
    {
      Sid: "AutoScalingGrantsTheKeyToEc2",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: "kms:CreateGrant",
      Resource: "*",
      Condition: { ...condition, Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
  ];
}

/**
 * CloudFront (origin access control) may decrypt the site bucket's SSE-KMS objects it reads for this
 * account's distributions ("Restrict access to an Amazon S3 origin", SSE-KMS: the key policy allows
 * cloudfront.amazonaws.com kms:Decrypt with an `AWS:SourceArn` condition:
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html#create-oac-overview-s3).
 * The key exists before the distribution, and every component of the site waits for the key, so the
 * condition names the account's distributions (`distribution/*`), not the one ARN: the bucket policy
 * admits exactly one distribution, and S3 decrypts only for a request the bucket policy allowed.
 */
function cloudFrontDecryptStatement(accountId: pulumi.Input<string>): Record<string, unknown> {
  return {
    Sid: "CloudFrontDecryptsForThisAccountsDistributions",
    Effect: "Allow",
    Principal: { Service: "cloudfront.amazonaws.com" },
    Action: "kms:Decrypt",
    Resource: "*",
    Condition: {
      ArnLike: { "AWS:SourceArn": pulumi.interpolate`arn:aws:cloudfront::${accountId}:distribution/*` },
    },
  };
}

/**
 * The site's KMS key. AWS KMS keys are generated and used only inside FIPS 140-3 validated HSMs, so
 * `hsmBacked` is true in every environment; a CloudHSM custom key store (single-tenant HSMs you
 * control) is the upgrade path documented in the README.
 */
export function keys(
  name: string,
  ctx: SiteContext<"aws">,
  parent: pulumi.ComponentResource,
): SiteKeysOutputs<"aws"> {
  const opts = { parent };
  const aliasName = kmsAliasName(ctx, "site");
  const accountId = siteAccountId(ctx, opts);
  const key = kmsKey(
    name,
    {
      description: `${ctx.stack.environment} ${ctx.role} site key (encryption at rest)`,
      region: ctx.site.region,
      accountId,
      aliasName,
      production: ctx.production,
      extraStatements: [
        ...cloudTrailStatements(auditTrailArn(ctx), accountId),
        ...autoScalingStatements(accountId),
        // Only where the stack has a CDN in front of the site's bucket (components/cdn.ts).
        ...(ctx.stack.cdn ? [cloudFrontDecryptStatement(accountId)] : []),
      ],
    },
    opts,
  );
  return {
    keyId: key.arn,
    hsmBacked: true,
    handles: { keyArn: key.arn, aliasName: pulumi.output(aliasName) },
  };
}
