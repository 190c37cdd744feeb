/**
 * Cloud DNS failover (components/traffic-failover.ts): an A record `<hostname>.<zone>` in the managed
 * zone `platform:dns.zoneId` with a primary-backup routing policy: the primary site's IPv4 entry while the
 * global HTTPS health check (from three source regions, as Cloud DNS public health checks require) passes,
 * else the secondary's ("Health checks for external endpoints" in public zones:
 * https://cloud.google.com/dns/docs/zones/manage-routing-policies#health_checks). A DNS name cannot be
 * health-checked there: components/traffic-failover.ts refuses it before anything is built. An uptime
 * check per site feeds an alert to the hosting site's notification channels.
 */
import * as pulumi from "@pulumi/pulumi";
import { HealthCheck } from "@pulumi/gcp/compute/healthCheck";
import { RecordSet } from "@pulumi/gcp/dns/recordSet";
import { UptimeCheckConfig } from "@pulumi/gcp/monitoring/uptimeCheckConfig";
import type { SiteContext } from "../../components/context";
import { fitName } from "../../components/naming";
import type {
  FailoverBuildInputs,
  FailoverImplementation,
  FailoverOutputs,
} from "../../components/traffic-failover";
import { metricAlert } from "./monitoring";

/** Source regions of the health check: Cloud DNS public health checks take exactly three. */
export const healthCheckSourceRegions = ["us-east4", "europe-west1", "asia-southeast1"];

export const dnsFailover: FailoverImplementation<"gcp"> = {
  failover(name: string, ctx: SiteContext<"gcp">, inputs: FailoverBuildInputs): FailoverOutputs {
    const { settings, parent, monitoring } = inputs;
    const opts: pulumi.CustomResourceOptions = { parent, provider: ctx.provider };
    const project = ctx.site.project;
    const check = new HealthCheck(
      `${name}-health`,
      {
        project,
        name: fitName("gcpName", [ctx.stack.environment, "dns-failover", settings.hostname]),
        description: `HTTPS health of ${settings.fqdn}'s primary entry (Cloud DNS failover)`,
        // Health checks with source regions probe at most every 30 seconds.
        checkIntervalSec: 30,
        timeoutSec: 10,
        unhealthyThreshold: settings.failureThreshold,
        healthyThreshold: 2,
        sourceRegions: healthCheckSourceRegions,
        httpsHealthCheck: { port: 443, requestPath: inputs.primary.healthPath, host: settings.fqdn },
      },
      opts,
    );
    new RecordSet(
      `${name}-record`,
      {
        project,
        managedZone: settings.zoneId,
        name: `${settings.fqdn}.`,
        type: "A",
        ttl: settings.ttlSeconds,
        routingPolicy: {
          healthCheck: check.id,
          primaryBackup: {
            primary: { externalEndpoints: [inputs.primary.address] },
            backupGeos: [
              {
                location: ctx.site.region,
                healthCheckedTargets: { externalEndpoints: [inputs.secondary.address] },
              },
            ],
            trickleRatio: 0,
          },
        },
      },
      opts,
    );
    for (const target of [inputs.primary, inputs.secondary]) {
      const severity = target.role === "primary" ? "critical" : "high";
      const uptime = new UptimeCheckConfig(
        `${name}-${target.role}-uptime`,
        {
          project,
          displayName: `${ctx.stack.environment} ${settings.fqdn} ${target.role} entry`,
          timeout: "10s",
          period: "60s",
          monitoredResource: { type: "uptime_url", labels: { project_id: project, host: target.address } },
          httpCheck: {
            path: target.healthPath,
            port: 443,
            useSsl: true,
            // The entry is addressed by IP: its certificate names the failover host, not the IP.
            validateSsl: false,
            headers: { Host: settings.fqdn },
          },
        },
        opts,
      );
      metricAlert(
        `${name}-${target.role}-uptime-alert`,
        {
          project,
          subject: settings.fqdn,
          severity,
          title: `the ${target.role} site's HTTPS entry fails its uptime check`,
          filter: pulumi.interpolate`metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND resource.type="uptime_url" AND metric.label.check_id="${uptime.uptimeCheckId}"`,
          threshold: 0,
          aligner: "ALIGN_COUNT_FALSE",
        },
        monitoring.alertTargets,
        opts,
      );
    }
    return {
      fqdn: settings.fqdn,
      healthChecks: { primary: check.id, secondary: check.id },
      mechanism: "cloud-dns-primary-backup",
    };
  },
};
