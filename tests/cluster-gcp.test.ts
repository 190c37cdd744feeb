/**
 * GKE and Artifact Registry on GCP sites: the arguments the real program sends (planned under mocks),
 * production (regional, private endpoint) and not (zonal, optional public endpoint, Spot pool), and the
 * pure helpers (location, pod capacity, kubeconfig).
 */
import { strict as assert } from "node:assert";
import { resolveClusterSettings } from "../components/cluster";
import { allocateSubnets, siteTierRequests, subnetShapes } from "../components/subnets";
import { checkPodCapacity, gkeKubeconfig, gkeLocation, gkeNodeRoles } from "../providers/gcp/cluster";
import type { Plan, PlanResource } from "../tools/harness";
import { componentQueries, planOf } from "./helpers";

type Json = Record<string, unknown>;
const cluster = componentQueries("cluster");
const registry = componentQueries("registry");
const clusterType = "gcp:container/cluster:Cluster";
const poolType = "gcp:container/nodePool:NodePool";
const inputs = (r: PlanResource): Json => r.inputs as Json;
const dependsOn = (plan: Plan, r: PlanResource, name: string): boolean => {
  const target = plan.resources.find((x) => x.name === name);
  return target !== undefined && r.dependencies.includes(target.urn);
};

describe("GKE cluster (GCP)", function () {
  this.timeout(300_000);
  let prod: Plan;
  let dev: Plan;
  let spot: Plan;
  before(async () => {
    prod = await planOf("prod-gcp-aws", "matrix/Pulumi.prod-gcp-aws.yaml");
    dev = await planOf("dev");
    spot = await planOf("gke-dev-spot", "Pulumi.gke-dev-spot.yaml");
  });

  it("builds the same resources on every GCP site: cluster, pools, node identity, grants, APIs, alerts", () => {
    assert.deepEqual(cluster.countsOf(prod, "primary"), {
      "gcp:projects/service:Service": 2,
      "gcp:projects/serviceIdentity:ServiceIdentity": 1,
      "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": 2,
      "gcp:serviceaccount/account:Account": 1,
      "gcp:projects/iAMMember:IAMMember": 5,
      [clusterType]: 1,
      [poolType]: 1,
      "gcp:monitoring/alertPolicy:AlertPolicy": 3,
    });
    assert.equal(cluster.under(spot, "primary", poolType).length, 2);
    assert.deepEqual(registry.countsOf(dev, "primary"), {
      "gcp:projects/service:Service": 2,
      "gcp:projects/serviceIdentity:ServiceIdentity": 1,
      "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": 1,
      "gcp:artifactregistry/repository:Repository": 1,
      "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": 1,
    });
  });

  it("production: regional over the site's zones, private endpoint, deletion protection, protected", () => {
    const gke = cluster.one(prod, "primary", clusterType);
    const i = inputs(gke);
    assert.equal(i.location, "europe-west4");
    assert.deepEqual(i.nodeLocations, ["europe-west4-a", "europe-west4-b", "europe-west4-c"]);
    assert.equal(i.deletionProtection, true);
    assert.equal(gke.protect, true);
    assert.deepEqual(i.privateClusterConfig, {
      enablePrivateNodes: true,
      enablePrivateEndpoint: true,
      privateEndpointSubnetwork: i.subnetwork,
    });
    assert.equal((i.privateClusterConfig as Json).masterIpv4CidrBlock, undefined);
    // Authorized networks: the private tier and the pods, nothing public, enforced on the private endpoint.
    assert.deepEqual(i.masterAuthorizedNetworksConfig, {
      cidrBlocks: [
        { cidrBlock: "10.110.64.0/18", displayName: "private tier" },
        { cidrBlock: "10.110.128.0/17", displayName: "pods" },
      ],
      gcpPublicCidrsAccessEnabled: false,
      privateEndpointEnforcementEnabled: true,
    });
    const pool = cluster.one(prod, "primary", poolType);
    assert.deepEqual(inputs(pool).autoscaling, {
      totalMinNodeCount: 3,
      totalMaxNodeCount: 6,
      locationPolicy: "BALANCED",
    });
    assert.equal(inputs(pool).initialNodeCount, 1, "per zone: 3 zones x 1 = the total minimum");
    assert.equal((inputs(pool).nodeConfig as Json).machineType, "e2-standard-4");
  });

  it("hardening: secrets with the site key, Workload Identity, Dataplane V2, no legacy auth, shielded nodes", () => {
    for (const plan of [prod, dev]) {
      const i = inputs(cluster.one(plan, "primary", clusterType));
      const key = plan.resources.find(
        (r) => r.type === "gcp:kms/cryptoKey:CryptoKey" && r.name === "primary-keys-key",
      )!;
      assert.deepEqual(i.databaseEncryption, { state: "ENCRYPTED", keyName: key.id });
      assert.match(
        String((i.workloadIdentityConfig as Json).workloadPool),
        /^acme-platform-[a-z0-9-]+\.svc\.id\.goog$/,
      );
      assert.equal(i.datapathProvider, "ADVANCED_DATAPATH");
      assert.equal(i.networkingMode, "VPC_NATIVE");
      assert.equal(i.enableLegacyAbac, false);
      assert.equal(i.enableShieldedNodes, true);
      assert.deepEqual(i.masterAuth, { clientCertificateConfig: { issueClientCertificate: false } });
      assert.deepEqual(i.releaseChannel, { channel: "REGULAR" });
      assert.equal(i.minMasterVersion, "1.33");
      assert.equal(i.removeDefaultNodePool, true);
      assert.equal(i.initialNodeCount, 1);
      assert.deepEqual((i.binaryAuthorization as Json).evaluationMode, "PROJECT_SINGLETON_POLICY_ENFORCE");
      assert.deepEqual((i.loggingConfig as Json).enableComponents, [
        "SYSTEM_COMPONENTS",
        "APISERVER",
        "CONTROLLER_MANAGER",
        "SCHEDULER",
        "WORKLOADS",
      ]);
      assert.deepEqual((i.maintenancePolicy as Json).recurringWindow, {
        startTime: "2026-01-03T02:00:00Z",
        endTime: "2026-01-03T08:00:00Z",
        recurrence: "FREQ=WEEKLY;BYDAY=SA,SU",
      });
      for (const nodeConfig of [
        i.nodeConfig,
        ...cluster.under(plan, "primary", poolType).map((p) => inputs(p).nodeConfig),
      ] as Json[]) {
        assert.deepEqual(nodeConfig.oauthScopes, ["https://www.googleapis.com/auth/cloud-platform"]);
        assert.deepEqual(nodeConfig.workloadMetadataConfig, { mode: "GKE_METADATA" });
        assert.deepEqual(nodeConfig.shieldedInstanceConfig, {
          enableSecureBoot: true,
          enableIntegrityMonitoring: true,
        });
        assert.match(
          String(nodeConfig.serviceAccount),
          /-gke-nodes@acme-platform-[a-z0-9-]+\.iam\.gserviceaccount\.com$/,
        );
      }
      for (const p of cluster.under(plan, "primary", poolType))
        assert.equal((inputs(p).nodeConfig as Json).bootDiskKmsKey, key.id);
    }
  });

  it("VPC-native on the private tier's secondary ranges, which the interconnect does not route", () => {
    const i = inputs(cluster.one(dev, "primary", clusterType));
    const subnet = dev.resources.find((r) => r.name === "primary-network-subnet-private")!;
    assert.equal(i.subnetwork, subnet.id);
    assert.deepEqual(inputs(subnet).secondaryIpRanges, [
      { rangeName: "dev-primary-pods", ipCidrRange: "10.20.128.0/17" },
      { rangeName: "dev-primary-cluster-services", ipCidrRange: "10.20.32.0/20" },
    ]);
    assert.deepEqual(i.ipAllocationPolicy, {
      clusterSecondaryRangeName: "dev-primary-pods",
      servicesSecondaryRangeName: "dev-primary-cluster-services",
      stackType: "IPV4",
    });
    const router = dev.resources.find(
      (r) =>
        r.type === "gcp:compute/router:Router" &&
        Boolean((inputs(r).bgp as Json | undefined)?.advertisedIpRanges),
    )!;
    const advertised = ((inputs(router).bgp as Json).advertisedIpRanges as Json[]).map((a) => a.range);
    assert.ok(
      !advertised.includes("10.20.128.0/17") && !advertised.includes("10.20.32.0/20"),
      String(advertised),
    );
  });

  it("grants the site key to the GKE and Compute Engine agents before the cluster and pools use it", () => {
    const gke = cluster.one(dev, "primary", clusterType);
    assert.ok(dependsOn(dev, gke, "primary-cluster-gke-agent-key-access"));
    assert.ok(dependsOn(dev, gke, "primary-cluster-api-container"));
    const agent = cluster.one(dev, "primary", "gcp:projects/serviceIdentity:ServiceIdentity");
    assert.equal(inputs(agent).service, "container.googleapis.com");
    const compute = dev.resources.find((r) => r.name === "primary-cluster-compute-agent-key-access")!;
    assert.equal(
      inputs(compute).member,
      "serviceAccount:service-123456789012@compute-system.iam.gserviceaccount.com",
    );
    for (const p of cluster.under(dev, "primary", poolType)) assert.ok(dependsOn(dev, p, compute.name));
  });

  it("the node service account holds only the logging and monitoring roles", () => {
    const roles = cluster
      .under(dev, "primary", "gcp:projects/iAMMember:IAMMember")
      .map((r) => inputs(r).role)
      .sort();
    assert.deepEqual(roles, [...gkeNodeRoles].sort());
    for (const r of cluster.under(dev, "primary", "gcp:projects/iAMMember:IAMMember"))
      assert.equal(
        inputs(r).member,
        "serviceAccount:dev-primary-gke-nodes@acme-platform-dev.iam.gserviceaccount.com",
      );
  });

  it("outside production: zonal, other zones as node locations, public endpoint only for authorized CIDRs, Spot pool", () => {
    const d = inputs(cluster.one(dev, "primary", clusterType));
    assert.equal(d.location, "europe-west1-b");
    assert.equal(d.nodeLocations, undefined);
    assert.equal(d.deletionProtection, false);
    assert.equal((d.privateClusterConfig as Json).enablePrivateEndpoint, true, "no authorizedCidrs: private");

    const s = inputs(cluster.one(spot, "primary", clusterType));
    assert.equal(s.location, "europe-west1-b");
    assert.deepEqual(s.nodeLocations, ["europe-west1-c"]);
    assert.equal(s.minMasterVersion, "1.34");
    assert.equal((s.privateClusterConfig as Json).enablePrivateEndpoint, false);
    assert.deepEqual(((s.masterAuthorizedNetworksConfig as Json).cidrBlocks as Json[]).at(-1), {
      cidrBlock: "192.168.10.0/24",
      displayName: "authorized-1",
    });
    const general = cluster.one(spot, "primary", poolType, "primary-cluster-pool-general");
    assert.deepEqual(inputs(general).autoscaling, {
      totalMinNodeCount: 2,
      totalMaxNodeCount: 5,
      locationPolicy: "BALANCED",
    });
    assert.equal((inputs(general).nodeConfig as Json).machineType, "e2-standard-8");
    const sp = cluster.one(spot, "primary", poolType, "primary-cluster-pool-spot");
    assert.deepEqual(inputs(sp).autoscaling, {
      totalMinNodeCount: 0,
      totalMaxNodeCount: 4,
      locationPolicy: "ANY",
    });
    assert.equal((inputs(sp).nodeConfig as Json).spot, true);
    assert.deepEqual((inputs(sp).nodeConfig as Json).taints, [
      { key: "cloud.google.com/gke-spot", value: "true", effect: "NO_SCHEDULE" },
    ]);
  });

  it("alerts on node CPU and memory pressure and container restarts of this cluster", () => {
    const alerts = cluster.under(dev, "primary", "gcp:monitoring/alertPolicy:AlertPolicy");
    const filters = alerts.map((a) =>
      String(((inputs(a).conditions as Json[])[0]!.conditionThreshold as Json).filter),
    );
    for (const metric of [
      "kubernetes.io/node/cpu/allocatable_utilization",
      "kubernetes.io/node/memory/allocatable_utilization",
      "kubernetes.io/container/restart_count",
    ])
      assert.ok(
        filters.some((f) => f.includes(metric) && f.includes('cluster_name="dev-primary-gke"')),
        metric,
      );
  });

  it("kubeconfig: the gke-gcloud-auth-plugin exec credential, no static token or certificate", () => {
    const doc = JSON.parse(gkeKubeconfig("dev-primary-gke", "10.20.64.2", "Q0E=")) as Json;
    const user = ((doc.users as Json[])[0]!.user as Json).exec as Json;
    assert.equal(user.command, "gke-gcloud-auth-plugin");
    assert.equal(JSON.stringify(doc).includes("token"), false);
    assert.deepEqual(((doc.clusters as Json[])[0]!.cluster as Json).server, "https://10.20.64.2");
  });

  it("Artifact Registry: DOCKER, site key after the agent's grant, immutable tags, scanning, cleanup, pull for the node SA only", () => {
    const repo = registry.one(dev, "primary", "gcp:artifactregistry/repository:Repository");
    const i = inputs(repo);
    const key = dev.resources.find((r) => r.name === "primary-keys-key")!;
    assert.equal(i.format, "DOCKER");
    assert.equal(i.repositoryId, "dev-primary-images");
    assert.equal(i.location, "europe-west1");
    assert.equal(i.kmsKeyName, key.id);
    assert.deepEqual(i.dockerConfig, { immutableTags: true });
    assert.deepEqual(i.vulnerabilityScanningConfig, { enablementConfig: "INHERITED" });
    assert.deepEqual(
      (i.cleanupPolicies as Json[]).map((p) => [p.id, p.action]),
      [
        ["delete-untagged", "DELETE"],
        ["keep-recent", "KEEP"],
      ],
    );
    assert.ok(dependsOn(dev, repo, "primary-registry-agent-key-access"));
    assert.ok(dependsOn(dev, repo, "primary-registry-api-containerscanning"));
    const pull = registry.one(dev, "primary", "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember");
    assert.deepEqual(
      [inputs(pull).role, inputs(pull).member],
      [
        "roles/artifactregistry.reader",
        "serviceAccount:dev-primary-gke-nodes@acme-platform-dev.iam.gserviceaccount.com",
      ],
    );
    assert.equal(registry.one(prod, "primary", "gcp:artifactregistry/repository:Repository").protect, true);
  });
});

describe("GKE helpers", () => {
  it("location: region with the site's zones in production, first zone (others as node locations) otherwise", () => {
    const site = { region: "europe-west1" } as never;
    assert.deepEqual(gkeLocation({ production: true, zones: ["europe-west1-b", "europe-west1-c"], site }), {
      location: "europe-west1",
      nodeLocations: ["europe-west1-b", "europe-west1-c"],
    });
    assert.deepEqual(gkeLocation({ production: false, zones: ["europe-west1-b"], site }), {
      location: "europe-west1-b",
      nodeLocations: undefined,
    });
  });

  it("rejects node bounds the pod range cannot hold, naming the settings", () => {
    const settings = resolveClusterSettings({ nodes: { min: 1, max: 8 }, spot: { max: 1 } }, "gcp", false);
    // A /20 site: pods get a /21 = 8 nodes of /24.
    const pods = allocateSubnets("10.50.0.0/20", siteTierRequests(subnetShapes.gcp, "10.50.0.0/20", 1)).find(
      (s) => s.tier === "pods",
    )!.cidr;
    assert.equal(pods, "10.50.8.0/21");
    assert.throws(
      () => checkPodCapacity(settings, pods),
      /cluster.nodes.max \+ cluster.spot.max \(9 nodes\) must be at most 8/,
    );
    assert.doesNotThrow(() =>
      checkPodCapacity(resolveClusterSettings({ nodes: { max: 8 } }, "gcp", false), pods),
    );
  });
});
