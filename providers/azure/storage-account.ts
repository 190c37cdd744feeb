import type * as azureInputs from "@pulumi/azure-native/types/input";
import type { KeyHandles } from "../../components/keys";
import type { SiteContext } from "../../components/context";
import { regionInfo } from "../../components/regions";

/**
 * The customer-managed-key settings every storage account of a site uses: the site's Key Vault key
 * (versionless, so rotations are followed), reached through the site's user-assigned identity, with
 * infrastructure (double) encryption, for every service of the account. `keys.identityId` resolves only
 * after the identity's role on the vault exists; callers also list `keys.keyAccess` in `dependsOn`.
 */
export function siteKeyEncryption(keys: KeyHandles["azure"]): {
  identity: azureInputs.storage.IdentityArgs;
  encryption: azureInputs.storage.EncryptionArgs;
} {
  const service = { enabled: true, keyType: "Account" } as const;
  return {
    identity: { type: "UserAssigned", userAssignedIdentities: [keys.identityId] },
    encryption: {
      keySource: "Microsoft.Keyvault",
      keyVaultProperties: { keyName: keys.keyName, keyVaultUri: keys.vaultUri },
      encryptionIdentity: { encryptionUserAssignedIdentity: keys.identityId },
      requireInfrastructureEncryption: true,
      services: { blob: service, file: service, queue: service, table: service },
    },
  };
}

export type StorageSku = "Standard_LRS" | "Standard_ZRS" | "Standard_RAGRS" | "Standard_RAGZRS";

/**
 * The redundancy of a site's storage account. Geo-redundant (a readable copy in the region's fixed
 * pair) only when the site has a replica region (on Azure: the pair; undefined where the region has
 * none, and then Azure offers no geo-redundant storage): RA-GZRS where the region has zones, RA-GRS
 * otherwise. Without geo-redundancy: ZRS over several zones, LRS otherwise.
 * Source: learn.microsoft.com/azure/storage/common/storage-redundancy
 */
export function storageSku(ctx: SiteContext<"azure">, geoRedundant: boolean): StorageSku {
  const regionHasZones = (regionInfo("azure", ctx.site.region)?.zones.length ?? 0) > 0;
  if (geoRedundant && ctx.replicaRegion !== undefined) {
    return regionHasZones ? "Standard_RAGZRS" : "Standard_RAGRS";
  }
  return ctx.zones.length > 1 ? "Standard_ZRS" : "Standard_LRS";
}

/** Whether lifecycle rules may move blobs to Archive (not offered on ZRS, GZRS or RA-GZRS accounts). */
export function archiveTierOffered(sku: StorageSku): boolean {
  return sku === "Standard_LRS" || sku === "Standard_RAGRS";
}

/**
 * Version-level immutability (WORM) for an account, retention `days`.
 *
 * Azure accepts only `Disabled` or `Unlocked` when the policy is created; `Locked` is a later update of
 * an existing account, and irreversible (retention can then only grow). The site setting
 * `storage.lockImmutability` (Azure sites) makes the program ask for `Locked`: set it after the first
 * `pulumi up` has created the accounts, and a second `pulumi up` locks them in place.
 * Source: learn.microsoft.com/azure/storage/blobs/immutable-version-level-worm-policies and the
 * `AccountImmutabilityPolicyProperties.state` reference ("A policy can only be created in a Disabled or
 * Unlocked state").
 */
export function versionLevelImmutability(
  ctx: SiteContext<"azure">,
  days: number,
): { immutableStorageWithVersioning: azureInputs.storage.ImmutableStorageAccountArgs } {
  return {
    immutableStorageWithVersioning: {
      enabled: true,
      immutabilityPolicy: {
        immutabilityPeriodSinceCreationInDays: days,
        state: immutabilityLocked(ctx) ? "Locked" : "Unlocked",
        allowProtectedAppendWrites: false,
      },
    },
  };
}

/** The site asks for its immutability policies to be locked (see {@link versionLevelImmutability}). */
export function immutabilityLocked(ctx: SiteContext<"azure">): boolean {
  return ctx.site.storage?.lockImmutability ?? false;
}
