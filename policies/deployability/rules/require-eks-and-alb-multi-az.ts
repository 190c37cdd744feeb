/**
 * An EKS cluster's subnets and an Application Load Balancer's subnets must lie in at least two
 * Availability Zones: EKS refuses CreateCluster, and ELB refuses CreateLoadBalancer, only when `pulumi up`
 * calls them. The subnet ids are resolved to the stack's Subnet resources (property dependencies during
 * preview, known ids otherwise) and their `availabilityZone` / `availabilityZoneId`.
 */
import { finding } from "../../lib/checks";
import { isUnknownValue, list, lower, peek, UNKNOWN } from "../../lib/props";
import { byUrn, ofTypes, propertyDeps } from "../lib/graph";
import type { Rule, Subject } from "../lib/rule";
import { insufficientZoneCoverage } from "./require-db-subnet-group-multi-az";

const clusterTypes = ["aws:eks/cluster:Cluster"];
const loadBalancerTypes = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const subnetTypes = ["aws:ec2/subnet:Subnet"];

const eksSource = {
  url: "https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html",
  quote:
    "When you create a cluster, you specify a VPC and at least two subnets that are in different Availability Zones.",
};
const albSource = {
  url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
  quote:
    "Subnets / SubnetMappings: [Application Load Balancers] You must specify subnets from at least two Availability Zones.",
};

/** The subnet ids a resource lists (known ids; unknown entries counted) and where they come from. */
function subnetsOf(s: Subject): { key: string; ids: unknown[]; unknown: boolean } {
  if (clusterTypes.includes(s.type)) {
    const raw = peek(s.props, "vpcConfig.subnetIds");
    return { key: "vpcConfig", ids: raw === UNKNOWN ? [] : list(raw), unknown: raw === UNKNOWN };
  }
  const subnets = peek(s.props, "subnets");
  if (subnets !== undefined && subnets !== null) {
    return { key: "subnets", ids: subnets === UNKNOWN ? [] : list(subnets), unknown: subnets === UNKNOWN };
  }
  const mappings = peek(s.props, "subnetMappings");
  const ids = mappings === UNKNOWN ? [] : list(mappings).map((m) => peek(m, "subnetId"));
  return { key: "subnetMappings", ids, unknown: mappings === UNKNOWN };
}

/** Application Load Balancers only: network and gateway load balancers may use one zone. */
function needsTwoZones(s: Subject): boolean {
  if (clusterTypes.includes(s.type)) return true;
  const kind = peek(s.props, "loadBalancerType");
  return kind === undefined || kind === null || lower(kind) === "application";
}

export const requireEksAndAlbMultiAz: Rule = {
  id: "require-eks-and-alb-multi-az",
  title: "EKS clusters and Application Load Balancers have subnets in at least two Availability Zones",
  category: "topology",
  severity: "critical",
  refuses:
    "EKS refuses a cluster whose subnets are not in at least two Availability Zones, and ELB refuses an Application Load Balancer with subnets from fewer than two Availability Zones.",
  remediation:
    "Give the cluster's vpcConfig.subnetIds and the load balancer's subnets one subnet in each of two or more zones (an AWS site of this platform has at least two zones: the `zones` setting).",
  sources: [eksSource, albSource],
  stackTypes: { aws: [...clusterTypes, ...loadBalancerTypes, ...subnetTypes] },
  stack: (subjects) => {
    const index = byUrn(subjects);
    const subnets = ofTypes(subjects, subnetTypes);
    const out = [];
    for (const subject of ofTypes(subjects, [...clusterTypes, ...loadBalancerTypes])) {
      if (!needsTwoZones(subject)) continue;
      const { key, ids, unknown } = subnetsOf(subject);
      const unknownIds = unknown || ids.some(isUnknownValue);
      const deps = propertyDeps(subject, key).filter((urn) =>
        subnetTypes.includes(index.get(urn)?.type ?? ""),
      );
      const short = insufficientZoneCoverage(ids, unknownIds, deps, index, subnets);
      if (!short) continue;
      const { count, where } = short;
      const isCluster = clusterTypes.includes(subject.type);
      const source = isCluster ? eksSource.url : albSource.url;
      out.push(
        finding(
          subject,
          `${isCluster ? "EKS cluster" : "Application Load Balancer"} has ${count} subnet${count === 1 ? "" : "s"} covering ${where}; ${isCluster ? "EKS" : "ELB"} refuses it at create time (subnets must be in at least two Availability Zones). Source: ${source}`,
        ),
      );
    }
    return out;
  },
};
