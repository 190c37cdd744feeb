/**
 * CloudFront in front of the site's S3 bucket (components/cdn.ts): an origin access control (SigV4,
 * always signed) that the bucket policy admits for this distribution only, HTTPS-only viewers on the
 * site's CDN hostname with an ACM certificate from us-east-1 and TLSv1.2_2021, AWS managed cache and
 * security-headers policies, standard logging v2 (CloudWatch Logs vended delivery, configured in
 * us-east-1) into the storage's access-log bucket, and the optional web ACL of scope CLOUDFRONT.
 */
import * as pulumi from "@pulumi/pulumi";
import { Distribution } from "@pulumi/aws/cloudfront/distribution";
import { OriginAccessControl } from "@pulumi/aws/cloudfront/originAccessControl";
import { LogDelivery } from "@pulumi/aws/cloudwatch/logDelivery";
import { LogDeliveryDestination } from "@pulumi/aws/cloudwatch/logDeliveryDestination";
import { LogDeliverySource } from "@pulumi/aws/cloudwatch/logDeliverySource";
import type { SiteContext } from "../../components/context";
import type { CdnBuildInputs, CdnOutputs } from "../../components/cdn";
import { cloudFrontCertificateRegion } from "../../components/edge-config";
import { awsName } from "./names";
import { cloudFrontLogPrefix } from "./storage";

/**
 * AWS managed policies, by their fixed ids
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html,
 * .../using-managed-response-headers-policies.html): CachingOptimized, and SecurityHeadersPolicy
 * (Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, Referrer-Policy, X-XSS-Protection).
 */
export const managedCachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6";
export const managedSecurityHeadersPolicy = "67f7725c-6f97-4210-82d7-5512b31e9d03";

/** The viewer TLS floor: TLS 1.2 with the 2021 cipher list (needs a custom certificate, SNI). */
export const cloudFrontMinimumProtocolVersion = "TLSv1.2_2021";

export function cdn(name: string, ctx: SiteContext<"aws">, inputs: CdnBuildInputs<"aws">): CdnOutputs {
  const { settings, origin, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  if (origin.admitDistribution === undefined) {
    throw new Error(
      "Cdn: the site's storage must be built with servedByCdn (its bucket policy admits the CDN)",
    );
  }
  const oac = new OriginAccessControl(
    `${name}-oac`,
    {
      name: awsName(ctx, "cdn-oac"),
      description: `${ctx.stack.environment} ${ctx.role} CDN reads the site bucket`,
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    },
    opts,
  );
  const originId = "site-bucket";
  const distribution = new Distribution(
    `${name}-distribution`,
    {
      comment: `${ctx.stack.environment} ${ctx.role} CDN for the site's object store`,
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: "http2and3",
      priceClass: settings.priceClass,
      aliases: [settings.hostname],
      origins: [
        {
          originId,
          domainName: origin.regionalDomainName,
          originAccessControlId: oac.id,
          // OAC replaces the legacy origin access identity: an empty identity marks a plain S3 origin.
          s3OriginConfig: { originAccessIdentity: "" },
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: originId,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD", "OPTIONS"],
        cachedMethods: ["GET", "HEAD"],
        compress: true,
        cachePolicyId: managedCachingOptimized,
        responseHeadersPolicyId: managedSecurityHeadersPolicy,
      },
      restrictions: { geoRestriction: { restrictionType: "none", locations: [] } },
      viewerCertificate: {
        acmCertificateArn: settings.awsCertificateArn,
        sslSupportMethod: "sni-only",
        minimumProtocolVersion: cloudFrontMinimumProtocolVersion,
      },
      ...(settings.webAclId ? { webAclId: settings.webAclId } : {}),
      waitForDeployment: false,
    },
    opts,
  );
  // The bucket's one policy admits this distribution (providers/aws/storage.ts).
  origin.admitDistribution(distribution.arn);

  // Standard logging v2: CloudFront's delivery source exists only in us-east-1; the destination bucket
  // stays in the site's region (vended S3 delivery crosses regions).
  const region = cloudFrontCertificateRegion;
  const source = new LogDeliverySource(
    `${name}-log-source`,
    { region, name: awsName(ctx, "cdn-access-logs"), logType: "ACCESS_LOGS", resourceArn: distribution.arn },
    opts,
  );
  const destination = new LogDeliveryDestination(
    `${name}-log-destination`,
    {
      region,
      name: awsName(ctx, "cdn-access-logs-s3"),
      outputFormat: "parquet",
      deliveryDestinationConfiguration: { destinationResourceArn: origin.logBucketArn },
    },
    opts,
  );
  new LogDelivery(
    `${name}-log-delivery`,
    {
      region,
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
      s3DeliveryConfigurations: [
        {
          suffixPath: `${cloudFrontLogPrefix}/{DistributionId}/{yyyy}/{MM}/{dd}/{HH}`,
          enableHiveCompatiblePath: false,
        },
      ],
    },
    opts,
  );
  return {
    cdnId: distribution.id,
    hostname: settings.hostname,
    target: distribution.domainName,
    targetKind: "cname",
    originAccess: "origin-access-control",
    logDestination: pulumi.interpolate`${origin.logBucketArn}/${cloudFrontLogPrefix}`,
  };
}
