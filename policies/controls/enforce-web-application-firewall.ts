import { children, finding, ofType } from "../lib/checks";
import { defineControl } from "../lib/define";
import { get, isSet, isTrue, list, lower, peek, str } from "../lib/props";
import type { Finding } from "../lib/types";

const awsLoadBalancers = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];

/** Internet-facing Application Load Balancers (internal unset or false; type application or unset). */
function isPublicAlb(props: Record<string, unknown>): boolean {
  const internal = peek(props, "internal");
  const type = lower(peek(props, "loadBalancerType"));
  return internal !== true && internal !== "true" && (type === "" || type === "application");
}

function awsWebAcl(props: Record<string, unknown>): string[] {
  const out: string[] = [];
  const rules = list(get(props, "rules"));
  const managed = rules.filter((r) => isSet(r, "statement.managedRuleGroupStatement"));
  if (managed.length === 0)
    out.push(
      "no AWS managed rule group (managedRuleGroupStatement, e.g. AWSManagedRulesCommonRuleSet); add the managed groups in block mode",
    );
  for (const r of managed) {
    const name = str(get(r, "name")) ?? str(get(r, "statement.managedRuleGroupStatement.name")) ?? "?";
    if (isSet(r, "overrideAction.count"))
      out.push(
        `managed rule group ${name} runs in count mode (overrideAction count); use overrideAction none (block)`,
      );
    if (
      list(get(r, "statement.managedRuleGroupStatement.ruleActionOverrides")).some((o) =>
        isSet(o, "actionToUse.count"),
      )
    )
      out.push(`managed rule group ${name} overrides rules to count; keep them blocking`);
  }
  const rate = rules.some((r) => isSet(r, "statement.rateBasedStatement") && isSet(r, "action.block"));
  if (!rate) out.push("no rate-based rule with action block (per-client request flood protection)");
  return out;
}

function azureWafPolicy(props: Record<string, unknown>): string[] {
  const out: string[] = [];
  const state = lower(get(props, "policySettings.state"));
  if (state !== "enabled") out.push(`policySettings.state is ${state || "unset"}; set Enabled`);
  const mode = lower(get(props, "policySettings.mode"));
  if (mode !== "prevention")
    out.push(`policySettings.mode is ${mode || "unset (Detection)"}; set Prevention (block, not only log)`);
  const sets = list(get(props, "managedRules.managedRuleSets")).map((s) => lower(get(s, "ruleSetType")));
  if (!sets.some((t) => t === "microsoft_defaultruleset" || t === "owasp"))
    out.push("managedRules has no Microsoft_DefaultRuleSet or OWASP rule set");
  return out;
}

function azureGateway(props: Record<string, unknown>): string[] {
  const tier = lower(get(props, "sku.tier"));
  if (tier !== "waf_v2")
    return [`sku.tier is ${tier || "unset"}; use WAF_v2 (a WAF policy needs the WAF_v2 tier)`];
  return isSet(props, "firewallPolicy.id")
    ? []
    : [
        "no firewallPolicy associated; associate a WAF policy (ApplicationGatewayWebApplicationFirewallPolicy) in Prevention mode",
      ];
}

/** Cloud Armor: a preconfigured WAF rule that denies, and Adaptive Protection. */
function gcpSecurityPolicy(props: Record<string, unknown>): string[] {
  const out: string[] = [];
  const type = lower(get(props, "type"));
  if (type !== "" && type !== "cloud_armor") return [];
  const waf = list(get(props, "rules")).some((r) => {
    const expr = str(get(r, "match.expr.expression")) ?? "";
    return /evaluatePreconfigured(Waf|Expr)\(/.test(expr) && lower(get(r, "action")).startsWith("deny");
  });
  if (!waf)
    out.push(
      "no preconfigured WAF rule in deny (evaluatePreconfiguredWaf('sqli-v33-stable', ...) and the others)",
    );
  if (!isTrue(get(props, "adaptiveProtectionConfig.layer7DdosDefenseConfig.enable")))
    out.push(
      "adaptiveProtectionConfig.layer7DdosDefenseConfig.enable is not true (Adaptive Protection, layer 7 DDoS defense)",
    );
  return out;
}

function gcpBackendService(props: Record<string, unknown>): string[] {
  const scheme = lower(get(props, "loadBalancingScheme"));
  if (scheme !== "external" && scheme !== "external_managed") return [];
  return isSet(props, "securityPolicy")
    ? []
    : [`${scheme.toUpperCase()} backend service without a Cloud Armor securityPolicy`];
}

export const enforceWebApplicationFirewall = defineControl({
  id: "enforce-web-application-firewall",
  title: "Internet-facing HTTP load balancers sit behind a WAF with managed rules in blocking mode",
  severity: "high",
  category: "exposure",
  kind: "security",
  rationale:
    "Public web applications must be protected by a web application firewall that detects and blocks attacks (PCI DSS 6.4.2); a WAF in count/detection mode, without the cloud's managed rule sets, or not attached to the load balancer protects nothing. Rate limits and adaptive layer 7 protection blunt request floods.",
  remediation: [
    "AWS: a WAFv2 web ACL (REGIONAL) with AWS managed rule groups (AWSManagedRulesCommonRuleSet, KnownBadInputs, AmazonIpReputationList, SQLi) with overrideAction none, a rate-based rule with action block, and an aws.wafv2.WebAclAssociation for every internet-facing ALB.",
    "Azure: Application Gateway sku WAF_v2 with firewallPolicy set to an ApplicationGatewayWebApplicationFirewallPolicy in state Enabled, mode Prevention, with Microsoft_DefaultRuleSet (or OWASP) managed rules.",
    "GCP: a Cloud Armor security policy with preconfigured WAF rules (evaluatePreconfiguredWaf) in deny and Adaptive Protection (layer7DdosDefenseConfig.enable), set as securityPolicy on every EXTERNAL / EXTERNAL_MANAGED backend service.",
  ],
  frameworks: {
    soc2: ["CC6.6", "CC7.1"],
    iso27001: ["A.8.20", "A.8.21", "A.8.26"],
    pciDss: ["6.4.2", "1.4.1"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["AWS Foundational Security Best Practices ELB.x / WAF.x (indicative)"],
  },
  uncertain: ["CIS / AWS FSBP control ids differ between versions; the ids given are indicative."],
  resources: {
    aws: { "aws:wafv2/webAcl:WebAcl": awsWebAcl },
    azure: {
      "azure-native:network:WebApplicationFirewallPolicy": azureWafPolicy,
      "azure-native:network:ApplicationGateway": azureGateway,
    },
    gcp: {
      "gcp:compute/securityPolicy:SecurityPolicy": gcpSecurityPolicy,
      "gcp:compute/backendService:BackendService": gcpBackendService,
    },
  },
  stack: (subjects) => {
    const out: Finding[] = [];
    for (const lb of ofType(subjects, awsLoadBalancers)) {
      if (!isPublicAlb(lb.props)) continue;
      const associations = children(
        subjects,
        ["aws:wafv2/webAclAssociation:WebAclAssociation"],
        "resourceArn",
        lb,
      );
      if (associations.length === 0)
        out.push(finding(lb, "internet-facing ALB without a WAFv2 web ACL (no aws.wafv2.WebAclAssociation)"));
    }
    return out;
  },
  stackTypes: {
    aws: [...awsLoadBalancers, "aws:wafv2/webAclAssociation:WebAclAssociation"],
  },
});
