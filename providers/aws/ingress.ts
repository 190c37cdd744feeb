import * as pulumi from "@pulumi/pulumi";
import { Certificate } from "@pulumi/aws/acm/certificate";
import { CertificateValidation } from "@pulumi/aws/acm/certificateValidation";
import { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";
import { MetricAlarm } from "@pulumi/aws/cloudwatch/metricAlarm";
import { Listener } from "@pulumi/aws/lb/listener";
import { LoadBalancer } from "@pulumi/aws/lb/loadBalancer";
import { TargetGroup } from "@pulumi/aws/lb/targetGroup";
import { Record as DnsRecord } from "@pulumi/aws/route53/record";
import { Bucket } from "@pulumi/aws/s3/bucket";
import { BucketLifecycleConfiguration } from "@pulumi/aws/s3/bucketLifecycleConfiguration";
import { BucketPolicy } from "@pulumi/aws/s3/bucketPolicy";
import { BucketServerSideEncryptionConfiguration } from "@pulumi/aws/s3/bucketServerSideEncryptionConfiguration";
import { BucketVersioning } from "@pulumi/aws/s3/bucketVersioning";
import { WebAcl } from "@pulumi/aws/wafv2/webAcl";
import { WebAclAssociation } from "@pulumi/aws/wafv2/webAclAssociation";
import { WebAclLoggingConfiguration } from "@pulumi/aws/wafv2/webAclLoggingConfiguration";
import type * as awsInputs from "@pulumi/aws/types/input";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type { IngressBuildInputs, IngressOutputs } from "../../components/ingress";
import { rateLimitWindowSeconds } from "../../components/ingress-config";
import { fitName, uniqueName } from "../../components/naming";
import { siteAccountId } from "./keys";
import { lockDown, transportStatements } from "./storage";

/**
 * The TLS policy of the HTTPS listener: TLS 1.3 and TLS 1.2 with forward-secret AEAD ciphers only. The
 * newest TLS 1.3 + 1.2 predefined policy of the ALB (the `-Res-` and `-PQ-` variants narrow ciphers further
 * or add post-quantum key exchange; this one keeps the widest compatible client set at TLS 1.2+):
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 */
export const albSslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** The AWS managed rule groups of the web ACL, in evaluation order, each in block mode (no count override). */
export const awsManagedRuleGroups = [
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesSQLiRuleSet",
] as const;

/**
 * The Elastic Load Balancing account of each region that launched before August 2022, which writes access
 * logs there; regions launched later deliver through the `logdelivery.elasticloadbalancing.amazonaws.com`
 * service principal (granted everywhere). https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
export const elbLogAccounts: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-2": "797873946194",
  "ca-central-1": "985666609251",
  "sa-east-1": "507241528517",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-west-3": "009996457667",
  "eu-central-1": "054676820928",
  "eu-north-1": "897822967062",
  "ap-southeast-1": "114774131450",
  "ap-northeast-1": "582318560864",
};

/** Prefix AWS WAF requires of every logging destination's name (PutLoggingConfiguration). */
export const wafLogGroupPrefix = "aws-waf-logs-";

/**
 * The L7 ingress on AWS (see components/ingress.ts for the intent):
 *
 * - an internet-facing Application Load Balancer on the public tier's subnets (ALBs need subnets in at
 *   least two Availability Zones: the site's zone count decides), with the public tier's security group
 *   (80/443 from anywhere, egress only to the private tier's group); `dropInvalidHeaderFields`,
 *   `desyncMitigationMode: strictest`, deletion protection and Pulumi `protect` in production;
 * - access logs to a dedicated S3 bucket of the site. ALB access logs support only SSE-S3 (AES256)
 *   encryption of the target bucket, not SSE-KMS ("The only server-side encryption option that's supported
 *   is Amazon S3-managed keys (SSE-S3)", Elastic Load Balancing User Guide, "Enable access logs"): this is
 *   the documented exception to the site-key rule, like the S3 server access log bucket. The bucket is
 *   private (all public access blocked, ACLs disabled), TLS-only, versioned, and accepts writes only under
 *   its prefix from ELB log delivery of this account;
 * - an ACM certificate for the host name, DNS-validated: with `edge.aws.hostedZoneId` the validation record
 *   is created in that Route 53 zone, otherwise the operator creates it where the domain's DNS lives (the
 *   record is in the certificate's `domainValidationOptions`) and `pulumi up` waits for issuance;
 * - an HTTPS listener (443) with {@link albSslPolicy} forwarding to an `ip` target group on the private tier
 *   (HTTPS to the in-cluster ingress's `backendPort`, health check on `healthCheckPath`): the AWS Load
 *   Balancer Controller's TargetGroupBinding registers the in-cluster ingress's pods into it;
 * - an HTTP listener (80) that only answers 301 to HTTPS;
 * - a WAFv2 web ACL (REGIONAL) associated with the ALB: the AWS managed rule groups
 *   {@link awsManagedRuleGroups} in block mode, then a rate-based rule blocking a client IP above
 *   `rateLimit` requests per five minutes; default action allow. Logging to a CloudWatch Logs group named
 *   `aws-waf-logs-<env>-<role>` (AWS WAF refuses other names), encrypted with the site key, kept as long as
 *   the site's logs, with the Authorization and Cookie headers redacted;
 * - DDoS: AWS Shield Standard protects every ALB at no cost. Shield Advanced is an account-level
 *   subscription (a one-year commitment) the organisation enables once; it is not created here;
 * - alarms: 5xx from the load balancer and blocked requests above the rate limit go to the site's alerts.
 */
export function ingress(
  name: string,
  ctx: SiteContext<"aws">,
  inputs: IngressBuildInputs<"aws">,
): IngressOutputs {
  const { settings, keys, network, monitoring, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const env = ctx.stack.environment;
  const region = ctx.site.region;
  const accountId = siteAccountId(ctx);
  const lbName = fitName("awsLbName", [env, ctx.role, "edge"]);

  // Access-log bucket: SSE-S3 (the only encryption ALB log delivery supports).
  const logPrefix = "alb";
  const logs = new Bucket(
    `${name}-access-logs`,
    {
      bucket: uniqueName("s3Bucket", [env, ctx.role, "alb-logs"], ctx.uniqueSuffix),
      forceDestroy: false,
      objectLockEnabled: false,
    },
    statefulOptions(ctx, opts),
  );
  const logsBlock = lockDown(`${name}-access-logs`, logs, opts);
  new BucketServerSideEncryptionConfiguration(
    `${name}-access-logs-encryption`,
    { bucket: logs.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
    opts,
  );
  new BucketVersioning(
    `${name}-access-logs-versioning`,
    { bucket: logs.id, versioningConfiguration: { status: "Enabled" } },
    opts,
  );
  new BucketLifecycleConfiguration(
    `${name}-access-logs-lifecycle`,
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
  const legacyElbAccount = elbLogAccounts[region];
  const logsPolicy = new BucketPolicy(
    `${name}-access-logs-policy`,
    {
      bucket: logs.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          ...transportStatements(logs.arn),
          {
            Sid: "ElbLogDelivery",
            Effect: "Allow",
            Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${logs.arn}/${logPrefix}/AWSLogs/${accountId}/*`,
          },
          ...(legacyElbAccount
            ? [
                {
                  Sid: "ElbLogDeliveryRegionalAccount",
                  Effect: "Allow",
                  Principal: { AWS: `arn:aws:iam::${legacyElbAccount}:root` },
                  Action: "s3:PutObject",
                  Resource: pulumi.interpolate`${logs.arn}/${logPrefix}/AWSLogs/${accountId}/*`,
                },
              ]
            : []),
        ],
      }),
    },
    { ...opts, dependsOn: [logsBlock] },
  );

  const lb = new LoadBalancer(
    `${name}-alb`,
    {
      name: lbName,
      internal: false,
      loadBalancerType: "application",
      ipAddressType: "ipv4",
      subnets: [...network.subnetIds.public],
      securityGroups: [network.trafficRules.public],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "strictest",
      enableHttp2: true,
      enableWafFailOpen: false,
      idleTimeout: 60,
      enableDeletionProtection: settings.deletionProtection,
      accessLogs: { bucket: logs.bucket, prefix: logPrefix, enabled: true },
    },
    // ELB checks that it may write to the bucket when access logging is turned on.
    statefulOptions(ctx, { ...opts, dependsOn: [logsPolicy] }),
  );

  const targets = new TargetGroup(
    `${name}-targets`,
    {
      name: fitName("awsLbName", [env, ctx.role, "ingress"]),
      targetType: "ip",
      vpcId: network.networkId,
      port: settings.backendPort,
      protocol: "HTTPS",
      protocolVersion: "HTTP1",
      deregistrationDelay: 30,
      healthCheck: {
        enabled: true,
        protocol: "HTTPS",
        port: "traffic-port",
        path: settings.healthCheckPath,
        matcher: "200-399",
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
    },
    opts,
  );

  // Certificate: ACM, DNS validation; the record goes to the configured hosted zone, else to the operator.
  const certificate = new Certificate(
    `${name}-certificate`,
    {
      domainName: settings.hostname,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      options: { certificateTransparencyLoggingPreference: "ENABLED" },
    },
    opts,
  );
  const zoneId = settings.aws.hostedZoneId;
  const validationRecord = zoneId
    ? new DnsRecord(
        `${name}-certificate-validation-record`,
        {
          zoneId,
          name: certificate.domainValidationOptions.apply((o) => o[0]!.resourceRecordName),
          type: certificate.domainValidationOptions.apply((o) => o[0]!.resourceRecordType),
          records: [certificate.domainValidationOptions.apply((o) => o[0]!.resourceRecordValue)],
          ttl: 300,
          allowOverwrite: true,
        },
        opts,
      )
    : undefined;
  const validation = new CertificateValidation(
    `${name}-certificate-validation`,
    {
      certificateArn: certificate.arn,
      ...(validationRecord ? { validationRecordFqdns: [validationRecord.fqdn] } : {}),
    },
    opts,
  );

  new Listener(
    `${name}-https`,
    {
      loadBalancerArn: lb.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy: albSslPolicy,
      certificateArn: validation.certificateArn,
      defaultActions: [{ type: "forward", targetGroupArn: targets.arn }],
    },
    opts,
  );
  new Listener(
    `${name}-http-redirect`,
    {
      loadBalancerArn: lb.arn,
      port: 80,
      protocol: "HTTP",
      defaultActions: [
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
      ],
    },
    opts,
  );

  // WAF: managed rule groups in block mode, then a per-IP rate limit.
  const metric = (suffix: string) => ({
    cloudwatchMetricsEnabled: true,
    sampledRequestsEnabled: true,
    metricName: fitName("awsName", [env, ctx.role, "edge", suffix]),
  });
  const managedRules: awsInputs.wafv2.WebAclRule[] = awsManagedRuleGroups.map((group, i) => ({
    name: group,
    priority: 10 * (i + 1),
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
    visibilityConfig: metric(group),
  }));
  const acl = new WebAcl(
    `${name}-waf`,
    {
      name: fitName("awsName", [env, ctx.role, "edge"]),
      description: `${env} ${ctx.role} edge: AWS managed rules (block) and a per-IP rate limit`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rules: [
        ...managedRules,
        {
          name: "rate-limit-per-ip",
          priority: 100,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: settings.rateLimit,
              aggregateKeyType: "IP",
              evaluationWindowSec: rateLimitWindowSeconds,
            },
          },
          visibilityConfig: metric("rate-limit"),
        },
      ],
      visibilityConfig: metric("acl"),
    },
    opts,
  );
  new WebAclAssociation(`${name}-waf-association`, { resourceArn: lb.arn, webAclArn: acl.arn }, opts);
  const wafLogs = new LogGroup(
    `${name}-waf-logs`,
    {
      name: `${wafLogGroupPrefix}${fitName("awsName", [env, ctx.role])}`,
      kmsKeyId: keys.keyArn,
      retentionInDays: monitoring?.logRetentionDays ?? (ctx.production ? 365 : 90),
      logGroupClass: "STANDARD",
      deletionProtectionEnabled: ctx.production,
    },
    statefulOptions(ctx, opts),
  );
  new WebAclLoggingConfiguration(
    `${name}-waf-logging`,
    {
      resourceArn: acl.arn,
      logDestinationConfigs: [wafLogs.arn],
      redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
    },
    opts,
  );

  if (monitoring) {
    const lbDimension = lb.arnSuffix.apply((suffix) => ({ LoadBalancer: suffix }));
    new MetricAlarm(
      `${name}-5xx-alarm`,
      {
        name: fitName("awsName", [env, ctx.role, "edge", "5xx"]),
        alarmDescription:
          "[high] Edge load balancer answering 5xx (no healthy in-cluster ingress?) for 15 minutes",
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_ELB_5XX_Count",
        dimensions: lbDimension,
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        threshold: 10,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        alarmActions: monitoring.alertTargets.high,
        okActions: monitoring.alertTargets.high,
      },
      opts,
    );
    new MetricAlarm(
      `${name}-waf-blocked-alarm`,
      {
        name: fitName("awsName", [env, ctx.role, "edge", "waf-blocked"]),
        alarmDescription:
          "[medium] WAF blocking more than 1000 requests in 5 minutes (attack or false positives)",
        namespace: "AWS/WAFV2",
        metricName: "BlockedRequests",
        dimensions: { WebACL: fitName("awsName", [env, ctx.role, "edge"]), Region: region, Rule: "ALL" },
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 1000,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        alarmActions: monitoring.alertTargets.medium,
        okActions: monitoring.alertTargets.medium,
      },
      opts,
    );
  }

  return {
    publicEndpoint: lb.dnsName,
    publicEndpointKind: "hostname",
    healthCheckPath: settings.healthCheckPath,
    wafPolicyId: acl.arn,
    loadBalancerId: lb.arn,
    backendId: targets.arn,
  };
}
