/**
 * AWS WAF refuses a logging configuration whose destination (CloudWatch Logs group, S3 bucket or Data
 * Firehose stream) is not named `aws-waf-logs-...` (WAFInvalidParameterException at PutLoggingConfiguration,
 * i.e. when `pulumi up` creates the aws.wafv2.WebAclLoggingConfiguration). The destinations are resolved to
 * the stack's log groups, buckets and streams (property dependencies during preview, known ARNs otherwise).
 */
import { finding } from "../../lib/checks";
import { list, peek, UNKNOWN } from "../../lib/props";
import { byUrn, ofTypes, propertyDeps } from "../lib/graph";
import type { Finding, Rule, Subject } from "../lib/rule";

export const wafLogPrefix = "aws-waf-logs-";

const configTypes = ["aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"];
/** Destination types and the input holding their name. */
const destinations: Readonly<Record<string, string>> = {
  "aws:cloudwatch/logGroup:LogGroup": "name",
  "aws:s3/bucket:Bucket": "bucket",
  "aws:s3/bucketV2:BucketV2": "bucket",
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": "name",
};

/** The destination's name in an ARN: `log-group:<name>`, `arn:aws:s3:::<name>`, `deliverystream/<name>`. */
export function nameInArn(arn: string): string | undefined {
  const m =
    /:log-group:([^:]+)(:\*)?$/.exec(arn) ??
    /^arn:[^:]+:s3:::([^/]+)$/.exec(arn) ??
    /:deliverystream\/([^/]+)$/.exec(arn);
  return m?.[1];
}

function destinationName(subject: Subject): string | typeof UNKNOWN | undefined {
  const key = destinations[subject.type];
  if (!key) return undefined;
  const v = peek(subject.props, key);
  return v === UNKNOWN ? UNKNOWN : typeof v === "string" ? v : undefined;
}

export const requireWafLogDestinationPrefix: Rule = {
  id: "require-waf-log-destination-prefix",
  title: "AWS WAF logging destinations are named aws-waf-logs-...",
  category: "names",
  severity: "high",
  refuses:
    "AWS WAF refuses PutLoggingConfiguration when the CloudWatch Logs group, S3 bucket or Firehose stream it logs to is not named with the aws-waf-logs- prefix (WAFInvalidParameterException).",
  remediation:
    "Name the web ACL's log destination aws-waf-logs-<environment>-<role> (providers/aws/ingress.ts does), and give the logging configuration that destination's ARN.",
  sources: [
    {
      url: "https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html",
      quote:
        "Create your logging destination. You can use an Amazon CloudWatch Logs log group, an Amazon Simple Storage Service (Amazon S3) bucket, or an Amazon Kinesis Data Firehose. The name that you give the destination must start with aws-waf-logs-.",
    },
  ],
  stackTypes: { aws: [...configTypes, ...Object.keys(destinations)] },
  stack: (subjects) => {
    const index = byUrn(subjects);
    const out: Finding[] = [];
    for (const config of ofTypes(subjects, configTypes)) {
      const names = new Set<string>();
      for (const urn of propertyDeps(config, "logDestinationConfigs")) {
        const s = index.get(urn);
        const n = s ? destinationName(s) : undefined;
        if (typeof n === "string") names.add(n);
      }
      const raw = peek(config.props, "logDestinationConfigs");
      for (const arn of raw === UNKNOWN ? [] : list(raw)) {
        const n = typeof arn === "string" ? nameInArn(arn) : undefined;
        if (n) names.add(n);
      }
      for (const n of names)
        if (!n.startsWith(wafLogPrefix))
          out.push(
            finding(
              config,
              `WAF log destination '${n}' does not start with ${wafLogPrefix}: AWS WAF refuses the logging configuration`,
            ),
          );
    }
    return out;
  },
};
