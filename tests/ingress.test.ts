import { strict as assert } from "node:assert";
import {
  IngressArgsError,
  edgeConfigSchema,
  hostnameProblems,
  ingressDefaults,
  resolveIngressSettings,
} from "../components/ingress";
import { parseStackConfig, rawConfigObject } from "../components/config";
import { loadStackConfig, type Plan } from "../tools/harness";
import { albSslPolicy, awsManagedRuleGroups } from "../providers/aws/ingress";
import { appGatewaySslPolicy, keyVaultSecretsUser } from "../providers/azure/ingress";
import { cloudArmorWafRules } from "../providers/gcp/ingress";
import { componentQueries, planOf, root } from "./helpers";

const { countsOf, one, under } = componentQueries("ingress");
type Json = Record<string, unknown>;

describe("edge settings", () => {
  it("host names: lowercase FQDNs only, each problem named", () => {
    assert.deepEqual(hostnameProblems("app.example.com"), []);
    assert.deepEqual(hostnameProblems("a-b.c-d.example.co.uk"), []);
    const cases: [string, RegExp][] = [
      ["localhost", /at least two labels/],
      ["App.example.com", /lowercase/],
      ["*.example.com", /wildcards/],
      ["10.0.0.1", /not an IP address/],
      ["app..example.com", /empty label/],
      ["-app.example.com", /inner hyphens/],
      [`${"a".repeat(64)}.example.com`, /at most 63/],
      ["app.example.com.", /trailing dot/],
      [`${"a.".repeat(127)}com`, /at most 253/],
    ];
    for (const [hostname, message] of cases)
      assert.ok(
        hostnameProblems(hostname).some((p) => message.test(p)),
        `${hostname}: ${hostnameProblems(hostname).join("; ")}`,
      );
  });

  it("the schema rejects unknown keys, a bad zone id and an out-of-range rate limit", () => {
    assert.equal(edgeConfigSchema.safeParse({ hostname: "app.example.com" }).success, true);
    assert.equal(edgeConfigSchema.safeParse({ hostname: "app.example.com", host: "x" }).success, false);
    assert.equal(
      edgeConfigSchema.safeParse({ hostname: "app.example.com", aws: { hostedZoneId: "zone" } }).success,
      false,
    );
    assert.equal(edgeConfigSchema.safeParse({ hostname: "app.example.com", rateLimit: 5 }).success, false);
    assert.equal(edgeConfigSchema.safeParse({ hostname: "app", healthCheckPath: "/healthz" }).success, false);
  });

  it("a stack with an Azure site needs the Key Vault certificate; the error names the setting", () => {
    const raw = rawConfigObject(loadStackConfig(root, "prod").config);
    const edge = raw.edge as Json;
    const without = { ...raw, edge: { hostname: edge.hostname, aws: edge.aws } };
    const result = parseStackConfig(without);
    assert.equal(result.ok, false);
    if (!result.ok)
      assert.ok(
        result.problems.some(
          (p) =>
            p.path === "platform:edge.azure.certificate" &&
            /Application Gateway has no managed/.test(p.message),
        ),
        JSON.stringify(result.problems),
      );
    const bad = parseStackConfig({ ...raw, edge: { ...edge, hostname: "App.Example" } });
    assert.equal(bad.ok, false);
    if (!bad.ok)
      assert.ok(
        bad.problems.some((p) => p.path === "platform:edge.hostname"),
        JSON.stringify(bad.problems),
      );
  });

  it("defaults per environment: deletion protection, zones and capacity only in production", () => {
    const prod = resolveIngressSettings({ hostname: "app.example.com" }, "aws", true, ["a", "b", "c"]);
    assert.deepEqual(
      [
        prod.healthCheckPath,
        prod.backendPort,
        prod.rateLimit,
        prod.deletionProtection,
        prod.zones.length,
        prod.accessLogDays,
      ],
      [ingressDefaults.healthCheckPath, 8443, 2000, true, 3, 365],
    );
    assert.deepEqual(prod.capacity, { min: 2, max: 10 });
    const dev = resolveIngressSettings({ hostname: "app.example.com" }, "gcp", false, ["a"]);
    assert.deepEqual(
      [dev.deletionProtection, dev.zones, dev.capacity, dev.accessLogDays],
      [false, [], { min: 1, max: 2 }, 90],
    );
    assert.throws(
      () => resolveIngressSettings({ hostname: "app.example.com" }, "azure", false, []),
      (e: unknown) => e instanceof IngressArgsError && /edge\.azure\.certificate/.test(e.message),
    );
  });
});

describe("ingress on every cloud", () => {
  let prod: Plan;
  let dev: Plan;
  before(async () => {
    prod = await planOf("prod");
    dev = await planOf("dev");
  });

  it("AWS: internet-facing ALB on the public tier, TLS 1.3/1.2 HTTPS listener, HTTP 301 only, WAF in block with a rate rule and aws-waf-logs-, SSE-S3 access logs", () => {
    assert.deepEqual(countsOf(prod, "primary"), {
      "aws:s3/bucket:Bucket": 1,
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 1,
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 1,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 1,
      "aws:s3/bucketVersioning:BucketVersioning": 1,
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 1,
      "aws:s3/bucketPolicy:BucketPolicy": 1,
      "aws:lb/loadBalancer:LoadBalancer": 1,
      "aws:lb/targetGroup:TargetGroup": 1,
      "aws:acm/certificate:Certificate": 1,
      "aws:route53/record:Record": 1,
      "aws:acm/certificateValidation:CertificateValidation": 1,
      "aws:lb/listener:Listener": 2,
      "aws:wafv2/webAcl:WebAcl": 1,
      "aws:wafv2/webAclAssociation:WebAclAssociation": 1,
      "aws:cloudwatch/logGroup:LogGroup": 1,
      "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": 1,
      "aws:cloudwatch/metricAlarm:MetricAlarm": 2,
    });
    const lb = one(prod, "primary", "aws:lb/loadBalancer:LoadBalancer");
    const publicSubnets = prod.resources.filter((r) => /^primary-network-subnet-public/.test(r.name));
    assert.deepEqual(
      [
        lb.inputs.internal,
        lb.inputs.loadBalancerType,
        lb.inputs.dropInvalidHeaderFields,
        lb.inputs.enableDeletionProtection,
        lb.protect,
      ],
      [false, "application", true, true, true],
    );
    assert.equal((lb.inputs.subnets as string[]).length, publicSubnets.length);
    assert.ok(publicSubnets.length >= 2, "three public subnets in prod");
    const sg = prod.resources.find((r) => r.name === "primary-network-sg-public")!;
    assert.deepEqual(lb.inputs.securityGroups, [sg.id]);
    const logs = one(prod, "primary", "aws:s3/bucket:Bucket");
    assert.deepEqual(lb.inputs.accessLogs, { bucket: logs.inputs.bucket, prefix: "alb", enabled: true });
    const sse = one(
      prod,
      "primary",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    );
    assert.equal(
      ((sse.inputs.rules as Json[])[0]!.applyServerSideEncryptionByDefault as Json).sseAlgorithm,
      "AES256",
    );
    const policy = JSON.parse(
      one(prod, "primary", "aws:s3/bucketPolicy:BucketPolicy").inputs.policy as string,
    ) as {
      Statement: Json[];
    };
    assert.ok(
      policy.Statement.some(
        (s) => JSON.stringify(s.Principal) === '{"Service":"logdelivery.elasticloadbalancing.amazonaws.com"}',
      ),
    );
    assert.ok(
      policy.Statement.some(
        (s) => JSON.stringify(s.Principal) === '{"AWS":"arn:aws:iam::127311923021:root"}',
      ),
      "us-east-1's ELB account",
    );

    const listeners = under(prod, "primary", "aws:lb/listener:Listener");
    const https = listeners.find((l) => l.inputs.protocol === "HTTPS")!;
    const http = listeners.find((l) => l.inputs.protocol === "HTTP")!;
    assert.deepEqual([https.inputs.port, https.inputs.sslPolicy], [443, albSslPolicy]);
    assert.equal(albSslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
    const tg = one(prod, "primary", "aws:lb/targetGroup:TargetGroup");
    assert.deepEqual((https.inputs.defaultActions as Json[])[0], {
      type: "forward",
      targetGroupArn: tg.outputs.arn,
    });
    assert.deepEqual(
      (http.inputs.defaultActions as Json[]).map((a) => [a.type, a.redirect]),
      [["redirect", { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" }]],
    );
    assert.deepEqual(
      [tg.inputs.targetType, tg.inputs.port, tg.inputs.protocol, (tg.inputs.healthCheck as Json).path],
      ["ip", 8443, "HTTPS", "/healthz"],
    );
    const cert = one(prod, "primary", "aws:acm/certificate:Certificate");
    assert.deepEqual(
      [cert.inputs.domainName, cert.inputs.validationMethod],
      ["app.platform.example.com", "DNS"],
    );
    assert.equal(one(prod, "primary", "aws:route53/record:Record").inputs.zoneId, "Z0123456789EXAMPLE0");

    const acl = one(prod, "primary", "aws:wafv2/webAcl:WebAcl");
    const rules = acl.inputs.rules as Json[];
    assert.equal(acl.inputs.scope, "REGIONAL");
    assert.deepEqual(
      rules
        .filter((r) => (r.statement as Json).managedRuleGroupStatement)
        .map((r) => [r.name, r.overrideAction]),
      awsManagedRuleGroups.map((g) => [g, { none: {} }]),
    );
    const rate = rules.find((r) => (r.statement as Json).rateBasedStatement)!;
    assert.deepEqual(
      [rate.action, ((rate.statement as Json).rateBasedStatement as Json).limit],
      [{ block: {} }, 2000],
    );
    const association = one(prod, "primary", "aws:wafv2/webAclAssociation:WebAclAssociation");
    assert.deepEqual(
      [association.inputs.resourceArn, association.inputs.webAclArn],
      [lb.outputs.arn, acl.outputs.arn],
    );
    const wafLogs = one(prod, "primary", "aws:cloudwatch/logGroup:LogGroup");
    assert.equal(wafLogs.inputs.name, "aws-waf-logs-prod-primary");
    const keyArn = prod.resources.find((r) => r.name === "primary-keys-key")!.outputs.arn;
    assert.equal(wafLogs.inputs.kmsKeyId, keyArn);
    const logging = one(prod, "primary", "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
    assert.deepEqual(logging.inputs.logDestinationConfigs, [wafLogs.outputs.arn]);

    // dev: no deletion protection; the site's single zone gives one public subnet (see the report: ALB needs 2).
    const devLb = one(dev, "secondary", "aws:lb/loadBalancer:LoadBalancer");
    assert.deepEqual([devLb.inputs.enableDeletionProtection, devLb.protect], [false, false]);
  });

  it("Azure: WAF_v2 gateway across zones on the public subnet, TLS policy, HTTP redirect, Key Vault certificate after the grant, Prevention WAF policy, diagnostics", () => {
    assert.deepEqual(countsOf(prod, "secondary"), {
      "azure-native:network:PublicIPAddress": 1,
      "azure-native:managedidentity:UserAssignedIdentity": 1,
      "azure-native:authorization:RoleAssignment": 1,
      "azure-native:network:WebApplicationFirewallPolicy": 1,
      "azure-native:network:ApplicationGateway": 1,
      "azure-native:monitor:DiagnosticSetting": 1,
      "azure-native:monitor:MetricAlert": 2,
    });
    const gw = one(prod, "secondary", "azure-native:network:ApplicationGateway");
    const ip = one(prod, "secondary", "azure-native:network:PublicIPAddress");
    const waf = one(prod, "secondary", "azure-native:network:WebApplicationFirewallPolicy");
    const grant = one(prod, "secondary", "azure-native:authorization:RoleAssignment");
    assert.deepEqual(
      [gw.inputs.sku, gw.inputs.zones, gw.protect],
      [{ name: "WAF_v2", tier: "WAF_v2" }, ["1", "2", "3"], true],
    );
    assert.deepEqual(gw.inputs.autoscaleConfiguration, { minCapacity: 2, maxCapacity: 10 });
    assert.deepEqual(gw.inputs.sslPolicy, { policyType: "Predefined", policyName: appGatewaySslPolicy });
    assert.deepEqual(gw.inputs.firewallPolicy, { id: waf.id });
    const subnet = prod.resources.find((r) => r.name === "secondary-network-subnet-public")!;
    assert.deepEqual((gw.inputs.gatewayIPConfigurations as Json[])[0]!.subnet, { id: subnet.id });
    assert.deepEqual(
      [ip.inputs.sku, ip.inputs.zones],
      [{ name: "Standard", tier: "Regional" }, ["1", "2", "3"]],
    );
    const certs = gw.inputs.sslCertificates as Json[];
    assert.equal(
      certs[0]!.keyVaultSecretId,
      "https://kv-platform-certs.vault.azure.net/secrets/platform-example-com",
    );
    assert.ok(
      grant.urn && gw.dependencies.includes(grant.urn),
      "the gateway waits for the certificate grant",
    );
    assert.ok(String(grant.inputs.roleDefinitionId).endsWith(keyVaultSecretsUser));
    assert.match(String(grant.inputs.scope), /vaults\/kv-platform-certs\/secrets\/platform-example-com$/);
    const listeners = gw.inputs.httpListeners as Json[];
    assert.deepEqual(
      listeners.map((l) => l.protocol),
      ["Https", "Http"],
    );
    const rules = gw.inputs.requestRoutingRules as Json[];
    const httpRule = rules.find((r) => r.name === "http-to-https")!;
    assert.ok(httpRule.redirectConfiguration && !httpRule.backendAddressPool, "HTTP only redirects");
    assert.equal((gw.inputs.redirectConfigurations as Json[])[0]!.redirectType, "Permanent");
    assert.deepEqual(gw.inputs.backendAddressPools, [{ name: "cluster-ingress" }]);
    assert.equal((gw.inputs.probes as Json[])[0]!.path, "/healthz");
    assert.deepEqual(
      [(waf.inputs.policySettings as Json).mode, (waf.inputs.policySettings as Json).requestBodyCheck],
      ["Prevention", true],
    );
    assert.deepEqual(
      ((waf.inputs.managedRules as Json).managedRuleSets as Json[]).map(
        (s) => `${String(s.ruleSetType)} ${String(s.ruleSetVersion)}`,
      ),
      ["Microsoft_DefaultRuleSet 2.1", "Microsoft_BotManagerRuleSet 1.1"],
    );
    const rate = (waf.inputs.customRules as Json[])[0]!;
    assert.deepEqual(
      [rate.ruleType, rate.rateLimitDuration, rate.rateLimitThreshold, rate.action],
      ["RateLimitRule", "FiveMins", 2000, "Block"],
    );
    const diag = one(prod, "secondary", "azure-native:monitor:DiagnosticSetting");
    assert.deepEqual(
      (diag.inputs.logs as Json[]).map((l) => l.category),
      ["ApplicationGatewayAccessLog", "ApplicationGatewayFirewallLog"],
    );
    const nsg = prod.resources.find((r) => r.name === "secondary-network-nsg-public")!;
    const gm = (nsg.inputs.securityRules as Json[]).find((r) => r.sourceAddressPrefix === "GatewayManager")!;
    assert.deepEqual([gm.access, gm.direction, gm.destinationPortRange], ["Allow", "Inbound", "65200-65535"]);
  });

  it("GCP: global EXTERNAL_MANAGED load balancer, managed certificate, MODERN TLS 1.2 policy, HTTP redirect map, Cloud Armor with preconfigured WAF, throttle and Adaptive Protection", () => {
    assert.deepEqual(countsOf(dev, "primary"), {
      "gcp:compute/globalAddress:GlobalAddress": 1,
      "gcp:compute/managedSslCertificate:ManagedSslCertificate": 1,
      "gcp:compute/sSLPolicy:SSLPolicy": 1,
      "gcp:compute/securityPolicy:SecurityPolicy": 1,
      "gcp:compute/healthCheck:HealthCheck": 1,
      "gcp:compute/firewall:Firewall": 1,
      "gcp:compute/backendService:BackendService": 1,
      "gcp:compute/uRLMap:URLMap": 2,
      "gcp:compute/targetHttpsProxy:TargetHttpsProxy": 1,
      "gcp:compute/globalForwardingRule:GlobalForwardingRule": 2,
      "gcp:compute/targetHttpProxy:TargetHttpProxy": 1,
    });
    const cert = one(dev, "primary", "gcp:compute/managedSslCertificate:ManagedSslCertificate");
    assert.deepEqual(cert.inputs.managed, { domains: ["dev.platform.example.com"] });
    const ssl = one(dev, "primary", "gcp:compute/sSLPolicy:SSLPolicy");
    assert.deepEqual([ssl.inputs.profile, ssl.inputs.minTlsVersion], ["MODERN", "TLS_1_2"]);
    const proxy = one(dev, "primary", "gcp:compute/targetHttpsProxy:TargetHttpsProxy");
    assert.equal(proxy.inputs.sslPolicy, ssl.id);
    const armor = one(dev, "primary", "gcp:compute/securityPolicy:SecurityPolicy");
    const backend = one(dev, "primary", "gcp:compute/backendService:BackendService");
    assert.deepEqual(
      [
        backend.inputs.loadBalancingScheme,
        backend.inputs.protocol,
        backend.inputs.securityPolicy,
        backend.inputs.logConfig,
      ],
      ["EXTERNAL_MANAGED", "HTTPS", armor.id, { enable: true, sampleRate: 1 }],
    );
    const rules = armor.inputs.rules as Json[];
    const waf = rules.filter((r) => /evaluatePreconfiguredWaf/.test(JSON.stringify(r.match)));
    assert.equal(waf.length, cloudArmorWafRules.length);
    assert.ok(waf.every((r) => r.action === "deny(403)"));
    assert.ok(
      ["sqli-v33-stable", "xss-v33-stable", "lfi-v33-stable", "rce-v33-stable"].every((w) =>
        JSON.stringify(waf).includes(w),
      ),
    );
    const throttle = rules.find((r) => r.action === "throttle")!;
    assert.deepEqual((throttle.rateLimitOptions as Json).rateLimitThreshold, {
      count: 2000,
      intervalSec: 300,
    });
    const last = rules.reduce((a, b) => ((a.priority as number) > (b.priority as number) ? a : b));
    assert.deepEqual([last.priority, last.action], [2147483647, "allow"]);
    assert.deepEqual(armor.inputs.adaptiveProtectionConfig, {
      layer7DdosDefenseConfig: { enable: true, ruleVisibility: "STANDARD" },
    });
    const maps = under(dev, "primary", "gcp:compute/uRLMap:URLMap");
    const redirect = maps.find((m) => m.inputs.defaultUrlRedirect)!;
    assert.deepEqual((redirect.inputs.defaultUrlRedirect as Json).httpsRedirect, true);
    const httpProxy = one(dev, "primary", "gcp:compute/targetHttpProxy:TargetHttpProxy");
    assert.equal(httpProxy.inputs.urlMap, redirect.id);
    const rulesFw = under(dev, "primary", "gcp:compute/globalForwardingRule:GlobalForwardingRule");
    assert.deepEqual(rulesFw.map((r) => [r.inputs.portRange, r.inputs.loadBalancingScheme]).sort(), [
      ["443", "EXTERNAL_MANAGED"],
      ["80", "EXTERNAL_MANAGED"],
    ]);
    const fw = one(dev, "primary", "gcp:compute/firewall:Firewall");
    assert.deepEqual(
      [fw.inputs.sourceRanges, fw.inputs.allows],
      [["35.191.0.0/16", "130.211.0.0/22"], [{ protocol: "tcp", ports: ["8443"] }]],
    );
  });

  it("stack outputs for the DNS failover: the public endpoint and its kind, the health check path, the WAF policy id", () => {
    type IngressOut = {
      publicEndpoint: string;
      publicEndpointKind: string;
      hostname: string;
      healthCheckPath: string;
      wafPolicyId: string;
    };
    const ingress = (plan: Plan, role: string) =>
      (plan.outputs!.sites as Record<string, { ingress: IngressOut }>)[role]!.ingress;
    const aws = ingress(prod, "primary");
    const azure = ingress(prod, "secondary");
    const gcp = ingress(dev, "primary");
    assert.deepEqual(
      [aws.publicEndpointKind, azure.publicEndpointKind, gcp.publicEndpointKind],
      ["hostname", "ip", "ip"],
    );
    assert.equal(
      aws.publicEndpoint,
      one(prod, "primary", "aws:lb/loadBalancer:LoadBalancer").outputs.dnsName,
    );
    assert.equal(aws.wafPolicyId, one(prod, "primary", "aws:wafv2/webAcl:WebAcl").outputs.arn);
    assert.equal(
      azure.wafPolicyId,
      one(prod, "secondary", "azure-native:network:WebApplicationFirewallPolicy").id,
    );
    assert.equal(gcp.wafPolicyId, one(dev, "primary", "gcp:compute/securityPolicy:SecurityPolicy").id);
    for (const o of [aws, azure, gcp]) {
      assert.equal(o.healthCheckPath, "/healthz");
      assert.ok(typeof o.publicEndpoint === "string" && o.publicEndpoint !== "", JSON.stringify(o));
    }
    assert.deepEqual([aws.hostname, gcp.hostname], ["app.platform.example.com", "dev.platform.example.com"]);
  });
});
