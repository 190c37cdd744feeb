/**
 * Site key management: the customer-managed keys a site owns and every component uses for encryption
 * at rest. One `SiteKeys` component per site; the cloud implementation creates the key store and key:
 *
 * - AWS: a symmetric KMS key with yearly rotation, a 30-day deletion window and a key policy scoped to
 *   the site's account (plus the CloudWatch Logs service of the site's region, for encrypted log groups).
 * - Azure: a Key Vault (RBAC authorization, purge protection, 90-day soft delete, public network access
 *   off in production, Premium SKU in production) with an RSA key (RSA-HSM in production) and a rotation
 *   policy, plus a user-assigned identity allowed to wrap/unwrap with it (for services' CMK encryption).
 * - GCP: a KMS key ring and a crypto key with a 90-day rotation period (HSM protection level in production).
 */
import * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "./regions";
import type { SiteContext } from "./context";
import { implementationFor } from "../providers";

/** Cloud-specific handles of a site's keys, for the implementations of the same cloud. */
export interface KeyHandles {
  aws: {
    /** ARN of the KMS key. */
    readonly keyArn: pulumi.Output<string>;
    /** Alias of the key (`alias/...`). */
    readonly aliasName: pulumi.Output<string>;
  };
  azure: {
    readonly vaultId: pulumi.Output<string>;
    readonly vaultUri: pulumi.Output<string>;
    readonly keyName: pulumi.Output<string>;
    /** Versionless key URI: services follow rotations automatically. */
    readonly keyUri: pulumi.Output<string>;
    /** The key's current version URI (services that take only a versioned key, e.g. Azure Managed Redis). */
    readonly keyUriWithVersion: pulumi.Output<string>;
    /**
     * Resource id of the user-assigned identity that may use the key; it resolves only once the identity
     * holds its role on the vault, so a resource that takes it is created after the grant.
     */
    readonly identityId: pulumi.Output<string>;
    readonly identityPrincipalId: pulumi.Output<string>;
    readonly identityClientId: pulumi.Output<string>;
    /**
     * The role assignment that lets the identity wrap and unwrap with the key: every consumer of the key
     * (storage accounts, PostgreSQL) lists it in `dependsOn` (Azure refuses CMK set-up before it exists).
     */
    readonly keyAccess: pulumi.Resource;
  };
  gcp: {
    readonly keyRingId: pulumi.Output<string>;
    /** `projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>` */
    readonly cryptoKeyId: pulumi.Output<string>;
    /**
     * The same key id, resolved only once the project's Cloud Logging CMEK service account may use the
     * key: use it for `cmekSettings` of log buckets (one grant per site, shared by every log bucket).
     */
    readonly loggingKmsKeyName: pulumi.Output<string>;
  };
}

export interface SiteKeysOutputs<C extends Cloud> {
  /** The key every component encrypts with: KMS key ARN, Key Vault key URI, or GCP crypto key id. */
  readonly keyId: pulumi.Output<string>;
  /** Whether the key material lives in an HSM (production). */
  readonly hsmBacked: boolean;
  readonly handles: KeyHandles[C];
}

export class SiteKeys<C extends Cloud> extends pulumi.ComponentResource {
  public readonly keyId: pulumi.Output<string>;
  public readonly hsmBacked: boolean;
  public readonly handles: KeyHandles[C];

  constructor(name: string, ctx: SiteContext<C>, opts?: pulumi.ComponentResourceOptions) {
    super("platform:security:SiteKeys", name, {}, opts);
    const outputs = implementationFor(ctx).keys(name, ctx, this);
    this.keyId = outputs.keyId;
    this.hsmBacked = outputs.hsmBacked;
    this.handles = outputs.handles;
    this.registerOutputs({ keyId: this.keyId, hsmBacked: this.hsmBacked });
  }
}
