/**
 * A Key Vault with one customer-managed key and the user-assigned identity services use to wrap and
 * unwrap with it: the site's key (providers/azure/keys.ts) and, where a service needs a key in another
 * region (PostgreSQL geo-redundant backups), the paired region's key (providers/azure/database.ts).
 *
 * Every vault: RBAC authorization, purge protection, 90-day soft delete (the name stays reserved for
 * 90 days after deletion, so it carries the site's random suffix), a firewall denying by default with
 * trusted Azure services (storage, PostgreSQL, Network Watcher) allowed through, public network access
 * disabled in production (data plane through a private endpoint, providers/azure/private-endpoint.ts);
 * Premium SKU and an RSA-HSM key in production.
 *
 * Ordering: a service may use the identity only once the identity holds "Key Vault Crypto Service
 * Encryption User" on the vault, or its first deploy fails with a key access error. `identityId` below
 * resolves only after that role assignment exists, so every resource that takes it waits for the grant;
 * consumers also list `grant` in `dependsOn` to make the order explicit.
 */
import * as pulumi from "@pulumi/pulumi";
import { Key, type KeyArgs, Vault } from "@pulumi/azure-native/keyvault";
import { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity";
import { RoleAssignment } from "@pulumi/azure-native/authorization";
import type { ResourceGroup } from "@pulumi/azure-native/resources";
import { fitName, uniqueName } from "../../components/naming";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";

/** Built-in role "Key Vault Crypto Service Encryption User": wrap/unwrap with keys, nothing else. */
export const cryptoServiceEncryptionUser = "e147488a-f6f5-4113-8e2d-b22465e65bf6";

export interface VaultWithKey {
  readonly vault: Vault;
  readonly key: Key;
  readonly identity: UserAssignedIdentity;
  /** The role assignment that lets `identity` use the key: consumers depend on it. */
  readonly grant: RoleAssignment;
  /** The identity's resource id, resolved after `grant` exists. */
  readonly identityId: pulumi.Output<string>;
}

export interface VaultWithKeyArgs {
  /** Where the vault, key and identity live (the site's region, or its pair for geo backups). */
  readonly location: string;
  /** Short purpose in names: `""` for the site key, `geo` for the geo-backup key. */
  readonly purpose: string;
  readonly resourceGroup: ResourceGroup;
  readonly parent: pulumi.Resource;
}

export function vaultWithKey(name: string, ctx: SiteContext<"azure">, args: VaultWithKeyArgs): VaultWithKey {
  const opts: pulumi.CustomResourceOptions = { parent: args.parent };
  const env = ctx.stack.environment;
  const vault = new Vault(
    `${name}-vault`,
    {
      resourceGroupName: args.resourceGroup.name,
      location: args.location,
      // 3-24 characters, globally unique, reserved for 90 days after deletion: random suffix.
      vaultName: uniqueName(
        "azureKeyVault",
        ["kv", env, ctx.role.slice(0, 3), args.purpose],
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
      resourceGroupName: args.resourceGroup.name,
      vaultName: vault.name,
      // 1-127 letters, digits and hyphens.
      keyName: fitName("azureName", [ctx.role, args.purpose, "site-key"]),
      properties: rotatedKeyProperties(ctx.production),
    },
    statefulOptions(ctx, opts),
  );
  const identity = new UserAssignedIdentity(
    `${name}-identity`,
    {
      resourceGroupName: args.resourceGroup.name,
      location: args.location,
      resourceName: fitName("azureName", ["id", env, ctx.role, args.purpose, "cmk"]),
    },
    opts,
  );
  const grant = new RoleAssignment(
    `${name}-identity-crypto-user`,
    {
      principalId: identity.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: `/subscriptions/${ctx.site.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${cryptoServiceEncryptionUser}`,
      scope: vault.id,
    },
    opts,
  );
  const identityId = pulumi.all([grant.id, identity.id]).apply(([, id]) => id);
  return { vault, key, identity, grant, identityId };
}

/**
 * A wrap/unwrap key (RSA 3072, HSM-backed in production) rotated yearly and expiring after two years,
 * with a notice 30 days before: the site keys and the bootstrap's secrets-provider key.
 */
export function rotatedKeyProperties(production: boolean): KeyArgs["properties"] {
  return {
    kty: production ? "RSA-HSM" : "RSA",
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
  };
}
