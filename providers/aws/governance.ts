import * as pulumi from "@pulumi/pulumi";
import { Budget } from "@pulumi/aws/budgets/budget";
import { Trail } from "@pulumi/aws/cloudtrail/trail";
import { EventRule } from "@pulumi/aws/cloudwatch/eventRule";
import { EventTarget } from "@pulumi/aws/cloudwatch/eventTarget";
import { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";
import { AnomalyMonitor } from "@pulumi/aws/costexplorer/anomalyMonitor";
import { AnomalySubscription } from "@pulumi/aws/costexplorer/anomalySubscription";
import { Detector } from "@pulumi/aws/guardduty/detector";
import { DetectorFeature } from "@pulumi/aws/guardduty/detectorFeature";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicy } from "@pulumi/aws/iam/rolePolicy";
import { Bucket } from "@pulumi/aws/s3/bucket";
import { BucketLifecycleConfiguration } from "@pulumi/aws/s3/bucketLifecycleConfiguration";
import { BucketLogging } from "@pulumi/aws/s3/bucketLogging";
import { BucketObjectLockConfiguration } from "@pulumi/aws/s3/bucketObjectLockConfiguration";
import { BucketPolicy } from "@pulumi/aws/s3/bucketPolicy";
import { BucketServerSideEncryptionConfiguration } from "@pulumi/aws/s3/bucketServerSideEncryptionConfiguration";
import { BucketVersioning } from "@pulumi/aws/s3/bucketVersioning";
import { TopicPolicy } from "@pulumi/aws/sns/topicPolicy";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type { GovernanceBuildInputs, GovernanceOutputs } from "../../components/governance";
import { fitName, uniqueName } from "../../components/naming";
import { auditTrailArn, auditTrailName, siteAccountId } from "./keys";
import { awsName, iamName, logGroupName } from "./names";
import { lockDown, transportStatements } from "./storage";

/** GuardDuty severities 7.0-8.9 are High, 9.0-10.0 Critical (GuardDuty "Severity levels of findings"). */
export const guardDutyHighSeverity = 7;

/**
 * AWS governance:
 *
 * - CloudTrail: one multi-region trail per site with global service events, all management events and
 *   the S3 data events of the site's data bucket, log file validation, encrypted with the site key
 *   (whose policy lets CloudTrail use it for this trail only, providers/aws/keys.ts). It delivers to
 *   - an S3 bucket: Object Lock (COMPLIANCE in production, GOVERNANCE elsewhere) for the audit retention,
 *     versioning, SSE-KMS with the site key, ACLs disabled, all public access blocked, HTTPS and TLS 1.2
 *     only, server access logs to the site's access-log bucket, S3 Standard for the first 90 days, then
 *     Glacier Instant Retrieval (millisecond reads: still immediately available), expired after 365 days;
 *     its policy lets CloudTrail check the ACL and write, for this trail only (`aws:SourceArn`), and
 *     exists before the trail (CloudTrail checks it when the trail is created: InsufficientS3BucketPolicy);
 *   - a CloudWatch Logs group (site key, the site's log retention and at least 90 days) through a role
 *     CloudTrail assumes for this trail only.
 * - GuardDuty: a detector with S3 Protection and RDS Protection (EKS audit logs when the site runs a
 *   cluster); an EventBridge rule sends findings of severity 7 or more (High, Critical) to the topic of
 *   the findings severity.
 * - Budget: a monthly COST budget of the account with ACTUAL and FORECASTED notifications at the
 *   stack's thresholds, and a Cost Anomaly Detection monitor (AWS services) with an immediate
 *   subscription, both to the same topic. The topic's policy lets EventBridge (this rule), AWS Budgets and
 *   Cost Anomaly Detection of this account publish, and keeps CloudWatch alarms and the account.
 */
export function governance(
  name: string,
  ctx: SiteContext<"aws">,
  inputs: GovernanceBuildInputs<"aws">,
): GovernanceOutputs {
  const { settings, keys, monitoring, storage, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const accountId = siteAccountId(ctx, opts);
  const region = ctx.site.region;
  const trailName = auditTrailName(ctx);
  const trailArn = auditTrailArn(ctx);

  // --- Audit trail: the bucket, its policy, then the trail.
  const bucket = new Bucket(
    `${name}-trail-bucket`,
    {
      bucket: uniqueName("s3Bucket", [ctx.stack.environment, ctx.role, "audit-trail"], ctx.uniqueSuffix),
      forceDestroy: false,
      objectLockEnabled: true,
    },
    statefulOptions(ctx, opts),
  );
  const block = lockDown(`${name}-trail-bucket`, bucket, opts);
  new BucketServerSideEncryptionConfiguration(
    `${name}-trail-bucket-encryption`,
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
    `${name}-trail-bucket-versioning`,
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    opts,
  );
  new BucketObjectLockConfiguration(
    `${name}-trail-bucket-object-lock`,
    {
      bucket: bucket.id,
      objectLockEnabled: "Enabled",
      rule: {
        defaultRetention: {
          mode: ctx.production ? "COMPLIANCE" : "GOVERNANCE",
          days: settings.auditRetentionDays,
        },
      },
    },
    statefulOptions(ctx, { ...opts, dependsOn: [versioning] }),
  );
  new BucketLifecycleConfiguration(
    `${name}-trail-bucket-lifecycle`,
    {
      bucket: bucket.id,
      rules: [
        {
          id: "audit-retention",
          status: "Enabled",
          filter: {},
          transitions: [{ days: settings.auditHotDays, storageClass: "GLACIER_IR" }],
          expiration: { days: settings.auditRetentionDays },
          noncurrentVersionExpiration: { noncurrentDays: 1 },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    },
    { ...opts, dependsOn: [versioning] },
  );
  new BucketLogging(
    `${name}-trail-bucket-logging`,
    {
      bucket: bucket.id,
      targetBucket: storage.accessLogDestination,
      targetPrefix: "audit-trail/",
      targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
    },
    opts,
  );
  // "Amazon S3 bucket policy for CloudTrail":
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
  const bucketPolicy = new BucketPolicy(
    `${name}-trail-bucket-policy`,
    {
      bucket: bucket.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          ...transportStatements(bucket.arn),
          {
            Sid: "AWSCloudTrailAclCheck",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: bucket.arn,
            Condition: { StringEquals: { "aws:SourceArn": trailArn } },
          },
          {
            Sid: "AWSCloudTrailWrite",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucket.arn}/AWSLogs/${accountId}/*`,
            Condition: {
              StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn },
            },
          },
        ],
      }),
    },
    { ...opts, dependsOn: [block] },
  );

  const logGroup = new LogGroup(
    `${name}-trail-logs`,
    {
      name: logGroupName(ctx, "cloudtrail"),
      kmsKeyId: keys.keyArn,
      retentionInDays: Math.max(monitoring.logRetentionDays, settings.auditHotDays),
      logGroupClass: "STANDARD",
      deletionProtectionEnabled: ctx.production,
    },
    statefulOptions(ctx, opts),
  );
  const role = new Role(
    `${name}-trail-role`,
    {
      name: iamName(ctx, "cloudtrail-logs"),
      description: "CloudTrail delivers the site trail to its CloudWatch Logs group",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceArn": trailArn } },
          },
        ],
      }),
    },
    opts,
  );
  const rolePolicy = new RolePolicy(
    `${name}-trail-role-policy`,
    {
      name: iamName(ctx, "cloudtrail-logs-write"),
      role: role.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`${logGroup.arn}:log-stream:*`,
          },
        ],
      }),
    },
    opts,
  );
  const trail = new Trail(
    `${name}-trail`,
    {
      name: trailName,
      s3BucketName: bucket.bucket,
      kmsKeyId: keys.keyArn,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
      cloudWatchLogsRoleArn: role.arn,
      eventSelectors: [
        {
          readWriteType: "All",
          includeManagementEvents: true,
          // Object-level API activity on the site's data bucket (reads and writes).
          dataResources: [
            {
              type: "AWS::S3::Object",
              values: [pulumi.interpolate`arn:aws:s3:::${storage.storeName}/`],
            },
          ],
        },
      ],
    },
    // CloudTrail checks the bucket policy and the role when the trail is created.
    { ...opts, dependsOn: [bucketPolicy, rolePolicy] },
  );

  // --- Threat detection.
  const detector = new Detector(
    `${name}-guardduty`,
    { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES" },
    opts,
  );
  const features = [
    ...(settings.workloads.objectStorage ? ["S3_DATA_EVENTS"] : []),
    ...(settings.workloads.database ? ["RDS_LOGIN_EVENTS"] : []),
    ...(settings.workloads.kubernetes ? ["EKS_AUDIT_LOGS"] : []),
  ];
  for (const feature of features) {
    new DetectorFeature(
      `${name}-guardduty-${feature.toLowerCase().replace(/_/g, "-")}`,
      { detectorId: detector.id, name: feature, status: "ENABLED" },
      opts,
    );
  }
  const topicArn = monitoring.alertTargets[settings.findingsSeverity].apply((arns) => {
    const arn = arns[0];
    if (arn === undefined) throw new Error(`no ${settings.findingsSeverity} alert topic on the site`);
    return arn;
  });
  const findingsRule = new EventRule(
    `${name}-guardduty-findings`,
    {
      name: awsName(ctx, "guardduty-findings"),
      description: `GuardDuty findings of severity ${guardDutyHighSeverity} or more (High, Critical) to the ${settings.findingsSeverity} alerts`,
      eventPattern: JSON.stringify({
        source: ["aws.guardduty"],
        "detail-type": ["GuardDuty Finding"],
        detail: { severity: [{ numeric: [">=", guardDutyHighSeverity] }] },
      }),
      state: "ENABLED",
    },
    opts,
  );
  const topicPolicy = new TopicPolicy(
    `${name}-alerts-topic-policy`,
    {
      arn: topicArn,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AccountManagesTheTopic",
            Effect: "Allow",
            Principal: { AWS: pulumi.interpolate`arn:aws:iam::${accountId}:root` },
            Action: "sns:*",
            Resource: topicArn,
          },
          {
            Sid: "CloudWatchAlarmsOfThisAccount",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: {
              ArnLike: {
                "aws:SourceArn": pulumi.interpolate`arn:aws:cloudwatch:${region}:${accountId}:alarm:*`,
              },
            },
          },
          {
            Sid: "GuardDutyFindingsRule",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { StringEquals: { "aws:SourceArn": findingsRule.arn } },
          },
          {
            Sid: "BudgetsAndCostAnomalyDetection",
            Effect: "Allow",
            Principal: { Service: ["budgets.amazonaws.com", "costalerts.amazonaws.com"] },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
          },
        ],
      }),
    },
    opts,
  );
  new EventTarget(
    `${name}-guardduty-findings-target`,
    { rule: findingsRule.name, arn: topicArn, targetId: "alerts" },
    { ...opts, dependsOn: [topicPolicy] },
  );

  // --- Budget and cost anomalies.
  let budgetId: pulumi.Output<string> | undefined;
  const budget = settings.budget;
  if (budget !== undefined) {
    const notification = (type: "ACTUAL" | "FORECASTED", threshold: number) => ({
      notificationType: type,
      comparisonOperator: "GREATER_THAN",
      threshold,
      thresholdType: "PERCENTAGE",
      subscriberSnsTopicArns: [topicArn],
    });
    const awsBudget = new Budget(
      `${name}-budget`,
      {
        name: fitName("awsBudget", [ctx.stack.environment, ctx.role, "monthly"]),
        budgetType: "COST",
        timeUnit: "MONTHLY",
        limitAmount: budget.amount.toFixed(2),
        limitUnit: budget.currency,
        notifications: [
          ...budget.actualThresholds.map((t) => notification("ACTUAL", t)),
          ...budget.forecastThresholds.map((t) => notification("FORECASTED", t)),
        ],
      },
      { ...opts, dependsOn: [topicPolicy] },
    );
    budgetId = awsBudget.id;
    const monitor = new AnomalyMonitor(
      `${name}-cost-anomalies`,
      {
        name: awsName(ctx, "cost-anomalies"),
        monitorType: "DIMENSIONAL",
        monitorDimension: "SERVICE",
      },
      opts,
    );
    new AnomalySubscription(
      `${name}-cost-anomalies-subscription`,
      {
        name: awsName(ctx, "cost-anomalies"),
        frequency: "IMMEDIATE",
        monitorArnLists: [monitor.arn],
        subscribers: [{ type: "SNS", address: topicArn }],
        // An anomaly of at least 5% of the monthly budget (and at least 1 USD) alerts.
        thresholdExpression: {
          dimension: {
            key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
            matchOptions: ["GREATER_THAN_OR_EQUAL"],
            values: [String(Math.max(1, Math.round(budget.amount * 0.05)))],
          },
        },
      },
      { ...opts, dependsOn: [topicPolicy] },
    );
  }

  return {
    auditTrailId: trail.arn,
    auditDestination: bucket.bucket,
    threatDetectionIds: detector.id.apply((id) => [id]),
    threatDetectionNote: undefined,
    budgetId,
  };
}
