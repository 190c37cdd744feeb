/**
 * CloudTrail checks the destination bucket's policy when a trail is created (and when its bucket
 * changes): without a statement that lets `cloudtrail.amazonaws.com` read the bucket ACL and write under
 * `AWSLogs/<account>/`, CreateTrail fails with InsufficientS3BucketPolicyException. The policy is a
 * separate resource (`BucketPolicy`); unless the trail depends on it, the engine may create the trail
 * first, and the same holds for the KMS key policy and the CloudWatch Logs role (the role rule,
 * require-aws-role-policy-before-use, covers `cloudWatchLogsRoleArn`).
 */
import { finding } from "../../lib/checks";
import { dependsOn, designates, knownString, ofTypes } from "../lib/graph";
import type { Finding, Rule } from "../lib/rule";

const trailType = "aws:cloudtrail/trail:Trail";
const bucketTypes = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const policyType = "aws:s3/bucketPolicy:BucketPolicy";
const source =
  "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html";

export const requireCloudtrailBucketPolicyBeforeTrail: Rule = {
  id: "require-cloudtrail-bucket-policy-before-trail",
  title: "A CloudTrail trail is created after the policy of its bucket",
  category: "ordering",
  severity: "high",
  refuses:
    "CreateTrail fails with InsufficientS3BucketPolicyException when the destination bucket's policy does not (yet) let CloudTrail check the bucket ACL and put objects.",
  remediation:
    "Create a BucketPolicy for the trail's bucket with the AWSCloudTrailAclCheck and AWSCloudTrailWrite statements (aws:SourceArn of the trail) and give the trail `dependsOn` on it.",
  sources: [
    {
      url: source,
      quote:
        "By default, Amazon S3 buckets and objects are private ... To allow CloudTrail to deliver log files to the bucket, the bucket policy must grant s3:GetBucketAcl and s3:PutObject to cloudtrail.amazonaws.com; when the policy is missing or incorrect, CloudTrail cannot create the trail (InsufficientS3BucketPolicyException).",
    },
    {
      url: "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html",
      quote:
        "InsufficientS3BucketPolicyException: This exception is thrown when the policy on the S3 bucket is not sufficient.",
    },
  ],
  stackTypes: { aws: [trailType, ...bucketTypes, policyType] },
  stack: (subjects) => {
    const out: Finding[] = [];
    for (const trail of ofTypes(subjects, [trailType])) {
      const bucket = ofTypes(subjects, bucketTypes).find((b) =>
        designates(trail, "s3BucketName", b, ["bucket"]),
      );
      if (!bucket) continue; // a bucket of another stack: its policy is not ours to order
      const label = `bucket '${knownString(bucket.props, "bucket") ?? bucket.name}'`;
      const policies = ofTypes(subjects, [policyType]).filter((p) =>
        designates(p, "bucket", bucket, ["bucket"]),
      );
      if (policies.length === 0) {
        out.push(
          finding(
            trail,
            `s3BucketName names ${label}, which has no bucket policy in the stack: CloudTrail cannot write to it. Source: ${source}`,
          ),
        );
      } else if (!policies.some((p) => dependsOn(subjects, trail, p))) {
        out.push(
          finding(
            trail,
            `the trail does not depend on the policy of ${label} (${policies.map((p) => p.name).join(", ")}): CreateTrail may run first and fail. Source: ${source}`,
          ),
        );
      }
    }
    return out;
  },
};
