/**
 * Inline traffic rules the cloud refuses only when `pulumi up` writes them: an AWS network ACL takes at
 * most 20 rules per direction and address family under the default quota (its default deny rule included,
 * so 19 of ours), numbered 1-32766 and unique per direction; an Azure network security group takes
 * priorities 100-4096, unique per direction, and unique rule names. Cross-site rules (database replication
 * between the two sites of a stack) add to the data tier's rules, so the limits are checked on every plan.
 */
import { get, list, num, record, str } from "../../lib/props";
import type { Rule, Source } from "../lib/rule";

const sources = {
  naclQuota: {
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-nacls",
    quote:
      "Rules per network ACL: 20. This is a one-way quota. This quota is enforced separately for IPv4 rules and IPv6 rules. This quota includes the default deny rules (rule number 32767 for IPv4 and 32768 for IPv6). This quota can be increased up to a maximum of 40.",
  },
  naclEntry: {
    url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkAclEntry.html",
    quote:
      "RuleNumber: The rule number for the entry (for example, 100). ACL entries are processed in ascending order by rule number. Constraints: Positive integer from 1 to 32766. The range 32767 to 65535 is reserved for internal use. (A number already used in the same direction fails with NetworkAclEntryAlreadyExists.)",
  },
  nsgPriority: {
    url: "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules",
    quote:
      "Priority: A number between 100 and 4096. Rules are processed in priority order, with lower numbers processed before higher numbers. (Two rules of one direction with the same priority are refused: SecurityRuleConflict.)",
  },
  nsgRule: {
    url: "https://learn.microsoft.com/rest/api/virtualnetwork/security-rules/create-or-update",
    quote:
      "priority: The priority of the rule. The value can be between 100 and 4096. The priority number must be unique for each rule in the collection. name: The name of the resource that is unique within a resource group.",
  },
} satisfies Record<string, Source>;

/** Rules per network ACL, direction and address family under the default quota, the default deny included. */
export const naclRuleQuota = 20;

function naclFindings(props: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const direction of ["ingress", "egress"] as const) {
    const entries = list(get(props, direction)).map(record);
    for (const family of ["IPv4", "IPv6"] as const) {
      const ofFamily = entries.filter((e) => (str(e.ipv6CidrBlock) ? "IPv6" : "IPv4") === family);
      if (ofFamily.length + 1 > naclRuleQuota) {
        out.push(
          `${direction}: ${ofFamily.length} ${family} rules plus the default deny exceed the quota of ${naclRuleQuota} per direction (raise "Rules per network ACL" up to 40 first, or use fewer rules). Source: ${sources.naclQuota.url}`,
        );
      }
    }
    const numbers = entries.map((e) => num(e.ruleNo)).filter((n): n is number => n !== undefined);
    const outOfRange = numbers.filter((n) => !Number.isInteger(n) || n < 1 || n > 32766);
    if (outOfRange.length > 0) {
      out.push(
        `${direction}: rule numbers ${outOfRange.join(", ")} outside 1-32766. Source: ${sources.naclEntry.url}`,
      );
    }
    const dupes = [...new Set(numbers.filter((n, i) => numbers.indexOf(n) !== i))];
    if (dupes.length > 0) {
      out.push(
        `${direction}: rule number${dupes.length > 1 ? "s" : ""} ${dupes.join(", ")} used more than once (NetworkAclEntryAlreadyExists). Source: ${sources.naclEntry.url}`,
      );
    }
  }
  return out;
}

function nsgFindings(props: Record<string, unknown>): string[] {
  const out: string[] = [];
  const rules = list(get(props, "securityRules")).map(record);
  for (const direction of ["Inbound", "Outbound"]) {
    const mine = rules.filter((r) => str(r.direction) === direction);
    const priorities = mine.map((r) => num(r.priority)).filter((n): n is number => n !== undefined);
    const outOfRange = priorities.filter((p) => !Number.isInteger(p) || p < 100 || p > 4096);
    if (outOfRange.length > 0) {
      out.push(
        `${direction}: priorities ${outOfRange.join(", ")} outside 100-4096. Source: ${sources.nsgPriority.url}`,
      );
    }
    const dupes = [...new Set(priorities.filter((p, i) => priorities.indexOf(p) !== i))];
    for (const p of dupes) {
      const names = mine.filter((r) => num(r.priority) === p).map((r) => str(r.name) ?? "?");
      out.push(
        `${direction}: rules ${names.join(", ")} share priority ${p}; Azure refuses two rules of one direction with the same priority. Source: ${sources.nsgRule.url}`,
      );
    }
  }
  const names = rules.map((r) => str(r.name)).filter((n): n is string => n !== undefined);
  const dupes = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (dupes.length > 0) {
    out.push(`rule names ${dupes.join(", ")} used more than once. Source: ${sources.nsgRule.url}`);
  }
  return out;
}

export const enforceNetworkRuleLimits: Rule = {
  id: "enforce-network-rule-limits",
  title: "Inline network ACL and NSG rules fit the cloud's count, numbering and priority limits",
  category: "topology",
  severity: "high",
  refuses:
    "AWS refuses a network ACL rule beyond the quota (20 per direction and address family by default, the default deny included), a rule number outside 1-32766 or one used twice in a direction; Azure refuses an NSG rule priority outside 100-4096, two rules of one direction with the same priority, and two rules with the same name.",
  remediation:
    "AWS: merge rules (fewer blocks or port ranges), request a higher 'Rules per network ACL' quota (L-2AEEBF1A, up to 40) before deploying, and keep rule numbers unique per direction. Azure: give every rule of a direction its own priority in 100-4096 and a unique name.",
  sources: Object.values(sources),
  resources: {
    aws: { "aws:ec2/networkAcl:NetworkAcl": (props) => naclFindings(props) },
    azure: { "azure-native:network:NetworkSecurityGroup": (props) => nsgFindings(props) },
  },
};
