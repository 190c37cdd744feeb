/**
 * The cloud-agnostic Kubernetes baseline every cluster gets, applied through a Kubernetes provider built
 * from the cluster's own outputs (never the default provider: Pulumi.yaml disables default providers):
 *
 * - every namespace (the application namespaces and the platform's system namespace) enforces the Pod
 *   Security Standards `restricted` profile through Pod Security Admission, pinned to the cluster's minor
 *   version, with audit and warn at `restricted`/latest so the next version's tightening shows early;
 * - a default-deny NetworkPolicy per namespace (every pod, Ingress and Egress, no rule), plus one that
 *   allows DNS egress to the cluster's resolver and nothing else;
 * - a ResourceQuota (compute requests and limits, pods, services, no NodePorts, no LoadBalancers outside the
 *   system namespace, volume claims and storage) and a LimitRange (defaults so a container without
 *   resources gets requests and limits, and maxima) per namespace, sized for production or not.
 *
 * Imports only @pulumi/kubernetes and @pulumi/pulumi (tests/layout.test.ts): the cluster contract
 * (components/cluster.ts) hands it plain values and outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import * as core from "@pulumi/kubernetes/core/v1";
import * as networking from "@pulumi/kubernetes/networking/v1";
import { Provider } from "@pulumi/kubernetes/provider";
import type * as inputs from "@pulumi/kubernetes/types/input";

export interface ClusterBaselineArgs {
  /** The cluster's kubeconfig (exec-plugin credentials, no static token); kept a secret. */
  readonly kubeconfig: pulumi.Input<string>;
  /**
   * A stable identity of the cluster (its id). The provider is replaced only when this changes, so a
   * rotated endpoint certificate or a kubeconfig format change updates the provider instead of replacing
   * every object of the baseline.
   */
  readonly clusterIdentifier: pulumi.Input<string>;
  /** Every namespace the baseline creates, `systemNamespace` included. */
  readonly namespaces: readonly string[];
  /** The platform's own namespace (larger quota; the only one allowed LoadBalancer services, for ingress). */
  readonly systemNamespace: string;
  /** The cluster's Kubernetes minor version (`1.33`): Pod Security `enforce` is pinned to it. */
  readonly kubernetesVersion: string;
  /** Production sizing (quotas and limits). */
  readonly production: boolean;
  /**
   * Resources the provider must wait for beyond those the kubeconfig already depends on (node pools, the
   * deployer's cluster access grant), so nothing is applied before the cluster can take it.
   */
  readonly dependsOn?: readonly pulumi.Resource[];
  readonly parent: pulumi.Resource;
}

export interface ClusterBaselineOutputs {
  /** The explicit Kubernetes provider of the cluster (for any later in-cluster resource). */
  readonly provider: Provider;
  /** Namespace name → the Namespace's `metadata.name` output (depend on it to land after the baseline). */
  readonly namespaces: Readonly<Record<string, pulumi.Output<string>>>;
}

/** Pod Security Admission labels: `restricted` enforced at the cluster's version, audited and warned at latest. */
export function podSecurityLabels(kubernetesVersion: string): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": "restricted",
    "pod-security.kubernetes.io/enforce-version": `v${kubernetesVersion}`,
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/audit-version": "latest",
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/warn-version": "latest",
  };
}

/** ResourceQuota `spec.hard` of a namespace. */
export function quotaFor(system: boolean, production: boolean): Record<string, string> {
  const size = system
    ? production
      ? { cpu: 32, memoryGi: 64, pods: 400, services: 100, pvcs: 100, storage: "2Ti" }
      : { cpu: 8, memoryGi: 16, pods: 100, services: 40, pvcs: 20, storage: "200Gi" }
    : production
      ? { cpu: 16, memoryGi: 32, pods: 200, services: 50, pvcs: 50, storage: "1Ti" }
      : { cpu: 4, memoryGi: 8, pods: 50, services: 20, pvcs: 10, storage: "100Gi" };
  return {
    "requests.cpu": String(size.cpu),
    "requests.memory": `${size.memoryGi}Gi`,
    "limits.cpu": String(size.cpu * 2),
    "limits.memory": `${size.memoryGi * 2}Gi`,
    pods: String(size.pods),
    services: String(size.services),
    // Exposure goes through the site's L7 ingress: only the system namespace (where the ingress
    // controller runs) may ask for a (private) load balancer; no namespace opens node ports.
    "services.loadbalancers": system ? "2" : "0",
    "services.nodeports": "0",
    persistentvolumeclaims: String(size.pvcs),
    "requests.storage": size.storage,
  };
}

/** LimitRange `spec.limits` of a namespace: container defaults and maxima, claim size bounds. */
export function limitsFor(system: boolean, production: boolean): inputs.core.v1.LimitRangeItem[] {
  const max = system
    ? production
      ? { cpu: "8", memory: "16Gi", storage: "500Gi" }
      : { cpu: "4", memory: "8Gi", storage: "100Gi" }
    : production
      ? { cpu: "4", memory: "8Gi", storage: "500Gi" }
      : { cpu: "2", memory: "4Gi", storage: "50Gi" };
  return [
    {
      // A container that declares no resources gets these requests and limits (the quota counts them).
      type: "Container",
      defaultRequest: { cpu: "100m", memory: "128Mi" },
      default: { cpu: "500m", memory: "512Mi" },
      max: { cpu: max.cpu, memory: max.memory },
    },
    { type: "PersistentVolumeClaim", min: { storage: "1Gi" }, max: { storage: max.storage } },
  ];
}

/**
 * Where pods resolve names, on each of the three clouds:
 * - the cluster DNS pods: CoreDNS on EKS and AKS, kube-dns on GKE, all labelled `k8s-app: kube-dns` in
 *   kube-system (the selector is on the namespace's immutable `kubernetes.io/metadata.name` label);
 * - NodeLocal DNSCache (169.254.20.10, GKE's default from 1.34.1-gke.3720000 and on Autopilot) and Cloud
 *   DNS for GKE (the node's metadata server, 169.254.169.254), which are host-network endpoints no pod
 *   selector matches. Only port 53 is opened to them; on EKS and AKS no DNS server listens there.
 */
export const dnsPeers = [
  {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
    podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
  },
  { ipBlock: { cidr: "169.254.20.10/32" } },
  { ipBlock: { cidr: "169.254.169.254/32" } },
];

/** Builds the baseline in the cluster, as children of `args.parent`. */
export function clusterBaseline(name: string, args: ClusterBaselineArgs): ClusterBaselineOutputs {
  if (!args.namespaces.includes(args.systemNamespace)) {
    throw new Error(
      `clusterBaseline: namespaces (${args.namespaces.join(", ")}) must include the system namespace ${args.systemNamespace}`,
    );
  }
  const provider = new Provider(
    `${name}-kubernetes`,
    {
      kubeconfig: pulumi.secret(args.kubeconfig),
      clusterIdentifier: args.clusterIdentifier,
      // Server-side apply: the API server merges fields and records their managers; conflicts with
      // another manager fail instead of being overwritten (enablePatchForce off).
      enableServerSideApply: true,
      enablePatchForce: false,
      // Creating an object that already exists is an error, not a silent adoption.
      upsertExistingObjects: false,
      // An unreachable cluster fails the update; its objects are never dropped from state unseen.
      deleteUnreachable: false,
      skipUpdateUnreachable: false,
      // Config maps and secrets are replaced, not mutated in place (rollouts see the new object).
      enableConfigMapMutable: false,
      enableSecretMutable: false,
    },
    { parent: args.parent, dependsOn: [...(args.dependsOn ?? [])] },
  );
  const opts: pulumi.CustomResourceOptions = { parent: args.parent, provider };
  const namespaces: Record<string, pulumi.Output<string>> = {};
  for (const ns of args.namespaces) {
    const system = ns === args.systemNamespace;
    const namespace = new core.Namespace(
      `${name}-ns-${ns}`,
      { metadata: { name: ns, labels: podSecurityLabels(args.kubernetesVersion) } },
      opts,
    );
    // Every namespaced object names its namespace through the Namespace's output: it depends on it.
    const inNamespace = namespace.metadata.name;
    namespaces[ns] = inNamespace;
    new networking.NetworkPolicy(
      `${name}-${ns}-default-deny`,
      {
        metadata: { name: "default-deny-all", namespace: inNamespace },
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
      },
      opts,
    );
    new networking.NetworkPolicy(
      `${name}-${ns}-allow-dns`,
      {
        metadata: { name: "allow-dns-egress", namespace: inNamespace },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              to: dnsPeers,
              ports: [
                { protocol: "UDP", port: 53 },
                { protocol: "TCP", port: 53 },
              ],
            },
          ],
        },
      },
      opts,
    );
    new core.ResourceQuota(
      `${name}-${ns}-quota`,
      {
        metadata: { name: "platform-quota", namespace: inNamespace },
        spec: { hard: quotaFor(system, args.production) },
      },
      opts,
    );
    new core.LimitRange(
      `${name}-${ns}-limits`,
      {
        metadata: { name: "platform-limits", namespace: inNamespace },
        spec: { limits: limitsFor(system, args.production) },
      },
      opts,
    );
  }
  return { provider, namespaces };
}
