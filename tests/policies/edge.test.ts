/**
 * Edge ingress controls on the shapes providers/<cloud>/ingress.ts sends: the accepting cases carry the
 * arguments the program sets (ALB + WAFv2, Application Gateway WAF_v2 + WAF policy, global external
 * Application Load Balancer + Cloud Armor); each rejecting case breaks one of them.
 */
import { controlCases } from "./cases";
import type { TestResource } from "./harness";

const r = (
  type: string,
  name: string,
  props: Record<string, unknown>,
  extra: Partial<TestResource> = {},
): TestResource => ({ type, name, props, ...extra });

const managed = (name: string, i: number, extra: Record<string, unknown> = {}) => ({
  name,
  priority: 10 * (i + 1),
  overrideAction: { none: {} },
  statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
  visibilityConfig: { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: name },
  ...extra,
});
const rateRule = {
  name: "rate-limit-per-ip",
  priority: 100,
  action: { block: {} },
  statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
  visibilityConfig: { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: "rate" },
};
const webAcl = (rules: unknown[]) =>
  r("aws:wafv2/webAcl:WebAcl", "waf", {
    name: "dev-primary-edge",
    scope: "REGIONAL",
    defaultAction: { allow: {} },
    rules,
    visibilityConfig: { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: "acl" },
  });
const goodAcl = webAcl([
  managed("AWSManagedRulesAmazonIpReputationList", 0),
  managed("AWSManagedRulesCommonRuleSet", 1),
  managed("AWSManagedRulesKnownBadInputsRuleSet", 2),
  managed("AWSManagedRulesSQLiRuleSet", 3),
  rateRule,
]);
const alb = (extra: Record<string, unknown> = {}) =>
  r("aws:lb/loadBalancer:LoadBalancer", "alb", {
    name: "dev-primary-edge",
    internal: false,
    loadBalancerType: "application",
    dropInvalidHeaderFields: true,
    accessLogs: { bucket: "acme-alb-logs", prefix: "alb", enabled: true },
    ...extra,
  });
const association = r(
  "aws:wafv2/webAclAssociation:WebAclAssociation",
  "waf-association",
  { resourceArn: "alb", webAclArn: "waf" },
  { propertyDependencies: { resourceArn: ["alb"], webAclArn: ["waf"] } },
);
const wafLogging = r(
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
  "waf-logging",
  {
    resourceArn: "waf",
    logDestinationConfigs: ["arn:aws:logs:eu-west-1:111111111111:log-group:aws-waf-logs-dev-primary"],
  },
  { propertyDependencies: { resourceArn: ["waf"] } },
);

const wafPolicy = (settings: Record<string, unknown> = {}, sets?: unknown[]) =>
  r("azure-native:network:WebApplicationFirewallPolicy", "agw-waf", {
    policyName: "waf-dev-primary-edge",
    policySettings: { state: "Enabled", mode: "Prevention", requestBodyCheck: true, ...settings },
    managedRules: {
      managedRuleSets: sets ?? [
        { ruleSetType: "Microsoft_DefaultRuleSet", ruleSetVersion: "2.1" },
        { ruleSetType: "Microsoft_BotManagerRuleSet", ruleSetVersion: "1.1" },
      ],
    },
  });
const gwId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationGateways/agw";
const gateway = (extra: Record<string, unknown> = {}) =>
  r("azure-native:network:ApplicationGateway", "agw", {
    applicationGatewayName: "agw",
    sku: { name: "WAF_v2", tier: "WAF_v2" },
    firewallPolicy: {
      id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf",
    },
    sslPolicy: { policyType: "Predefined", policyName: "AppGwSslPolicy20220101S" },
    httpListeners: [
      { name: "https", protocol: "Https", frontendPort: { id: `${gwId}/frontendPorts/https` } },
      { name: "http", protocol: "Http", frontendPort: { id: `${gwId}/frontendPorts/http` } },
    ],
    requestRoutingRules: [
      {
        name: "https",
        priority: 100,
        httpListener: { id: `${gwId}/httpListeners/https` },
        backendAddressPool: { id: `${gwId}/backendAddressPools/cluster-ingress` },
        backendHttpSettings: { id: `${gwId}/backendHttpSettingsCollection/cluster-ingress` },
      },
      {
        name: "http-to-https",
        priority: 200,
        httpListener: { id: `${gwId}/httpListeners/http` },
        redirectConfiguration: { id: `${gwId}/redirectConfigurations/http-to-https` },
      },
    ],
    ...extra,
  });
const gatewayDiagnostics = (categories: string[]) =>
  r(
    "azure-native:monitor:DiagnosticSetting",
    "agw-diag",
    {
      resourceUri: gwId,
      workspaceId: "w",
      logs: categories.map((category) => ({ category, enabled: true })),
    },
    { propertyDependencies: { resourceUri: ["agw"] } },
  );

const armor = (extra: Record<string, unknown> = {}, rules?: unknown[]) =>
  r("gcp:compute/securityPolicy:SecurityPolicy", "armor", {
    name: "dev-primary-edge",
    type: "CLOUD_ARMOR",
    adaptiveProtectionConfig: { layer7DdosDefenseConfig: { enable: true } },
    rules: rules ?? [
      {
        priority: 1000,
        action: "deny(403)",
        match: { expr: { expression: "evaluatePreconfiguredWaf('sqli-v33-stable', {'sensitivity': 1})" } },
      },
      {
        priority: 2000,
        action: "throttle",
        match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
        rateLimitOptions: {
          enforceOnKey: "IP",
          conformAction: "allow",
          exceedAction: "deny(429)",
          rateLimitThreshold: { count: 2000, intervalSec: 300 },
        },
      },
      {
        priority: 2147483647,
        action: "allow",
        match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
      },
    ],
    ...extra,
  });
const backend = (extra: Record<string, unknown> = {}) =>
  r("gcp:compute/backendService:BackendService", "backend", {
    name: "dev-primary-edge",
    loadBalancingScheme: "EXTERNAL_MANAGED",
    protocol: "HTTPS",
    securityPolicy: "projects/p/global/securityPolicies/dev-primary-edge",
    logConfig: { enable: true, sampleRate: 1 },
    ...extra,
  });
const redirectMap = r("gcp:compute/uRLMap:URLMap", "redirect-map", {
  name: "dev-primary-edge-redirect",
  defaultUrlRedirect: {
    httpsRedirect: true,
    redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT",
    stripQuery: false,
  },
});
const servingMap = r("gcp:compute/uRLMap:URLMap", "serving-map", {
  name: "dev-primary-edge",
  defaultService: "projects/p/global/backendServices/dev-primary-edge",
});
const httpProxy = (map: string) =>
  r(
    "gcp:compute/targetHttpProxy:TargetHttpProxy",
    "http-proxy",
    { name: "dev-primary-edge-redirect", urlMap: map },
    { propertyDependencies: { urlMap: [map] } },
  );

describe("edge ingress controls", () => {
  controlCases("enforce-web-application-firewall", [
    { cloud: "aws", expect: "accept", stack: [alb(), goodAcl, association] },
    {
      cloud: "aws",
      expect: "reject",
      title: "managed rule group in count mode",
      resource: webAcl([
        managed("AWSManagedRulesCommonRuleSet", 0, { overrideAction: { count: {} } }),
        rateRule,
      ]),
      match: /count mode/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "no rate-based rule",
      resource: webAcl([managed("AWSManagedRulesCommonRuleSet", 0)]),
      match: /rate-based/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "internet-facing ALB without a web ACL association",
      stack: [alb(), goodAcl],
      on: "alb",
      match: /WebAclAssociation/,
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "an internal ALB needs no WAF",
      stack: [alb({ internal: true })],
    },
    { cloud: "azure", expect: "accept", stack: [wafPolicy(), gateway()] },
    {
      cloud: "azure",
      expect: "reject",
      title: "WAF policy in Detection mode",
      resource: wafPolicy({ mode: "Detection" }),
      match: /Prevention/,
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "WAF policy without managed rule sets",
      resource: wafPolicy({}, [{ ruleSetType: "Microsoft_BotManagerRuleSet", ruleSetVersion: "1.1" }]),
      match: /Microsoft_DefaultRuleSet/,
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "gateway on the Standard_v2 tier",
      resource: gateway({ sku: { name: "Standard_v2", tier: "Standard_v2" }, firewallPolicy: undefined }),
      match: /WAF_v2/,
    },
    { cloud: "gcp", expect: "accept", stack: [armor(), backend()] },
    {
      cloud: "gcp",
      expect: "reject",
      title: "Cloud Armor policy with only a throttle rule",
      resource: armor({}, [
        {
          priority: 2147483647,
          action: "allow",
          match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
        },
      ]),
      match: /preconfigured WAF/,
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "Adaptive Protection off",
      resource: armor({ adaptiveProtectionConfig: { layer7DdosDefenseConfig: { enable: false } } }),
      match: /Adaptive Protection/,
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "external backend service without a security policy",
      resource: backend({ securityPolicy: undefined }),
      match: /securityPolicy/,
    },
  ]);

  controlCases("enable-load-balancer-access-logs", [
    { cloud: "aws", expect: "accept", stack: [alb(), goodAcl, wafLogging] },
    {
      cloud: "aws",
      expect: "reject",
      title: "ALB without access logs",
      resource: alb({ accessLogs: { bucket: "acme-alb-logs", enabled: false } }),
      match: /accessLogs/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "web ACL without logging",
      stack: [alb(), goodAcl],
      on: "waf",
      match: /WebAclLoggingConfiguration/,
    },
    {
      cloud: "azure",
      expect: "accept",
      stack: [
        gateway(),
        gatewayDiagnostics(["ApplicationGatewayAccessLog", "ApplicationGatewayFirewallLog"]),
      ],
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "diagnostics without the firewall log",
      stack: [gateway(), gatewayDiagnostics(["ApplicationGatewayAccessLog"])],
      on: "agw",
      match: /FirewallLog/,
    },
    { cloud: "gcp", expect: "accept", resource: backend() },
    {
      cloud: "gcp",
      expect: "reject",
      resource: backend({ logConfig: { enable: false } }),
      match: /logConfig/,
    },
  ]);

  controlCases("enforce-http-redirect-to-https", [
    { cloud: "gcp", expect: "accept", stack: [redirectMap, servingMap, httpProxy("redirect-map")] },
    {
      cloud: "gcp",
      expect: "reject",
      title: "HTTP proxy on the serving URL map",
      stack: [redirectMap, servingMap, httpProxy("serving-map")],
      on: "http-proxy",
      match: /does not redirect/,
    },
  ]);

  controlCases("enforce-tls-in-transit", [
    {
      cloud: "azure",
      expect: "accept",
      title: "gateway whose HTTP listener only redirects",
      resource: gateway(),
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "gateway routing its HTTP listener to the backend pool",
      resource: gateway({
        requestRoutingRules: [
          {
            name: "http",
            priority: 200,
            httpListener: { id: `${gwId}/httpListeners/http` },
            backendAddressPool: { id: `${gwId}/backendAddressPools/cluster-ingress` },
          },
        ],
      }),
      match: /clear text/,
    },
  ]);

  controlCases("enforce-tls-minimum-version", [
    {
      cloud: "aws",
      expect: "accept",
      title: "HTTPS listener with ELBSecurityPolicy-TLS13-1-2-2021-06",
      resource: r("aws:lb/listener:Listener", "https", {
        port: 443,
        protocol: "HTTPS",
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      }),
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "HTTPS listener with the 2016 default policy (TLS 1.0)",
      resource: r("aws:lb/listener:Listener", "https", {
        port: 443,
        protocol: "HTTPS",
        sslPolicy: "ELBSecurityPolicy-2016-08",
      }),
    },
    { cloud: "azure", expect: "accept", title: "AppGwSslPolicy20220101S", resource: gateway() },
    {
      cloud: "azure",
      expect: "reject",
      title: "AppGwSslPolicy20150501 (TLS 1.0)",
      resource: gateway({ sslPolicy: { policyType: "Predefined", policyName: "AppGwSslPolicy20150501" } }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:compute/sSLPolicy:SSLPolicy", "ssl", { profile: "MODERN", minTlsVersion: "TLS_1_2" }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:compute/sSLPolicy:SSLPolicy", "ssl", { profile: "MODERN", minTlsVersion: "TLS_1_0" }),
    },
  ]);
});
