import type * as pulumi from "@pulumi/pulumi";
import type { SiteContext } from "../../components/context";
import type { SiteKeysOutputs } from "../../components/keys";
import { resourceGroupFor } from "./resource-group";
import { vaultWithKey } from "./key-vault";

/**
 * The site's Key Vault and key (providers/azure/key-vault.ts). Production: Premium vault with an
 * RSA-HSM key (FIPS 140-3 Level 3 HSMs) and no public network access; elsewhere a Standard vault whose
 * firewall denies by default. Either way clients reach the vault's data plane through the private
 * endpoint the site network creates in its endpoints subnet.
 */
export function keys(
  name: string,
  ctx: SiteContext<"azure">,
  parent: pulumi.ComponentResource,
): SiteKeysOutputs<"azure"> {
  const rg = resourceGroupFor(ctx, parent);
  const { vault, key, identity, grant, identityId } = vaultWithKey(name, ctx, {
    location: ctx.site.region,
    purpose: "",
    resourceGroup: rg,
    parent,
  });
  return {
    keyId: key.keyUri,
    hsmBacked: ctx.production,
    handles: {
      vaultId: vault.id,
      vaultUri: vault.properties.apply((p) => p.vaultUri ?? ""),
      keyName: key.name,
      keyUri: key.keyUri,
      keyUriWithVersion: key.keyUriWithVersion,
      identityId,
      identityPrincipalId: identity.principalId,
      identityClientId: identity.clientId,
      keyAccess: grant,
    },
  };
}
