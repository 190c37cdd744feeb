/**
 * The contract every cloud implements. `providers/index.ts` holds one implementation per cloud in a
 * mapped type, so a cloud without an implementation, or an implementation missing a component, does
 * not compile. Implementations import component contracts as types only: no runtime import cycle.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { SiteConfigOf } from "../components/config";
import type { SiteContext } from "../components/context";
import type { SiteKeysOutputs } from "../components/keys";
import type { NetworkBuildInputs, NetworkOutputs } from "../components/network";
import type { DatabaseBuildInputs, DatabaseOutputs } from "../components/database";
import type { MonitoringBuildInputs, MonitoringImplOutputs } from "../components/monitoring";
import type { DashboardBuildInputs, DashboardOutputs } from "../components/dashboard";
import type { SyntheticsBuildInputs, SyntheticsOutputs } from "../components/synthetics";
import type { StorageBuildInputs, StorageBuildOutputs } from "../components/storage";
import type { CdnBuildInputs, CdnOutputs } from "../components/cdn";
import type { CacheBuildInputs, CacheOutputs } from "../components/cache";
import type { BackupBuildInputs, BackupOutputs } from "../components/backup";
import type { GovernanceBuildInputs, GovernanceOutputs } from "../components/governance";
import type { FileStoreBuildInputs, FileStoreOutputs } from "../components/filestore";
import type {
  ClusterBuildInputs,
  ClusterOutputs,
  RegistryBuildInputs,
  RegistryOutputs,
} from "../components/cluster";
import type { IngressBuildInputs, IngressOutputs } from "../components/ingress";
import type { Cloud } from "../components/regions";

export interface CloudImplementation<C extends Cloud> {
  /**
   * The site's explicit provider, named `name` (the site role: the tag transform reads the site role
   * from the provider's name). Pinned to the site's region and account/subscription/project.
   */
  provider(name: string, site: SiteConfigOf<C>, opts: pulumi.CustomResourceOptions): pulumi.ProviderResource;
  /** The site's customer-managed keys, as children of `parent`. */
  keys(name: string, ctx: SiteContext<C>, parent: pulumi.ComponentResource): SiteKeysOutputs<C>;
  /** The site's network (subnets per tier, egress, traffic rules, flow logs), as children of `inputs.parent`. */
  network(name: string, ctx: SiteContext<C>, inputs: NetworkBuildInputs<C>): NetworkOutputs<C>;
  /** The site's log aggregation and alert routing, as children of `inputs.parent`. */
  monitoring(name: string, ctx: SiteContext<C>, inputs: MonitoringBuildInputs<C>): MonitoringImplOutputs;
  /** The site's dashboard rendered from the panels its components added, as children of `inputs.parent`. */
  dashboard(name: string, ctx: SiteContext<C>, inputs: DashboardBuildInputs<C>): DashboardOutputs;
  /** The site's synthetic check of the stack's public endpoint and its alerts, as children of `inputs.parent`. */
  synthetics(name: string, ctx: SiteContext<C>, inputs: SyntheticsBuildInputs<C>): SyntheticsOutputs;
  /** The site's object store, as children of `inputs.parent`. */
  storage(name: string, ctx: SiteContext<C>, inputs: StorageBuildInputs<C>): StorageBuildOutputs<C>;
  /**
   * The site's CDN in front of its object store (the store stays private: origin access locked to this
   * CDN), HTTPS only with TLS 1.2 or later on a custom hostname, logging to the site's monitoring, as
   * children of `inputs.parent`.
   */
  cdn(name: string, ctx: SiteContext<C>, inputs: CdnBuildInputs<C>): CdnOutputs;
  /** The site's PostgreSQL server on the network's data tier, as children of `inputs.parent`. */
  database(name: string, ctx: SiteContext<C>, inputs: DatabaseBuildInputs<C>): DatabaseOutputs;
  /** The site's cache on the network's data tier, as children of `inputs.parent`. */
  cache(name: string, ctx: SiteContext<C>, inputs: CacheBuildInputs<C>): CacheOutputs;
  /** The site's backup vault(s), plans and restore testing, as children of `inputs.parent`. */
  backup(name: string, ctx: SiteContext<C>, inputs: BackupBuildInputs<C>): BackupOutputs;
  /** The site's audit trail, threat detection and budget, as children of `inputs.parent`. */
  governance(name: string, ctx: SiteContext<C>, inputs: GovernanceBuildInputs<C>): GovernanceOutputs;
  /** The site's shared NFS file storage, reachable from the private tier only, as children of `inputs.parent`. */
  fileStore(name: string, ctx: SiteContext<C>, inputs: FileStoreBuildInputs<C>): FileStoreOutputs;
  /**
   * The site's Kubernetes cluster (private control plane in production, private nodes on the private tier,
   * the site key for secrets, audit logs, workload identity), as children of `inputs.parent`.
   */
  cluster(name: string, ctx: SiteContext<C>, inputs: ClusterBuildInputs<C>): ClusterOutputs;
  /**
   * The site's L7 ingress at the edge (ALB + WAFv2, Application Gateway WAF_v2, global external Application
   * Load Balancer + Cloud Armor) in front of the cluster's in-cluster ingress, as children of `inputs.parent`.
   */
  ingress(name: string, ctx: SiteContext<C>, inputs: IngressBuildInputs<C>): IngressOutputs;
  /** The site's private container registry (pull for the cluster's node identity only). */
  registry(name: string, ctx: SiteContext<C>, inputs: RegistryBuildInputs<C>): RegistryOutputs;
}
