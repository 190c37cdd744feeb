/**
 * AWS services that assume a role when the resource is created check the role's permissions then: a VPC
 * flow log with `iamRoleArn` (CloudWatch Logs delivery) and an S3 bucket replication configuration with
 * `role`. The role's permissions live in separate resources (inline `RolePolicy`, `RolePolicyAttachment`,
 * `PolicyAttachment`); unless the consumer depends on them, the engine creates it while the role is still
 * empty (IAM is also eventually consistent), and delivery fails or the create call is refused.
 */
import { finding } from "../../lib/checks";
import { list, peek, record } from "../../lib/props";
import { dependsOn, designates, knownString, lastSegment, ofTypes, propertyDeps } from "../lib/graph";
import type { Finding, Rule, Subject } from "../lib/rule";

const roleTypes = ["aws:iam/role:Role"];
const policyTypes = [
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:iam/policyAttachment:PolicyAttachment",
];

const consumers: readonly { type: string; property: string; source: string }[] = [
  {
    type: "aws:ec2/flowLog:FlowLog",
    property: "iamRoleArn",
    source: "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html",
  },
  {
    type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    property: "role",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html",
  },
  {
    type: "aws:cloudtrail/trail:Trail",
    property: "cloudWatchLogsRoleArn",
    source:
      "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html",
  },
];

const sources = [
  {
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html",
    quote:
      "The IAM role that's associated with your flow log must have sufficient permissions to publish flow logs to the specified log group in CloudWatch Logs (logs:CreateLogStream, logs:PutLogEvents, ...).",
  },
  {
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html",
    quote:
      "Amazon S3 assumes the IAM role you specify in the replication configuration to replicate objects; the role's permissions policy must grant the replication actions on the source and destination buckets.",
  },
  {
    url: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html",
    quote:
      "CloudTrail assumes the role you specify to deliver events to the CloudWatch Logs log group; the role needs logs:CreateLogStream and logs:PutLogEvents on the group, and CreateTrail/UpdateTrail fail with InvalidCloudWatchLogsRoleArnException when it cannot be used.",
  },
  {
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency",
    quote:
      "Changes that you make in IAM take time to become visible; do not include IAM changes in the critical, high-availability code paths of your application, and verify that changes have propagated before depending on them.",
  },
];

/** The role a consumer's `property` names: by property dependency, ARN or name. */
function roleOf(subjects: readonly Subject[], consumer: Subject, property: string): Subject | undefined {
  const roles = ofTypes(subjects, roleTypes);
  const byDep = roles.filter((r) => propertyDeps(consumer, property).includes(r.urn));
  if (byDep.length === 1) return byDep[0];
  const value = knownString(consumer.props, property);
  if (value === undefined) return undefined;
  return roles.find(
    (r) => knownString(r.props, "arn") === value || knownString(r.props, "name") === lastSegment(value),
  );
}

/** True when the role carries its permissions itself (inline policies or managed policy ARNs on the Role). */
function hasOwnPolicies(role: Subject): boolean {
  const inline = list(peek(role.props, "inlinePolicies")).filter((p) => Object.keys(record(p)).length > 0);
  const managed = list(peek(role.props, "managedPolicyArns"));
  return inline.length > 0 || managed.length > 0;
}

/** The resources that give `role` its permissions. */
export function rolePolicies(subjects: readonly Subject[], role: Subject): Subject[] {
  return ofTypes(subjects, policyTypes).filter((p) => {
    if (p.type === "aws:iam/policyAttachment:PolicyAttachment") {
      const names = list(peek(p.props, "roles")).filter((x): x is string => typeof x === "string");
      const roleName = knownString(role.props, "name");
      return (
        propertyDeps(p, "roles").includes(role.urn) || (roleName !== undefined && names.includes(roleName))
      );
    }
    return designates(p, "role", role, ["name"]);
  });
}

export const requireAwsRolePolicyBeforeUse: Rule = {
  id: "require-aws-role-policy-before-use",
  title: "AWS flow logs, S3 replication and CloudTrail depend on their role's permissions policy",
  category: "ordering",
  severity: "high",
  refuses:
    "A VPC flow log, S3 replication configuration or CloudTrail trail (CloudWatch Logs delivery) created before its role's policy is attached cannot deliver (flow log status 'Access error') or is refused; IAM changes also take time to propagate.",
  remediation:
    "Give the consumer `dependsOn` on the role's RolePolicy / RolePolicyAttachment (or put the policy inline on the Role).",
  sources,
  stackTypes: { aws: [...consumers.map((c) => c.type), ...roleTypes, ...policyTypes] },
  stack: (subjects) => {
    const out: Finding[] = [];
    for (const { type, property, source } of consumers) {
      for (const consumer of ofTypes(subjects, [type])) {
        const role = roleOf(subjects, consumer, property);
        if (!role || hasOwnPolicies(role)) continue;
        const policies = rolePolicies(subjects, role);
        const label = `role '${knownString(role.props, "name") ?? role.name}'`;
        if (policies.length === 0) {
          out.push(
            finding(
              consumer,
              `${property} names ${label}, which has no permissions policy in the stack. Source: ${source}`,
            ),
          );
        } else if (!policies.some((p) => dependsOn(subjects, consumer, p))) {
          out.push(
            finding(
              consumer,
              `${property} names ${label} but the resource does not depend on its policy (${policies.map((p) => p.name).join(", ")}): it may be created before the role can act. Source: ${source}`,
            ),
          );
        }
      }
    }
    return out;
  },
};
