/**
 * A site: one cloud region of one environment, primary or secondary. The site owns its explicit
 * provider, its keys and every component built on it; all of them are its children.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { SiteConfig, SiteRole, StackConfig } from "./config";
import { siteReplicaRegion, siteZones } from "./config";
import type { AnySiteContext, SiteContext } from "./context";
import { SiteKeys } from "./keys";
import { Database } from "./database";
import { Cache } from "./cache";
import { Backup, type BackupTargets } from "./backup";
import { Governance } from "./governance";
import { FileStore } from "./filestore";
import { Cluster, Registry } from "./cluster";
import { Ingress } from "./ingress";
import { Monitoring } from "./monitoring";
import { Dashboard } from "./dashboard";
import { Synthetics, resolveSyntheticsSettings } from "./synthetics";
import { Network, type CrossSiteAccess } from "./network";
import { Storage } from "./storage";
import { Cdn } from "./cdn";
import type { Cloud } from "./regions";
import { uniqueSuffixLength } from "./naming";
import { implementations } from "../providers";
import type { AnyReplicationSite, ReplicationSite } from "./replication";

export interface SiteArgs {
  readonly role: SiteRole;
  readonly stack: StackConfig;
  readonly site: SiteConfig;
  /**
   * What the site's data tier exchanges with the stack's other site (from `crossSiteAccess`); undefined on
   * a single-site stack.
   */
  readonly crossSite?: CrossSiteAccess;
}

/** The components built on a site, in dependency order. */
interface SiteComponents<C extends Cloud> {
  readonly keys: SiteKeys<C>;
  readonly network: Network<C>;
  readonly monitoring: Monitoring<C>;
  readonly storage: Storage<C>;
  readonly database: Database<C>;
  readonly cache: Cache<C>;
  readonly backup: Backup<C>;
  readonly governance: Governance<C>;
  readonly fileStore: FileStore<C>;
  readonly cluster: Cluster<C>;
  readonly registry: Registry<C>;
  readonly ingress: Ingress<C> | undefined;
  readonly synthetics: Synthetics<C> | undefined;
  readonly dashboard: Dashboard<C>;
  readonly cdn: Cdn<C> | undefined;
}

export class Site extends pulumi.ComponentResource {
  public readonly role: SiteRole;
  public readonly cloud: Cloud;
  public readonly region: string;
  public readonly context: AnySiteContext;
  /** The site's customer-managed keys, used by every component for encryption at rest. */
  public readonly keys: SiteKeys<Cloud>;
  /** Subnets per tier and zone, egress, traffic rules, flow logs and private service access. */
  public readonly network: Network<Cloud>;
  /** Log aggregation and alert routing by severity; other components log and alert through it. */
  public readonly monitoring: Monitoring;
  /** The site's object store (data and immutable backups). */
  public readonly storage: Storage;
  /** The site's PostgreSQL server (private, HA and point-in-time recovery in production). */
  public readonly database: Database;
  /** The site's Redis-compatible cache (private, TLS and authentication required, failover in production). */
  public readonly cache: Cache;
  /** The site's immutable backup vault and plans covering the database (restore-tested on AWS). */
  public readonly backup: Backup;
  /** The site's audit trail, threat detection and budget. */
  public readonly governance: Governance;
  /** The site's shared NFS file storage (private tier only, TLS or private path, the site key, backups). */
  public readonly fileStore: FileStore;
  /** The site's Kubernetes cluster with its baseline. */
  public readonly cluster: Cluster;
  /** The site's private container registry, pull granted to the cluster's nodes only. */
  public readonly registry: Registry;
  /**
   * The site's L7 ingress at the edge with its WAF (where the stack has a public entry, `platform:edge`):
   * the DNS failover points at its `publicEndpoint`.
   */
  public readonly ingress: Ingress | undefined;
  /** The synthetic check of the stack's public endpoint (`platform:synthetics`); undefined without one. */
  public readonly synthetics: Synthetics | undefined;
  /** The site's dashboard, rendered from the panels every component added. */
  public readonly dashboard: Dashboard;
  /** The CDN in front of the site's object store (where the stack sets `platform:cdn`). */
  public readonly cdn: Cdn | undefined;

  constructor(name: string, args: SiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:site:Site", name, {}, opts);
    const { role, stack, site } = args;
    this.role = role;
    this.cloud = site.cloud;
    this.region = site.region;
    const zones = siteZones(site, stack.production);
    // Globally unique names (buckets, storage accounts, Key Vaults, Cloud SQL instances) and names a
    // cloud keeps reserved after deletion carry this suffix: random (not derivable from public account,
    // subscription or project ids, so nobody can register the names first), stable in the state, and
    // drawn anew when the stack is re-created. `random` needs its own explicit provider too.
    const randomProvider = new random.Provider(`${role}-random`, {}, { parent: this });
    const uniqueSuffix = new random.RandomString(
      `${name}-suffix`,
      { length: uniqueSuffixLength, upper: false, special: false, numeric: true, lower: true },
      { parent: this, provider: randomProvider },
    ).result;
    const replicaRegion = siteReplicaRegion(site);
    const common = { role, stack, production: stack.production, zones, uniqueSuffix, replicaRegion };
    // The provider is named by role: the required-tags transform reads the site role from it.
    const providerOpts = { parent: this };
    let built: SiteComponents<Cloud>;
    switch (site.cloud) {
      case "aws": {
        const provider = implementations.aws.provider(role, site, providerOpts);
        this.context = { ...common, cloud: "aws", site, provider };
        built = this.build(name, this.context, args.crossSite);
        break;
      }
      case "azure": {
        const provider = implementations.azure.provider(role, site, providerOpts);
        this.context = { ...common, cloud: "azure", site, provider };
        built = this.build(name, this.context, args.crossSite);
        break;
      }
      case "gcp": {
        const provider = implementations.gcp.provider(role, site, providerOpts);
        this.context = { ...common, cloud: "gcp", site, provider };
        built = this.build(name, this.context, args.crossSite);
        break;
      }
    }
    this.keys = built.keys;
    this.network = built.network;
    this.monitoring = built.monitoring;
    this.storage = built.storage;
    this.database = built.database;
    this.cache = built.cache;
    this.backup = built.backup;
    this.governance = built.governance;
    this.fileStore = built.fileStore;
    this.cluster = built.cluster;
    this.registry = built.registry;
    this.ingress = built.ingress;
    this.synthetics = built.synthetics;
    this.dashboard = built.dashboard;
    this.cdn = built.cdn;
    this.registerOutputs({ role, cloud: this.cloud, region: this.region, keyId: this.keys.keyId });
  }

  /** Builds the site's components on its provider, narrowed to its cloud. */
  private build<C extends Cloud>(
    name: string,
    ctx: SiteContext<C>,
    crossSite: CrossSiteAccess | undefined,
  ): SiteComponents<C> {
    const childOpts: pulumi.ComponentResourceOptions = { parent: this, provider: ctx.provider };
    const keys = new SiteKeys(`${name}-keys`, ctx, childOpts);
    const monitoring = new Monitoring(`${name}-monitoring`, ctx, { keys }, childOpts);
    const network = new Network(
      `${name}-network`,
      ctx,
      { keys, monitoring, ...ctx.site.network, ...(crossSite ? { crossSite } : {}) },
      childOpts,
    );
    const cdnConfig = ctx.stack.cdn;
    const storage = new Storage(
      `${name}-storage`,
      ctx,
      { keys, monitoring, network, servedByCdn: cdnConfig !== undefined },
      childOpts,
    );
    // The CDN in front of the store (the store stays private; its origin access admits this CDN only).
    const cdn = cdnConfig
      ? new Cdn(`${name}-cdn`, ctx, { keys, monitoring, storage, config: cdnConfig }, childOpts)
      : undefined;
    const database = new Database(
      `${name}-database`,
      ctx,
      { keys, network, monitoring, ...ctx.stack.database },
      childOpts,
    );
    const cache = new Cache(
      `${name}-cache`,
      ctx,
      { keys, network, monitoring, ...ctx.site.cache },
      childOpts,
    );
    const fileStore = new FileStore(
      `${name}-files`,
      ctx,
      { keys, network, monitoring, ...ctx.site.fileStorage },
      childOpts,
    );
    const backup = new Backup(
      `${name}-backup`,
      ctx,
      { keys, monitoring, targets: backupTargets(ctx, network, storage, database, fileStore) },
      childOpts,
    );
    const governance = new Governance(`${name}-governance`, ctx, { keys, monitoring, storage }, childOpts);
    const cluster = new Cluster(
      `${name}-cluster`,
      ctx,
      { keys, network, monitoring, ...ctx.site.cluster },
      childOpts,
    );
    const registry = new Registry(`${name}-registry`, ctx, { keys, network, monitoring, cluster }, childOpts);
    const edge = ctx.stack.edge;
    const ingress = edge
      ? new Ingress(`${name}-ingress`, ctx, { edge, keys, network, monitoring }, childOpts)
      : undefined;
    const syntheticsSettings = resolveSyntheticsSettings(ctx.stack);
    if (syntheticsSettings === undefined) {
      void pulumi.log.warn(
        `${name}: the stack sets no public endpoint (platform:synthetics): this site has no synthetic check`,
        this,
      );
    }
    const synthetics = syntheticsSettings
      ? new Synthetics(
          `${name}-synthetics`,
          ctx,
          { settings: syntheticsSettings, keys, monitoring, storage },
          childOpts,
        )
      : undefined;
    // Last: every component of the site has added its panels.
    const dashboard = new Dashboard(`${name}-dashboard`, ctx, { model: monitoring.dashboard }, childOpts);
    return {
      keys,
      network,
      monitoring,
      storage,
      database,
      cache,
      backup,
      governance,
      fileStore,
      cluster,
      registry,
      ingress,
      synthetics,
      dashboard,
      cdn,
    };
  }
}

/** What the site's backups protect, from its database, storage and network, narrowed to its cloud. */
function backupTargets<C extends Cloud>(
  ctx: SiteContext<C>,
  network: Network<C>,
  storage: Storage<C>,
  database: Database<C>,
  fileStore: FileStore<C>,
): BackupTargets[C] {
  const c = ctx as AnySiteContext;
  switch (c.cloud) {
    case "aws": {
      const targets: BackupTargets["aws"] = {
        databaseArn: database.serverId,
        fileSystemArn: fileStore.backupResourceId,
      };
      return targets as BackupTargets[C];
    }
    case "azure": {
      const access = (network as Network<"azure">).privateAccess;
      const targets: BackupTargets["azure"] = {
        resourceGroupName: access.resourceGroupName,
        databaseId: database.serverId,
        storageAccountId: storage.storeId,
      };
      return targets as BackupTargets[C];
    }
    case "gcp": {
      const targets: BackupTargets["gcp"] = {
        databaseInstance: database.serverId,
        fileSystemId: fileStore.vaultedBackup ? fileStore.backupResourceId : undefined,
      };
      return targets as BackupTargets[C];
    }
  }
}

/**
 * A site's handles for cross-cloud replication, narrowed to its cloud. The site builds every component
 * from one context, so the handles share the context's cloud (the cast states that invariant).
 */
export function replicationSite(site: Site): AnyReplicationSite {
  const handles = {
    ctx: site.context,
    keys: site.keys.handles,
    network: site.network,
    networkPlan: site.network.plan,
    monitoring: site.monitoring,
    storage: site.storage,
    database: site.database,
  };
  return handles as ReplicationSite<Cloud> as AnyReplicationSite;
}
