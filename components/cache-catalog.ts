/**
 * The cache catalog: the engine versions and node sizes each cloud offers for the site's cache, and the
 * schema of the optional `cache` settings of a site in the stack config. Kept apart from
 * `components/cache.ts` (which dispatches to the cloud implementations) so that the config schema can use
 * it without importing the implementations.
 *
 * Sources (engine versions and sizes as offered when this catalog was written):
 * - ElastiCache for Valkey node-based clusters: engine `valkey` 7.2 and 8.0, parameter group families
 *   `valkey7` / `valkey8`; Graviton node types
 *   (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/supported-engine-versions.html,
 *   https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html);
 * - Azure Managed Redis: the service runs Redis 7.4 and chooses the engine itself (no version argument);
 *   SKUs `Balanced_B*`, `MemoryOptimized_M*` (https://learn.microsoft.com/azure/redis/overview);
 * - Memorystore for Redis: `REDIS_7_2` (and older); capacity in GB; read replicas only with nodes of at
 *   least 5 GB (https://cloud.google.com/memorystore/docs/redis/read-replicas).
 */
import { z } from "zod";
import type { Cloud } from "./regions";

/** Abstract sizes, mapped to each cloud's node types by the catalog. */
export const cacheSizes = ["small", "medium", "large"] as const;
export type CacheSize = (typeof cacheSizes)[number];

/** Engine major versions a stack may ask for; each cloud offers a subset (`cacheCatalog[cloud].versions`). */
export const cacheVersions = ["7", "8"] as const;
export type CacheVersion = (typeof cacheVersions)[number];

/** What one cloud offers. */
export interface CacheCloudCatalog {
  /** The engine the cloud runs (`valkey` on ElastiCache, `redis` elsewhere). */
  readonly engine: "valkey" | "redis";
  /** The cloud's engine version per abstract major version it offers (the newest is the default). */
  readonly versions: Readonly<Partial<Record<CacheVersion, string>>>;
  /** The default major version. */
  readonly defaultVersion: CacheVersion;
  /** Node type, SKU or capacity (GB) per abstract size. */
  readonly sizes: Readonly<Record<CacheSize, string>>;
  /** Replicas the cloud allows beside the primary (inclusive). */
  readonly maxReplicas: number;
  /** Where the catalog's values come from. */
  readonly source: string;
}

export const cacheCatalog: Readonly<Record<Cloud, CacheCloudCatalog>> = {
  aws: {
    engine: "valkey",
    versions: { "7": "7.2", "8": "8.0" },
    defaultVersion: "8",
    sizes: { small: "cache.t4g.medium", medium: "cache.m7g.large", large: "cache.r7g.xlarge" },
    // A replication group (cluster mode disabled) has a primary and up to 5 replicas.
    maxReplicas: 5,
    source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/supported-engine-versions.html",
  },
  azure: {
    engine: "redis",
    // Azure Managed Redis runs Redis 7.4 and upgrades it itself: there is no version to choose.
    versions: { "7": "7.4" },
    defaultVersion: "7",
    sizes: { small: "Balanced_B1", medium: "Balanced_B5", large: "MemoryOptimized_M20" },
    // High availability is one replica per shard, managed by the service: no replica count to choose.
    maxReplicas: 1,
    source: "https://learn.microsoft.com/azure/redis/overview",
  },
  gcp: {
    engine: "redis",
    versions: { "7": "REDIS_7_2" },
    defaultVersion: "7",
    // GB of memory; read replicas need nodes of at least 5 GB.
    sizes: { small: "1", medium: "5", large: "16" },
    // Standard Tier with read replicas: 1 to 5 read replicas.
    maxReplicas: 5,
    source: "https://cloud.google.com/memorystore/docs/redis/read-replicas",
  },
};

/** The optional `cache` settings of a site in the stack config (defaults in `resolveCacheSettings`). */
export const cacheConfigSchema = z.strictObject({
  /** Node size (default: `medium` in production, `small` otherwise). */
  size: z.enum(cacheSizes).optional(),
  /** Engine major version (default: the newest the site's cloud offers). */
  version: z.enum(cacheVersions).optional(),
  /** Replicas beside the primary (default: 2 in production, 0 otherwise; production needs at least 1). */
  replicas: z.number().int().min(0).max(5).optional(),
  /** Days automatic snapshots are kept where the cloud keeps several (ElastiCache: 1-35). */
  snapshotRetentionDays: z.number().int().min(1).max(35).optional(),
});
export type CacheConfig = z.infer<typeof cacheConfigSchema>;
