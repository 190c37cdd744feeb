/**
 * DNS failover controls on the resource types components/traffic-failover.ts creates (Route 53 failover
 * records and health checks, Traffic Manager profiles, Cloud DNS record sets); the accepting cases carry
 * the arguments providers/<cloud>/dns-failover.ts sets.
 */
import { controlCases } from "./cases";
import type { TestResource } from "./harness";

const r = (type: string, name: string, props: Record<string, unknown>): TestResource => ({
  type,
  name,
  props,
});
const record = (extra: Record<string, unknown>) =>
  r("aws:route53/record:Record", "failover-primary-failover", {
    zoneId: "Z0123456789ABC",
    name: "app.example.com",
    type: "CNAME",
    ttl: 60,
    records: ["app-primary.example.com"],
    setIdentifier: "primary",
    failoverRoutingPolicies: [{ type: "PRIMARY" }],
    healthCheckId: "hc-1",
    ...extra,
  });
const healthCheck = (type: string) =>
  r("aws:route53/healthCheck:HealthCheck", "failover-primary-health", {
    type,
    port: 443,
    resourcePath: "/healthz",
    requestInterval: 30,
    failureThreshold: 3,
    fqdn: "app.example.com",
    enableSni: true,
  });
const profile = (protocol: string | undefined) =>
  r("azure-native:trafficmanager:Profile", "failover-traffic-manager", {
    trafficRoutingMethod: "Priority",
    monitorConfig: {
      protocol,
      port: 443,
      path: "/healthz",
      intervalInSeconds: 30,
      toleratedNumberOfFailures: 3,
    },
  });
const recordSet = (healthCheck: string | undefined) =>
  r("gcp:dns/recordSet:RecordSet", "failover-record", {
    managedZone: "example-com",
    name: "app.example.com.",
    type: "A",
    routingPolicy: {
      ...(healthCheck ? { healthCheck } : {}),
      primaryBackup: {
        primary: { externalEndpoints: ["34.1.2.3"] },
        backupGeos: [{ location: "europe-west1", healthCheckedTargets: { externalEndpoints: ["3.4.5.6"] } }],
      },
    },
  });

describe("DNS failover controls", () => {
  controlCases("enforce-dns-failover-health-checks", [
    {
      cloud: "aws",
      expect: "reject",
      title: "PRIMARY record without a health check",
      resource: record({ healthCheckId: undefined }),
      match: /never fails over/,
    },
    { cloud: "aws", expect: "accept", resource: record({}) },
    {
      cloud: "aws",
      expect: "reject",
      title: "plain HTTP health check",
      resource: healthCheck("HTTP"),
      match: /type HTTP/,
    },
    { cloud: "aws", expect: "accept", title: "HTTPS health check", resource: healthCheck("HTTPS") },
    { cloud: "azure", expect: "reject", resource: profile("HTTP"), match: /HTTPS/ },
    { cloud: "azure", expect: "accept", resource: profile("HTTPS") },
    { cloud: "gcp", expect: "reject", resource: recordSet(undefined), match: /without a health check/ },
    {
      cloud: "gcp",
      expect: "accept",
      resource: recordSet("projects/p/global/healthChecks/dev-dns-failover-app"),
    },
  ]);
});
