/**
 * The self-managed Pulumi state backend of one environment, on the stack's primary cloud (the bootstrap
 * program, `bootstrap/`, builds it before any platform stack exists):
 *
 * - the **state store**: the site's object store contract (components/storage.ts) with the settings a
 *   Pulumi backend needs: versioned, soft delete, encrypted with a dedicated customer-managed key (its own
 *   `SiteKeys`, rotated), access-logged, no public access, TLS only, `protect` in production; current
 *   objects are never moved to an archive tier (the CLI cannot read an S3 Glacier or Azure Archive object)
 *   and, where WORM retention would stop the CLI from replacing checkpoints and deleting its lock files
 *   (Azure version-level WORM, Cloud Storage retention policies), no retention lock;
 * - the **secrets-provider key**: a second key, used only by `pulumi` to encrypt stack secrets
 *   (`--secrets-provider awskms://…`, `azurekeyvault://…`, `gcpkms://…`).
 *
 * Outputs are what an operator types next: the `pulumi login` URL and the `--secrets-provider` value.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config";
import type { SiteContext } from "./context";
import type { KeyHandles } from "./keys";
import type { Cloud } from "./regions";
import type { StorageArgs, StorageOutputs } from "./storage";

/** The secrets-provider key an implementation creates. */
export interface SecretsKey {
  /** The key's cloud id (KMS key ARN, Key Vault key URI, Cloud KMS key id). */
  readonly keyId: pulumi.Output<string>;
  /** The `--secrets-provider` value for `pulumi stack init` / `pulumi stack change-secrets-provider`. */
  readonly secretsProvider: pulumi.Output<string>;
}

/** One cloud's half of the state backend. */
export interface StateBackendImplementation<C extends Cloud> {
  /** Storage settings the cloud needs for a Pulumi backend (merged over the backend defaults). */
  storageArgs(ctx: SiteContext<C>): Partial<Omit<StorageArgs<C>, "keys" | "monitoring" | "network">>;
  /** The key `pulumi` encrypts stack secrets with (not the state store's key). */
  secretsKey(name: string, ctx: SiteContext<C>, keys: KeyHandles[C], parent: pulumi.Resource): SecretsKey;
  /** The `pulumi login` URL of the store. */
  loginUrl(ctx: SiteContext<C>, store: StorageOutputs): pulumi.Output<string>;
}

/** Every cloud's half: a missing cloud fails to compile. */
export type StateBackendImplementations = { readonly [C in Cloud]: StateBackendImplementation<C> };

/**
 * Names of the backend's resources are those of an environment `<environment>-state`, so that they never
 * collide with the platform stack's own names (KMS aliases, resource groups, IAM roles) when both live in
 * the same account, subscription or project. Tags keep the real environment.
 */
export function stateEnvironment(environment: string): string {
  return `${environment}-state`;
}

/** The stack config the backend's site context carries (names from {@link stateEnvironment}). */
export function stateStackConfig(config: StackConfig): StackConfig {
  return { ...config, environment: stateEnvironment(config.environment) };
}

/** Storage settings every backend uses: never archive the current checkpoint, keep history 90 days. */
export const backendStorageDefaults = {
  // Maximum allowed: current objects (the checkpoints) stay readable by the CLI.
  archiveAfterDays: 36500,
  noncurrentVersionDays: 90,
  softDeleteDays: 30,
} as const;

export interface StateBackendArgs<C extends Cloud> {
  /** The implementation of the backend's cloud. */
  readonly implementation: StateBackendImplementation<C>;
  /** The store built by the caller (a `Storage` on the same context). */
  readonly store: StorageOutputs;
  /** The state store's key handles (the secrets key lives beside it: same vault on Azure). */
  readonly keys: KeyHandles[C];
}

/** The backend's outputs: the login URL and secrets provider, plus the key of the secrets provider. */
export class StateBackend<C extends Cloud = Cloud> extends pulumi.ComponentResource {
  public readonly loginUrl: pulumi.Output<string>;
  public readonly secretsProvider: pulumi.Output<string>;
  public readonly secretsKeyId: pulumi.Output<string>;

  constructor(
    name: string,
    ctx: SiteContext<C>,
    args: StateBackendArgs<C>,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("platform:bootstrap:StateBackend", name, {}, opts);
    const key = args.implementation.secretsKey(`${name}-secrets`, ctx, args.keys, this);
    this.secretsKeyId = key.keyId;
    this.secretsProvider = key.secretsProvider;
    this.loginUrl = args.implementation.loginUrl(ctx, args.store);
    this.registerOutputs({
      loginUrl: this.loginUrl,
      secretsProvider: this.secretsProvider,
      secretsKeyId: this.secretsKeyId,
    });
  }
}
