/**
 * What joins the two sites' networks for database replication: each site's data tier admits PostgreSQL
 * from the blocks of the other site where databases and replication clients live, and may open PostgreSQL
 * connections to them (replication runs primary -> secondary; failback runs the other way, so both
 * directions are open on both sites).
 *
 * The concern of joining two sites stays at stack level: this function reads only the stack config (every
 * block is a plain value, planned by `planNetwork` exactly as each site's Network plans it) and hands each
 * site a provider-agnostic list of blocks and ports (`CrossSiteAccess`), which each cloud's network renders
 * into its own inline rules (AWS security group and network ACL of the data tier, the Azure data NSG; GCP
 * needs no rule: see providers/gcp/network.ts).
 *
 * Which blocks: the peer's `data` tier (RDS and the DMS replication instance on AWS, the flexible server,
 * which also runs the migration service's connections, on Azure) or, on GCP, the Private Service Access
 * range (`services`: Cloud SQL, whose destination instance the Database Migration Service connects from;
 * GCP's data subnet holds no managed database). Not the peer's private tier or its whole address space:
 * nothing there replicates, and on AWS every block costs network ACL rules under a quota of 20 per
 * direction.
 */
import { siteZones, type SiteRole, type StackConfig } from "./config";
import { dataPorts, planNetwork, type CrossSiteAccess, type NetworkPlan } from "./network";

/**
 * The blocks of a network plan where its managed databases and their replication clients live: the block
 * of the cloud's managed services where the network has one (`services`, GCP's Private Service Access
 * range: Cloud SQL and the Database Migration Service's destination instance), else the `data` tier (RDS
 * and the DMS replication instance; the flexible server and the migration service's connections).
 */
export function databasePrefixes(plan: Pick<NetworkPlan, "subnets">): string[] {
  const tier = plan.subnets.some((s) => s.tier === "services") ? "services" : "data";
  return plan.subnets.filter((s) => s.tier === tier).map((s) => s.cidr);
}

/** The network plan of a configured site, as its `Network` will plan it. */
export function plannedNetwork(config: StackConfig, role: SiteRole): NetworkPlan | undefined {
  const site = role === "primary" ? config.primary : config.secondary;
  if (!site) return undefined;
  return planNetwork(
    { cloud: site.cloud, site, zones: siteZones(site, config.production), production: config.production },
    site.network ?? {},
  );
}

/**
 * Per site, what its data tier exchanges with the other site (PostgreSQL with the peer's database blocks);
 * undefined on a single-site stack.
 */
export function crossSiteAccess(config: StackConfig): Record<SiteRole, CrossSiteAccess> | undefined {
  const primary = plannedNetwork(config, "primary");
  const secondary = plannedNetwork(config, "secondary");
  if (!primary || !secondary) return undefined;
  const ports = [dataPorts.postgres];
  return {
    primary: { cidrs: databasePrefixes(secondary), ports },
    secondary: { cidrs: databasePrefixes(primary), ports },
  };
}
