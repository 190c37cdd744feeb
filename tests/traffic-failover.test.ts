/**
 * DNS failover between the sites (components/traffic-failover.ts), run under the plan harness's mocks
 * with synthetic site entries (the ingress that exposes the real ones is built on another branch): each
 * DNS cloud's implementation on a matrix stack whose config adds `platform:dns`.
 */
import { DashboardModel } from "../components/dashboard-model";
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, rawConfigObject, type SiteConfig, type SiteRole } from "../components/config";
import type { AnySiteContext } from "../components/context";
import type { MonitoringOutputs } from "../components/monitoring";
import {
  TrafficFailover,
  TrafficFailoverError,
  resolveFailover,
  type FailoverEndpoint,
  type FailoverSite,
} from "../components/traffic-failover";
import { implementations } from "../providers";
import { failoverImplementations } from "../providers/dns-failover";
import { runProgram, type Plan, type PlanResource } from "../tools/harness";
import { matrixDir } from "./matrix";

type Json = Record<string, unknown>;

/** A matrix stack's config file with `platform:dns` added, in a temporary directory. */
function fixtureWithDns(stack: string, dns: string): string {
  // The failover record is the ingress's certificate name (platform:edge.hostname): app.example.com here.
  const text = fs
    .readFileSync(path.join(matrixDir, `Pulumi.${stack}.yaml`), "utf8")
    .replace(/^( {4}hostname: )\S+$/m, "$1app.example.com");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "failover-"));
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  fs.writeFileSync(file, `${text.trimEnd()}\n  platform:dns:\n${dns}`);
  return file;
}

const monitoringOf = (cloud: SiteConfig["cloud"]): MonitoringOutputs => ({
  logSinkId: pulumi.output("log-sink"),
  logRetentionDays: 90,
  alertTargets: {
    critical: pulumi.output(["target-critical"]),
    high: pulumi.output(["target-high"]),
    medium: pulumi.output([]),
    low: pulumi.output([]),
  },
  dashboard: new DashboardModel(cloud),
});

/** A failover site on a provider of its cloud, with a synthetic public entry. */
function site(
  role: SiteRole,
  stack: ReturnType<typeof config>,
  s: SiteConfig,
  endpoint: FailoverEndpoint,
): FailoverSite {
  const common = {
    role,
    stack,
    production: stack.production,
    zones: [],
    uniqueSuffix: pulumi.output("abc123"),
    replicaRegion: undefined,
  };
  let context: AnySiteContext;
  switch (s.cloud) {
    case "aws":
      context = { ...common, cloud: "aws", site: s, provider: implementations.aws.provider(role, s, {}) };
      break;
    case "azure":
      context = { ...common, cloud: "azure", site: s, provider: implementations.azure.provider(role, s, {}) };
      break;
    case "gcp":
      context = { ...common, cloud: "gcp", site: s, provider: implementations.gcp.provider(role, s, {}) };
      break;
  }
  return { role, context, monitoring: monitoringOf(s.cloud), endpoint };
}

function config() {
  const parsed = parseStackConfig(rawConfigObject(pulumi.runtime.allConfig()));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.config;
}

const entry = (address: string, kind: "ip" | "hostname"): FailoverEndpoint => ({
  address: pulumi.output(address),
  kind,
  healthPath: "/healthz",
});

async function planFailover(
  stack: string,
  dns: string,
  endpoints: [FailoverEndpoint, FailoverEndpoint],
): Promise<{ plan: Plan; errors: string[] }> {
  const result = await runProgram({
    stack,
    configFile: fixtureWithDns(stack, dns),
    program: async () => {
      const c = config();
      const f = new TrafficFailover("failover", {
        dns: c.dns!,
        primary: site("primary", c, c.primary, endpoints[0]),
        secondary: site("secondary", c, c.secondary!, endpoints[1]),
        implementations: failoverImplementations,
      });
      return { fqdn: f.fqdn };
    },
  });
  return { plan: result.plan, errors: result.ok ? [] : result.errors };
}

const ofType = (plan: Plan, type: string): PlanResource[] => plan.resources.filter((r) => r.type === type);

describe("traffic failover: settings", () => {
  const ctx = (cloud: "aws" | "azure" | "gcp") => ({ cloud }) as AnySiteContext;
  const dns = {
    cloud: "gcp" as const,
    zone: "example.com",
    zoneId: "example-com",
    hostname: "app",
    healthPath: "/healthz",
    intervalSeconds: 30 as const,
    failureThreshold: 3,
    ttlSeconds: 60,
  };
  it("refuses a zone on a cloud neither site is on", () => {
    assert.throws(
      () =>
        resolveFailover(
          dns,
          { role: "primary", context: ctx("aws"), endpoint: entry("1.2.3.4", "ip") },
          { role: "secondary", context: ctx("azure"), endpoint: entry("4.3.2.1", "ip") },
        ),
      /platform:dns\.cloud is gcp, but the sites are on aws and azure/,
    );
  });
  it("refuses Cloud DNS for a DNS-name entry (public health checks take external IPs only)", () => {
    assert.throws(
      () =>
        resolveFailover(
          dns,
          {
            role: "primary",
            context: ctx("aws"),
            endpoint: entry("alb-1.eu-west-1.elb.amazonaws.com", "hostname"),
          },
          { role: "secondary", context: ctx("gcp"), endpoint: entry("34.1.2.3", "ip") },
        ),
      (e: unknown) =>
        e instanceof TrafficFailoverError && /primary site's entry \(a DNS name\)/.test(e.message),
    );
  });
  it("resolves the failover name", () => {
    const { settings, host } = resolveFailover(
      { ...dns, cloud: "aws" },
      { role: "primary", context: ctx("aws"), endpoint: entry("alb.example", "hostname") },
      { role: "secondary", context: ctx("gcp"), endpoint: entry("34.1.2.3", "ip") },
    );
    assert.equal(settings.fqdn, "app.example.com");
    assert.equal(host.role, "primary");
  });
  it("validates platform:dns against the sites", () => {
    const raw = {
      environment: "dev",
      owner: "platform-team",
      costCenter: "cc-1",
      dataClassification: "internal",
      frameworks: ["soc2"],
      alertContacts: [{ name: "on-call", email: "oncall@example.com" }],
      primary: { cloud: "aws", region: "eu-west-1", accountId: "111111111111", addressSpace: "10.1.0.0/16" },
      dns: { cloud: "gcp", zone: "example.com", zoneId: "Z1" },
    };
    const result = parseStackConfig(raw);
    assert.equal(result.ok, false);
    const text = result.ok ? "" : result.problems.map((p) => `${p.path}: ${p.message}`).join("\n");
    assert.match(text, /platform:dns: expected a secondary site/);
    assert.match(text, /platform:dns\.cloud: expected the cloud of one of the stack's sites \(aws/);
    assert.match(text, /platform:edge: expected platform:edge because platform:dns is set/);
    // The record must be the name the ingresses' certificates carry.
    const mismatch = parseStackConfig({ ...raw, edge: { hostname: "www.example.com" } });
    const mtext = mismatch.ok ? "" : mismatch.problems.map((p) => `${p.path}: ${p.message}`).join("\n");
    assert.match(
      mtext,
      /platform:dns\.hostname: expected the failover record to be the ingress's certificate name www\.example\.com \(platform:edge\.hostname\), found app\.example\.com/,
    );
    assert.doesNotMatch(mtext, /platform:edge: expected platform:edge/);
  });
});

describe("traffic failover on each DNS cloud (synthetic entries)", () => {
  it("AWS: Route 53 PRIMARY/SECONDARY records with HTTPS health checks and us-east-1 alarms", async () => {
    const { plan, errors } = await planFailover(
      "dev-aws-azure",
      "    cloud: aws\n    zone: example.com\n    zoneId: Z0123456789ABC\n    intervalSeconds: 10\n    failureThreshold: 2\n",
      [entry("alb-1.eu-west-1.elb.amazonaws.com", "hostname"), entry("20.1.2.3", "ip")],
    );
    assert.deepEqual(errors, []);
    const checks = ofType(plan, "aws:route53/healthCheck:HealthCheck").map((r) => r.inputs as Json);
    assert.equal(checks.length, 2);
    for (const c of checks) {
      assert.deepEqual(
        [c.type, c.port, c.resourcePath, c.requestInterval, c.failureThreshold, c.enableSni],
        ["HTTPS", 443, "/healthz", 10, 2, true],
      );
    }
    assert.equal(checks.find((c) => c.ipAddress === "20.1.2.3")?.fqdn, "app.example.com");
    const records = ofType(plan, "aws:route53/record:Record").map((r) => r.inputs as Json);
    const failover = records.filter((r) => r.failoverRoutingPolicies !== undefined);
    assert.deepEqual(
      failover.map((r) => [
        r.name,
        r.type,
        (r.failoverRoutingPolicies as Json[])[0]!.type,
        Boolean(r.healthCheckId),
      ]),
      [
        ["app.example.com", "CNAME", "PRIMARY", true],
        ["app.example.com", "CNAME", "SECONDARY", true],
      ],
    );
    assert.deepEqual(
      records.filter((r) => r.failoverRoutingPolicies === undefined).map((r) => [r.name, r.type]),
      [
        ["app-primary.example.com", "CNAME"],
        ["app-secondary.example.com", "A"],
      ],
    );
    const alarms = ofType(plan, "aws:cloudwatch/metricAlarm:MetricAlarm");
    assert.equal(alarms.length, 2);
    for (const a of alarms) {
      assert.equal((a.inputs as Json).metricName, "HealthCheckStatus");
      assert.match(String(a.provider), /primary-dns-failover-us-east-1/);
    }
    const topic = ofType(plan, "aws:sns/topic:Topic")[0]!.inputs as Json;
    assert.ok(topic.kmsMasterKeyId, "the alarm topic is encrypted with its own key");
    const failoverComponent = plan.resources.find((r) => r.type === "platform:edge:TrafficFailover")!;
    assert.equal(failoverComponent.parent, plan.resources.find((r) => r.type === "pulumi:pulumi:Stack")!.urn);
  });

  it("Azure: Traffic Manager Priority routing, HTTPS monitor, external endpoints, CNAME and probe alerts", async () => {
    const { plan, errors } = await planFailover(
      "dev-azure-gcp",
      "    cloud: azure\n    zone: example.com\n    zoneId: rg-dns\n",
      [entry("20.1.2.3", "ip"), entry("34.1.2.3", "ip")],
    );
    assert.deepEqual(errors, []);
    const profile = ofType(plan, "azure-native:trafficmanager:Profile")[0]!.inputs as Json;
    assert.equal(profile.trafficRoutingMethod, "Priority");
    const monitor = profile.monitorConfig as Json;
    assert.deepEqual(
      [
        monitor.protocol,
        monitor.port,
        monitor.path,
        monitor.intervalInSeconds,
        monitor.toleratedNumberOfFailures,
      ],
      ["HTTPS", 443, "/healthz", 30, 3],
    );
    assert.deepEqual(
      (profile.endpoints as Json[]).map((e) => [e.name, e.target, e.priority]),
      [
        ["primary", "20.1.2.3", 1],
        ["secondary", "34.1.2.3", 2],
      ],
    );
    const cname = ofType(plan, "azure-native:dns:RecordSet")[0]!.inputs as Json;
    assert.deepEqual(
      [cname.zoneName, cname.relativeRecordSetName, cname.recordType],
      ["example.com", "app", "CNAME"],
    );
    assert.match(String((cname.cnameRecord as Json).cname), /\.trafficmanager\.net$/);
    assert.equal(ofType(plan, "azure-native:monitor:MetricAlert").length, 2);
  });

  it("GCP: Cloud DNS primary-backup with a global HTTPS health check; refuses a DNS-name entry", async () => {
    const { plan, errors } = await planFailover(
      "dev-gcp-aws",
      "    cloud: gcp\n    zone: example.com\n    zoneId: example-com\n",
      [entry("34.1.2.3", "ip"), entry("3.4.5.6", "ip")],
    );
    assert.deepEqual(errors, []);
    const record = ofType(plan, "gcp:dns/recordSet:RecordSet")[0]!.inputs as Json;
    assert.deepEqual(
      [record.name, record.type, record.managedZone],
      ["app.example.com.", "A", "example-com"],
    );
    const policy = record.routingPolicy as Json;
    assert.ok(policy.healthCheck, "health-checked");
    const pb = policy.primaryBackup as Json;
    assert.deepEqual((pb.primary as Json).externalEndpoints, ["34.1.2.3"]);
    const check = ofType(plan, "gcp:compute/healthCheck:HealthCheck")[0]!.inputs as Json;
    assert.equal((check.sourceRegions as string[]).length, 3);
    assert.equal((check.httpsHealthCheck as Json).requestPath, "/healthz");
    assert.equal(ofType(plan, "gcp:monitoring/alertPolicy:AlertPolicy").length, 2);

    const refused = await planFailover(
      "dev-gcp-aws",
      "    cloud: gcp\n    zone: example.com\n    zoneId: example-com\n",
      [entry("34.1.2.3", "ip"), entry("alb-1.eu-west-1.elb.amazonaws.com", "hostname")],
    );
    assert.match(refused.errors.join("\n"), /secondary site's entry \(a DNS name\)/);
  });
});
