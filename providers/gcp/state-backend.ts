/**
 * GCP half of the Pulumi state backend (components/state-backend.ts): the state store is a Cloud Storage
 * bucket (providers/gcp/storage.ts: uniform access, public access prevention, CMEK, versioning, soft
 * delete, data-access audit logs) and the secrets provider a second crypto key in the site's key ring.
 *
 * - `pulumi login gs://<bucket>`
 * - `--secrets-provider gcpkms://projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>`
 *
 * No retention policy on the state bucket: a bucket retention policy forbids replacing or deleting an
 * object younger than the period, and the CLI replaces checkpoints and deletes its lock files on every
 * operation. Versioning and soft delete keep every overwritten or deleted checkpoint recoverable.
 */
import * as pulumi from "@pulumi/pulumi";
import { CryptoKey } from "@pulumi/gcp/kms";
import type { StateBackendImplementation } from "../../components/state-backend";
import { statefulOptions } from "../../components/context";
import { fitName } from "../../components/naming";

export const stateBackend: StateBackendImplementation<"gcp"> = {
  storageArgs: () => ({ immutableDays: 0 }),
  secretsKey(name, ctx, keys, parent) {
    const key = new CryptoKey(
      `${name}-key`,
      {
        name: fitName("gcpKms", [ctx.role, "pulumi-secrets"]),
        keyRing: keys.keyRingId,
        purpose: "ENCRYPT_DECRYPT",
        rotationPeriod: "7776000s",
        destroyScheduledDuration: "2592000s",
        versionTemplate: {
          algorithm: "GOOGLE_SYMMETRIC_ENCRYPTION",
          protectionLevel: ctx.production ? "HSM" : "SOFTWARE",
        },
      },
      statefulOptions(ctx, { parent }),
    );
    return { keyId: key.id, secretsProvider: pulumi.interpolate`gcpkms://${key.id}` };
  },
  loginUrl: (_ctx, store) => pulumi.interpolate`gs://${store.storeName}`,
};
