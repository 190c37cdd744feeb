import { children, finding, ofType } from "../lib/checks";
import { defineControl } from "../lib/define";
import { get, isSet, isTrue, list, lower, peek } from "../lib/props";
import type { Finding } from "../lib/types";

/** Diagnostic log categories of an Application Gateway that record requests and WAF decisions. */
const gatewayCategories = ["applicationgatewayaccesslog", "applicationgatewayfirewalllog"];

export const enableLoadBalancerAccessLogs = defineControl({
  id: "enable-load-balancer-access-logs",
  title: "Edge load balancers and their WAFs log every request",
  severity: "medium",
  category: "logging",
  kind: "security",
  rationale:
    "Requests reaching the platform from the internet and the WAF's decisions about them are the first evidence of an attack and of who accessed what (PCI DSS 10.2.1, SOC 2 CC7.2); without access logs on the edge load balancer and logging of the WAF, incidents cannot be reconstructed.",
  remediation: [
    "AWS: accessLogs { bucket, enabled: true } on every Application Load Balancer (the bucket must use SSE-S3), and an aws.wafv2.WebAclLoggingConfiguration for every web ACL (destination named aws-waf-logs-...).",
    "Azure: a monitor DiagnosticSetting on every Application Gateway with the ApplicationGatewayAccessLog and ApplicationGatewayFirewallLog categories (or the allLogs category group).",
    "GCP: logConfig { enable: true } (sampleRate 1) on every EXTERNAL / EXTERNAL_MANAGED backend service.",
  ],
  frameworks: {
    soc2: ["CC7.2"],
    iso27001: ["A.8.15", "A.8.16"],
    pciDss: ["10.2.1", "10.2.2"],
    gdpr: ["Art. 32(1)(d)"],
    lfpdppp: ["Art. 19"],
    cis: ["AWS FSBP ELB.5 (ALB logging enabled)", "AWS FSBP WAF.11 (web ACL logging)"],
  },
  uncertain: ["AWS Foundational Security Best Practices ids are indicative."],
  resources: {
    aws: {
      "aws:lb/loadBalancer:LoadBalancer": (props) => {
        const type = lower(get(props, "loadBalancerType"));
        if (type !== "" && type !== "application") return [];
        return isTrue(get(props, "accessLogs.enabled")) && isSet(props, "accessLogs.bucket")
          ? []
          : ["accessLogs is not enabled with a bucket (ALB request logs)"];
      },
    },
    gcp: {
      "gcp:compute/backendService:BackendService": (props) => {
        const scheme = lower(get(props, "loadBalancingScheme"));
        if (scheme !== "external" && scheme !== "external_managed") return [];
        return isTrue(get(props, "logConfig.enable"))
          ? []
          : [`logConfig.enable is not true on an ${scheme.toUpperCase()} backend service (request logs)`];
      },
    },
  },
  stack: (subjects) => {
    const out: Finding[] = [];
    for (const acl of ofType(subjects, ["aws:wafv2/webAcl:WebAcl"])) {
      const logging = children(
        subjects,
        ["aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"],
        "resourceArn",
        acl,
      );
      if (logging.length === 0)
        out.push(
          finding(acl, "web ACL without an aws.wafv2.WebAclLoggingConfiguration (WAF decisions unlogged)"),
        );
    }
    for (const gateway of ofType(subjects, ["azure-native:network:ApplicationGateway"])) {
      const settings = children(subjects, ["azure-native:monitor:DiagnosticSetting"], "resourceUri", gateway);
      const categories = new Set<string>();
      for (const s of settings)
        for (const l of list(peek(s.props, "logs"))) {
          if (peek(l, "enabled") === false) continue;
          if (lower(peek(l, "categoryGroup")) === "alllogs")
            gatewayCategories.forEach((c) => categories.add(c));
          categories.add(lower(peek(l, "category")));
        }
      const missing = gatewayCategories.filter((c) => !categories.has(c));
      if (missing.length > 0)
        out.push(
          finding(
            gateway,
            `no DiagnosticSetting sends ${missing.map((c) => c.replace("applicationgateway", "ApplicationGateway").replace("accesslog", "AccessLog").replace("firewalllog", "FirewallLog")).join(" and ")} of this gateway`,
          ),
        );
    }
    return out;
  },
  stackTypes: {
    aws: ["aws:wafv2/webAcl:WebAcl", "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"],
    azure: ["azure-native:network:ApplicationGateway", "azure-native:monitor:DiagnosticSetting"],
  },
});
