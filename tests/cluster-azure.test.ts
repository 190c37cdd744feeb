/**
 * The Azure half of the cluster and registry contract (providers/azure/cluster.ts, registry.ts): the
 * plan arguments of AKS and ACR on the prod stack's Azure secondary (production) and on a non-production
 * Azure stack with every optional cluster setting (tests/fixtures/Pulumi.aks-dev-azure.yaml), plus the
 * pure helpers (overlay ranges, node pools, kubeconfig).
 */
import { strict as assert } from "node:assert";
import { parse } from "yaml";
import type { Plan, PlanResource } from "../tools/harness";
import { resolveClusterSettings } from "../components/cluster";
import { overlayRanges } from "../providers/azure/aks-network";
import {
  agentPools,
  aksLogCategories,
  aksRoles,
  aksServerAppId,
  caFromKubeconfig,
  kubeconfigFor,
} from "../providers/azure/cluster";
import { acrPull, untaggedRetentionDays } from "../providers/azure/registry";
import { componentQueries, planOf } from "./helpers";

type Json = Record<string, unknown>;
const clusterQ = componentQueries("cluster");
const registryQ = componentQueries("registry");
const byName = (plan: Plan, name: string): PlanResource => {
  const found = plan.resources.find((r) => r.name === name);
  assert.ok(found, `no resource named ${name}`);
  return found;
};
/** The prod stack's Azure subscription (Pulumi.prod.yaml). */
const prodSubscription = "00000000-0000-4000-8000-000000000001";

describe("AKS helpers (pure)", () => {
  it("overlay ranges avoid both sites' address spaces", () => {
    assert.deepEqual(overlayRanges(["10.0.0.0/16", "10.1.0.0/16"]), {
      podCidr: "100.64.0.0/16",
      serviceCidr: "100.65.0.0/16",
      dnsServiceIP: "100.65.0.10",
    });
    const shifted = overlayRanges(["100.64.0.0/10"]);
    assert.deepEqual([shifted.podCidr, shifted.serviceCidr], ["172.20.0.0/16", "172.21.0.0/16"]);
    assert.throws(
      () => overlayRanges(["100.64.0.0/10", "172.16.0.0/12", "192.168.0.0/16"]),
      /no service range .* is free/,
    );
  });

  it("node pools: a tainted system pool, the application pool within the bounds, Spot only when configured", () => {
    const settings = resolveClusterSettings({ spot: { max: 3 }, nodes: { min: 2, max: 7 } }, "azure", false);
    const pools = agentPools(settings, false, ["1"], "subnet-id");
    assert.deepEqual(
      pools.map((p) => [p.name, p.mode, p.minCount, p.maxCount, p.scaleSetPriority]),
      [
        ["system", "System", 1, 3, undefined],
        ["apps", "User", 2, 7, undefined],
        ["spot", "User", 0, 3, "Spot"],
      ],
    );
    assert.deepEqual(pools[0]!.nodeTaints, ["CriticalAddonsOnly=true:NoSchedule"]);
    const spot = pools[2]!;
    assert.deepEqual([spot.scaleSetEvictionPolicy, spot.spotMaxPrice], ["Delete", -1]);
    for (const p of pools) {
      assert.deepEqual(
        [p.vnetSubnetID, p.availabilityZones, p.enableEncryptionAtHost, p.enableNodePublicIP, p.osDiskType],
        ["subnet-id", ["1"], true, false, "Managed"],
      );
      assert.match(String(p.name), /^[a-z][a-z0-9]{0,11}$/);
    }
    const prod = agentPools(resolveClusterSettings({}, "azure", true), true, ["1", "2", "3"], "s");
    assert.deepEqual(
      prod.map((p) => [p.name, p.minCount, p.maxCount]),
      [
        ["system", 3, 5],
        ["apps", 3, 6],
      ],
    );
  });

  it("the kubeconfig execs kubelogin for the AKS server application and carries no static credential", () => {
    const doc = parse(
      kubeconfigFor("aks-x", "https://aks-x.privatelink.westeurope.azmk8s.io:443", "Q0E="),
    ) as {
      clusters: { cluster: Json }[];
      users: { user: Json }[];
    };
    assert.deepEqual(doc.clusters[0]!.cluster, {
      server: "https://aks-x.privatelink.westeurope.azmk8s.io:443",
      "certificate-authority-data": "Q0E=",
    });
    const user = doc.users[0]!.user;
    assert.deepEqual(Object.keys(user), ["exec"]);
    const exec = user.exec as Json;
    assert.equal(exec.command, "kubelogin");
    assert.deepEqual(exec.args, ["get-token", "--login", "azurecli", "--server-id", aksServerAppId]);
    const returned = Buffer.from(
      "clusters:\n- name: c\n  cluster:\n    certificate-authority-data: QUJD\n    server: https://x\n",
    ).toString("base64");
    assert.equal(caFromKubeconfig(returned), "QUJD");
    assert.throws(() => caFromKubeconfig(Buffer.from("clusters: []\n").toString("base64")), /no certificate/);
  });
});

describe("AKS and ACR in the plans", () => {
  let prod: Plan;
  let dev: Plan;
  before(async () => {
    prod = await planOf("prod");
    dev = await planOf("aks-dev-azure", "Pulumi.aks-dev-azure.yaml");
  });

  it("production: the resources of the cluster and the registry, and nothing else", () => {
    assert.deepEqual(clusterQ.countsOf(prod, "secondary"), {
      "azure-native:managedidentity:UserAssignedIdentity": 2,
      "azure-native:authorization:RoleAssignment": 6,
      "azure-native:compute:DiskEncryptionSet": 1,
      "azure-native:containerservice:ManagedCluster": 1,
      "azure-native:containerservice:MaintenanceConfiguration": 2,
      "azure-native:monitor:DiagnosticSetting": 1,
      "azure-native:monitor:MetricAlert": 3,
      // The Kubernetes baseline (providers/kubernetes/baseline.ts, tests/baseline.test.ts): its provider and,
      // for apps and platform-system, a namespace, two network policies, a quota and a limit range.
      "pulumi:providers:kubernetes": 1,
      "kubernetes:core/v1:Namespace": 2,
      "kubernetes:networking.k8s.io/v1:NetworkPolicy": 4,
      "kubernetes:core/v1:ResourceQuota": 2,
      "kubernetes:core/v1:LimitRange": 2,
    });
    assert.deepEqual(registryQ.countsOf(prod, "secondary"), {
      "azure-native:containerregistry:Registry": 1,
      "azure-native:network:PrivateEndpoint": 1,
      "azure-native:network:PrivateDnsZoneGroup": 1,
      "azure-native:authorization:RoleAssignment": 1,
      "azure-native:monitor:DiagnosticSetting": 1,
    });
  });

  it("production: private API server in the delegated subnet, Entra ID + Azure RBAC, no local accounts, KMS with the versioned site key over a private vault", () => {
    const aks = clusterQ.one(prod, "secondary", "azure-native:containerservice:ManagedCluster");
    const i = aks.inputs;
    const apiSubnet = byName(prod, "secondary-network-subnet-apiserver");
    assert.deepEqual(i.apiServerAccessProfile, {
      enableVnetIntegration: true,
      subnetId: apiSubnet.id,
      enablePrivateCluster: true,
      disableRunCommand: true,
      privateDNSZone: "system",
      enablePrivateClusterPublicFQDN: false,
    });
    assert.deepEqual(
      (apiSubnet.inputs.delegations as Json[]).map((d) => d.serviceName),
      ["Microsoft.ContainerService/managedClusters"],
    );
    assert.equal(apiSubnet.inputs.addressPrefix, "10.1.9.32/28");
    assert.deepEqual(
      [i.disableLocalAccounts, i.enableRBAC, i.aadProfile, i.oidcIssuerProfile, i.kubernetesVersion, i.sku],
      [
        true,
        true,
        { managed: true, enableAzureRBAC: true, tenantID: "00000000-0000-4000-8000-0000000000aa" },
        { enabled: true },
        "1.33",
        { name: "Base", tier: "Standard" },
      ],
    );
    const key = byName(prod, "secondary-keys-key");
    const vault = byName(prod, "secondary-keys-vault");
    const security = i.securityProfile as Json;
    assert.deepEqual(security.azureKeyVaultKms, {
      enabled: true,
      keyId: key.outputs.keyUriWithVersion,
      keyVaultNetworkAccess: "Private",
      keyVaultResourceId: vault.id,
    });
    assert.match(String(key.outputs.keyUriWithVersion), /\/keys\/[^/]+\/[0-9a-f]{32}$/);
    assert.deepEqual(security.workloadIdentity, { enabled: true });
    assert.equal(security.defender, undefined, "the stacks do not enable Defender for Containers");
    assert.equal(aks.protect, true);
  });

  it("production: every grant the cluster needs exists before it (control-plane identity), and the kubelet identity is its own", () => {
    const aks = clusterQ.one(prod, "secondary", "azure-native:containerservice:ManagedCluster");
    const controlPlane = byName(prod, "secondary-cluster-identity");
    const kubelet = byName(prod, "secondary-cluster-kubelet-identity");
    assert.deepEqual(aks.inputs.identity, {
      type: "UserAssigned",
      userAssignedIdentities: [controlPlane.id],
    });
    assert.deepEqual((aks.inputs.identityProfile as Json).kubeletidentity, {
      resourceId: kubelet.id,
      clientId: kubelet.outputs.clientId,
      objectId: kubelet.outputs.principalId,
    });
    const grants = clusterQ.under(prod, "secondary", "azure-native:authorization:RoleAssignment");
    const des = clusterQ.one(prod, "secondary", "azure-native:compute:DiskEncryptionSet");
    const scopes = Object.fromEntries(
      grants.map((g) => [String(g.inputs.roleDefinitionId).split("/").pop(), g.inputs.scope]),
    );
    const privateSubnet = byName(prod, "secondary-network-subnet-private");
    const apiSubnet = byName(prod, "secondary-network-subnet-apiserver");
    const vault = byName(prod, "secondary-keys-vault");
    assert.equal(grants.length, 6);
    for (const g of grants) {
      assert.equal(g.inputs.principalId, controlPlane.outputs.principalId);
      assert.ok(aks.dependencies.includes(g.urn), `${g.name} exists before the cluster`);
    }
    assert.deepEqual(
      grants
        .filter((g) => String(g.inputs.roleDefinitionId).endsWith(aksRoles.networkContributor))
        .map((g) => g.inputs.scope)
        .sort(),
      [privateSubnet.id, apiSubnet.id].sort(),
    );
    assert.equal(scopes[aksRoles.managedIdentityOperator], kubelet.id);
    assert.equal(scopes[aksRoles.keyVaultCryptoUser], vault.id);
    assert.equal(scopes[aksRoles.keyVaultContributor], vault.id);
    assert.equal(scopes[aksRoles.reader], des.id);
    assert.ok(aks.dependencies.includes(byName(prod, "secondary-keys-identity-crypto-user").urn));
  });

  it("production: CNI Overlay + Cilium on ranges clear of both sites, NAT egress, pools on the private tier across three zones, disks on the site key", () => {
    const aks = clusterQ.one(prod, "secondary", "azure-native:containerservice:ManagedCluster");
    assert.deepEqual(aks.inputs.networkProfile, {
      networkPlugin: "azure",
      networkPluginMode: "overlay",
      networkDataplane: "cilium",
      networkPolicy: "cilium",
      podCidr: "100.64.0.0/16",
      serviceCidr: "100.65.0.0/16",
      dnsServiceIP: "100.65.0.10",
      loadBalancerSku: "standard",
      outboundType: "userAssignedNATGateway",
    });
    const privateSubnet = byName(prod, "secondary-network-subnet-private");
    assert.ok(privateSubnet.inputs.natGateway, "the node subnet egresses through the NAT gateway");
    const pools = aks.inputs.agentPoolProfiles as Json[];
    assert.deepEqual(
      pools.map((p) => [p.name, p.mode, p.minCount, p.maxCount, p.availabilityZones, p.vnetSubnetID]),
      [
        ["system", "System", 3, 5, ["1", "2", "3"], privateSubnet.id],
        ["apps", "User", 3, 6, ["1", "2", "3"], privateSubnet.id],
      ],
    );
    const des = clusterQ.one(prod, "secondary", "azure-native:compute:DiskEncryptionSet");
    assert.equal(aks.inputs.diskEncryptionSetID, des.id);
    const key = byName(prod, "secondary-keys-key");
    assert.deepEqual(des.inputs.activeKey, {
      keyUrl: key.outputs.keyUri,
      sourceVault: { id: byName(prod, "secondary-keys-vault").id },
    });
    assert.equal(des.inputs.rotationToLatestKeyVersionEnabled, true);
    assert.deepEqual(aks.inputs.autoUpgradeProfile, {
      upgradeChannel: "patch",
      nodeOSUpgradeChannel: "NodeImage",
    });
    const windows = clusterQ.under(
      prod,
      "secondary",
      "azure-native:containerservice:MaintenanceConfiguration",
    );
    assert.deepEqual(windows.map((w) => w.inputs.configName).sort(), [
      "aksManagedAutoUpgradeSchedule",
      "aksManagedNodeOSUpgradeSchedule",
    ]);
    // The node subnet admits the overlay's pods and the API server (kubelet) besides its own nodes.
    const privateNsg = byName(prod, "secondary-network-nsg-private");
    const overlayRule = (privateNsg.inputs.securityRules as Json[]).find(
      (r) => r.name === "allow-aks-overlay",
    )!;
    assert.deepEqual(overlayRule.sourceAddressPrefixes, ["10.1.64.0/18", "100.64.0.0/16", "10.1.9.32/28"]);
  });

  it("production: control-plane audit logs to the workspace and node alerts", () => {
    const aks = clusterQ.one(prod, "secondary", "azure-native:containerservice:ManagedCluster");
    const diag = clusterQ.one(prod, "secondary", "azure-native:monitor:DiagnosticSetting");
    assert.equal(diag.inputs.resourceUri, aks.id);
    assert.equal(diag.inputs.workspaceId, byName(prod, "secondary-monitoring-workspace").id);
    assert.deepEqual(
      (diag.inputs.logs as Json[]).map((l) => l.category),
      [...aksLogCategories],
    );
    const alerts = clusterQ.under(prod, "secondary", "azure-native:monitor:MetricAlert");
    const criteria = alerts
      .map((a) => ((a.inputs.criteria as Json).allOf as Json[])[0]!)
      .sort((a, b) => String(a.metricName).localeCompare(String(b.metricName)));
    assert.deepEqual(
      criteria.map((c) => c.metricName),
      ["kube_node_status_condition", "node_cpu_usage_percentage", "node_memory_working_set_percentage"],
    );
    assert.deepEqual(criteria[0]!.dimensions, [
      { name: "condition", operator: "Include", values: ["Ready"] },
      { name: "status", operator: "Include", values: ["false", "unknown"] },
    ]);
    for (const a of alerts) assert.deepEqual(a.inputs.scopes, [aks.id]);
  });

  it("production: a private Premium ACR on the site key, pull for the kubelet identity only", () => {
    const acr = registryQ.one(prod, "secondary", "azure-native:containerregistry:Registry");
    const i = acr.inputs;
    assert.match(String(i.registryName), /^acrprodsecondary[a-z0-9]{6}$/);
    assert.deepEqual(
      [
        (i.sku as Json).name,
        i.publicNetworkAccess,
        i.networkRuleBypassOptions,
        i.adminUserEnabled,
        i.anonymousPullEnabled,
        i.zoneRedundancy,
        acr.protect,
      ],
      ["Premium", "Disabled", "None", false, false, "Enabled", true],
    );
    const key = byName(prod, "secondary-keys-key");
    const keyIdentity = byName(prod, "secondary-keys-identity");
    assert.deepEqual(i.encryption, {
      status: "enabled",
      keyVaultProperties: { keyIdentifier: key.outputs.keyUri, identity: keyIdentity.outputs.clientId },
    });
    assert.deepEqual(i.identity, { type: "UserAssigned", userAssignedIdentities: { [keyIdentity.id]: {} } });
    assert.ok(acr.dependencies.includes(byName(prod, "secondary-keys-identity-crypto-user").urn));
    assert.deepEqual(i.policies, {
      retentionPolicy: { status: "enabled", days: untaggedRetentionDays },
      exportPolicy: { status: "disabled" },
      azureADAuthenticationAsArmPolicy: { status: "disabled" },
    });
    const pe = registryQ.one(prod, "secondary", "azure-native:network:PrivateEndpoint");
    assert.deepEqual((pe.inputs.privateLinkServiceConnections as Json[])[0]!.groupIds, ["registry"]);
    assert.equal((pe.inputs.subnet as Json).id, byName(prod, "secondary-network-subnet-endpoints").id);
    const zone = byName(prod, "secondary-network-dns-registry");
    assert.equal(zone.inputs.privateZoneName, "privatelink.azurecr.io");
    const pulls = prod.resources.filter(
      (r) =>
        r.type === "azure-native:authorization:RoleAssignment" &&
        String(r.inputs.roleDefinitionId).endsWith(acrPull),
    );
    assert.equal(pulls.length, 1);
    assert.deepEqual(
      [pulls[0]!.inputs.principalId, pulls[0]!.inputs.scope, pulls[0]!.inputs.roleDefinitionId],
      [
        byName(prod, "secondary-cluster-kubelet-identity").outputs.principalId,
        acr.id,
        `/subscriptions/${prodSubscription}/providers/Microsoft.Authorization/roleDefinitions/${acrPull}`,
      ],
    );
  });

  it("outside production: a public endpoint only for the authorized CIDRs (also opened on the API server subnet), the configured pools and a Spot pool, Free tier, no zone redundancy", () => {
    const aks = clusterQ.one(dev, "primary", "azure-native:containerservice:ManagedCluster");
    const access = aks.inputs.apiServerAccessProfile as Json;
    assert.deepEqual(
      [
        access.enablePrivateCluster,
        access.authorizedIPRanges,
        access.privateDNSZone,
        access.enableVnetIntegration,
      ],
      [false, ["192.168.100.0/24"], undefined, true],
    );
    assert.deepEqual(aks.inputs.sku, { name: "Base", tier: "Free" });
    const pools = aks.inputs.agentPoolProfiles as Json[];
    assert.deepEqual(
      pools.map((p) => [p.name, p.vmSize, p.minCount, p.maxCount, p.scaleSetPriority, p.availabilityZones]),
      [
        ["system", "Standard_D2ds_v5", 1, 3, undefined, ["1"]],
        ["apps", "Standard_D8ds_v5", 2, 5, undefined, ["1"]],
        ["spot", "Standard_D8ds_v5", 0, 4, "Spot", ["1"]],
      ],
    );
    assert.equal(aks.protect, false);
    const apiNsg = byName(dev, "primary-network-nsg-apiserver");
    const authorized = (apiNsg.inputs.securityRules as Json[]).find(
      (r) => r.name === "allow-https-from-authorized",
    );
    assert.deepEqual(
      [authorized?.sourceAddressPrefixes, authorized?.destinationPortRange],
      [["192.168.100.0/24"], "443"],
    );
    const acr = registryQ.one(dev, "primary", "azure-native:containerregistry:Registry");
    assert.deepEqual([acr.inputs.zoneRedundancy, acr.protect], ["Disabled", false]);
  });

  it("the production API server subnet admits HTTPS from the node subnet only", () => {
    const apiNsg = byName(prod, "secondary-network-nsg-apiserver");
    assert.deepEqual(
      (apiNsg.inputs.securityRules as Json[]).map((r) => r.name),
      ["allow-https-from-private", "allow-load-balancer-probes", "deny-all-inbound"],
    );
  });
});
