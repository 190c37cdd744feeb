import type * as azureInputs from "@pulumi/azure-native/types/input";
import type { KeyHandles } from "../../components/keys";

/**
 * The customer-managed-key settings every storage account of a site uses: the site's Key Vault key
 * (versionless, so rotations are followed), reached through the site's user-assigned identity, with
 * infrastructure (double) encryption, for every service of the account.
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
