/** Edge ingress: WAF log destination names, managed certificate domains, Application Gateway v2 subnets. */
import { strict as assert } from "node:assert";
import { UNKNOWN } from "../policies/harness";
import { res, ruleCases } from "./cases";
import { fqdnProblem } from "../../policies/deployability/rules/require-managed-certificate-fqdn";
import { nameInArn } from "../../policies/deployability/rules/require-waf-log-destination-prefix";

const logGroup = (name: string) =>
  res("aws:cloudwatch/logGroup:LogGroup", "waf-logs", { name, retentionInDays: 90 });
const logging = (destinations: unknown) =>
  res(
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    "waf-logging",
    { resourceArn: UNKNOWN, logDestinationConfigs: destinations },
    { propertyDependencies: { logDestinationConfigs: ["waf-logs"] } },
  );

ruleCases("require-waf-log-destination-prefix", [
  {
    title: "log group named aws-waf-logs-dev-primary (ARN unknown during preview)",
    cloud: "aws",
    expect: "accept",
    stack: [logGroup("aws-waf-logs-dev-primary"), logging([UNKNOWN])],
  },
  {
    title: "log group named /platform/dev/primary/waf",
    cloud: "aws",
    expect: "reject",
    stack: [logGroup("/platform/dev/primary/waf"), logging([UNKNOWN])],
    on: "waf-logging",
    match: /does not start with aws-waf-logs-/,
  },
  {
    title: "a known S3 bucket ARN without the prefix",
    cloud: "aws",
    expect: "reject",
    stack: [logGroup("aws-waf-logs-dev-primary"), logging(["arn:aws:s3:::acme-waf"])],
    on: "waf-logging",
    match: /'acme-waf'/,
  },
]);

const acm = (domainName: string) =>
  res("aws:acm/certificate:Certificate", "cert", { domainName, validationMethod: "DNS" });
const gcpCert = (domains: string[]) =>
  res("gcp:compute/managedSslCertificate:ManagedSslCertificate", "cert", {
    name: "dev-primary-edge",
    type: "MANAGED",
    managed: { domains },
  });

ruleCases("require-managed-certificate-fqdn", [
  {
    title: "app.platform.example.com",
    cloud: "aws",
    expect: "accept",
    resource: acm("app.platform.example.com"),
  },
  { title: "a wildcard on ACM", cloud: "aws", expect: "accept", resource: acm("*.example.com") },
  {
    title: "a single label",
    cloud: "aws",
    expect: "reject",
    resource: acm("localhost"),
    match: /fully qualified/,
  },
  { title: "app.example.com", cloud: "gcp", expect: "accept", resource: gcpCert(["app.example.com"]) },
  {
    title: "a wildcard on a Google-managed certificate",
    cloud: "gcp",
    expect: "reject",
    resource: gcpCert(["*.example.com"]),
    match: /wildcard/,
  },
]);

describe("managed certificate domains and WAF destination ARNs (pure)", () => {
  it("accepts FQDNs and refuses labels over 63 characters, IPs and empty labels", () => {
    assert.equal(fqdnProblem("app.example.com", false), undefined);
    assert.match(fqdnProblem(`${"a".repeat(64)}.example.com`, false)!, /64 characters/);
    assert.match(fqdnProblem("10.0.0.1", false)!, /numeric/);
    assert.match(fqdnProblem("app..example.com", false)!, /0 characters/);
  });
  it("reads destination names from log group, bucket and Firehose ARNs", () => {
    assert.equal(
      nameInArn("arn:aws:logs:eu-west-1:111111111111:log-group:aws-waf-logs-x:*"),
      "aws-waf-logs-x",
    );
    assert.equal(nameInArn("arn:aws:s3:::aws-waf-logs-b"), "aws-waf-logs-b");
    assert.equal(
      nameInArn("arn:aws:firehose:eu-west-1:111111111111:deliverystream/aws-waf-logs-f"),
      "aws-waf-logs-f",
    );
  });
});

const rule = (
  name: string,
  priority: number,
  access: string,
  from: string,
  ports: string,
  protocol = "Tcp",
) => ({
  name,
  priority,
  direction: "Inbound",
  access,
  protocol,
  sourcePortRange: "*",
  sourceAddressPrefix: from,
  destinationAddressPrefix: "*",
  destinationPortRange: ports,
});
const nsg = (rules: unknown[]) =>
  res("azure-native:network:NetworkSecurityGroup", "nsg-public", {
    networkSecurityGroupName: "nsg",
    securityRules: rules,
  });
const goodRules = [
  rule("allow-http-https-from-internet", 100, "Allow", "Internet", "443"),
  rule("allow-load-balancer-probes", 110, "Allow", "AzureLoadBalancer", "*", "*"),
  rule("allow-gateway-manager", 120, "Allow", "GatewayManager", "65200-65535"),
  rule("deny-all-inbound", 4096, "Deny", "*", "*", "*"),
];
const subnet = (extra: Record<string, unknown> = {}) =>
  res(
    "azure-native:network:Subnet",
    "subnet-public",
    {
      subnetName: "snet-public",
      addressPrefix: "10.1.0.0/22",
      networkSecurityGroup: { id: UNKNOWN },
      ...extra,
    },
    { propertyDependencies: { networkSecurityGroup: ["nsg-public"] } },
  );
const ip = (zones?: string[]) =>
  res("azure-native:network:PublicIPAddress", "pip", {
    sku: { name: "Standard", tier: "Regional" },
    ...(zones ? { zones } : {}),
  });
const gateway = (zones: string[] = ["1", "2", "3"]) =>
  res(
    "azure-native:network:ApplicationGateway",
    "agw",
    {
      sku: { name: "WAF_v2", tier: "WAF_v2" },
      zones,
      gatewayIPConfigurations: [{ name: "gateway", subnet: { id: UNKNOWN } }],
      frontendIPConfigurations: [{ name: "public", publicIPAddress: { id: UNKNOWN } }],
    },
    {
      propertyDependencies: { gatewayIPConfigurations: ["subnet-public"], frontendIPConfigurations: ["pip"] },
    },
  );

ruleCases("require-app-gateway-subnet-requirements", [
  {
    title: "dedicated subnet, GatewayManager and AzureLoadBalancer admitted, zone-redundant IP",
    cloud: "azure",
    expect: "accept",
    stack: [nsg(goodRules), subnet(), ip(["1", "2", "3"]), gateway()],
  },
  {
    title: "NSG without the GatewayManager rule",
    cloud: "azure",
    expect: "reject",
    stack: [
      nsg(goodRules.filter((r) => r.name !== "allow-gateway-manager")),
      subnet(),
      ip(["1", "2", "3"]),
      gateway(),
    ],
    on: "agw",
    match: /GatewayManager/,
  },
  {
    title: "a deny-all before the AzureLoadBalancer allow",
    cloud: "azure",
    expect: "reject",
    stack: [
      nsg([
        rule("allow-gateway-manager", 100, "Allow", "GatewayManager", "65200-65535"),
        rule("deny-all-inbound", 200, "Deny", "*", "*", "*"),
        rule("allow-load-balancer-probes", 300, "Allow", "AzureLoadBalancer", "*", "*"),
      ]),
      subnet(),
      ip(["1", "2", "3"]),
      gateway(),
    ],
    on: "agw",
    match: /AzureLoadBalancer/,
  },
  {
    title: "the subnet delegated to PostgreSQL",
    cloud: "azure",
    expect: "reject",
    stack: [
      nsg(goodRules),
      subnet({ delegations: [{ name: "pg", serviceName: "Microsoft.DBforPostgreSQL/flexibleServers" }] }),
      ip(["1", "2", "3"]),
      gateway(),
    ],
    on: "agw",
    match: /dedicated/,
  },
  {
    title: "a private endpoint in the gateway subnet",
    cloud: "azure",
    expect: "reject",
    stack: [
      nsg(goodRules),
      subnet(),
      ip(["1", "2", "3"]),
      gateway(),
      res(
        "azure-native:network:PrivateEndpoint",
        "pe",
        { subnet: { id: UNKNOWN } },
        { propertyDependencies: { subnet: ["subnet-public"] } },
      ),
    ],
    on: "agw",
    match: /also holds azure-native:network:PrivateEndpoint/,
  },
  {
    title: "a zonal gateway on a public IP without zones",
    cloud: "azure",
    expect: "reject",
    stack: [nsg(goodRules), subnet(), ip(), gateway()],
    on: "agw",
    match: /does not cover the gateway's zone/,
  },
]);
