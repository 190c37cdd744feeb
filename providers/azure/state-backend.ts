/**
 * Azure half of the Pulumi state backend (components/state-backend.ts): the state store is a blob
 * container in a StorageV2 account (providers/azure/storage.ts: CMK, no shared key, versioning, soft
 * delete, infrastructure encryption, diagnostics, private endpoint) and the secrets provider an RSA key
 * (RSA-HSM in production) with a rotation policy in the site's Key Vault.
 *
 * - `pulumi login azblob://<container>?storage_account=<account>`: the account refuses shared keys, so the
 *   CLI authenticates with Entra ID (no AZURE_STORAGE_KEY / SAS: the azureblob driver falls back to the
 *   Azure default credential chain: environment / workload identity (OIDC) / Azure CLI); the principal
 *   needs "Storage Blob Data Contributor" on the account.
 * - `--secrets-provider azurekeyvault://<vault>.vault.azure.net/keys/<key>`: the principal needs
 *   "Key Vault Crypto User" on the vault.
 *
 * No version-level WORM on the state container: the CLI deletes its lock blobs after every operation.
 */
import * as pulumi from "@pulumi/pulumi";
import { Key } from "@pulumi/azure-native/keyvault";
import type { StateBackendImplementation } from "../../components/state-backend";
import { statefulOptions } from "../../components/context";
import { fitName } from "../../components/naming";
import { resourceGroupFor } from "./resource-group";
import { rotatedKeyProperties } from "./key-vault";

/** The vault name: the last segment of its resource id. */
function vaultNameOf(vaultId: pulumi.Output<string>): pulumi.Output<string> {
  return vaultId.apply((id) => id.split("/").pop() ?? "");
}

export const stateBackend: StateBackendImplementation<"azure"> = {
  storageArgs: () => ({ immutableDays: 0 }),
  secretsKey(name, ctx, keys, parent) {
    const rg = resourceGroupFor(ctx, parent);
    const vaultName = vaultNameOf(keys.vaultId);
    const key = new Key(
      `${name}-key`,
      {
        resourceGroupName: rg.name,
        vaultName,
        keyName: fitName("azureName", ["pulumi-secrets"]),
        properties: rotatedKeyProperties(ctx.production),
      },
      statefulOptions(ctx, { parent }),
    );
    return {
      keyId: key.keyUri,
      secretsProvider: pulumi.interpolate`azurekeyvault://${vaultName}.vault.azure.net/keys/${key.name}`,
    };
  },
  loginUrl: (_ctx, store) =>
    store.storeName.apply((n) => {
      const [account, container] = n.split("/");
      return `azblob://${container ?? ""}?storage_account=${account ?? ""}`;
    }),
};
