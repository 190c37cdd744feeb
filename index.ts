/**
 * Entry point. Reads and validates the stack config (stopping before any resource on a problem),
 * registers the required-tags transform, then builds one Site per role. The exported function is what
 * `pulumi up` runs, and what the offline plan harness runs under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import * as state from "@pulumi/pulumi/runtime/state";
import {
  ConfigError,
  parseStackConfig,
  rawConfigObject,
  type SiteRole,
  type StackConfig,
} from "./components/config";
import { crossSiteAccess } from "./components/cross-site";
import { Interconnect } from "./components/interconnect";
import { stackOutputs } from "./components/outputs";
import { recoveryPlan } from "./components/recovery";
import { RecoveryObjectives } from "./components/recovery-objectives";
import { Replication } from "./components/replication";
import { Site, replicationSite } from "./components/site";
import { registerRequiredTags } from "./components/tags";
import { replicationImplementations } from "./providers/replication";
import { vpnImplementations } from "./providers/vpn";
import { failoverImplementations } from "./providers/dns-failover";
import { TrafficFailover, type FailoverEndpoint } from "./components/traffic-failover";
import * as random from "@pulumi/random";

export = async function main(): Promise<Record<string, unknown>> {
  const parsed = parseStackConfig(rawConfigObject(pulumi.runtime.allConfig()), secretConfigKeys());
  if (!parsed.ok) {
    // RunError: Pulumi prints the message without a stack trace.
    throw new pulumi.RunError(new ConfigError(parsed.problems).message);
  }
  const config = parsed.config;
  const providerRoles = new Map<string, SiteRole>([
    ["primary", "primary"],
    ["secondary", "secondary"],
  ]);
  registerRequiredTags(config, providerRoles);

  // What each site's data tier exchanges with the other site (replication across the interconnect, both
  // ways for failback): computed here from the config, so neither site needs the other to exist.
  const crossSite = crossSiteAccess(config);
  const primary = new Site("primary", {
    role: "primary",
    stack: config,
    site: config.primary,
    ...(crossSite ? { crossSite: crossSite.primary } : {}),
  });
  const secondary = config.secondary
    ? new Site("secondary", {
        role: "secondary",
        stack: config,
        site: config.secondary,
        ...(crossSite ? { crossSite: crossSite.secondary } : {}),
      })
    : undefined;
  // The private path between the sites (stack-level: a child of neither), on every stack with two
  // sites, so that non-production stacks exercise the same recovery paths as production.
  const interconnect = secondary
    ? new Interconnect("interconnect", { primary, secondary, implementations: vpnImplementations })
    : undefined;
  // Cross-cloud replication of the primary's objects and database into the secondary (stack-level).
  const replication = secondary
    ? new Replication("replication", {
        primary: replicationSite(primary),
        secondary: replicationSite(secondary),
        implementations: replicationImplementations,
        randomProvider: new random.Provider("replication-random"),
        environment: config.environment,
      })
    : undefined;
  // The health-checked DNS failover record between the sites' public entries (stack-level, the traffic
  // half of the recovery design), where the stack sets platform:dns.
  const failover = config.dns && secondary ? trafficFailover(config.dns, primary, secondary) : undefined;
  // The recovery plan (objectives, mechanisms, delivered RPO/RTO) in the deployment plan, for the
  // stack policy and the compliance report; the same model `npm run dr` writes the runbook from.
  const recovery = recoveryPlan(config);
  if (recovery) new RecoveryObjectives("recovery", recovery);
  // The API of this stack for downstream stacks (StackReference): see "Stack outputs" in the README.
  return {
    ...stackOutputs(config, primary, secondary),
    ...(interconnect ? { interconnect: interconnectOutputs(interconnect) } : {}),
    ...(replication
      ? {
          // Job ids only: schedules, RPOs, gaps and one-time steps are in the runbook (`npm run dr`).
          replication: {
            ...(replication.objects ? { objectsJob: replication.objects.jobId } : {}),
            databaseJob: replication.database.jobId,
          },
        }
      : {}),
    ...(recovery?.objectives ? { recovery: recovery.objectives } : {}),
    ...(failover
      ? { failover: { fqdn: failover.fqdn, cloud: failover.cloud, mechanism: failover.mechanism } }
      : {}),
  };
};

/**
 * The config keys the stack set as secrets (`pulumi config set --secret`): the language host passes
 * them to the program in PULUMI_CONFIG_SECRET_KEYS, which the SDK keeps beside the config in its store
 * (runtime/state.ts `getStore().config`); the offline plan sets them with `runtime.setAllConfig`.
 */
function secretConfigKeys(): Set<string> {
  const store = (
    state as unknown as { getStore(): { config: Record<string, string | undefined> } }
  ).getStore();
  try {
    const keys = JSON.parse(store.config["PULUMI_CONFIG_SECRET_KEYS"] || "[]") as unknown;
    return new Set(Array.isArray(keys) ? keys.filter((k): k is string => typeof k === "string") : []);
  } catch {
    return new Set();
  }
}

/** A site's public entry for DNS failover: its ingress's public endpoint (IPv4 or DNS name) and health path. */
function publicEntryOf(site: Site): FailoverEndpoint | undefined {
  const ingress = site.ingress;
  return ingress
    ? {
        address: ingress.publicEndpoint,
        kind: ingress.publicEndpointKind,
        healthPath: ingress.healthCheckPath,
      }
    : undefined;
}

/** The failover between the two sites' public entries; refuses platform:dns while a site has no entry. */
function trafficFailover(
  dns: NonNullable<StackConfig["dns"]>,
  primary: Site,
  secondary: Site,
): TrafficFailover {
  const entries = [publicEntryOf(primary), publicEntryOf(secondary)] as const;
  if (!entries[0] || !entries[1]) {
    throw new pulumi.RunError(
      "platform:dns needs each site's public entry (its ingress): expected platform:edge to be set (the ingress every site builds behind its WAF), found none; set platform:edge or remove platform:dns",
    );
  }
  const site = (s: Site, endpoint: FailoverEndpoint) => ({
    role: s.role,
    context: s.context,
    monitoring: s.monitoring,
    endpoint,
  });
  return new TrafficFailover("failover", {
    dns,
    primary: site(primary, entries[0]),
    secondary: site(secondary, entries[1]),
    implementations: failoverImplementations,
  });
}

/** The interconnect's stack outputs: per site, its ASN, tunnel count and the prefixes routed each way. */
function interconnectOutputs(interconnect: Interconnect): Record<string, unknown> {
  return Object.fromEntries(
    Object.values(interconnect.sites).map((s) => [
      s.role,
      {
        cloud: s.cloud,
        asn: s.asn,
        tunnels: s.tunnels,
        gatewayId: s.gatewayId,
        localPrefixes: s.localPrefixes,
        peerPrefixes: s.peerPrefixes,
      },
    ]),
  );
}
