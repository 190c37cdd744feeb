/**
 * Azure Traffic Manager failover (components/traffic-failover.ts): a profile with Priority routing
 * (priority 1 the primary, 2 the secondary), an HTTPS monitor (port 443, the health path, the configured
 * interval and tolerated failures, the failover name as Host header) and one external endpoint per site
 * (an IPv4 address or a DNS name; Traffic Manager takes either), then the zone's CNAME
 * `<hostname>.<zone>` (Azure DNS, resource group `platform:dns.zoneId`) to the profile's
 * `<name>.trafficmanager.net`. The profile's relative DNS name is global: it carries the site's random
 * suffix. An alert per endpoint on its probe state goes to the hosting site's action groups.
 */
import * as pulumi from "@pulumi/pulumi";
import { RecordSet } from "@pulumi/azure-native/dns/recordSet";
import { MetricAlert } from "@pulumi/azure-native/monitor/metricAlert";
import { Profile } from "@pulumi/azure-native/trafficmanager/profile";
import type { SiteContext } from "../../components/context";
import { fitName, uniqueName } from "../../components/naming";
import type {
  FailoverBuildInputs,
  FailoverImplementation,
  FailoverOutputs,
} from "../../components/traffic-failover";
import { resourceGroupFor } from "./resource-group";

/** Azure Monitor severities (0 critical ... 4 verbose). */
const azureSeverity = { critical: 0, high: 1 } as const;

export const dnsFailover: FailoverImplementation<"azure"> = {
  failover(name: string, ctx: SiteContext<"azure">, inputs: FailoverBuildInputs): FailoverOutputs {
    const { settings, parent, monitoring } = inputs;
    const opts: pulumi.CustomResourceOptions = { parent, provider: ctx.provider };
    const rg = resourceGroupFor(ctx, parent);
    const relativeName = uniqueName(
      "azureName",
      ["tm", ctx.stack.environment, settings.hostname],
      ctx.uniqueSuffix,
    );
    const targets = [inputs.primary, inputs.secondary];
    const profile = new Profile(
      `${name}-traffic-manager`,
      {
        resourceGroupName: rg.name,
        profileName: relativeName,
        location: "global",
        profileStatus: "Enabled",
        trafficRoutingMethod: "Priority",
        dnsConfig: { relativeName, ttl: settings.ttlSeconds },
        monitorConfig: {
          protocol: "HTTPS",
          port: 443,
          path: inputs.primary.healthPath,
          intervalInSeconds: settings.intervalSeconds,
          timeoutInSeconds: settings.intervalSeconds === 10 ? 5 : 10,
          toleratedNumberOfFailures: settings.failureThreshold,
          customHeaders: [{ name: "host", value: settings.fqdn }],
          expectedStatusCodeRanges: [{ min: 200, max: 399 }],
        },
        endpoints: targets.map((t, i) => ({
          name: t.role,
          type: "Microsoft.Network/trafficManagerProfiles/externalEndpoints",
          target: t.address,
          priority: i + 1,
          endpointStatus: "Enabled",
        })),
      },
      opts,
    );
    new RecordSet(
      `${name}-cname`,
      {
        resourceGroupName: settings.zoneId,
        zoneName: settings.zone,
        relativeRecordSetName: settings.hostname,
        recordType: "CNAME",
        ttl: settings.ttlSeconds,
        cnameRecord: { cname: pulumi.interpolate`${relativeName}.trafficmanager.net` },
      },
      opts,
    );
    for (const t of targets) {
      const severity = t.role === "primary" ? "critical" : "high";
      new MetricAlert(
        `${name}-${t.role}-probe-alert`,
        {
          resourceGroupName: rg.name,
          location: "global",
          ruleName: fitName("azureName", ["alert", ctx.stack.environment, "dns-failover", t.role]),
          description: `[${severity}] ${settings.fqdn}: the ${t.role} site's HTTPS probe fails`,
          severity: azureSeverity[severity],
          enabled: true,
          scopes: [profile.id],
          evaluationFrequency: "PT1M",
          windowSize: "PT5M",
          autoMitigate: true,
          criteria: {
            odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
            allOf: [
              {
                criterionType: "StaticThresholdCriterion",
                name: "endpoint-down",
                metricName: "ProbeAgentCurrentEndpointStateByProfileResourceId",
                dimensions: [{ name: "EndpointName", operator: "Include", values: [t.role] }],
                operator: "LessThan",
                threshold: 1,
                timeAggregation: "Maximum",
              },
            ],
          },
          actions: monitoring.alertTargets[severity].apply((ids) =>
            ids.map((actionGroupId) => ({ actionGroupId })),
          ),
        },
        opts,
      );
    }
    return {
      fqdn: settings.fqdn,
      healthChecks: { primary: profile.id, secondary: profile.id },
      mechanism: "traffic-manager-priority",
    };
  },
};
