/**
 * The site's shared file storage: an NFS file system every workload of the private tier can mount
 * (Amazon EFS, Azure Files NFS on a premium FileStorage account, Filestore), compliant by default:
 *
 * - private only: mount targets in the private tier behind a security group that admits NFS (2049) from
 *   the private tier only (AWS); a private endpoint (`file`) in the network's endpoints subnet, public
 *   network access disabled (Azure); Private Service Access on the site's VPC with NFS export options
 *   limited to the private tier's range (GCP);
 * - encrypted in transit: the EFS file system policy denies every request without TLS
 *   (`aws:SecureTransport` false) and anonymous clients; Azure Files NFS 4.1 has no TLS of its own
 *   (Azure requires "secure transfer required" off on the account for NFS) and is protected by the
 *   private network path only: public network access disabled, the private endpoint as the only route
 *   (learn.microsoft.com/azure/storage/files/files-nfs-protocol#security-and-networking); Filestore NFS
 *   traffic stays on the VPC's peering to Google's producer network;
 * - encrypted at rest with the site's customer-managed key on every cloud (EFS `kmsKeyId`, the storage
 *   account's Key Vault key through the site's user-assigned identity, Filestore `kmsKeyName` after the
 *   Filestore service agent's grant);
 * - backups: AWS Backup's automatic daily backups of the file system (BackupPolicy ENABLED), and the
 *   site's locked vault (components/backup.ts); on Azure share soft delete only: Azure Backup does not
 *   back up NFS shares (`vaultedBackup` false); Filestore Zonal, Regional and Enterprise instances are
 *   scheduled into the site's Backup and DR vault (components/backup.ts), Basic tiers have no scheduled
 *   backup at all (Filestore's own backups are on demand only);
 * - production: zone-redundant storage (EFS Regional, Azure Premium_ZRS where the region has zones,
 *   Filestore REGIONAL) and deletion protection;
 * - an alert on the file system's saturation (EFS I/O limit, Azure share capacity, Filestore used space).
 */
import * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "./regions";
import type { SiteContext } from "./context";
import type { KeyHandles, SiteKeys } from "./keys";
import type { MonitoringOutputs } from "./monitoring";
import { implementationFor } from "../providers";
import {
  type FileStorageConfig,
  type FilestoreTier,
  azurePremiumShareGb,
  filestoreHighAvailabilityTiers,
  filestoreMinCapacityGb,
} from "./filestore-config";

export {
  azurePremiumShareGb,
  filestoreHighAvailabilityTiers,
  filestoreMinCapacityGb,
  filestoreTiers,
  fileStorageConfigSchema,
} from "./filestore-config";
export type { FilestoreTier, FileStorageConfig } from "./filestore-config";

/** The cloud-specific private-access handles the file storage needs (a subset of the network's). */
export interface FileStorePrivateAccess {
  aws: object;
  azure: {
    readonly resourceGroupName: pulumi.Output<string>;
    /** Subnet for private endpoints (admits the private tier only). */
    readonly endpointsSubnetId: pulumi.Output<string>;
    /** Private DNS zone ids linked to the network; file storage uses `file`. */
    readonly privateDnsZoneIds: { readonly file: pulumi.Output<string> };
  };
  gcp: {
    readonly networkSelfLink: pulumi.Output<string>;
    /** The Private Service Access range (Filestore `reservedIpRange`), when the network has one. */
    readonly serviceRangeName?: pulumi.Output<string>;
    /** The service networking connection: the instance is created after it. */
    readonly serviceConnectionId?: pulumi.Output<string>;
  };
}

/** The parts of a site's network the file storage needs: implemented by `Network`. */
export interface FileStoreNetwork<C extends Cloud> {
  readonly networkId: pulumi.Output<string>;
  /** Private-tier subnets (mount targets on AWS; their ranges may mount on GCP). */
  readonly subnets: {
    readonly private: readonly { readonly cidr: string; readonly id: pulumi.Output<string> }[];
  };
  /** The private tier's traffic rule (security group on AWS): the only source admitted to NFS. */
  readonly trafficRules: { readonly private: pulumi.Output<string> };
  readonly privateAccess: FileStorePrivateAccess[C];
}

export interface FileStoreArgs<C extends Cloud = Cloud> extends FileStorageConfig {
  readonly keys: SiteKeys<C>;
  readonly network: FileStoreNetwork<C>;
  readonly monitoring?: MonitoringOutputs;
}

/** The settings an implementation receives: every default resolved and validated. */
export interface ResolvedFileStoreSettings {
  readonly capacityGb: number;
  readonly gcpTier: FilestoreTier;
  readonly uid: number;
  readonly gid: number;
  /** Zone-redundant storage (production with several zones). */
  readonly zoneRedundant: boolean;
  readonly deletionProtection: boolean;
}

export interface FileStoreBuildInputs<C extends Cloud> {
  readonly settings: ResolvedFileStoreSettings;
  readonly keys: KeyHandles[C];
  readonly network: FileStoreNetwork<C>;
  readonly monitoring: MonitoringOutputs | undefined;
  readonly parent: pulumi.ComponentResource;
}

/** What the file storage offers applications. */
export interface FileStoreOutputs {
  /** EFS file system id, storage account id, or Filestore instance id. */
  readonly fileSystemId: pulumi.Output<string>;
  /** The identifier a backup plan selects the file system by: EFS ARN, storage account id, Filestore id. */
  readonly backupResourceId: pulumi.Output<string>;
  /** What clients mount: `<host>:<path>` (private DNS name or address). */
  readonly mountTarget: pulumi.Output<string>;
  /** NFS version clients use (`4.1` or `3`). */
  readonly nfsVersion: string;
  /** Whether the data survives the loss of a zone. */
  readonly highAvailability: boolean;
  /**
   * Whether the cloud's vaulted backup service can take this file system into the site's immutable backup
   * vault on a schedule: AWS Backup (EFS, yes); Azure Backup (no: it does not back up NFS file shares,
   * https://learn.microsoft.com/azure/backup/azure-file-share-support-matrix); Backup and DR (Filestore
   * Zonal, Regional and Enterprise tiers; Basic tiers only have Filestore's own backups, which have no
   * schedule, https://cloud.google.com/filestore/docs/backups).
   */
  readonly vaultedBackup: boolean;
}

export class FileStoreArgsError extends Error {
  constructor(message: string) {
    super(`FileStore: ${message}`);
    this.name = "FileStoreArgsError";
  }
}

/** Resolves defaults and rejects invalid combinations (pure; unit-tested). */
export function resolveFileStoreSettings(
  args: FileStorageConfig,
  cloud: Cloud,
  production: boolean,
  zoneCount: number,
): ResolvedFileStoreSettings {
  const capacityGb = args.capacityGb ?? 1024;
  if (
    !Number.isInteger(capacityGb) ||
    capacityGb < azurePremiumShareGb.min ||
    capacityGb > azurePremiumShareGb.max
  ) {
    throw new FileStoreArgsError(
      `capacityGb must be a whole number from ${azurePremiumShareGb.min} to ${azurePremiumShareGb.max}, got ${capacityGb}`,
    );
  }
  const gcpTier =
    args.gcpTier ??
    (production ? "REGIONAL" : capacityGb >= filestoreMinCapacityGb.BASIC_HDD ? "BASIC_HDD" : "REGIONAL");
  if (cloud === "gcp") {
    const min = filestoreMinCapacityGb[gcpTier];
    if (capacityGb < min) {
      throw new FileStoreArgsError(
        `capacityGb (${capacityGb}) is below the ${gcpTier} minimum of ${min} GiB on gcp (https://cloud.google.com/filestore/docs/service-tiers)`,
      );
    }
    if (production && !filestoreHighAvailabilityTiers.includes(gcpTier)) {
      throw new FileStoreArgsError(
        `gcpTier must be REGIONAL or ENTERPRISE in production (replicated across zones), got ${gcpTier}`,
      );
    }
  }
  return {
    capacityGb,
    gcpTier,
    uid: args.uid ?? 1000,
    gid: args.gid ?? 1000,
    zoneRedundant: production && zoneCount > 1,
    deletionProtection: production,
  };
}

/** The site's shared NFS file storage, built by the site's cloud implementation. */
export class FileStore<C extends Cloud = Cloud> extends pulumi.ComponentResource implements FileStoreOutputs {
  public readonly fileSystemId: pulumi.Output<string>;
  public readonly backupResourceId: pulumi.Output<string>;
  public readonly mountTarget: pulumi.Output<string>;
  public readonly nfsVersion: string;
  public readonly highAvailability: boolean;
  public readonly vaultedBackup: boolean;

  constructor(
    name: string,
    ctx: SiteContext<C>,
    args: FileStoreArgs<C>,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    const settings = resolveFileStoreSettings(args, ctx.cloud, ctx.production, ctx.zones.length);
    super("platform:filestore:FileStore", name, {}, opts);
    const out = implementationFor(ctx).fileStore(name, ctx, {
      settings,
      keys: args.keys.handles,
      network: args.network,
      monitoring: args.monitoring,
      parent: this,
    });
    this.fileSystemId = out.fileSystemId;
    this.backupResourceId = out.backupResourceId;
    this.mountTarget = out.mountTarget;
    this.nfsVersion = out.nfsVersion;
    this.highAvailability = out.highAvailability;
    this.vaultedBackup = out.vaultedBackup;
    this.registerOutputs({
      fileSystemId: this.fileSystemId,
      mountTarget: this.mountTarget,
      nfsVersion: this.nfsVersion,
      highAvailability: this.highAvailability,
      vaultedBackup: this.vaultedBackup,
    });
  }
}
