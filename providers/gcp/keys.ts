import type * as pulumi from "@pulumi/pulumi";
import { CryptoKey, KeyRing } from "@pulumi/gcp/kms";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type { SiteKeysOutputs } from "../../components/keys";

/**
 * The site's Cloud KMS key ring and key: 90-day rotation, a 30-day scheduled destruction window, and the
 * HSM protection level (FIPS 140-2 Level 3) in production.
 */
export function keys(
  name: string,
  ctx: SiteContext<"gcp">,
  parent: pulumi.ComponentResource,
): SiteKeysOutputs<"gcp"> {
  const opts = { parent };
  const ring = new KeyRing(
    `${name}-ring`,
    {
      name: `${ctx.stack.environment}-${ctx.role}-site`,
      location: ctx.site.region,
      project: ctx.site.project,
    },
    statefulOptions(ctx, opts),
  );
  const key = new CryptoKey(
    `${name}-key`,
    {
      name: `${ctx.role}-site-key`,
      keyRing: ring.id,
      purpose: "ENCRYPT_DECRYPT",
      rotationPeriod: "7776000s",
      destroyScheduledDuration: "2592000s",
      versionTemplate: {
        algorithm: "GOOGLE_SYMMETRIC_ENCRYPTION",
        protectionLevel: ctx.production ? "HSM" : "SOFTWARE",
      },
    },
    statefulOptions(ctx, opts),
  );
  return { keyId: key.id, hsmBacked: ctx.production, handles: { keyRingId: ring.id, cryptoKeyId: key.id } };
}
