/**
 * The site's object store: one S3-compatible bucket (an S3 bucket, a Blob Storage account with one
 * container, or a Cloud Storage bucket) for application data and backups, compliant by default:
 *
 * - encrypted at rest with the site's customer-managed key; no public access of any kind; TLS only
 *   (TLS 1.2 minimum, the highest minimum every cloud's object store lets us require);
 * - versioning (or, where a cloud cannot combine it with a locked retention policy, the lock itself) and
 *   soft delete, so an overwrite or a delete can be undone;
 * - lifecycle: current objects move to cooler then archive tiers, noncurrent versions expire;
 * - access logging (S3 server access logs to a log bucket, Azure blob diagnostics to the site's log
 *   workspace, Cloud Storage data-access audit logs);
 * - production: immutable (WORM) retention for backups and geo-redundant placement where the cloud
 *   offers it in the store itself (Azure RA-GZRS to the region's fixed pair, only where the site has a
 *   replica region; Cloud Storage dual-region), or by replication (S3 Cross-Region Replication to a
 *   second bucket, with its own key, in the site's replica region). Azure creates its WORM policy
 *   Unlocked and locks it on a later update (site setting `storage.lockImmutability`);
 * - reachable privately where the store is closed to public networks (Azure: a private endpoint in the
 *   network's endpoints subnet, registered in the `privatelink.blob` zone);
 * - Cloud Storage geo-redundancy is a configurable dual-region of the site's region and its replica
 *   region (same jurisdiction unless the stack says otherwise), never a continent-wide multi-region;
 *   where Cloud Storage cannot pair the two (Canada, Mexico, Brazil, Chile, the UK) the bucket stays
 *   regional and the store reports `geoRedundant: false`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "./regions";
import type { SiteContext } from "./context";
import type { KeyHandles, SiteKeys } from "./keys";
import type { MonitoringOutputs } from "./monitoring";

/**
 * The cloud-specific private-access handles storage needs (a structural subset of the network's
 * `privateAccess`, so that this contract does not depend on the whole network contract).
 */
export interface StoragePrivateAccess {
  /** AWS needs nothing (the S3 gateway endpoint is on every route table). */
  aws: object;
  azure: {
    /** The site's resource group (the private endpoint's). */
    readonly resourceGroupName: pulumi.Output<string>;
    /** Subnet for private endpoints. */
    readonly endpointsSubnetId: pulumi.Output<string>;
    /** Private DNS zone ids linked to the network; storage uses `blob`. */
    readonly privateDnsZoneIds: { readonly blob: pulumi.Output<string> };
  };
  /** GCP needs nothing (Private Google Access on every subnet). */
  gcp: object;
}

/** The parts of a site's network storage needs: implemented by `Network`. */
export interface StorageNetwork<C extends Cloud> {
  readonly privateAccess: StoragePrivateAccess[C];
}
import { implementationFor } from "../providers";

/** What a user may tune; every field has a compliant default. */
export interface StorageArgs<C extends Cloud = Cloud> {
  /** The site's keys: the store is encrypted with the site's customer-managed key. */
  readonly keys: SiteKeys<C>;
  /**
   * The site's monitoring, when built: access logs go to its log sink where the cloud routes them
   * there (Azure diagnostics). Clouds whose access logs go elsewhere ignore it.
   */
  readonly monitoring?: MonitoringOutputs;
  /**
   * The site's network: where the store is closed to public networks (Azure), its private endpoint goes
   * in the network's endpoints subnet. Required on Azure.
   */
  readonly network?: StorageNetwork<C>;
  /** Days after creation at which current objects move to the infrequent-access tier (default 30). */
  readonly coolAfterDays?: number;
  /** Days after creation at which current objects move to the archive tier (default 180). */
  readonly archiveAfterDays?: number;
  /** Days a noncurrent (overwritten or deleted) version is kept before it expires (default 90). */
  readonly noncurrentVersionDays?: number;
  /** Days deleted objects stay recoverable by soft delete where the cloud has it (default 14). */
  readonly softDeleteDays?: number;
  /**
   * Days every object is immutable (WORM: nobody, administrators included, can delete or overwrite it)
   * after it is written. Default: 30 in production, 0 (off) elsewhere. Irreversible once applied.
   */
  readonly immutableDays?: number;
  /**
   * Store data redundantly in a second region where the cloud can (default: production). Azure: only
   * where the site has a replica region (the fixed pair); elsewhere the account stays in its region.
   */
  readonly geoRedundant?: boolean;
  /** Days access logs are kept where the store keeps them itself (default: 365 in production, else 90). */
  readonly accessLogDays?: number;
  /**
   * A CDN (components/cdn.ts) will read the store: on AWS the bucket's one bucket policy then waits for
   * the distribution's ARN (`origin.admitDistribution`) and admits that distribution's reads. Default false.
   */
  readonly servedByCdn?: boolean;
}

/** The settings an implementation receives: every default resolved and validated. */
export interface ResolvedStorageSettings {
  /** See {@link StorageArgs.coolAfterDays}. */
  readonly coolAfterDays: number;
  /** See {@link StorageArgs.archiveAfterDays}. */
  readonly archiveAfterDays: number;
  /** See {@link StorageArgs.noncurrentVersionDays}. */
  readonly noncurrentVersionDays: number;
  /** See {@link StorageArgs.softDeleteDays}. */
  readonly softDeleteDays: number;
  /** See {@link StorageArgs.immutableDays}; 0 means off. */
  readonly immutableDays: number;
  /** See {@link StorageArgs.geoRedundant}. */
  readonly geoRedundant: boolean;
  /** See {@link StorageArgs.accessLogDays}. */
  readonly accessLogDays: number;
}

/** What the store is, for the components and stack outputs that use it. */
export interface StorageOutputs {
  /** The store's cloud resource id: bucket name, storage account resource id, or bucket name. */
  readonly storeId: pulumi.Output<string>;
  /** Name applications address: bucket name, or `<account>/<container>` on Azure. */
  readonly storeName: pulumi.Output<string>;
  /** HTTPS endpoint of the store. */
  readonly endpoint: pulumi.Output<string>;
  /** Where access logs go: log bucket name, log workspace id, or the audit log service. */
  readonly accessLogDestination: pulumi.Output<string>;
  /** Whether objects are WORM-protected for {@link ResolvedStorageSettings.immutableDays}. */
  readonly immutable: boolean;
  /** Whether the store itself keeps a copy in a second region. */
  readonly geoRedundant: boolean;
}

/**
 * What a CDN in front of the store needs to reach it privately (components/cdn.ts), per cloud. The store
 * stays private: the CDN reads it with its own identity (AWS), over Private Link (Azure), or with the
 * Cloud CDN fill service account (GCP).
 */
export interface StorageOrigin {
  aws: {
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    /** `<bucket>.s3.<region>.amazonaws.com`: CloudFront's origin domain for a REST (non-website) bucket. */
    readonly regionalDomainName: pulumi.Output<string>;
    /**
     * The access-log bucket (SSE-S3, ACLs disabled): with `servedByCdn` its policy admits CloudWatch Logs
     * vended delivery (`delivery.logs.amazonaws.com`) under `cloudfront/`, for CloudFront standard logging v2.
     */
    readonly logBucketArn: pulumi.Output<string>;
    /**
     * Admits reads (s3:GetObject) by CloudFront for this one distribution into the bucket's single bucket
     * policy (`AWS:SourceArn`). Present only when the store was built with `servedByCdn`; call it once.
     */
    readonly admitDistribution: ((distributionArn: pulumi.Output<string>) => void) | undefined;
  };
  azure: {
    /** The storage account's resource id (the Private Link resource). */
    readonly accountId: pulumi.Output<string>;
    /** `<account>.blob.core.windows.net` */
    readonly blobHost: pulumi.Output<string>;
    /** The data container's name (the CDN's origin path). */
    readonly containerName: pulumi.Output<string>;
  };
  gcp: {
    readonly bucketName: pulumi.Output<string>;
  };
}

/** What a cloud implementation of storage returns: the outputs and, for the CDN, its origin handles. */
export interface StorageBuildOutputs<C extends Cloud> extends StorageOutputs {
  readonly origin: StorageOrigin[C];
}

/** What a cloud implementation of storage receives. */
export interface StorageBuildInputs<C extends Cloud> {
  /** Resolved settings. */
  readonly settings: ResolvedStorageSettings;
  /** The site's key handles on this cloud. */
  readonly keys: KeyHandles[C];
  /** The site's monitoring, when built (see {@link StorageArgs.monitoring}). */
  readonly monitoring: MonitoringOutputs | undefined;
  /** The site's network, when given (see {@link StorageArgs.network}). */
  readonly network: StorageNetwork<C> | undefined;
  /** See {@link StorageArgs.servedByCdn}. */
  readonly servedByCdn: boolean;
  /** The Storage component: parent of every resource the implementation creates. */
  readonly parent: pulumi.ComponentResource;
}

/** A problem with storage arguments, naming the arguments involved. */
export class StorageArgsError extends Error {
  constructor(message: string) {
    super(`Storage: ${message}`);
    this.name = "StorageArgsError";
  }
}

function wholeDays(value: number, what: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new StorageArgsError(`${what} must be a whole number of days from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** Resolves defaults and rejects invalid combinations (pure; unit-tested). */
export function resolveStorageSettings(
  args: Omit<StorageArgs, "keys" | "monitoring" | "network" | "servedByCdn">,
  production: boolean,
): ResolvedStorageSettings {
  const coolAfterDays = wholeDays(args.coolAfterDays ?? 30, "coolAfterDays", 30, 3650);
  const archiveAfterDays = wholeDays(args.archiveAfterDays ?? 180, "archiveAfterDays", 1, 36500);
  // S3 Glacier and GCS ARCHIVE have a 90-day minimum storage duration; moving data there sooner than
  // 90 days after it reached the cool tier costs more than it saves.
  if (archiveAfterDays < coolAfterDays + 60) {
    throw new StorageArgsError(
      `archiveAfterDays (${archiveAfterDays}) must be at least coolAfterDays (${coolAfterDays}) + 60`,
    );
  }
  const noncurrentVersionDays = wholeDays(args.noncurrentVersionDays ?? 90, "noncurrentVersionDays", 1, 3650);
  const softDeleteDays = wholeDays(args.softDeleteDays ?? 14, "softDeleteDays", 7, 90);
  const immutableDays = wholeDays(args.immutableDays ?? (production ? 30 : 0), "immutableDays", 0, 3650);
  if (immutableDays > 0 && noncurrentVersionDays < immutableDays) {
    throw new StorageArgsError(
      `noncurrentVersionDays (${noncurrentVersionDays}) must be at least immutableDays (${immutableDays}): ` +
        "a version cannot expire while it is locked",
    );
  }
  const accessLogDays = wholeDays(args.accessLogDays ?? (production ? 365 : 90), "accessLogDays", 1, 3650);
  if (production && accessLogDays < 365) {
    throw new StorageArgsError(`accessLogDays (${accessLogDays}) must be at least 365 in production`);
  }
  return {
    coolAfterDays,
    archiveAfterDays,
    noncurrentVersionDays,
    softDeleteDays,
    immutableDays,
    geoRedundant: args.geoRedundant ?? production,
    accessLogDays,
  };
}

/** The site's object store, built by the site's cloud implementation. */
export class Storage<C extends Cloud = Cloud> extends pulumi.ComponentResource implements StorageOutputs {
  public readonly storeId: pulumi.Output<string>;
  public readonly storeName: pulumi.Output<string>;
  public readonly endpoint: pulumi.Output<string>;
  public readonly accessLogDestination: pulumi.Output<string>;
  public readonly immutable: boolean;
  public readonly geoRedundant: boolean;
  /** What a CDN in front of the store needs (see {@link StorageOrigin}). */
  public readonly origin: StorageOrigin[C];

  constructor(
    name: string,
    ctx: SiteContext<C>,
    args: StorageArgs<C>,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    // Validate before registering anything: a bad argument creates no resource.
    const settings = resolveStorageSettings(args, ctx.production);
    super("platform:storage:ObjectStorage", name, {}, opts);
    const out = implementationFor(ctx).storage(name, ctx, {
      settings,
      keys: args.keys.handles,
      monitoring: args.monitoring,
      network: args.network,
      servedByCdn: args.servedByCdn ?? false,
      parent: this,
    });
    this.origin = out.origin;
    this.storeId = out.storeId;
    this.storeName = out.storeName;
    this.endpoint = out.endpoint;
    this.accessLogDestination = out.accessLogDestination;
    this.immutable = out.immutable;
    this.geoRedundant = out.geoRedundant;
    this.registerOutputs({
      storeId: this.storeId,
      storeName: this.storeName,
      endpoint: this.endpoint,
      accessLogDestination: this.accessLogDestination,
      immutable: this.immutable,
      geoRedundant: this.geoRedundant,
    });
  }
}
