import * as pulumi from "@pulumi/pulumi";
import { CryptoKey, CryptoKeyIAMMember, KeyRing } from "@pulumi/gcp/kms";
import { getProjectCmekSettingsOutput } from "@pulumi/gcp/logging/getProjectCmekSettings";
import { ServiceIdentity } from "@pulumi/gcp/projects/serviceIdentity";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type { SiteKeysOutputs } from "../../components/keys";
import { fitName, uniqueName } from "../../components/naming";

export interface KeyRingArgs {
  /**
   * Key ring name: key rings and keys cannot be deleted, so a re-created stack needs a new name. Build it
   * with `uniqueName("gcpKms", ..., ctx.uniqueSuffix)`.
   */
  readonly ringName: pulumi.Input<string>;
  /** Key name within the ring (unique through the ring's name). */
  readonly keyName: string;
  /** A region, or a multi-region KMS location (`eu`, `us`) for multi-region services. */
  readonly location: string;
  readonly project: string;
  /** Production: HSM protection level and Pulumi `protect`. */
  readonly production: boolean;
}

/**
 * A Cloud KMS key ring and an encryption key in it: 90-day rotation, a 30-day scheduled destruction
 * window, HSM protection level (FIPS 140-2 Level 3) in production.
 *
 * Cloud KMS never deletes key rings or keys (only key versions are destroyed), and their names stay taken
 * in the project and location forever: a stack that is destroyed and created again must use new names,
 * hence the random site suffix in the ring's name (`ringName`). Pulumi "deletes" them by forgetting them.
 */
export function keyRingAndKey(
  name: string,
  args: KeyRingArgs,
  opts: pulumi.CustomResourceOptions,
): { ring: KeyRing; key: CryptoKey } {
  const stateful = statefulOptions({ production: args.production }, opts);
  const ring = new KeyRing(
    `${name}-ring`,
    { name: args.ringName, location: args.location, project: args.project },
    stateful,
  );
  const key = new CryptoKey(
    `${name}-key`,
    {
      name: args.keyName,
      keyRing: ring.id,
      purpose: "ENCRYPT_DECRYPT",
      rotationPeriod: "7776000s",
      destroyScheduledDuration: "2592000s",
      versionTemplate: {
        algorithm: "GOOGLE_SYMMETRIC_ENCRYPTION",
        protectionLevel: args.production ? "HSM" : "SOFTWARE",
      },
    },
    stateful,
  );
  return { ring, key };
}

/**
 * The site's Cloud KMS key ring and key: 90-day rotation, a 30-day scheduled destruction window, and the
 * HSM protection level (FIPS 140-2 Level 3) in production.
 */
export function keys(
  name: string,
  ctx: SiteContext<"gcp">,
  parent: pulumi.ComponentResource,
): SiteKeysOutputs<"gcp"> {
  const { ring, key } = keyRingAndKey(
    name,
    {
      ringName: uniqueName("gcpKms", [ctx.stack.environment, ctx.role, "site"], ctx.uniqueSuffix),
      keyName: fitName("gcpKms", [ctx.role, "site-key"]),
      location: ctx.site.region,
      project: ctx.site.project,
      production: ctx.production,
    },
    { parent },
  );
  // Cloud Logging encrypts CMEK log buckets with the project's Logging service account.
  const cmek = getProjectCmekSettingsOutput({ project: ctx.site.project }, { parent });
  const loggingAccess = new CryptoKeyIAMMember(
    `${name}-logging-key-access`,
    {
      cryptoKeyId: key.id,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: pulumi.interpolate`serviceAccount:${cmek.serviceAccountId}`,
    },
    { parent },
  );
  const loggingKmsKeyName = pulumi.all([key.id, loggingAccess.id]).apply(([id]) => id);
  return {
    keyId: key.id,
    hsmBacked: ctx.production,
    handles: { keyRingId: ring.id, cryptoKeyId: key.id, loggingKmsKeyName },
  };
}

/**
 * A Google service's agent (created on demand with `ServiceIdentity`) granted encrypt/decrypt on a site
 * key. A service that encrypts with a customer-managed key needs this grant before the resource naming
 * the key is created, so consumers depend on the returned grant. Resources are named `<name>` (the agent)
 * and `<name>-key-access` (the grant).
 */
export function grantKeyToServiceAgent(
  name: string,
  project: string,
  service: string,
  cryptoKeyId: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): CryptoKeyIAMMember {
  const agent = new ServiceIdentity(name, { project, service }, opts);
  return new CryptoKeyIAMMember(
    `${name}-key-access`,
    {
      cryptoKeyId,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: pulumi.interpolate`serviceAccount:${agent.email}`,
    },
    opts,
  );
}
