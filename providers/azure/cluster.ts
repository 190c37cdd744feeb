/**
 * The site's Kubernetes cluster on Azure: AKS (`Microsoft.ContainerService/managedClusters`, azure-native
 * `containerservice`, REST API 2025-09-01 in azure-native 3.28).
 *
 * - Identities: a user-assigned control-plane identity and a user-assigned kubelet identity, each granted
 *   what it needs BEFORE the cluster exists (`dependsOn`; AKS refuses KMS or BYO-subnet set-up otherwise,
 *   and KMS does not work with a system-assigned identity, which only exists after creation): Managed
 *   Identity Operator on the kubelet identity, Network Contributor on the node subnet and on the API server
 *   subnet, Key Vault Crypto User (encrypt/decrypt for KMS) and Key Vault Contributor (AKS creates the
 *   private link to the vault for a private KMS vault) on the site vault, Reader on the disk encryption set.
 * - Control plane: API Server VNet Integration in the network's dedicated, delegated `apiserver` subnet;
 *   private (private DNS zone `system`, no public FQDN) in production and outside production unless the
 *   stack lists `authorizedCidrs` (then public, restricted to them); Microsoft Entra ID with Azure RBAC for
 *   Kubernetes authorization and local accounts disabled (no static admin credential exists); run command
 *   disabled; Standard tier (uptime SLA) in production.
 * - Secrets: KMS etcd encryption with the site key. Legacy AKS KMS takes a VERSIONED key id (a key
 *   rotation needs `pulumi up` with the new version) and, for a vault without public access (production)
 *   or with a firewall (the site vault denies by default everywhere), `keyVaultNetworkAccess: Private`,
 *   which requires API Server VNet Integration (https://learn.microsoft.com/azure/aks/use-kms-etcd-encryption).
 * - Workloads: OIDC issuer and Entra Workload ID; the kubelet identity only pulls images (AcrPull on the
 *   site registry, providers/azure/registry.ts), so pods get no node-level cloud credentials.
 * - Network: Azure CNI Overlay with the Cilium dataplane and Cilium network policy; pods and services on
 *   ranges that overlap neither site (providers/azure/aks-network.ts); nodes on the private tier, which
 *   egresses through the network's NAT gateway (`userAssignedNATGateway`; `none` when the site has no
 *   egress: such a cluster needs a network-isolated bootstrap from a private registry).
 * - Nodes: a system pool (CriticalAddonsOnly taint), the application pool with the configured autoscaling
 *   bounds, and outside production an optional Spot pool (evicted nodes deleted, pay up to the on-demand
 *   price), all across the site's zones, Azure Linux, managed OS disks encrypted with the site key through
 *   a disk encryption set, encryption at host (temp disks and caches; the subscription must register the
 *   `Microsoft.Compute/EncryptionAtHost` feature).
 * - Upgrades: the `patch` channel and `NodeImage` OS upgrades, in weekly maintenance windows.
 * - Audit: control-plane logs (kube-audit-admin, kube-apiserver, guard, ...) to the site's Log Analytics
 *   workspace; metric alerts on NotReady nodes and node CPU/memory.
 * - Defender for Containers: the cluster's Defender profile is set when the site's governance enables the
 *   Containers plan (providers/azure/governance.ts); the stacks do not enable it today.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  MaintenanceConfiguration,
  ManagedCluster,
  listManagedClusterUserCredentialsOutput,
} from "@pulumi/azure-native/containerservice";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import { DiskEncryptionSet } from "@pulumi/azure-native/compute";
import { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity";
import { RoleAssignment } from "@pulumi/azure-native/authorization";
import { DiagnosticSetting } from "@pulumi/azure-native/monitor/diagnosticSetting";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import type { ClusterBuildInputs, ClusterOutputs, ResolvedClusterSettings } from "../../components/cluster";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import { defenderForContainersEnabled } from "./governance";
import { fitName } from "../../components/naming";
import { resourceGroupFor } from "./resource-group";
import { metricAlert } from "./monitoring";
import { overlayRanges, siteAddressSpaces } from "./aks-network";

type AgentPool = azureInputs.containerservice.ManagedClusterAgentPoolProfileArgs;

/** Built-in Azure role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles). */
export const aksRoles = {
  managedIdentityOperator: "f1a07417-d97a-45cb-824c-7a7467783830",
  networkContributor: "4d97b98b-1d4f-4787-a291-c67834d212e7",
  keyVaultCryptoUser: "12338af0-0e69-4776-bea7-57ae8d297424",
  keyVaultContributor: "f25e0fa2-a7c8-4377-a976-54943a77a395",
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
} as const;

/** The Microsoft Entra application of the AKS API server (the audience kubelogin requests tokens for). */
export const aksServerAppId = "6dae42f8-4368-4678-94ff-3960e28e3630";

/** Control-plane log categories sent to the workspace (`kube-audit-admin` leaves out get/list reads). */
export const aksLogCategories = [
  "kube-apiserver",
  "kube-audit-admin",
  "kube-controller-manager",
  "kube-scheduler",
  "cluster-autoscaler",
  "cloud-controller-manager",
  "guard",
] as const;

/** Default VM sizes (D-series v5 with a local temp disk; encryption at host supported). */
const defaultVmSize = { system: "Standard_D2ds_v5", apps: "Standard_D4ds_v5" } as const;

/** The node pools of the cluster (pure; unit-tested). Linux pool names: 1-12 lowercase alphanumerics. */
export function agentPools(
  settings: ResolvedClusterSettings,
  production: boolean,
  zones: readonly string[],
  subnetId: pulumi.Input<string>,
): AgentPool[] {
  const common: Partial<AgentPool> = {
    type: "VirtualMachineScaleSets",
    osType: "Linux",
    osSKU: "AzureLinux",
    osDiskType: "Managed",
    osDiskSizeGB: 128,
    enableEncryptionAtHost: true,
    enableNodePublicIP: false,
    enableAutoScaling: true,
    vnetSubnetID: subnetId,
    orchestratorVersion: settings.version,
    upgradeSettings: { maxSurge: "33%" },
    ...(zones.length > 0 ? { availabilityZones: [...zones] } : {}),
  };
  const systemMin = production ? Math.max(3, Math.min(zones.length, 3)) : 1;
  const pools: AgentPool[] = [
    {
      ...common,
      name: fitName("aksNodePool", ["system"]),
      mode: "System",
      vmSize: defaultVmSize.system,
      count: systemMin,
      minCount: systemMin,
      maxCount: systemMin + 2,
      // `onlyCriticalAddonsEnabled`: only kube-system's critical add-ons run on the system pool.
      nodeTaints: ["CriticalAddonsOnly=true:NoSchedule"],
    },
    {
      ...common,
      name: fitName("aksNodePool", ["apps"]),
      mode: "User",
      vmSize: settings.nodes.machineType ?? defaultVmSize.apps,
      count: settings.nodes.min,
      minCount: settings.nodes.min,
      maxCount: settings.nodes.max,
    },
  ];
  if (settings.spot) {
    pools.push({
      ...common,
      name: fitName("aksNodePool", ["spot"]),
      mode: "User",
      vmSize: settings.nodes.machineType ?? defaultVmSize.apps,
      scaleSetPriority: "Spot",
      scaleSetEvictionPolicy: "Delete",
      // -1: pay up to the on-demand price; nodes are evicted for capacity only.
      spotMaxPrice: -1,
      count: 0,
      minCount: 0,
      maxCount: settings.spot.max,
      nodeLabels: { "kubernetes.azure.com/scalesetpriority": "spot" },
      nodeTaints: ["kubernetes.azure.com/scalesetpriority=spot:NoSchedule"],
    });
  }
  return pools;
}

/**
 * An exec-based kubeconfig (no static credential): the server and CA of the cluster, and kubelogin
 * (https://azure.github.io/kubelogin/) fetching a Microsoft Entra token for the AKS server application
 * with the Azure CLI login (`AAD_LOGIN_METHOD` overrides it, e.g. `workloadidentity` in CI).
 */
export function kubeconfigFor(clusterName: string, server: string, caData: string): string {
  const user = `${clusterName}-entra`;
  return stringifyYaml({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: clusterName, cluster: { server, "certificate-authority-data": caData } }],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user } }],
    "current-context": clusterName,
    users: [
      {
        name: user,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "kubelogin",
            args: ["get-token", "--login", "azurecli", "--server-id", aksServerAppId],
            env: null,
            interactiveMode: "Never",
            provideClusterInfo: false,
          },
        },
      },
    ],
  });
}

/** The CA (base64 PEM) of the first cluster of a kubeconfig returned by the AKS credential API (base64). */
export function caFromKubeconfig(base64Kubeconfig: string): string {
  const doc = parseYaml(Buffer.from(base64Kubeconfig, "base64").toString("utf8")) as {
    clusters?: { cluster?: { "certificate-authority-data"?: string } }[];
  };
  const ca = doc.clusters?.[0]?.cluster?.["certificate-authority-data"];
  if (!ca) throw new Error("AKS: the user credential kubeconfig has no certificate-authority-data");
  return ca;
}

export function cluster(
  name: string,
  ctx: SiteContext<"azure">,
  inputs: ClusterBuildInputs<"azure">,
): ClusterOutputs {
  const { settings, keys, network, monitoring, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const rg = resourceGroupFor(ctx, parent);
  const location = ctx.site.region;
  const env = ctx.stack.environment;
  const role = (id: string) =>
    `/subscriptions/${ctx.site.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${id}`;
  const nodeSubnetId = network.subnets.private[0]!.id;
  const apiServerSubnetId = network.privateAccess.apiServerSubnetId;

  const controlPlane = new UserAssignedIdentity(
    `${name}-identity`,
    {
      resourceGroupName: rg.name,
      location,
      resourceName: fitName("azureName", ["id", env, ctx.role, "aks"]),
    },
    opts,
  );
  const kubelet = new UserAssignedIdentity(
    `${name}-kubelet-identity`,
    {
      resourceGroupName: rg.name,
      location,
      resourceName: fitName("azureName", ["id", env, ctx.role, "aks-kubelet"]),
    },
    opts,
  );
  const grant = (purpose: string, roleId: string, scope: pulumi.Input<string>) =>
    new RoleAssignment(
      `${name}-${purpose}`,
      {
        principalId: controlPlane.principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: role(roleId),
        scope,
      },
      opts,
    );

  // Node and OS disks: the site key through a disk encryption set, with the site's key identity (it holds
  // Key Vault Crypto Service Encryption User); versionless key with automatic rotation to the latest version.
  const diskEncryption = new DiskEncryptionSet(
    `${name}-disk-encryption`,
    {
      resourceGroupName: rg.name,
      location,
      diskEncryptionSetName: fitName("azureName", ["des", env, ctx.role, "aks"]),
      encryptionType: "EncryptionAtRestWithCustomerKey",
      identity: { type: "UserAssigned", userAssignedIdentities: [keys.identityId] },
      activeKey: { keyUrl: keys.keyUri, sourceVault: { id: keys.vaultId } },
      rotationToLatestKeyVersionEnabled: true,
    },
    statefulOptions(ctx, { ...opts, dependsOn: [keys.keyAccess] }),
  );

  const grants = [
    grant("kubelet-identity-operator", aksRoles.managedIdentityOperator, kubelet.id),
    grant("node-subnet-network", aksRoles.networkContributor, nodeSubnetId),
    grant("apiserver-subnet-network", aksRoles.networkContributor, apiServerSubnetId),
    grant("kms-crypto-user", aksRoles.keyVaultCryptoUser, keys.vaultId),
    grant("kms-private-link", aksRoles.keyVaultContributor, keys.vaultId),
    grant("disk-encryption-reader", aksRoles.reader, diskEncryption.id),
  ];

  const overlay = overlayRanges(siteAddressSpaces(ctx.stack));
  const egress = ctx.site.network?.egress ?? (ctx.production ? "perZone" : "single");
  const defender = defenderForContainersEnabled;
  const publicEndpoint = settings.publicEndpoint && !ctx.production;

  const aks = new ManagedCluster(
    `${name}-aks`,
    {
      resourceGroupName: rg.name,
      location,
      resourceName: fitName("aksCluster", ["aks", env, ctx.role]),
      dnsPrefix: fitName("aksDnsPrefix", [env, ctx.role]),
      nodeResourceGroup: fitName("azureName", ["rg", env, ctx.role, "aks-nodes"]),
      kubernetesVersion: settings.version,
      sku: { name: "Base", tier: ctx.production ? "Standard" : "Free" },
      identity: { type: "UserAssigned", userAssignedIdentities: [controlPlane.id] },
      identityProfile: {
        kubeletidentity: {
          resourceId: kubelet.id,
          clientId: kubelet.clientId,
          objectId: kubelet.principalId,
        },
      },
      enableRBAC: true,
      aadProfile: { managed: true, enableAzureRBAC: true, tenantID: ctx.site.tenantId },
      disableLocalAccounts: true,
      apiServerAccessProfile: {
        enableVnetIntegration: true,
        subnetId: apiServerSubnetId,
        enablePrivateCluster: !publicEndpoint,
        disableRunCommand: true,
        ...(publicEndpoint
          ? { authorizedIPRanges: [...settings.authorizedCidrs] }
          : { privateDNSZone: "system", enablePrivateClusterPublicFQDN: false }),
      },
      oidcIssuerProfile: { enabled: true },
      securityProfile: {
        workloadIdentity: { enabled: true },
        azureKeyVaultKms: {
          enabled: true,
          keyId: keys.keyUriWithVersion,
          keyVaultNetworkAccess: "Private",
          keyVaultResourceId: keys.vaultId,
        },
        imageCleaner: { enabled: true, intervalHours: 48 },
        ...(defender && monitoring
          ? {
              defender: {
                logAnalyticsWorkspaceResourceId: monitoring.logSinkId,
                securityMonitoring: { enabled: true },
              },
            }
          : {}),
      },
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkDataplane: "cilium",
        networkPolicy: "cilium",
        podCidr: overlay.podCidr,
        serviceCidr: overlay.serviceCidr,
        dnsServiceIP: overlay.dnsServiceIP,
        loadBalancerSku: "standard",
        outboundType: egress === "none" ? "none" : "userAssignedNATGateway",
      },
      autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
      agentPoolProfiles: agentPools(settings, ctx.production, ctx.zones, nodeSubnetId),
      diskEncryptionSetID: diskEncryption.id,
    },
    statefulOptions(ctx, { ...opts, dependsOn: [...grants, keys.keyAccess] }),
  );

  // Weekly windows: Kubernetes patch upgrades on Sunday, node image upgrades on Saturday, 02:00 UTC.
  const window = (configName: string, dayOfWeek: string) =>
    new MaintenanceConfiguration(
      `${name}-${configName === "aksManagedAutoUpgradeSchedule" ? "upgrade" : "node-os"}-window`,
      {
        resourceGroupName: rg.name,
        resourceName: aks.name,
        configName,
        maintenanceWindow: {
          schedule: { weekly: { dayOfWeek, intervalWeeks: 1 } },
          durationHours: 4,
          startTime: "02:00",
          utcOffset: "+00:00",
        },
      },
      opts,
    );
  window("aksManagedAutoUpgradeSchedule", "Sunday");
  window("aksManagedNodeOSUpgradeSchedule", "Saturday");

  if (monitoring) {
    new DiagnosticSetting(
      `${name}-diagnostics`,
      {
        name: "aks-control-plane",
        resourceUri: aks.id,
        workspaceId: monitoring.logSinkId,
        logAnalyticsDestinationType: "Dedicated",
        logs: aksLogCategories.map((category) => ({ category, enabled: true })),
        metrics: [{ category: "AllMetrics", enabled: true }],
      },
      opts,
    );
    const alert = (
      purpose: string,
      severity: "high" | "medium",
      description: string,
      metricName: string,
      threshold: number,
      dimensions?: { name: string; values: string[] }[],
    ) =>
      metricAlert(
        `${name}-${purpose}-alert`,
        {
          resourceGroupName: rg.name,
          ruleName: fitName("azureName", [env, ctx.role, "aks", purpose]),
          description,
          severity,
          scope: aks.id,
          metricName,
          threshold,
          timeAggregation: "Average",
          ...(dimensions ? { dimensions } : {}),
        },
        monitoring.alertTargets,
        opts,
      );
    alert(
      "nodes-not-ready",
      "high",
      "A cluster node is NotReady for 15 minutes",
      "kube_node_status_condition",
      0,
      [
        { name: "condition", values: ["Ready"] },
        { name: "status", values: ["false", "unknown"] },
      ],
    );
    alert("node-cpu", "medium", "Node CPU above 90% for 15 minutes", "node_cpu_usage_percentage", 90);
    alert(
      "node-memory",
      "medium",
      "Node memory working set above 90% for 15 minutes",
      "node_memory_working_set_percentage",
      90,
    );
  }

  const server = publicEndpoint
    ? aks.fqdn.apply((f) => `https://${f}:443`)
    : aks.privateFQDN.apply((f) => `https://${f ?? ""}:443`);
  // The user credential API (allowed with local accounts disabled; the admin one is refused) gives the CA.
  // Called with the cluster's output name, so a preview of a new cluster does not call it.
  const credentials = listManagedClusterUserCredentialsOutput(
    { resourceGroupName: rg.name, resourceName: aks.name, format: "exec" },
    { parent },
  );
  const ca = credentials.kubeconfigs.apply((k) => caFromKubeconfig(k?.[0]?.value ?? ""));
  const kubeconfig = pulumi
    .all([aks.name, server, ca])
    .apply(([clusterName, url, caData]) => kubeconfigFor(clusterName, url, caData));

  return {
    clusterName: aks.name,
    clusterId: aks.id,
    endpoint: server,
    kubeconfig: pulumi.secret(kubeconfig),
    oidcIssuer: aks.oidcIssuerProfile.apply((p) => p?.issuerURL ?? ""),
    nodeIdentity: kubelet.principalId,
    version: settings.version,
  };
}
