/**
 * The site's cache: a managed Redis-compatible in-memory store (Amazon ElastiCache for Valkey, Azure
 * Managed Redis, Memorystore for Redis), compliant by default:
 *
 * - private only: on the network's data tier (AWS subnet group and the data tier's security group, which
 *   admits the cache port from the private tier only), a private endpoint in the network's endpoints
 *   subnet with public network access disabled (Azure), Private Service Access on the site's VPC (GCP,
 *   whose egress rules let only the private tier reach the cache port);
 * - TLS required for every client (no plaintext port), TLS 1.2 minimum;
 * - authentication on, credentials never in clear: a generated AUTH token kept as a Pulumi secret and in
 *   a Secrets Manager secret encrypted with the site key (AWS), Microsoft Entra only with access keys
 *   disabled (Azure), the AUTH string Memorystore generates, readable only with
 *   `redis.instances.getAuthString` (GCP);
 * - encrypted at rest with the site's customer-managed key on every cloud (ElastiCache `kmsKeyId`, Azure
 *   Managed Redis customer-managed key through the site's key identity, Memorystore CMEK after the
 *   service agent's grant);
 * - in production: replicas in other zones with automatic failover (Multi-AZ replication group across
 *   the site's zones; zone-redundant high availability; Standard Tier with read replicas);
 * - automatic snapshots (ElastiCache daily snapshots kept `snapshotRetentionDays`; RDB persistence on
 *   Azure and GCP, which keep only the latest snapshot, for their own recovery);
 * - engine logs to the site's log service and alerts on memory, evictions and replication lag.
 *
 * Engine and size come from the catalog (`components/cache-catalog.ts`); the stack may override them per
 * site (`cache` in the site config).
 */
import * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "./regions";
import type { SiteContext } from "./context";
import type { KeyHandles, SiteKeys } from "./keys";
import type { MonitoringOutputs } from "./monitoring";
import { implementationFor } from "../providers";
import {
  type CacheConfig,
  type CacheSize,
  type CacheVersion,
  cacheCatalog,
  cacheSizes,
} from "./cache-catalog";

export { cacheCatalog, cacheSizes, cacheVersions } from "./cache-catalog";
export type { CacheConfig, CacheSize, CacheVersion } from "./cache-catalog";

/** The cloud-specific private-access handles the cache needs (a subset of the network's `privateAccess`). */
export interface CachePrivateAccess {
  /** AWS needs nothing beyond the data-tier subnets and security group. */
  aws: object;
  azure: {
    /** The site's resource group. */
    readonly resourceGroupName: pulumi.Output<string>;
    /** Subnet for private endpoints (the data subnet is delegated to PostgreSQL and takes none). */
    readonly endpointsSubnetId: pulumi.Output<string>;
    /** Private DNS zone ids linked to the network; the cache uses `redis`. */
    readonly privateDnsZoneIds: { readonly redis: pulumi.Output<string> };
  };
  gcp: {
    /** Self link of the VPC network (Memorystore `authorizedNetwork`). */
    readonly networkSelfLink: pulumi.Output<string>;
    /** The Private Service Access range (Memorystore `reservedIpRange`). */
    readonly serviceRangeName: pulumi.Output<string>;
    /** The service networking connection: the instance is created after it. */
    readonly serviceConnectionId: pulumi.Output<string>;
  };
}

/** The parts of a site's network the cache needs: implemented by `Network`. */
export interface CacheNetwork<C extends Cloud> {
  /** Subnet ids per tier; the cache uses the `data` tier. */
  readonly subnetIds: { readonly data: readonly pulumi.Output<string>[] };
  /** Traffic rule per tier; the cache attaches to the `data` tier's (security group on AWS). */
  readonly trafficRules: { readonly data: pulumi.Output<string> };
  /** Cloud-specific private access. */
  readonly privateAccess: CachePrivateAccess[C];
}

/** What a user may tune (the stack's `cache` settings); every field has a compliant default. */
export interface CacheArgs<C extends Cloud = Cloud> extends CacheConfig {
  /** The site's keys: data at rest, snapshots and the AUTH secret are encrypted with the site's key. */
  readonly keys: SiteKeys<C>;
  /** The site's network: the cache lives on its data tier, privately. */
  readonly network: CacheNetwork<C>;
  /** The site's monitoring: logs and alerts go there. */
  readonly monitoring?: MonitoringOutputs;
}

/** The settings an implementation receives: every default resolved and validated. */
export interface ResolvedCacheSettings {
  /** Abstract size. */
  readonly size: CacheSize;
  /** Abstract engine major version. */
  readonly version: CacheVersion;
  /** The engine the cloud runs. */
  readonly engine: "valkey" | "redis";
  /** The cloud's engine version string (`8.0`, `REDIS_7_2`; informational on Azure). */
  readonly engineVersion: string;
  /** Node type, SKU or capacity in GB, from the catalog. */
  readonly nodeType: string;
  /** Replicas beside the primary. */
  readonly replicas: number;
  /** A replica in another zone takes over automatically (at least one replica). */
  readonly automaticFailover: boolean;
  /** Days automatic snapshots are kept (where the cloud keeps more than the latest). */
  readonly snapshotRetentionDays: number;
  /** Deletion protection / Pulumi `protect` (production). */
  readonly deletionProtection: boolean;
}

/** What a cloud implementation of the cache receives. */
export interface CacheBuildInputs<C extends Cloud> {
  readonly settings: ResolvedCacheSettings;
  readonly keys: KeyHandles[C];
  readonly network: CacheNetwork<C>;
  readonly monitoring: MonitoringOutputs | undefined;
  /** The Cache component: parent of every resource the implementation creates. */
  readonly parent: pulumi.ComponentResource;
}

/** What the cache offers applications. */
export interface CacheOutputs {
  /** Cloud resource id: replication group ARN, Azure Managed Redis cluster id, Memorystore instance id. */
  readonly cacheId: pulumi.Output<string>;
  /** Private host name (or IP) of the primary endpoint; TLS required. */
  readonly endpoint: pulumi.Output<string>;
  /** TLS port clients connect to. */
  readonly port: number;
  /**
   * Where the credential lives, never the credential itself: the Secrets Manager secret ARN holding the
   * AUTH token (AWS), `entra:<cluster id>` (Azure: Microsoft Entra tokens, access keys disabled), or
   * `getAuthString:<instance id>` (GCP: the AUTH string is read with `redis.instances.getAuthString`).
   */
  readonly authSecretRef: pulumi.Output<string>;
  /** Whether a replica in another zone takes over automatically. */
  readonly highAvailability: boolean;
}

/** A problem with cache arguments, naming the arguments involved. */
export class CacheArgsError extends Error {
  constructor(message: string) {
    super(`Cache: ${message}`);
    this.name = "CacheArgsError";
  }
}

/** GCP: read replicas need nodes of at least this many GB (Memorystore "Read replicas", limitations). */
export const gcpReadReplicaMinGb = 5;

/** Resolves defaults from the catalog and rejects invalid combinations (pure; unit-tested). */
export function resolveCacheSettings(
  args: CacheConfig,
  cloud: Cloud,
  production: boolean,
  zoneCount: number,
): ResolvedCacheSettings {
  const catalog = cacheCatalog[cloud];
  const size = args.size ?? (production ? "medium" : "small");
  if (!(cacheSizes as readonly string[]).includes(size)) {
    throw new CacheArgsError(`size must be one of ${cacheSizes.join(", ")}, got '${String(size)}'`);
  }
  const version = args.version ?? catalog.defaultVersion;
  const engineVersion = catalog.versions[version];
  if (engineVersion === undefined) {
    const offered = Object.keys(catalog.versions).join(", ");
    throw new CacheArgsError(
      `version '${version}' is not offered on ${cloud} (${catalog.engine}); expected one of ${offered} (${catalog.source})`,
    );
  }
  const replicas = args.replicas ?? (production ? Math.min(2, catalog.maxReplicas) : 0);
  if (!Number.isInteger(replicas) || replicas < 0 || replicas > catalog.maxReplicas) {
    throw new CacheArgsError(
      `replicas must be a whole number from 0 to ${catalog.maxReplicas} on ${cloud}, got ${replicas}`,
    );
  }
  if (production && replicas < 1) {
    throw new CacheArgsError(
      "replicas must be at least 1 in production (automatic failover to another zone)",
    );
  }
  if (replicas >= 1 && cloud === "aws" && zoneCount < 2) {
    throw new CacheArgsError(
      `replicas (${replicas}) need at least 2 zones for Multi-AZ; the site has ${zoneCount} (set zones on the site)`,
    );
  }
  const nodeType = catalog.sizes[size];
  if (cloud === "gcp" && replicas >= 1 && Number(nodeType) < gcpReadReplicaMinGb) {
    throw new CacheArgsError(
      `size '${size}' (${nodeType} GB) cannot have replicas on gcp: read replicas need nodes of at least ${gcpReadReplicaMinGb} GB (size medium or large)`,
    );
  }
  const snapshotRetentionDays = args.snapshotRetentionDays ?? (production ? 7 : 1);
  if (!Number.isInteger(snapshotRetentionDays) || snapshotRetentionDays < 1 || snapshotRetentionDays > 35) {
    throw new CacheArgsError(
      `snapshotRetentionDays must be a whole number from 1 to 35 (ElastiCache's limit), got ${snapshotRetentionDays}`,
    );
  }
  if (production && snapshotRetentionDays < 7) {
    throw new CacheArgsError(
      `snapshotRetentionDays (${snapshotRetentionDays}) must be at least 7 in production`,
    );
  }
  return {
    size,
    version,
    engine: catalog.engine,
    engineVersion,
    nodeType,
    replicas,
    automaticFailover: replicas >= 1,
    snapshotRetentionDays,
    deletionProtection: production,
  };
}

/** The site's cache, built by the site's cloud implementation. */
export class Cache<C extends Cloud = Cloud> extends pulumi.ComponentResource implements CacheOutputs {
  public readonly cacheId: pulumi.Output<string>;
  public readonly endpoint: pulumi.Output<string>;
  public readonly port: number;
  public readonly authSecretRef: pulumi.Output<string>;
  public readonly highAvailability: boolean;

  constructor(name: string, ctx: SiteContext<C>, args: CacheArgs<C>, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything: a bad argument creates no resource.
    const settings = resolveCacheSettings(args, ctx.cloud, ctx.production, ctx.zones.length);
    super("platform:cache:Cache", name, {}, opts);
    const out = implementationFor(ctx).cache(name, ctx, {
      settings,
      keys: args.keys.handles,
      network: args.network,
      monitoring: args.monitoring,
      parent: this,
    });
    this.cacheId = out.cacheId;
    this.endpoint = out.endpoint;
    this.port = out.port;
    this.authSecretRef = out.authSecretRef;
    this.highAvailability = out.highAvailability;
    this.registerOutputs({
      cacheId: this.cacheId,
      endpoint: this.endpoint,
      port: this.port,
      authSecretRef: this.authSecretRef,
      highAvailability: this.highAvailability,
    });
  }
}
