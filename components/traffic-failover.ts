/**
 * DNS failover between the sites (issue 12 item 6): the traffic half of the recovery design. A
 * stack-level component (a child of neither site, like the interconnect): one health-checked name,
 * `<hostname>.<zone>`, answers with the primary site's public entry while its HTTPS health check passes
 * and with the secondary's when it fails. The zone's cloud (`platform:dns.cloud`) implements it with the
 * provider of the site on that cloud:
 *
 * - AWS: Route 53 failover records (PRIMARY/SECONDARY) with HTTPS health checks (interval, failure
 *   threshold, path, SNI); CloudWatch alarms on HealthCheckStatus (a metric Route 53 publishes in us-east-1
 *   only, so the alarms and their encrypted topic live there);
 * - Azure: a Traffic Manager profile with Priority routing, an HTTPS monitor and one external endpoint per
 *   site, and the zone's CNAME to it; an alert on the endpoints' probe state;
 * - GCP: a Cloud DNS record with a primary-backup routing policy and a global HTTPS health check of
 *   external endpoints (public zones: A records of external IPv4 addresses only; a site whose entry is a
 *   DNS name cannot be health-checked by Cloud DNS, and the component refuses that choice); an alert on
 *   the health check's uptime.
 *
 * The endpoints are described without naming a cloud: an address (IPv4 or DNS name) and a health path,
 * from each site's ingress (`publicEndpoint`, `publicEndpointKind`, health path). Alerts go to the
 * monitoring of the site hosting the zone (alert targets are per cloud: a Route 53 alarm cannot notify an
 * Azure action group).
 */
import * as pulumi from "@pulumi/pulumi";
import type { SiteRole } from "./config";
import type { AnySiteContext, SiteContext } from "./context";
import type { DnsConfig } from "./edge-config";
import type { MonitoringOutputs } from "./monitoring";
import type { Cloud } from "./regions";

/** A site's public entry, described without naming its cloud. */
export interface FailoverEndpoint {
  /** IPv4 address or DNS name of the site's public entry (its ingress). */
  readonly address: pulumi.Output<string>;
  /** Whether `address` is an IPv4 address or a DNS name. */
  readonly kind: "ip" | "hostname";
  /** The HTTPS path that answers 2xx/3xx while the site serves (e.g. `/healthz`). */
  readonly healthPath: string;
}

/** What the component needs of a site. */
export interface FailoverSite {
  readonly role: SiteRole;
  readonly context: AnySiteContext;
  readonly monitoring: MonitoringOutputs;
  readonly endpoint: FailoverEndpoint;
}

/** The failover settings an implementation receives, every default resolved. */
export interface ResolvedFailover {
  /** The zone's DNS name. */
  readonly zone: string;
  /** Route 53 hosted zone id, Azure DNS zone resource group, or Cloud DNS managed zone name. */
  readonly zoneId: string;
  /** The failover record's label. */
  readonly hostname: string;
  /** `<hostname>.<zone>` */
  readonly fqdn: string;
  readonly intervalSeconds: 10 | 30;
  readonly failureThreshold: number;
  readonly ttlSeconds: number;
}

/** One endpoint as an implementation receives it. */
export interface FailoverTarget extends FailoverEndpoint {
  readonly role: SiteRole;
}

export interface FailoverBuildInputs {
  readonly settings: ResolvedFailover;
  readonly primary: FailoverTarget;
  readonly secondary: FailoverTarget;
  /** Monitoring of the site hosting the zone: where health alerts go. */
  readonly monitoring: MonitoringOutputs;
  /** The TrafficFailover component: parent of every resource (created with `ctx.provider`). */
  readonly parent: pulumi.ComponentResource;
}

export interface FailoverOutputs {
  /** `<hostname>.<zone>` */
  readonly fqdn: string;
  /** Health check ids (or the Traffic Manager profile id), per role. */
  readonly healthChecks: Readonly<Record<SiteRole, pulumi.Output<string>>>;
  /** What answers the name: `route53-failover`, `traffic-manager-priority` or `cloud-dns-primary-backup`. */
  readonly mechanism: string;
}

export interface FailoverImplementation<C extends Cloud> {
  failover(name: string, ctx: SiteContext<C>, inputs: FailoverBuildInputs): FailoverOutputs;
}
export type FailoverImplementations = { readonly [C in Cloud]: FailoverImplementation<C> };

export interface TrafficFailoverArgs {
  readonly dns: DnsConfig;
  readonly primary: FailoverSite;
  readonly secondary: FailoverSite;
  readonly implementations: FailoverImplementations;
}

/** A failover the zone's cloud cannot build, naming the setting and the site. */
export class TrafficFailoverError extends Error {
  constructor(message: string) {
    super(`TrafficFailover: ${message}`);
    this.name = "TrafficFailoverError";
  }
}

/** Resolves the settings and rejects combinations the zone's cloud cannot serve (pure; unit-tested). */
export function resolveFailover(
  dns: DnsConfig,
  primary: Pick<FailoverSite, "role" | "context" | "endpoint">,
  secondary: Pick<FailoverSite, "role" | "context" | "endpoint">,
): { settings: ResolvedFailover; host: Pick<FailoverSite, "role" | "context" | "endpoint"> } {
  const host = [primary, secondary].find((s) => s.context.cloud === dns.cloud);
  if (!host) {
    throw new TrafficFailoverError(
      `platform:dns.cloud is ${dns.cloud}, but the sites are on ${primary.context.cloud} and ${secondary.context.cloud}: the zone must be on one of the sites' clouds (its provider manages the records)`,
    );
  }
  if (dns.cloud === "gcp") {
    const named = [primary, secondary].filter((s) => s.endpoint.kind !== "ip");
    if (named.length > 0) {
      throw new TrafficFailoverError(
        `platform:dns.cloud gcp cannot health-check ${named.map((s) => `the ${s.role} site's entry (a DNS name)`).join(" or ")}: Cloud DNS health-checked routing in a public zone answers A records of external IP addresses only; choose platform:dns.cloud aws or azure, or expose an IPv4 entry`,
      );
    }
  }
  for (const s of [primary, secondary]) {
    if (!/^\/[A-Za-z0-9._~/-]{0,254}$/.test(s.endpoint.healthPath)) {
      throw new TrafficFailoverError(
        `the ${s.role} site's health path must be an absolute URL path, got '${s.endpoint.healthPath}'`,
      );
    }
  }
  return {
    settings: {
      zone: dns.zone,
      zoneId: dns.zoneId,
      hostname: dns.hostname,
      fqdn: `${dns.hostname}.${dns.zone}`,
      intervalSeconds: dns.intervalSeconds,
      failureThreshold: dns.failureThreshold,
      ttlSeconds: dns.ttlSeconds,
    },
    host,
  };
}

/** The health-checked failover record between the two sites (stack-level). */
export class TrafficFailover extends pulumi.ComponentResource {
  public readonly fqdn: string;
  public readonly healthChecks: Readonly<Record<SiteRole, pulumi.Output<string>>>;
  public readonly mechanism: string;
  public readonly cloud: Cloud;

  constructor(name: string, args: TrafficFailoverArgs, opts?: pulumi.ComponentResourceOptions) {
    const { settings, host } = resolveFailover(args.dns, args.primary, args.secondary);
    // Children use the hosting site's provider (explicit: default providers are disabled).
    super("platform:edge:TrafficFailover", name, {}, { ...opts, providers: [host.context.provider] });
    const hostSite = host === args.primary ? args.primary : args.secondary;
    const inputs: FailoverBuildInputs = {
      settings,
      primary: { role: "primary", ...args.primary.endpoint },
      secondary: { role: "secondary", ...args.secondary.endpoint },
      monitoring: hostSite.monitoring,
      parent: this,
    };
    const ctx = host.context;
    let out: FailoverOutputs;
    switch (ctx.cloud) {
      case "aws":
        out = args.implementations.aws.failover(name, ctx, inputs);
        break;
      case "azure":
        out = args.implementations.azure.failover(name, ctx, inputs);
        break;
      case "gcp":
        out = args.implementations.gcp.failover(name, ctx, inputs);
        break;
    }
    this.cloud = ctx.cloud;
    this.fqdn = out.fqdn;
    this.healthChecks = out.healthChecks;
    this.mechanism = out.mechanism;
    this.registerOutputs({ fqdn: this.fqdn, mechanism: this.mechanism, cloud: this.cloud });
  }
}
