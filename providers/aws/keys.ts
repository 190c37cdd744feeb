import * as pulumi from "@pulumi/pulumi";
import { Alias, Key } from "@pulumi/aws/kms";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type { SiteKeysOutputs } from "../../components/keys";

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
  const accountId = ctx.site.accountId
    ? pulumi.output(ctx.site.accountId)
    : getCallerIdentityOutput({}, opts).accountId;
  // Every region in components/regions.ts is in the commercial partition.
  const partition = "aws";
  const region = ctx.site.region;
  const policy = pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministration",
        Effect: "Allow",
        Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "CloudWatchLogsOfThisAccountAndRegion",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: {
          ArnLike: {
            "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:${partition}:logs:${region}:${accountId}:*`,
          },
        },
      },
    ],
  });
  const key = new Key(
    `${name}-key`,
    {
      description: `${ctx.stack.environment} ${ctx.role} site key (encryption at rest)`,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: 30,
      multiRegion: false,
      bypassPolicyLockoutSafetyCheck: false,
      policy,
    },
    statefulOptions(ctx, opts),
  );
  const alias = new Alias(
    `${name}-alias`,
    { name: `alias/${ctx.stack.environment}-${ctx.role}-site`, targetKeyId: key.keyId },
    opts,
  );
  return { keyId: key.arn, hsmBacked: true, handles: { keyArn: key.arn, aliasName: alias.name } };
}
