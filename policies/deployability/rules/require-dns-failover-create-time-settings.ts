/**
 * Health-check settings the DNS clouds check only when `pulumi up` creates the check: Route 53 probes
 * every 10 or 30 seconds with a failure threshold of 1 to 10; Traffic Manager probes every 10 or 30
 * seconds, tolerates 0 to 9 failures and times out after 5 to 10 seconds (5 to 9 at a 10-second interval);
 * a global health check with source regions (the kind Cloud DNS uses for external endpoints) takes exactly
 * three regions and an interval of at least 30 seconds.
 */
import { get, list, num } from "../../lib/props";
import type { Rule, Source } from "../lib/rule";

const sources = {
  route53: {
    url: "https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html",
    quote:
      "RequestInterval: the number of seconds between the time that Amazon Route 53 gets a response from your endpoint and the time that it sends the next health check request: 10 or 30. FailureThreshold: ... Valid Range: Minimum value of 1. Maximum value of 10.",
  },
  trafficManager: {
    url: "https://learn.microsoft.com/azure/traffic-manager/traffic-manager-monitoring",
    quote:
      "Probing interval: 30 seconds (normal) or 10 seconds (fast). Tolerated number of failures: 0 to 9. Probe timeout: 5 to 10 seconds when the interval is 30 seconds, 5 to 9 seconds when it is 10 seconds.",
  },
  sourceRegions: {
    url: "https://cloud.google.com/load-balancing/docs/health-checks#create-hc",
    quote:
      "sourceRegions: if any regions are specified, then exactly 3 regions should be specified ... The checkIntervalSec field must be at least 30.",
  },
} satisfies Record<string, Source>;

export const requireDnsFailoverCreateTimeSettings: Rule = {
  id: "require-dns-failover-create-time-settings",
  title: "DNS failover health checks use settings the cloud accepts",
  category: "topology",
  severity: "high",
  refuses:
    "Route 53 refuses request intervals other than 10 or 30 seconds and failure thresholds outside 1-10; Traffic Manager refuses other intervals, more than 9 tolerated failures and timeouts outside 5-10 (5-9 at 10 s); Compute Engine refuses a source-region health check with other than 3 regions or an interval under 30 s.",
  remediation:
    "platform:dns.intervalSeconds 10 or 30 and failureThreshold 1-9 (the program derives the rest); Cloud DNS health checks: exactly three sourceRegions and checkIntervalSec >= 30.",
  sources: Object.values(sources),
  resources: {
    aws: {
      "aws:route53/healthCheck:HealthCheck": (props) => {
        const out: string[] = [];
        const interval = num(get(props, "requestInterval"));
        if (interval !== undefined && interval !== 10 && interval !== 30)
          out.push(`requestInterval ${interval}: Route 53 takes 10 or 30. Source: ${sources.route53.url}`);
        const threshold = num(get(props, "failureThreshold"));
        if (threshold !== undefined && (threshold < 1 || threshold > 10))
          out.push(`failureThreshold ${threshold}: Route 53 takes 1 to 10. Source: ${sources.route53.url}`);
        return out;
      },
    },
    azure: {
      "azure-native:trafficmanager:Profile": (props) => {
        const out: string[] = [];
        const interval = num(get(props, "monitorConfig.intervalInSeconds")) ?? 30;
        if (interval !== 10 && interval !== 30)
          out.push(
            `monitorConfig.intervalInSeconds ${interval}: Traffic Manager takes 10 or 30. Source: ${sources.trafficManager.url}`,
          );
        const timeout = num(get(props, "monitorConfig.timeoutInSeconds"));
        const maxTimeout = interval === 10 ? 9 : 10;
        if (timeout !== undefined && (timeout < 5 || timeout > maxTimeout))
          out.push(
            `monitorConfig.timeoutInSeconds ${timeout}: 5 to ${maxTimeout} at a ${interval}-second interval. Source: ${sources.trafficManager.url}`,
          );
        const failures = num(get(props, "monitorConfig.toleratedNumberOfFailures"));
        if (failures !== undefined && (failures < 0 || failures > 9))
          out.push(
            `monitorConfig.toleratedNumberOfFailures ${failures}: 0 to 9. Source: ${sources.trafficManager.url}`,
          );
        return out;
      },
    },
    gcp: {
      "gcp:compute/healthCheck:HealthCheck": (props) => {
        const regions = list(get(props, "sourceRegions"));
        if (regions.length === 0) return [];
        const out: string[] = [];
        if (regions.length !== 3)
          out.push(
            `sourceRegions has ${regions.length} regions; exactly 3 are required. Source: ${sources.sourceRegions.url}`,
          );
        const interval = num(get(props, "checkIntervalSec")) ?? 5;
        if (interval < 30)
          out.push(
            `checkIntervalSec ${interval} with sourceRegions: at least 30. Source: ${sources.sourceRegions.url}`,
          );
        return out;
      },
    },
  },
};
