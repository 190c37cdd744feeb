/** Shared check for "no listed port open to the internet" across security groups, NACLs, NSGs and firewalls. */
import {
  awsRuleRanges,
  azurePortRanges,
  azureSources,
  gcpAllowRanges,
  isAzureInboundAllow,
  isWorld,
  portsIn,
  type PortRange,
} from "./network";
import { get, isTrue, list, lower, num, str } from "./props";
import type { CheckContext, Cloud, ResourceCheck } from "./types";

type PortsOf = (ctx: CheckContext) => readonly number[];

function report(ports: number[], where: string, label: string): string[] {
  return ports.length === 0
    ? []
    : [`${where} opens ${label} port(s) ${[...new Set(ports)].join(", ")} to the internet`];
}

function worldCidrs(rule: unknown, v4: string, v6: string): boolean {
  return [...list(get(rule, v4)), ...list(get(rule, v6))].some(isWorld);
}

/** Stateless NACL rules allowing the ephemeral return range (1024-65535) are how NACLs must be written; not an exposure. */
function withoutEphemeral(ranges: PortRange[]): PortRange[] {
  return ranges.filter((r) => !(r.from >= 1024 && r.to === 65535));
}

export function exposureChecks(
  portsOf: PortsOf,
  label: string,
): Partial<Record<Cloud, Record<string, ResourceCheck>>> {
  const sgIngress: ResourceCheck = (props, ctx) =>
    list(get(props, "ingress")).flatMap((rule, i) =>
      worldCidrs(rule, "cidrBlocks", "ipv6CidrBlocks")
        ? report(portsIn(awsRuleRanges(rule), portsOf(ctx)), `ingress[${i}]`, label)
        : [],
    );
  const naclIngress: ResourceCheck = (props, ctx) =>
    list(get(props, "ingress")).flatMap((rule, i) => {
      if (lower(get(rule, "action")) !== "allow") return [];
      if (!isWorld(get(rule, "cidrBlock")) && !isWorld(get(rule, "ipv6CidrBlock"))) return [];
      return report(
        portsIn(withoutEphemeral(awsRuleRanges(rule)), portsOf(ctx)),
        `ingress rule ${String(get(rule, "ruleNo") ?? i)}`,
        label,
      );
    });
  const azureRule = (rule: unknown, ctx: CheckContext, where: string): string[] => {
    if (!isAzureInboundAllow(rule)) return [];
    if (!azureSources(rule).some(isWorld)) return [];
    const protocol = lower(get(rule, "protocol"));
    if (protocol === "icmp" || protocol === "esp" || protocol === "ah") return [];
    return report(portsIn(azurePortRanges(rule), portsOf(ctx)), where, label);
  };
  return {
    aws: {
      "aws:ec2/securityGroup:SecurityGroup": sgIngress,
      "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": sgIngress,
      "aws:ec2/securityGroupRule:SecurityGroupRule": (props, ctx) =>
        lower(get(props, "type")) === "ingress" && worldCidrs(props, "cidrBlocks", "ipv6CidrBlocks")
          ? report(portsIn(awsRuleRanges(props), portsOf(ctx)), "security group rule", label)
          : [],
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (props, ctx) =>
        isWorld(get(props, "cidrIpv4")) || isWorld(get(props, "cidrIpv6"))
          ? report(
              portsIn(awsRuleRanges(props, "fromPort", "toPort", "ipProtocol"), portsOf(ctx)),
              "ingress rule",
              label,
            )
          : [],
      "aws:ec2/networkAcl:NetworkAcl": naclIngress,
      "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": naclIngress,
      "aws:ec2/networkAclRule:NetworkAclRule": (props, ctx) => {
        if (isTrue(get(props, "egress")) || lower(get(props, "ruleAction")) !== "allow") return [];
        if (!isWorld(get(props, "cidrBlock")) && !isWorld(get(props, "ipv6CidrBlock"))) return [];
        return report(
          portsIn(withoutEphemeral(awsRuleRanges(props)), portsOf(ctx)),
          `NACL rule ${String(num(get(props, "ruleNumber")) ?? "")}`.trim(),
          label,
        );
      },
    },
    azure: {
      "azure-native:network:NetworkSecurityGroup": (props, ctx) =>
        list(get(props, "securityRules")).flatMap((rule, i) =>
          azureRule(rule, ctx, `securityRules[${i}] ${str(get(rule, "name")) ?? ""}`.trim()),
        ),
      "azure-native:network:SecurityRule": (props, ctx) => azureRule(props, ctx, "security rule"),
    },
    gcp: {
      "gcp:compute/firewall:Firewall": (props, ctx) => {
        const direction = lower(get(props, "direction")) || "ingress";
        if (direction !== "ingress" || isTrue(get(props, "disabled"))) return [];
        const ranges = list(get(props, "sourceRanges"));
        const tagsOrAccounts =
          list(get(props, "sourceTags")).length + list(get(props, "sourceServiceAccounts")).length;
        // Without sourceRanges, tags or service accounts GCP applies 0.0.0.0/0.
        const world = ranges.some(isWorld) || (ranges.length === 0 && tagsOrAccounts === 0);
        if (!world) return [];
        return report(
          portsIn(list(get(props, "allows")).flatMap(gcpAllowRanges), portsOf(ctx)),
          "firewall",
          label,
        );
      },
    },
  };
}
