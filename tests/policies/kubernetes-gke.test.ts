/**
 * GKE and Artifact Registry controls: for every control a GKE cluster, node pool or repository meets, a
 * case it rejects and one it accepts (the accepting cases use what providers/gcp/cluster.ts and
 * registry.ts send).
 */
import { controlCases } from "./cases";
import { UNKNOWN, type TestResource } from "./harness";

const r = (
  type: string,
  name: string,
  props: Record<string, unknown>,
  extra: Partial<TestResource> = {},
): TestResource => ({ type, name, props, ...extra });
const cluster = "gcp:container/cluster:Cluster";
const nodePool = "gcp:container/nodePool:NodePool";
const repository = "gcp:artifactregistry/repository:Repository";
const secureNodeConfig = {
  serviceAccount: UNKNOWN,
  oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
  workloadMetadataConfig: { mode: "GKE_METADATA" },
  shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
};

describe("GKE and Artifact Registry controls", () => {
  controlCases("enforce-private-cluster-nodes", [
    { cloud: "gcp", expect: "reject", resource: r(cluster, "gke", {}), match: /enablePrivateNodes/ },
    {
      cloud: "gcp",
      expect: "reject",
      title: "a node pool that opts out of private nodes",
      resource: r(nodePool, "pool", { networkConfig: { enablePrivateNodes: false } }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r(cluster, "gke", { privateClusterConfig: { enablePrivateNodes: true } }),
    },
    { cloud: "gcp", expect: "accept", resource: r(nodePool, "pool", { nodeConfig: secureNodeConfig }) },
  ]);
  controlCases("enforce-production-cluster-private-endpoint", [
    {
      cloud: "gcp",
      expect: "reject",
      title: "authorized networks do not make a production endpoint private",
      resource: r(cluster, "gke", {
        privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false },
        masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "203.0.113.0/24" }] },
      }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r(cluster, "gke", {
        privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: true },
      }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      title: "not required outside production",
      settings: { environment: "dev", productionEnvironments: ["prod"] },
      resource: r(cluster, "gke", {
        privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false },
      }),
    },
  ]);
  controlCases("enforce-cluster-workload-identity", [
    {
      cloud: "gcp",
      expect: "reject",
      resource: r(cluster, "gke", {}),
      messages: ["workloadIdentityConfig.workloadPool is not set (Workload Identity is off)"],
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "a node pool exposing the node's metadata",
      resource: r(nodePool, "pool", {
        nodeConfig: { ...secureNodeConfig, workloadMetadataConfig: { mode: "GCE_METADATA" } },
      }),
      match: /GCE_METADATA, not GKE_METADATA/,
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r(cluster, "gke", {
        workloadIdentityConfig: { workloadPool: "acme.svc.id.goog" },
        nodeConfig: secureNodeConfig,
      }),
    },
    { cloud: "gcp", expect: "accept", resource: r(nodePool, "pool", { nodeConfig: secureNodeConfig }) },
  ]);
  controlCases("disallow-cluster-legacy-authorization", [
    {
      cloud: "gcp",
      expect: "reject",
      resource: r(cluster, "gke", {
        enableLegacyAbac: true,
        masterAuth: { clientCertificateConfig: { issueClientCertificate: true } },
      }),
      messages: [
        "enableLegacyAbac is true",
        "masterAuth.clientCertificateConfig.issueClientCertificate is true (static client certificate)",
      ],
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r(cluster, "gke", {
        enableLegacyAbac: false,
        masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      }),
    },
  ]);
  controlCases("enforce-cluster-node-hardening", [
    {
      cloud: "gcp",
      expect: "reject",
      resource: r(cluster, "gke", { enableShieldedNodes: false }),
      messages: ["enableShieldedNodes is false"],
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "a node pool without Secure Boot",
      resource: r(nodePool, "pool", {
        nodeConfig: { shieldedInstanceConfig: { enableSecureBoot: false, enableIntegrityMonitoring: false } },
      }),
      messages: [
        "nodeConfig.shieldedInstanceConfig.enableSecureBoot is not true",
        "nodeConfig.shieldedInstanceConfig.enableIntegrityMonitoring is false",
      ],
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r(cluster, "gke", { enableShieldedNodes: true, nodeConfig: secureNodeConfig }),
    },
    { cloud: "gcp", expect: "accept", resource: r(nodePool, "pool", { nodeConfig: secureNodeConfig }) },
  ]);
  controlCases("enforce-cluster-network-policy", [
    { cloud: "gcp", expect: "reject", resource: r(cluster, "gke", { datapathProvider: "LEGACY_DATAPATH" }) },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r(cluster, "gke", { datapathProvider: "ADVANCED_DATAPATH" }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      title: "Calico network policy on the legacy datapath",
      resource: r(cluster, "gke", { networkPolicy: { enabled: true, provider: "CALICO" } }),
    },
  ]);
  controlCases("enforce-container-registry-hardening", [
    {
      cloud: "gcp",
      expect: "reject",
      resource: r(repository, "repo", {
        format: "DOCKER",
        repositoryId: "images",
        vulnerabilityScanningConfig: { enablementConfig: "DISABLED" },
      }),
      messages: [
        "dockerConfig.immutableTags is not true (tags can be moved to another image)",
        "vulnerabilityScanningConfig.enablementConfig is DISABLED",
        "kmsKeyName is not set (Google-managed encryption, not a customer-managed key)",
      ],
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r(repository, "repo", {
        format: "DOCKER",
        repositoryId: "images",
        kmsKeyName: UNKNOWN,
        dockerConfig: { immutableTags: true },
        vulnerabilityScanningConfig: { enablementConfig: "INHERITED" },
      }),
    },
  ]);
});
