/**
 * The site's GKE Standard cluster.
 *
 * - Location: regional in production (the control plane replicated across the region's zones, nodes in
 *   the site's zones); zonal outside production (the site's first zone; further site zones become node
 *   locations): a zonal cluster is covered by GKE's free tier credit and runs one control plane replica.
 * - Network: VPC-native on the private tier subnetwork, pods and Services on its secondary ranges (planned
 *   in the site's address space by components/subnets.ts, not routed over the interconnect); private
 *   nodes; the control plane reached through a Private Service Connect endpoint in the private tier
 *   (`privateEndpointSubnetwork`, no `masterIpv4CidrBlock`: no /28 to keep clear of the site, the peer site
 *   and the Private Service Access range, and the endpoint is reachable wherever the private tier is).
 *   Production: no public endpoint (`enablePrivateEndpoint`); outside production a public endpoint only
 *   when `authorizedCidrs` lists who may reach it. Master authorized networks: the private tier and the
 *   pod range (plus the authorized CIDRs), enforced on the private endpoint as well; Google Cloud public
 *   IPs are not let in.
 * - Dataplane V2 (`ADVANCED_DATAPATH`): eBPF datapath with Kubernetes NetworkPolicy enforcement built in.
 * - Secrets envelope-encrypted with the site key (`databaseEncryption`), after the GKE service agent's
 *   grant; node boot disks with the site key, after the Compute Engine service agent's grant.
 * - Workload Identity (`<project>.svc.id.goog`), nodes serve the GKE metadata server only
 *   (`GKE_METADATA`): pods never see the node's credentials.
 * - Nodes: a dedicated service account holding only the logging/monitoring roles GKE nodes need (no
 *   Editor), `cloud-platform` scope with IAM as the limit, Shielded nodes with Secure Boot and integrity
 *   monitoring, Container-Optimized OS; autoscaled within the configured total bounds across the zones;
 *   a Spot pool (tainted) outside production when configured.
 * - REGULAR release channel, the catalog's version as the minimum, a weekend maintenance window; legacy
 *   ABAC off, no client certificate, Binary Authorization with the project's policy.
 * - Logs: system components, API server, controller manager, scheduler and workloads; Admin Activity and
 *   Data Access audit logs (the governance's `allServices` audit config covers container.googleapis.com)
 *   are routed by the site sink to the CMEK log bucket. Alerts on node CPU and memory pressure and on
 *   container restarts, from the metrics GKE writes to Cloud Monitoring.
 *
 * The kubeconfig authenticates through `gke-gcloud-auth-plugin` (exec credential plugin): no static token.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cluster } from "@pulumi/gcp/container/cluster";
import { NodePool } from "@pulumi/gcp/container/nodePool";
import { CryptoKeyIAMMember } from "@pulumi/gcp/kms/cryptoKeyIAMMember";
import { getProjectOutput } from "@pulumi/gcp/organizations/getProject";
import { IAMMember } from "@pulumi/gcp/projects/iammember";
import { Service } from "@pulumi/gcp/projects/service";
import { Account } from "@pulumi/gcp/serviceaccount/account";
import type { ClusterBuildInputs, ClusterOutputs, ResolvedClusterSettings } from "../../components/cluster";
import type { SiteContext } from "../../components/context";
import { fitName } from "../../components/naming";
import { cidrSize, cidr as parseCidrBlock } from "../../components/cidr";
import { gkePodAddressesPerNode } from "../../components/subnets";
import { grantKeyToServiceAgent } from "./keys";
import { metricAlert } from "./monitoring";

/** Roles of the node service account: what GKE nodes need to write logs and metrics, nothing more. */
export const gkeNodeRoles = [
  "roles/logging.logWriter",
  "roles/monitoring.metricWriter",
  "roles/monitoring.viewer",
  "roles/stackdriver.resourceMetadata.writer",
  "roles/autoscaling.metricsWriter",
] as const;

/** Control-plane and workload logs sent to Cloud Logging. */
export const gkeLogComponents = [
  "SYSTEM_COMPONENTS",
  "APISERVER",
  "CONTROLLER_MANAGER",
  "SCHEDULER",
  "WORKLOADS",
] as const;

/** Metrics sent to Cloud Monitoring (system, control plane, storage and workload state). */
export const gkeMetricComponents = [
  "SYSTEM_COMPONENTS",
  "APISERVER",
  "SCHEDULER",
  "CONTROLLER_MANAGER",
  "STORAGE",
  "POD",
  "DEPLOYMENT",
  "DAEMONSET",
  "STATEFULSET",
  "HPA",
] as const;

/** Maximum pods per node (GKE's default; a /24 pod block per node, see `gkePodAddressesPerNode`). */
export const gkeMaxPodsPerNode = 110;

/**
 * The maintenance window: Saturday and Sunday 02:00-08:00 UTC. GKE requires at least 48 hours of
 * maintenance availability in any 32-day period, in windows of at least 4 hours
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/maintenance-windows-and-exclusions): every 32
 * days hold at least 4 weekends, 4 x 2 x 6 h = 48 h.
 */
export const gkeMaintenanceWindow = {
  startTime: "2026-01-03T02:00:00Z",
  endTime: "2026-01-03T08:00:00Z",
  recurrence: "FREQ=WEEKLY;BYDAY=SA,SU",
};

/** Where the cluster lives: the region in production, else the site's first zone. */
export function gkeLocation(ctx: Pick<SiteContext<"gcp">, "production" | "zones" | "site">): {
  location: string;
  nodeLocations: string[] | undefined;
} {
  const zones = [...ctx.zones];
  if (ctx.production) return { location: ctx.site.region, nodeLocations: zones };
  const [first, ...rest] = zones;
  // A zonal cluster's nodeLocations must not repeat the cluster's own zone.
  return { location: first ?? `${ctx.site.region}-b`, nodeLocations: rest.length > 0 ? rest : undefined };
}

/** Nodes the pod range can hold (a /24 per node), checked against the configured maximum. */
export function checkPodCapacity(settings: ResolvedClusterSettings, podsCidr: string): void {
  const capacity = Math.floor(cidrSize(parseCidrBlock(podsCidr).prefix) / gkePodAddressesPerNode);
  const wanted = settings.nodes.max + (settings.spot?.max ?? 0);
  if (wanted > capacity) {
    throw new Error(
      `Cluster: cluster.nodes.max + cluster.spot.max (${wanted} nodes) must be at most ${capacity} on gcp: ` +
        `the pod range ${podsCidr} gives each node a /24 (${gkePodAddressesPerNode} addresses for ${gkeMaxPodsPerNode} pods); ` +
        "lower the node bounds or use a larger addressSpace",
    );
  }
}

/** An exec-based kubeconfig for GKE (gke-gcloud-auth-plugin), as a JSON document (valid YAML). */
export function gkeKubeconfig(name: string, endpoint: string, caCertificate: string): string {
  const context = `gke-${name}`;
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: context,
        cluster: { server: `https://${endpoint}`, "certificate-authority-data": caCertificate },
      },
    ],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    "current-context": context,
    users: [
      {
        name: context,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "gke-gcloud-auth-plugin",
            provideClusterInfo: true,
            interactiveMode: "Never",
            installHint:
              "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin " +
              "(https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl)",
          },
        },
      },
    ],
  });
}

/** Enables a Google API for the project (left enabled on destroy: other stacks may use it). */
export function enableApi(
  name: string,
  project: string,
  service: string,
  opts: pulumi.CustomResourceOptions,
): Service {
  return new Service(
    name,
    { project, service, disableOnDestroy: false, disableDependentServices: false },
    opts,
  );
}

export function cluster(
  name: string,
  ctx: SiteContext<"gcp">,
  inputs: ClusterBuildInputs<"gcp">,
): ClusterOutputs {
  const { settings, keys, network, monitoring, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const project = ctx.site.project;
  const env = ctx.stack.environment;
  const role = ctx.role;
  const ranges = network.privateAccess.clusterRanges;
  checkPodCapacity(settings, ranges.pods.cidr);
  const privateSubnet = network.subnets.private[0]!;

  const containerApi = enableApi(`${name}-api-container`, project, "container.googleapis.com", opts);
  const binauthzApi = enableApi(
    `${name}-api-binaryauthorization`,
    project,
    "binaryauthorization.googleapis.com",
    opts,
  );

  // The site key: the GKE service agent (secrets) and the Compute Engine service agent (boot disks) need
  // encrypt/decrypt before the cluster and node pools are created.
  const gkeKeyGrant = grantKeyToServiceAgent(
    `${name}-gke-agent`,
    project,
    "container.googleapis.com",
    keys.cryptoKeyId,
    { ...opts, dependsOn: [containerApi] },
  );
  const projectNumber = getProjectOutput({ projectId: project }, { parent }).number;
  const computeKeyGrant = new CryptoKeyIAMMember(
    `${name}-compute-agent-key-access`,
    {
      cryptoKeyId: keys.cryptoKeyId,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: pulumi.interpolate`serviceAccount:service-${projectNumber}@compute-system.iam.gserviceaccount.com`,
    },
    opts,
  );

  // The nodes' own identity: logs and metrics only. Workloads use Workload Identity, never this account.
  const nodeAccount = new Account(
    `${name}-nodes-sa`,
    {
      project,
      accountId: fitName("gcpServiceAccount", [env, role, "gke-nodes"]),
      displayName: `${env} ${role} GKE nodes`,
      description: "GKE node service account: logging, monitoring and autoscaling metrics only",
    },
    opts,
  );
  const nodeRoles = gkeNodeRoles.map(
    (r) =>
      new IAMMember(
        `${name}-nodes-${r.replace(/^roles\//, "").replace(/\./g, "-")}`,
        { project, role: r, member: pulumi.interpolate`serviceAccount:${nodeAccount.email}` },
        opts,
      ),
  );

  const { location, nodeLocations } = gkeLocation(ctx);
  const clusterName = fitName("gkeName", [env, role, "gke"]);
  const secureNodes = {
    serviceAccount: nodeAccount.email,
    oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
    workloadMetadataConfig: { mode: "GKE_METADATA" },
    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    metadata: { "disable-legacy-endpoints": "true" },
  };
  const gke = new Cluster(
    `${name}-gke`,
    {
      project,
      name: clusterName,
      location,
      ...(nodeLocations ? { nodeLocations } : {}),
      description: `${env} ${role} Kubernetes cluster`,
      deletionProtection: settings.deletionProtection,
      // The default pool is replaced by the managed pools below; while it exists it runs as the node
      // service account with the same hardening.
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      nodeConfig: secureNodes,
      minMasterVersion: settings.version,
      releaseChannel: { channel: "REGULAR" },
      maintenancePolicy: { recurringWindow: gkeMaintenanceWindow },
      network: network.networkId,
      subnetwork: privateSubnet.id,
      networkingMode: "VPC_NATIVE",
      ipAllocationPolicy: {
        clusterSecondaryRangeName: ranges.pods.rangeName,
        servicesSecondaryRangeName: ranges.services.rangeName,
        stackType: "IPV4",
      },
      defaultMaxPodsPerNode: gkeMaxPodsPerNode,
      datapathProvider: "ADVANCED_DATAPATH",
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: !settings.publicEndpoint,
        privateEndpointSubnetwork: privateSubnet.id,
      },
      masterAuthorizedNetworksConfig: {
        cidrBlocks: [
          { cidrBlock: privateSubnet.cidr, displayName: "private tier" },
          { cidrBlock: ranges.pods.cidr, displayName: "pods" },
          ...settings.authorizedCidrs.map((c, i) => ({ cidrBlock: c, displayName: `authorized-${i + 1}` })),
        ],
        gcpPublicCidrsAccessEnabled: false,
        privateEndpointEnforcementEnabled: true,
      },
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      enableLegacyAbac: false,
      enableShieldedNodes: true,
      databaseEncryption: { state: "ENCRYPTED", keyName: keys.cryptoKeyId },
      workloadIdentityConfig: { workloadPool: `${project}.svc.id.goog` },
      binaryAuthorization: { evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE" },
      loggingConfig: { enableComponents: [...gkeLogComponents] },
      monitoringConfig: {
        enableComponents: [...gkeMetricComponents],
        managedPrometheus: { enabled: true },
      },
    },
    {
      ...opts,
      dependsOn: [containerApi, binauthzApi, gkeKeyGrant, ...nodeRoles],
      // The default pool's node configuration is deleted with the pool; later diffs on it are noise.
      ignoreChanges: ["nodeConfig"],
      ...(settings.deletionProtection ? { protect: true } : {}),
    },
  );

  const zoneCount = Math.max(1, ctx.zones.length);
  const pool = (
    role_: string,
    autoscaling: { totalMinNodeCount: number; totalMaxNodeCount: number; locationPolicy: string },
    extra: { spot?: boolean; taints?: { key: string; value: string; effect: string }[] },
  ) =>
    new NodePool(
      `${name}-pool-${role_}`,
      {
        project,
        name: fitName("gkeName", [role_]),
        cluster: gke.name,
        location,
        ...(nodeLocations ? { nodeLocations } : {}),
        // Per zone; the autoscaler then keeps the total within the bounds.
        initialNodeCount: Math.max(1, Math.ceil(autoscaling.totalMinNodeCount / zoneCount)),
        autoscaling,
        maxPodsPerNode: gkeMaxPodsPerNode,
        management: { autoRepair: true, autoUpgrade: true },
        upgradeSettings: { strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 },
        nodeConfig: {
          ...secureNodes,
          machineType: settings.nodes.machineType ?? (ctx.production ? "e2-standard-4" : "e2-standard-2"),
          imageType: "COS_CONTAINERD",
          diskType: "pd-balanced",
          diskSizeGb: 100,
          bootDiskKmsKey: keys.cryptoKeyId,
          // The private tier's network tag: the tier's firewall rules apply to the nodes.
          tags: [network.trafficRules.private],
          labels: { "node-pool": role_ },
          ...(extra.spot ? { spot: true } : {}),
          ...(extra.taints ? { taints: extra.taints } : {}),
        },
      },
      { ...opts, dependsOn: [computeKeyGrant, ...nodeRoles] },
    );
  pool(
    "general",
    {
      totalMinNodeCount: settings.nodes.min,
      totalMaxNodeCount: settings.nodes.max,
      locationPolicy: "BALANCED",
    },
    {},
  );
  if (settings.spot) {
    pool(
      "spot",
      { totalMinNodeCount: 0, totalMaxNodeCount: settings.spot.max, locationPolicy: "ANY" },
      {
        spot: true,
        taints: [{ key: "cloud.google.com/gke-spot", value: "true", effect: "NO_SCHEDULE" }],
      },
    );
  }

  if (monitoring) {
    const onCluster = `resource.labels.cluster_name="${clusterName}" AND resource.labels.location="${location}"`;
    const alerts = [
      {
        role: "node-cpu",
        title: "GKE node CPU allocatable utilization above 90%",
        filter: `resource.type="k8s_node" AND ${onCluster} AND metric.type="kubernetes.io/node/cpu/allocatable_utilization"`,
        threshold: 0.9,
        aligner: "ALIGN_MEAN",
      },
      {
        role: "node-memory",
        title: "GKE node memory allocatable utilization above 90%",
        filter: `resource.type="k8s_node" AND ${onCluster} AND metric.type="kubernetes.io/node/memory/allocatable_utilization"`,
        threshold: 0.9,
        aligner: "ALIGN_MEAN",
      },
      {
        role: "restarts",
        title: "GKE containers restarting (more than 5 restarts in 5 minutes)",
        filter: `resource.type="k8s_container" AND ${onCluster} AND metric.type="kubernetes.io/container/restart_count"`,
        threshold: 5,
        aligner: "ALIGN_DELTA",
      },
    ];
    for (const a of alerts) {
      metricAlert(
        `${name}-alert-${a.role}`,
        {
          project,
          subject: clusterName,
          severity: "medium",
          title: a.title,
          filter: a.filter,
          threshold: a.threshold,
          aligner: a.aligner,
        },
        monitoring.alertTargets,
        opts,
      );
    }
  }

  const kubeconfig = pulumi
    .all([gke.endpoint, gke.masterAuth.clusterCaCertificate])
    .apply(([endpoint, ca]) => gkeKubeconfig(clusterName, endpoint, ca ?? ""));
  return {
    clusterName: gke.name,
    clusterId: gke.id,
    endpoint: gke.endpoint,
    kubeconfig: pulumi.secret(kubeconfig),
    oidcIssuer: pulumi.output(
      `https://container.googleapis.com/v1/projects/${project}/locations/${location}/clusters/${clusterName}`,
    ),
    nodeIdentity: nodeAccount.email,
    version: settings.version,
  };
}
