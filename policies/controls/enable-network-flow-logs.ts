import { children, finding, ofType } from "../lib/checks";
import { defineControl } from "../lib/define";
import { get, isFalse, isSet, lower } from "../lib/props";
import type { Finding } from "../lib/types";

/** Subnet purposes that do not support flow logs. */
const noFlowLogPurposes = new Set([
  "regional_managed_proxy",
  "global_managed_proxy",
  "private_service_connect",
  "internal_https_load_balancer",
]);

export const enableNetworkFlowLogs = defineControl({
  id: "enable-network-flow-logs",
  title: "Every network records flow logs",
  severity: "medium",
  category: "logging",
  kind: "security",
  rationale:
    "Flow logs are the record of who talked to what; without them an intrusion or exfiltration cannot be investigated (PCI DSS 10.2.1, SOC 2 CC7.2, ISO 27001 A.8.15/A.8.16).",
  remediation: [
    "AWS: an aws.ec2.FlowLog with vpcId of every VPC (trafficType ALL) to CloudWatch Logs or S3.",
    "Azure: a network watcher FlowLog (azure-native network FlowLog) whose targetResourceId is every virtual network (VNet flow logs replace NSG flow logs).",
    "GCP: logConfig on every subnetwork (aggregationInterval, flowSampling, metadata).",
  ],
  frameworks: {
    soc2: ["CC7.2"],
    iso27001: ["A.8.15", "A.8.16"],
    pciDss: ["10.2.1"],
    gdpr: ["Art. 32(1)(d)", "Art. 33"],
    lfpdppp: ["Art. 19"],
    cis: [
      "AWS Foundations 3.9 (VPC flow logging)",
      "Azure 6.4/6.5 (flow logs)",
      "GCP 3.8 (VPC flow logs on every subnet)",
    ],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    gcp: {
      "gcp:compute/subnetwork:Subnetwork": (props) => {
        if (noFlowLogPurposes.has(lower(get(props, "purpose")))) return [];
        return isSet(props, "logConfig")
          ? []
          : ["logConfig is unset: VPC flow logs are off for this subnetwork"];
      },
    },
  },
  stack: (subjects) => {
    const out: Finding[] = [];
    for (const vpc of ofType(subjects, ["aws:ec2/vpc:Vpc", "aws:ec2/defaultVpc:DefaultVpc"])) {
      if (children(subjects, ["aws:ec2/flowLog:FlowLog"], "vpcId", vpc).length === 0) {
        out.push(finding(vpc, "VPC has no aws.ec2.FlowLog"));
      }
    }
    for (const vnet of ofType(subjects, ["azure-native:network:VirtualNetwork"])) {
      const logs = children(subjects, ["azure-native:network:FlowLog"], "targetResourceId", vnet).filter(
        (f) => !isFalse(get(f.props, "enabled")),
      );
      if (logs.length === 0)
        out.push(finding(vnet, "virtual network has no enabled network watcher FlowLog targeting it"));
    }
    return out;
  },
  stackTypes: {
    aws: ["aws:ec2/vpc:Vpc", "aws:ec2/defaultVpc:DefaultVpc", "aws:ec2/flowLog:FlowLog"],
    azure: ["azure-native:network:VirtualNetwork", "azure-native:network:FlowLog"],
  },
});
