import type * as pulumi from "@pulumi/pulumi";
import { Key, Vault } from "@pulumi/azure-native/keyvault";
import { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity";
import { RoleAssignment } from "@pulumi/azure-native/authorization";
import { uniqueName } from "../../components/naming";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type { SiteKeysOutputs } from "../../components/keys";
import { resourceGroupFor } from "./resource-group";

/** Built-in role "Key Vault Crypto Service Encryption User": wrap/unwrap with keys, nothing else. */
const cryptoServiceEncryptionUser = "e147488a-f6f5-4113-8e2d-b22465e65bf6";

/**
 * The site's Key Vault and key. Production: Premium vault with an RSA-HSM key (FIPS 140-3 Level 3
 * HSMs) and no public network access; elsewhere a Standard vault whose firewall denies by default.
 */
export function keys(
  name: string,
  ctx: SiteContext<"azure">,
  parent: pulumi.ComponentResource,
): SiteKeysOutputs<"azure"> {
  const opts = { parent };
  const rg = resourceGroupFor(ctx, parent);
  const vault = new Vault(
    `${name}-vault`,
    {
      resourceGroupName: rg.name,
      location: ctx.site.region,
      // 3-24 characters, globally unique.
      vaultName: uniqueName(
        "azureKeyVault",
        ["kv", ctx.stack.environment, ctx.role.slice(0, 3)],
        ctx.uniqueSuffix,
      ),
      properties: {
        tenantId: ctx.site.tenantId,
        sku: { family: "A", name: ctx.production ? "premium" : "standard" },
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
        enablePurgeProtection: true,
        enabledForDeployment: false,
        enabledForTemplateDeployment: false,
        enabledForDiskEncryption: true,
        publicNetworkAccess: ctx.production ? "Disabled" : "Enabled",
        networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] },
      },
    },
    statefulOptions(ctx, opts),
  );
  const key = new Key(
    `${name}-key`,
    {
      resourceGroupName: rg.name,
      vaultName: vault.name,
      keyName: `${ctx.role}-site-key`,
      properties: {
        kty: ctx.production ? "RSA-HSM" : "RSA",
        keySize: 3072,
        keyOps: ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
        attributes: { enabled: true },
        rotationPolicy: {
          attributes: { expiryTime: "P2Y" },
          lifetimeActions: [
            { action: { type: "rotate" }, trigger: { timeAfterCreate: "P365D" } },
            { action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } },
          ],
        },
      },
    },
    statefulOptions(ctx, opts),
  );
  const identity = new UserAssignedIdentity(
    `${name}-identity`,
    {
      resourceGroupName: rg.name,
      location: ctx.site.region,
      resourceName: `id-${ctx.stack.environment}-${ctx.role}-cmk`,
    },
    opts,
  );
  new RoleAssignment(
    `${name}-identity-crypto-user`,
    {
      principalId: identity.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: `/subscriptions/${ctx.site.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${cryptoServiceEncryptionUser}`,
      scope: vault.id,
    },
    opts,
  );
  return {
    keyId: key.keyUri,
    hsmBacked: ctx.production,
    handles: {
      vaultId: vault.id,
      vaultUri: vault.properties.apply((p) => p.vaultUri ?? ""),
      keyName: key.name,
      keyUri: key.keyUri,
      identityId: identity.id,
      identityPrincipalId: identity.principalId,
      identityClientId: identity.clientId,
    },
  };
}
