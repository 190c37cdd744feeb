/**
 * The site's container registry on Azure: Azure Container Registry (`Microsoft.ContainerRegistry/registries`,
 * azure-native `containerregistry`, REST API 2023-01-01-preview in azure-native 3.28).
 *
 * - Premium SKU: the tier that offers private endpoints, customer-managed keys, retention policies and zone
 *   redundancy (https://learn.microsoft.com/azure/container-registry/container-registry-skus).
 * - Private: public network access disabled, reachable only through a private endpoint (`registry`
 *   sub-resource) in the network's endpoints subnet, registered in the `privatelink.azurecr.io` zone the
 *   network links; no admin user, no anonymous pull; export disabled (artifacts cannot leave through
 *   import/export pipelines; Azure allows disabling it only with public network access disabled); Microsoft
 *   Entra ARM-audience tokens refused (only ACR-audience tokens).
 * - Trusted services bypass: `None`, unless the site's governance enables Defender for Containers, whose
 *   vulnerability assessment of a network-restricted registry needs `AzureServices`.
 * - Encryption: the site key (versionless URI: the registry follows new key versions) through the site's
 *   key identity, which holds Key Vault Crypto Service Encryption User; created after that grant. CMK can
 *   only be enabled at creation and never disabled.
 * - Zone-redundant in production (where the region has zones); untagged manifests deleted after 7 days.
 * - Pull for the cluster's kubelet identity only (AcrPull on this registry); pushes come from CI identities
 *   granted where they are deployed.
 * - Diagnostics (repository and login events) to the site's workspace.
 *
 * Immutable tags: ACR has no registry-wide tag immutability. It offers per-repository and per-tag locks
 * (`az acr repository update --write-enabled false`), which belong to the release pipeline, not this
 * program. Scan on push comes from Microsoft Defender for Containers (vulnerability assessment of pushed
 * and recently pulled images), enabled per subscription by governance (`workloads.kubernetes`); the stacks
 * do not enable it today.
 */
import type * as pulumi from "@pulumi/pulumi";
import { Registry } from "@pulumi/azure-native/containerregistry";
import { RoleAssignment } from "@pulumi/azure-native/authorization";
import { DiagnosticSetting } from "@pulumi/azure-native/monitor/diagnosticSetting";
import type { RegistryBuildInputs, RegistryOutputs } from "../../components/cluster";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import { defenderForContainersEnabled } from "./governance";
import { uniqueName } from "../../components/naming";
import { regionInfo } from "../../components/regions";
import { resourceGroupFor } from "./resource-group";
import { privateEndpoint } from "./private-endpoint";

/** Built-in role "AcrPull": pull images, nothing else. */
export const acrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

/** Days an untagged manifest is kept before the retention policy deletes it. */
export const untaggedRetentionDays = 7;

export function registry(
  name: string,
  ctx: SiteContext<"azure">,
  inputs: RegistryBuildInputs<"azure">,
): RegistryOutputs {
  const { keys, network, monitoring, pullIdentity, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const rg = resourceGroupFor(ctx, parent);
  const env = ctx.stack.environment;
  const zoned = (regionInfo("azure", ctx.site.region)?.zones.length ?? 0) > 0;
  const defender = defenderForContainersEnabled;

  const acr = new Registry(
    `${name}-acr`,
    {
      resourceGroupName: rg.name,
      location: ctx.site.region,
      // 5-50 alphanumerics, globally unique (the login server `<name>.azurecr.io`): the site's suffix.
      registryName: uniqueName("azureContainerRegistry", ["acr", env, ctx.role], ctx.uniqueSuffix),
      sku: { name: "Premium" },
      adminUserEnabled: false,
      anonymousPullEnabled: false,
      publicNetworkAccess: "Disabled",
      networkRuleBypassOptions: defender ? "AzureServices" : "None",
      zoneRedundancy: ctx.production && zoned ? "Enabled" : "Disabled",
      identity: {
        type: "UserAssigned",
        userAssignedIdentities: keys.identityId.apply((id) => ({ [id]: {} })),
      },
      encryption: {
        status: "enabled",
        keyVaultProperties: { keyIdentifier: keys.keyUri, identity: keys.identityClientId },
      },
      policies: {
        retentionPolicy: { status: "enabled", days: untaggedRetentionDays },
        exportPolicy: { status: "disabled" },
        azureADAuthenticationAsArmPolicy: { status: "disabled" },
      },
    },
    statefulOptions(ctx, { ...opts, dependsOn: [keys.keyAccess] }),
  );

  privateEndpoint(`${name}-acr`, ctx, {
    targetId: acr.id,
    subresource: "registry",
    purpose: "acr",
    resourceGroupName: network.privateAccess.resourceGroupName,
    subnetId: network.privateAccess.endpointsSubnetId,
    dnsZoneId: network.privateAccess.privateDnsZoneIds.registry,
    parent,
  });

  new RoleAssignment(
    `${name}-pull`,
    {
      principalId: pullIdentity,
      principalType: "ServicePrincipal",
      roleDefinitionId: `/subscriptions/${ctx.site.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${acrPull}`,
      scope: acr.id,
    },
    opts,
  );

  if (monitoring) {
    new DiagnosticSetting(
      `${name}-diagnostics`,
      {
        name: "acr-events",
        resourceUri: acr.id,
        workspaceId: monitoring.logSinkId,
        logAnalyticsDestinationType: "Dedicated",
        logs: [{ categoryGroup: "allLogs", enabled: true }],
        metrics: [{ category: "AllMetrics", enabled: true }],
      },
      opts,
    );
  }

  return { registryId: acr.id, registryUrl: acr.loginServer };
}
