/**
 * File storage settings and the service limits they are checked against: plain data and the zod schema
 * of the stack's `fileStorage` setting, with no Pulumi or provider import (components/config.ts imports
 * it; components/filestore.ts builds on it).
 */
import { z } from "zod";

/** Filestore service tiers (the REST API's names; BASIC_HDD/BASIC_SSD are the old STANDARD/PREMIUM). */
export const filestoreTiers = ["BASIC_HDD", "BASIC_SSD", "ZONAL", "REGIONAL", "ENTERPRISE"] as const;
export type FilestoreTier = (typeof filestoreTiers)[number];

/**
 * The smallest capacity (GiB) Filestore accepts per tier, and the largest of the range we use.
 * Sources: https://cloud.google.com/filestore/docs/service-tiers (Basic HDD 1 TiB, Basic SSD 2.5 TiB,
 * Zonal and Enterprise 1 TiB) and https://cloud.google.com/filestore/docs/service-tiers-regional
 * (Regional lower range 100 GiB to 10,239 GiB).
 */
export const filestoreMinCapacityGb: Readonly<Record<FilestoreTier, number>> = {
  BASIC_HDD: 1024,
  BASIC_SSD: 2560,
  ZONAL: 1024,
  REGIONAL: 100,
  ENTERPRISE: 1024,
};

/** Tiers that replicate across zones (production needs one). */
export const filestoreHighAvailabilityTiers: readonly FilestoreTier[] = ["REGIONAL", "ENTERPRISE"];

/**
 * Azure premium file shares: provisioned size 100 GiB to 102,400 GiB
 * (https://learn.microsoft.com/azure/storage/files/storage-files-scale-targets#azure-file-share-scale-targets).
 */
export const azurePremiumShareGb = { min: 100, max: 102400 } as const;

/** The stack's `fileStorage` settings of a site; every field has a compliant default. */
export const fileStorageConfigSchema = z.strictObject({
  /**
   * Provisioned capacity in GiB (Azure share quota, Filestore capacity; EFS grows elastically and ignores
   * it). Default 1024.
   */
  capacityGb: z.number().int().min(100).max(102400).optional(),
  /** Filestore tier (default: `REGIONAL` in production, otherwise by size: `BASIC_HDD`). */
  gcpTier: z.enum(filestoreTiers).optional(),
  /** POSIX user and group the access point / root squash maps clients to (default 1000). */
  uid: z.number().int().min(0).max(4294967294).optional(),
  gid: z.number().int().min(0).max(4294967294).optional(),
});
export type FileStorageConfig = z.infer<typeof fileStorageConfigSchema>;
