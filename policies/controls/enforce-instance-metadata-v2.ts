import { defineControl } from "../lib/define";
import { get, lower } from "../lib/props";
import type { ResourceCheck } from "../lib/types";

/**
 * IMDSv2 only: `metadataOptions.httpTokens: "required"`, or the metadata endpoint switched off
 * (`httpEndpoint: "disabled"`). Unset is a violation: the provider and the EC2 API default to "optional"
 * (IMDSv1 allowed) unless the AMI says otherwise, which a plan does not show.
 */
const imdsV2: ResourceCheck = (props) => {
  const options = get(props, "metadataOptions");
  if (lower(get(options, "httpEndpoint")) === "disabled") return [];
  const tokens = get(options, "httpTokens");
  if (tokens === "required") return [];
  return tokens === undefined || tokens === null || tokens === ""
    ? ['metadataOptions.httpTokens is unset (the default allows IMDSv1); set it to "required"']
    : [`metadataOptions.httpTokens is "${String(tokens)}" (IMDSv1 allowed); set it to "required"`];
};

export const enforceInstanceMetadataV2 = defineControl({
  id: "enforce-instance-metadata-v2",
  title: "EC2 instances require IMDSv2 session tokens",
  severity: "high",
  category: "identity",
  kind: "security",
  rationale:
    "IMDSv1 answers any GET request from the instance, so a server-side request forgery or an open proxy hands out the instance role's credentials; IMDSv2 requires a session token obtained with a PUT and a hop limit, which those requests cannot do (CIS AWS Foundations 5.6, Checkov CKV_AWS_79).",
  remediation: [
    'AWS: metadataOptions: { httpTokens: "required" } on aws.ec2.Instance, aws.ec2.LaunchTemplate, aws.ec2.SpotInstanceRequest and aws.ec2.LaunchConfiguration (or httpEndpoint: "disabled" where nothing reads instance metadata).',
    "Check the software on the instances uses an IMDSv2-aware SDK or agent before switching (AWS SDKs since 2019 are).",
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.6"],
    iso27001: ["A.8.9", "A.8.5"],
    pciDss: ["2.2.1", "8.6.3"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["AWS Foundations 5.6 (EC2 metadata service allows IMDSv2 only)"],
  },
  uncertain: [
    "CIS benchmark ids differ between benchmark versions; the ids given are indicative.",
    "PCI DSS 8.6.3 (protection of system-account credentials) is the closest requirement for instance-role credentials; the mapping is interpretive.",
    'An AMI registered with ImdsSupport "v2.0" makes IMDSv2 the default, which a plan does not show; the control requires the setting on the resource.',
  ],
  resources: {
    aws: {
      "aws:ec2/instance:Instance": imdsV2,
      "aws:ec2/launchTemplate:LaunchTemplate": imdsV2,
      "aws:ec2/spotInstanceRequest:SpotInstanceRequest": imdsV2,
      "aws:ec2/launchConfiguration:LaunchConfiguration": imdsV2,
    },
  },
});
