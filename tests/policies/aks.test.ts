/**
 * Cases of the controls that judge AKS and ACR (the Azure half of issue 12): each Azure control has a
 * case it rejects and one it accepts, on the shapes providers/azure/cluster.ts and registry.ts build.
 */
import { controlCases } from "./cases";
import type { TestResource } from "./harness";

const r = (type: string, name: string, props: Record<string, unknown>): TestResource => ({
  type,
  name,
  props,
});
const aks = (props: Record<string, unknown>) =>
  r("azure-native:containerservice:ManagedCluster", "aks", props);
const acr = (props: Record<string, unknown>) => r("azure-native:containerregistry:Registry", "acr", props);

/** The cluster as the program builds it (the parts the controls read). */
const built = {
  enableRBAC: true,
  disableLocalAccounts: true,
  aadProfile: { managed: true, enableAzureRBAC: true },
  apiServerAccessProfile: {
    enablePrivateCluster: true,
    enableVnetIntegration: true,
    privateDNSZone: "system",
  },
  networkProfile: { networkPlugin: "azure", networkPluginMode: "overlay", networkPolicy: "cilium" },
  securityProfile: { azureKeyVaultKms: { enabled: true, keyId: "https://kv.vault.azure.net/keys/k/0123" } },
};
const dev = { environment: "dev" };

describe("AKS and ACR controls", () => {
  controlCases("enforce-private-cluster-in-production", [
    {
      cloud: "azure",
      expect: "reject",
      title: "a production cluster with a public endpoint restricted to authorized ranges",
      resource: aks({
        ...built,
        apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: ["203.0.113.0/24"] },
      }),
      messages: [
        "apiServerAccessProfile.enablePrivateCluster is not true (a production API server must be private)",
      ],
    },
    { cloud: "azure", expect: "accept", resource: aks(built) },
    {
      cloud: "azure",
      expect: "accept",
      title: "outside production a restricted public endpoint is allowed",
      resource: aks({ ...built, apiServerAccessProfile: { authorizedIPRanges: ["203.0.113.0/24"] } }),
      settings: dev,
    },
  ]);
  controlCases("disallow-cluster-local-accounts", [
    {
      cloud: "azure",
      expect: "reject",
      resource: aks({ ...built, disableLocalAccounts: false }),
      messages: ["disableLocalAccounts is not true (the static clusterAdmin credential stays available)"],
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "unset (Azure's default keeps local accounts)",
      resource: aks({}),
    },
    { cloud: "azure", expect: "accept", resource: aks(built) },
  ]);
  controlCases("enforce-cluster-cloud-rbac", [
    {
      cloud: "azure",
      expect: "reject",
      title: "Entra integration without Azure RBAC, Kubernetes RBAC off",
      resource: aks({ ...built, enableRBAC: false, aadProfile: { managed: true } }),
      messages: [
        "enableRBAC is false",
        "aadProfile.enableAzureRBAC is not true (Kubernetes authorization not tied to Azure RBAC)",
      ],
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "no Entra integration",
      resource: aks({ enableRBAC: true }),
      match: /aadProfile.managed is not true/,
    },
    { cloud: "azure", expect: "accept", resource: aks(built) },
  ]);
  controlCases("enforce-cluster-network-policy", [
    {
      cloud: "azure",
      expect: "reject",
      title: "no network policy engine",
      resource: aks({ ...built, networkProfile: { networkPlugin: "azure" } }),
      messages: [
        "networkProfile.networkPolicy is unset (NetworkPolicy objects are not enforced); set azure, calico, cilium",
      ],
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: aks({ ...built, networkProfile: { networkPolicy: "none" } }),
      match: /networkPolicy is none/,
    },
    { cloud: "azure", expect: "accept", resource: aks(built) },
    {
      cloud: "azure",
      expect: "accept",
      resource: aks({ ...built, networkProfile: { networkPolicy: "Calico" } }),
    },
  ]);

  const privateRegistry = {
    sku: { name: "Premium" },
    publicNetworkAccess: "Disabled",
    adminUserEnabled: false,
    anonymousPullEnabled: false,
    encryption: {
      status: "enabled",
      keyVaultProperties: { keyIdentifier: "https://kv.vault.azure.net/keys/k", identity: "client-id" },
    },
  };
  controlCases("disallow-public-container-registries", [
    {
      cloud: "azure",
      expect: "reject",
      title: "the defaults: public, plus an admin user and anonymous pull",
      resource: acr({ sku: { name: "Standard" }, adminUserEnabled: true, anonymousPullEnabled: true }),
      messages: [
        "publicNetworkAccess is enabled without networkRuleSet.defaultAction Deny (reachable from the internet)",
        "adminUserEnabled is true (a shared static password)",
        "anonymousPullEnabled is true",
      ],
    },
    { cloud: "azure", expect: "accept", resource: acr(privateRegistry) },
    {
      cloud: "azure",
      expect: "accept",
      title: "public network access behind a deny-by-default firewall",
      resource: acr({
        ...privateRegistry,
        publicNetworkAccess: "Enabled",
        networkRuleSet: { defaultAction: "Deny" },
      }),
    },
  ]);
  controlCases("enforce-container-registry-hardening", [
    {
      cloud: "azure",
      expect: "reject",
      title: "Microsoft-managed keys",
      resource: acr({ ...privateRegistry, encryption: { status: "disabled" } }),
      messages: ['encryption.status is not "enabled" (no customer-managed key)'],
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "enabled without a key",
      resource: acr({ ...privateRegistry, encryption: { status: "enabled" } }),
      messages: ["encryption.keyVaultProperties.keyIdentifier is not set"],
    },
    { cloud: "azure", expect: "accept", resource: acr(privateRegistry) },
  ]);
  controlCases("enforce-cluster-secrets-encryption", [
    {
      cloud: "azure",
      expect: "reject",
      title: "KMS disabled",
      resource: aks({ ...built, securityProfile: { azureKeyVaultKms: { enabled: false } } }),
    },
    {
      cloud: "azure",
      expect: "accept",
      title: "the built cluster (versioned key, private vault)",
      resource: aks(built),
    },
  ]);
  controlCases("enforce-private-cluster-endpoint", [
    {
      cloud: "azure",
      expect: "reject",
      title: "public without authorized ranges",
      resource: aks({ ...built, apiServerAccessProfile: { enablePrivateCluster: false } }),
    },
    { cloud: "azure", expect: "accept", title: "the built cluster", resource: aks(built) },
  ]);
});
