import * as pulumi from "@pulumi/pulumi";
import { MetricAlarm } from "@pulumi/aws/cloudwatch/metricAlarm";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicy } from "@pulumi/aws/iam/rolePolicy";
import { Canary } from "@pulumi/aws/synthetics/canary";
import type { Severity } from "../../components/config";
import type { SiteContext } from "../../components/context";
import { fitName } from "../../components/naming";
import type { SyntheticsBuildInputs, SyntheticsOutputs } from "../../components/synthetics";
import { serviceTrustPolicy } from "./iam";
import { siteAccountId } from "./keys";
import { iamName } from "./names";

/**
 * The Synthetics runtime the canary runs on, pinned (a deprecated runtime cannot create canaries):
 * the most recent Node.js + Playwright runtime (Lambda Node.js 22.x), "Runtime versions using Node.js and
 * Playwright", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Library_nodejs_playwright.html;
 * support policy: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Runtime_Support_Policy.html.
 */
export const canaryRuntimeVersion = "syn-nodejs-playwright-8.0";

/** The canary's code: providers/aws/canary/index.js zipped (relative to the project directory, where `pulumi` runs). */
export const canaryZipFile = "providers/aws/canary/healthcheck.zip";

/** Where the canary's artifacts go in the site's access-log bucket. */
export const canaryArtifactPrefix = "synthetics";

/**
 * AWS synthetic check:
 *
 * - a CloudWatch Synthetics canary (name at most 21 characters) running providers/aws/canary/index.js on
 *   {@link canaryRuntimeVersion} every `intervalMinutes`: one HTTPS GET of the endpoint, TLS validated,
 *   the expected status; the run's pass/fail is published as `CloudWatchSynthetics` `SuccessPercent`
 *   (dimension `CanaryName`). Artifacts (logs, HAR) go to the site's access-log bucket under
 *   `synthetics/`, encrypted with the site key (SSE-KMS) and expired with the bucket's access logs;
 *   failed runs are kept 30 days, successful 7;
 * - an execution role the canary's Lambda assumes: write its artifacts, its own log groups, its metrics
 *   (namespace `CloudWatchSynthetics` only) and use the site key;
 * - alarms: degraded (a run failed in 2 of the last 3 periods) and down (every run failed for 3
 *   periods; a canary that stops running counts as down).
 */
export function synthetics(
  name: string,
  ctx: SiteContext<"aws">,
  inputs: SyntheticsBuildInputs<"aws">,
): SyntheticsOutputs {
  const { settings, keys, monitoring, storage, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const accountId = siteAccountId(ctx, opts);
  const region = ctx.site.region;
  const canaryName = fitName("awsCanary", [ctx.stack.environment, ctx.role, "uptime"]);
  const bucketArn = pulumi.interpolate`arn:aws:s3:::${storage.accessLogDestination}`;

  const role = new Role(
    `${name}-canary-role`,
    {
      name: iamName(ctx, "canary"),
      description: "CloudWatch Synthetics canary of the public endpoint",
      assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com"),
    },
    opts,
  );
  // "Required roles and permissions for canaries":
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_CanaryPermissions.html
  const policy = new RolePolicy(
    `${name}-canary-policy`,
    {
      role: role.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "WriteArtifacts",
            Effect: "Allow",
            Action: ["s3:PutObject"],
            Resource: pulumi.interpolate`${bucketArn}/${canaryArtifactPrefix}/*`,
          },
          { Sid: "LocateBucket", Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: bucketArn },
          // ListAllMyBuckets and PutMetricData have no resource-level permissions.
          { Sid: "ListBuckets", Effect: "Allow", Action: ["s3:ListAllMyBuckets"], Resource: "*" },
          {
            Sid: "PublishMetrics",
            Effect: "Allow",
            Action: ["cloudwatch:PutMetricData"],
            Resource: "*",
            Condition: { StringEquals: { "cloudwatch:namespace": "CloudWatchSynthetics" } },
          },
          {
            Sid: "OwnLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`arn:aws:logs:${region}:${accountId}:log-group:/aws/lambda/cwsyn-${canaryName}-*`,
          },
          {
            Sid: "SiteKey",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: keys.keyArn,
          },
        ],
      }),
    },
    opts,
  );

  const canary = new Canary(
    `${name}-canary`,
    {
      name: canaryName,
      runtimeVersion: canaryRuntimeVersion,
      handler: "index.handler",
      zipFile: canaryZipFile,
      executionRoleArn: role.arn,
      artifactS3Location: pulumi.interpolate`s3://${storage.accessLogDestination}/${canaryArtifactPrefix}/`,
      artifactConfig: { s3Encryption: { encryptionMode: "SSE_KMS", kmsKeyArn: keys.keyArn } },
      schedule: { expression: `rate(${settings.intervalMinutes} minutes)` },
      runConfig: {
        timeoutInSeconds: 60,
        memoryInMb: 1024,
        environmentVariables: {
          TARGET_URL: settings.url,
          EXPECTED_STATUS: String(settings.expectedStatus),
        },
      },
      failureRetentionPeriod: 30,
      successRetentionPeriod: 7,
      startCanary: true,
      deleteLambda: true,
    },
    { ...opts, dependsOn: [policy] },
  );

  const period = settings.intervalMinutes * 60;
  const alarm = (
    purpose: string,
    severity: Severity,
    description: string,
    statistic: "Average" | "Maximum",
    threshold: number,
    datapoints: number,
  ) =>
    new MetricAlarm(
      `${name}-${purpose}-alarm`,
      {
        name: fitName("awsName", [canaryName, purpose]),
        alarmDescription: `[${severity}] ${description} (${settings.url})`,
        namespace: "CloudWatchSynthetics",
        metricName: "SuccessPercent",
        dimensions: { CanaryName: canary.name },
        statistic,
        period,
        evaluationPeriods: 3,
        datapointsToAlarm: datapoints,
        threshold,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: purpose === "down" ? "breaching" : "notBreaching",
        alarmActions: monitoring.alertTargets[severity],
        okActions: monitoring.alertTargets[severity],
      },
      opts,
    );
  const degraded = alarm(
    "degraded",
    settings.degradedSeverity,
    "Synthetic check failed in 2 of the last 3 runs",
    "Average",
    100,
    2,
  );
  const down = alarm(
    "down",
    settings.downSeverity,
    "Public endpoint down: every run failed",
    "Maximum",
    1,
    3,
  );

  monitoring.dashboard.add({
    cloud: "aws",
    section: "availability",
    title: "Synthetic check success",
    unit: "Percent",
    thresholds: { warning: 100, critical: 1, direction: "below" },
    metric: {
      namespace: "CloudWatchSynthetics",
      metricName: "SuccessPercent",
      dimensions: { CanaryName: canary.name },
      stat: "Average",
    },
  });
  monitoring.dashboard.add({
    cloud: "aws",
    section: "availability",
    title: "Synthetic check duration",
    unit: "Milliseconds",
    metric: {
      namespace: "CloudWatchSynthetics",
      metricName: "Duration",
      dimensions: { CanaryName: canary.name },
      stat: "Average",
    },
  });

  return { checkId: canary.name, alertIds: [degraded.arn, down.arn] };
}
