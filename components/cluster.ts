/**
 * The site's Kubernetes cluster and container registry (EKS + ECR, AKS + ACR, GKE + Artifact Registry),
 * compliant by default:
 *
 * - private control plane in production (no public endpoint); outside production a public endpoint only
 *   when `authorizedCidrs` lists who may reach it;
 * - private nodes on the site's private tier, spread over the site's zones, autoscaled within the
 *   configured bounds; a spot/preemptible pool outside production when configured;
 * - Kubernetes secrets envelope-encrypted with the site's customer-managed key;
 * - control-plane audit logs to the site's monitoring; a network policy engine;
 * - workload identity (EKS Pod Identity, Entra Workload ID, GKE Workload Identity); workloads get no
 *   node-level cloud credentials;
 * - a supported version from the catalog (components/cluster-config.ts) with an upgrade channel or
 *   maintenance window;
 * - the baseline (namespaces labelled Pod Security `restricted`, default-deny network policies with DNS
 *   egress, quotas and limit ranges, the platform's system namespace) applied through a Kubernetes
 *   provider built from the cluster's own outputs.
 *
 * The registry is private, scans on push, uses the site key, keeps tags immutable where offered, and
 * grants pull to the cluster's node identity only.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "./regions";
import type { SiteContext } from "./context";
import type { KeyHandles, SiteKeys } from "./keys";
import type { MonitoringOutputs } from "./monitoring";
import type { NetworkOutputs } from "./network";
import { type ClusterConfig, kubernetesVersions } from "./cluster-config";
import { implementationFor } from "../providers";
import { clusterBaseline } from "../providers/kubernetes/baseline";

export { clusterConfigSchema, kubernetesVersions } from "./cluster-config";
export type { ClusterConfig, KubernetesVersionCatalog } from "./cluster-config";

/** The platform's own namespace in every cluster (controllers, agents). */
export const systemNamespace = "platform-system";

export interface ClusterArgs<C extends Cloud = Cloud> extends ClusterConfig {
  readonly keys: SiteKeys<C>;
  readonly network: NetworkOutputs<C>;
  readonly monitoring?: MonitoringOutputs;
}

/** The settings an implementation receives: every default resolved and validated. */
export interface ResolvedClusterSettings {
  /** Kubernetes minor version, one of the cloud's supported versions. */
  readonly version: string;
  readonly nodes: { readonly min: number; readonly max: number; readonly machineType: string | undefined };
  /** The spot/preemptible pool (outside production only), or undefined. */
  readonly spot: { readonly max: number } | undefined;
  /** Whether the API server has a public endpoint (only outside production, only with authorizedCidrs). */
  readonly publicEndpoint: boolean;
  /** Who may reach the public endpoint (empty when it is private). */
  readonly authorizedCidrs: readonly string[];
  /** Namespaces the baseline creates: the application namespaces, then the system namespace. */
  readonly namespaces: readonly string[];
  readonly deletionProtection: boolean;
}

export interface ClusterBuildInputs<C extends Cloud> {
  readonly settings: ResolvedClusterSettings;
  readonly keys: KeyHandles[C];
  readonly network: NetworkOutputs<C>;
  readonly monitoring: MonitoringOutputs | undefined;
  readonly parent: pulumi.ComponentResource;
}

/** What a cluster offers deployments and downstream stacks. */
export interface ClusterOutputs {
  readonly clusterName: pulumi.Output<string>;
  /** EKS cluster ARN, AKS resource id, or GKE cluster id. */
  readonly clusterId: pulumi.Output<string>;
  /** The API server endpoint (private in production). */
  readonly endpoint: pulumi.Output<string>;
  /**
   * A kubeconfig for the Kubernetes provider, as a Pulumi secret. It authenticates through the cloud's
   * own credential plugin (aws eks get-token, kubelogin, gke-gcloud-auth-plugin), never a static token.
   */
  readonly kubeconfig: pulumi.Output<string>;
  /** The cluster's OIDC issuer (workload identity federation), where the cloud exposes one. */
  readonly oidcIssuer: pulumi.Output<string>;
  /**
   * The identity the nodes pull images as (EKS node role ARN, AKS kubelet identity object id, GKE node
   * service account email): the only principal the registry grants pull to.
   */
  readonly nodeIdentity: pulumi.Output<string>;
  /** The Kubernetes minor version. */
  readonly version: string;
  /**
   * Resources the baseline's Kubernetes provider must wait for besides those the kubeconfig already
   * depends on (the node pool, the deployer's cluster access grant): nothing is applied in the cluster
   * before they exist.
   */
  readonly kubernetesDependsOn?: readonly pulumi.Resource[];
}

export interface RegistryBuildInputs<C extends Cloud> {
  readonly keys: KeyHandles[C];
  /** The site's network (private endpoints, where the registry is reached privately: Azure). */
  readonly network: NetworkOutputs<C>;
  readonly monitoring: MonitoringOutputs | undefined;
  /** The cluster's node identity (ClusterOutputs.nodeIdentity): granted pull, nothing else. */
  readonly pullIdentity: pulumi.Output<string>;
  readonly deletionProtection: boolean;
  readonly parent: pulumi.ComponentResource;
}

export interface RegistryOutputs {
  /** ECR repository ARN, ACR id, or Artifact Registry repository id. */
  readonly registryId: pulumi.Output<string>;
  /** Where images are pushed and pulled: `<host>/<path>`. */
  readonly registryUrl: pulumi.Output<string>;
}

export class ClusterArgsError extends Error {
  constructor(message: string) {
    super(`Cluster: ${message}`);
    this.name = "ClusterArgsError";
  }
}

/** Resolves defaults and rejects invalid combinations (pure; unit-tested). */
export function resolveClusterSettings(
  args: ClusterConfig,
  cloud: Cloud,
  production: boolean,
): ResolvedClusterSettings {
  const catalog = kubernetesVersions[cloud];
  const version = args.version ?? catalog.default;
  if (!catalog.supported.includes(version)) {
    throw new ClusterArgsError(
      `cluster.version must be one of the versions ${cloud} supports (${catalog.supported.join(", ")}), got ${version}`,
    );
  }
  const min = args.nodes?.min ?? (production ? 3 : 1);
  const max = args.nodes?.max ?? Math.max(min, production ? 6 : 3);
  if (min > max) {
    throw new ClusterArgsError(`cluster.nodes.min (${min}) must be at most cluster.nodes.max (${max})`);
  }
  if (production && args.spot) {
    throw new ClusterArgsError(
      "cluster.spot is for non-production stacks only: production capacity must not be reclaimable",
    );
  }
  const authorizedCidrs = args.authorizedCidrs ?? [];
  if (production && authorizedCidrs.length > 0) {
    throw new ClusterArgsError(
      `cluster.authorizedCidrs must be empty in production (the control plane is private), got ${authorizedCidrs.join(", ")}`,
    );
  }
  for (const cidr of authorizedCidrs) {
    if (cidr.endsWith("/0")) {
      throw new ClusterArgsError(
        `cluster.authorizedCidrs must not open the API server to everyone, got ${cidr}`,
      );
    }
  }
  const apps = args.namespaces ?? ["apps"];
  if (apps.includes(systemNamespace) || new Set(apps).size !== apps.length) {
    throw new ClusterArgsError(
      `cluster.namespaces must be distinct and must not include ${systemNamespace}, got ${apps.join(", ")}`,
    );
  }
  return {
    version,
    nodes: { min, max, machineType: args.nodes?.machineType },
    spot: args.spot,
    publicEndpoint: authorizedCidrs.length > 0,
    authorizedCidrs,
    namespaces: [...apps, systemNamespace],
    deletionProtection: production,
  };
}

/** The site's Kubernetes cluster with its baseline, built by the site's cloud implementation. */
export class Cluster<C extends Cloud = Cloud> extends pulumi.ComponentResource implements ClusterOutputs {
  public readonly clusterName: pulumi.Output<string>;
  public readonly clusterId: pulumi.Output<string>;
  public readonly endpoint: pulumi.Output<string>;
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly oidcIssuer: pulumi.Output<string>;
  public readonly nodeIdentity: pulumi.Output<string>;
  public readonly version: string;
  public readonly settings: ResolvedClusterSettings;
  /** The explicit Kubernetes provider of this cluster (built from its kubeconfig), for in-cluster resources. */
  public readonly kubernetesProvider: pulumi.ProviderResource;
  /** The baseline's namespaces: name → the Namespace's `metadata.name` output. */
  public readonly namespaces: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(
    name: string,
    ctx: SiteContext<C>,
    args: ClusterArgs<C>,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    const settings = resolveClusterSettings(args, ctx.cloud, ctx.production);
    super("platform:compute:Cluster", name, {}, opts);
    const out = implementationFor(ctx).cluster(name, ctx, {
      settings,
      keys: args.keys.handles,
      network: args.network,
      monitoring: args.monitoring,
      parent: this,
    });
    this.settings = settings;
    this.clusterName = out.clusterName;
    this.clusterId = out.clusterId;
    this.endpoint = out.endpoint;
    this.kubeconfig = pulumi.secret(out.kubeconfig);
    this.oidcIssuer = out.oidcIssuer;
    this.nodeIdentity = out.nodeIdentity;
    this.version = out.version;
    // The baseline every cluster gets (providers/kubernetes/baseline.ts), through a provider built from
    // this cluster's kubeconfig: it depends on the cluster, so nothing is applied before it exists.
    const baseline = clusterBaseline(name, {
      kubeconfig: this.kubeconfig,
      clusterIdentifier: out.clusterId,
      namespaces: settings.namespaces,
      systemNamespace,
      kubernetesVersion: out.version,
      production: ctx.production,
      dependsOn: out.kubernetesDependsOn ?? [],
      parent: this,
    });
    this.kubernetesProvider = baseline.provider;
    this.namespaces = baseline.namespaces;
    this.registerOutputs({
      clusterName: this.clusterName,
      clusterId: this.clusterId,
      endpoint: this.endpoint,
      version: this.version,
    });
  }
}

export interface RegistryArgs<C extends Cloud = Cloud> {
  readonly keys: SiteKeys<C>;
  readonly network: NetworkOutputs<C>;
  readonly monitoring?: MonitoringOutputs;
  /** The cluster whose nodes may pull. */
  readonly cluster: ClusterOutputs;
}

/** The site's private container registry, built by the site's cloud implementation. */
export class Registry<C extends Cloud = Cloud> extends pulumi.ComponentResource implements RegistryOutputs {
  public readonly registryId: pulumi.Output<string>;
  public readonly registryUrl: pulumi.Output<string>;

  constructor(
    name: string,
    ctx: SiteContext<C>,
    args: RegistryArgs<C>,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("platform:compute:Registry", name, {}, opts);
    const out = implementationFor(ctx).registry(name, ctx, {
      keys: args.keys.handles,
      network: args.network,
      monitoring: args.monitoring,
      pullIdentity: args.cluster.nodeIdentity,
      deletionProtection: ctx.production,
      parent: this,
    });
    this.registryId = out.registryId;
    this.registryUrl = out.registryUrl;
    this.registerOutputs({ registryId: this.registryId, registryUrl: this.registryUrl });
  }
}
