/**
 * The site's backups as a service: an immutable backup vault encrypted with the site's key, a daily
 * backup plan covering the site's database (and object storage where the cloud's backup service takes
 * it), copies to a second vault where the cloud offers it, and restore testing where the cloud offers it.
 *
 * - AWS Backup: a vault with the site's KMS key and a Vault Lock (compliance mode in production, with the
 *   minimum grace period before it becomes immutable; governance mode elsewhere), a copy vault (in the
 *   site's replica region when it has one, else the same region) with its own key and lock, a plan with a
 *   daily rule and a copy action, a selection of the RDS instance (and anything tagged for the site's
 *   plan) with a service role, and a restore testing plan and selection that restore the latest RDS
 *   recovery point every week and validate it.
 * - Azure Backup (Data Protection): a Backup vault with immutability (Locked in production, Unlocked
 *   elsewhere), soft delete on, a system-assigned identity, geo-redundant with cross-region restore in
 *   production; policies and backup instances for the PostgreSQL flexible server and the storage
 *   account's blobs, created after the vault identity holds the roles Azure Backup needs.
 * - GCP Backup and DR: a backup vault with a minimum enforced retention (the retention below which no
 *   backup may be deleted), a plan for Cloud SQL (`sqladmin.googleapis.com/Instance`) and its association
 *   with the site's instance, and a plan for Filestore (`file.googleapis.com/Instance`) and its
 *   association where the instance's tier is one Backup and DR protects (Zonal, Regional, Enterprise).
 *
 * What no cloud service offers here, said rather than faked: Azure Backup does not back up NFS Azure file
 * shares (https://learn.microsoft.com/azure/backup/azure-file-share-support-matrix: "Azure Backup
 * currently doesn't support file shares with the NFS protocol"), so the Azure share keeps share soft
 * delete only; Filestore Basic tiers have no scheduled backup (https://cloud.google.com/filestore/docs/backups);
 * Azure Backup and Backup and DR have no managed restore testing (AWS Backup restore testing has no
 * counterpart), so restores on those clouds are tested by the drill in the DR runbook (`npm run dr`).
 *
 * Retention comes from the stack (`platform:backup`), defaults per environment.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "./regions";
import type { SiteContext } from "./context";
import type { KeyHandles, SiteKeys } from "./keys";
import type { MonitoringOutputs } from "./monitoring";
import { backupDefaultMaxDays, backupProductionMinDays, type StackConfig } from "./config";
import { implementationFor } from "../providers";

/** What the backups protect, per cloud: handles from the site's database and storage. */
export interface BackupTargets {
  aws: {
    /** ARN of the RDS DB instance. */
    readonly databaseArn: pulumi.Output<string>;
    /** ARN of the EFS file system (backed up into the locked vault with the database, copied like it). */
    readonly fileSystemArn: pulumi.Output<string>;
  };
  azure: {
    /** The site's resource group (the vault lives there; Azure Backup needs Reader on it). */
    readonly resourceGroupName: pulumi.Output<string>;
    /** Resource id of the PostgreSQL flexible server. */
    readonly databaseId: pulumi.Output<string>;
    /** Resource id of the storage account whose blobs are backed up (its containers, vaulted). */
    readonly storageAccountId: pulumi.Output<string>;
  };
  gcp: {
    /** Cloud SQL instance name (id). */
    readonly databaseInstance: pulumi.Output<string>;
    /**
     * Filestore instance id (`projects/<p>/locations/<l>/instances/<name>`) when its tier is one Backup and
     * DR protects (Zonal, Regional, Enterprise); undefined for Basic tiers, which it does not.
     */
    readonly fileSystemId: pulumi.Output<string> | undefined;
  };
}

/** What a user may tune (the stack's `backup` settings). */
export interface BackupArgs<C extends Cloud = Cloud> {
  /** The site's keys: the vault encrypts recovery points with the site's key. */
  readonly keys: SiteKeys<C>;
  /** What to back up. */
  readonly targets: BackupTargets[C];
  /** The site's monitoring (alert routing for failed jobs where the cloud supports it). */
  readonly monitoring?: MonitoringOutputs;
}

/** The settings an implementation receives: every default resolved and validated. */
export interface ResolvedBackupSettings {
  /** Days each daily recovery point (and its copy) is kept. */
  readonly retentionDays: number;
  /** The vault's minimum enforced retention (days): no recovery point may be deleted earlier. */
  readonly minRetentionDays: number;
  /** The vault lock's ceiling (days): AWS refuses recovery points kept longer. */
  readonly maxRetentionDays: number;
  /**
   * `compliance`: nobody, root included, can shorten retention or delete recovery points once the grace
   * period ends, nor remove the lock (production). `governance`: users with the right permission can.
   */
  readonly lockMode: "compliance" | "governance";
  /** AWS Vault Lock grace period (days) before a compliance lock becomes immutable; AWS requires >= 3. */
  readonly changeableForDays: number | undefined;
  /** Days soft-deleted backups stay recoverable (Azure: 14-180). */
  readonly softDeleteDays: number;
  /** Copy recovery points to another region (where the cloud and the site offer one). */
  readonly crossRegionCopy: boolean;
  /** Protect the vault from deletion (Pulumi `protect`, production). */
  readonly deletionProtection: boolean;
  /** Hour (UTC) the daily backup starts. */
  readonly startHourUtc: number;
}

/** What a cloud implementation of backups receives. */
export interface BackupBuildInputs<C extends Cloud> {
  readonly settings: ResolvedBackupSettings;
  readonly keys: KeyHandles[C];
  readonly targets: BackupTargets[C];
  readonly monitoring: MonitoringOutputs | undefined;
  /** The Backup component: parent of every resource the implementation creates. */
  readonly parent: pulumi.ComponentResource;
}

/** What the backups offer operators. */
export interface BackupOutputs {
  /** Cloud id of the primary vault (ARN, Azure resource id, Backup and DR vault id). */
  readonly vaultId: pulumi.Output<string>;
  /** Cloud id of the copy target, where there is one. */
  readonly copyVaultId: pulumi.Output<string> | undefined;
  /** Cloud id of the backup plan (AWS plan id, Azure database policy id, Backup and DR plan id). */
  readonly planId: pulumi.Output<string>;
  /** Days recovery points are kept. */
  readonly retentionDays: number;
  /** Whether the vault's immutability can no longer be turned off (compliance lock / Locked). */
  readonly immutableLocked: boolean;
  /** Whether restores are tested on a schedule (AWS restore testing). */
  readonly restoreTesting: boolean;
  /** Whether the site's shared file system is backed up into this vault on a schedule. */
  readonly fileSystemInVault: boolean;
}

/** A problem with backup arguments, naming the arguments involved. */
export class BackupArgsError extends Error {
  constructor(message: string) {
    super(`Backup: ${message}`);
    this.name = "BackupArgsError";
  }
}

/** AWS Vault Lock: the shortest grace period before a compliance-mode lock becomes immutable. */
export const vaultLockMinChangeableDays = 3;

/** Resolves the stack's backup settings with per-environment defaults (pure; unit-tested). */
export function resolveBackupSettings(
  config: StackConfig["backup"],
  production: boolean,
  hasReplicaRegion: boolean,
): ResolvedBackupSettings {
  const retentionDays = config?.retentionDays ?? (production ? backupProductionMinDays : 7);
  const maxRetentionDays = config?.maxRetentionDays ?? Math.max(backupDefaultMaxDays, retentionDays);
  if (production && retentionDays < backupProductionMinDays) {
    throw new BackupArgsError(
      `retentionDays (${retentionDays}) must be at least ${backupProductionMinDays} in production`,
    );
  }
  if (maxRetentionDays < retentionDays) {
    throw new BackupArgsError(
      `maxRetentionDays (${maxRetentionDays}) must be at least retentionDays (${retentionDays}): the vault lock refuses longer retention`,
    );
  }
  return {
    retentionDays,
    minRetentionDays: retentionDays,
    maxRetentionDays,
    lockMode: production ? "compliance" : "governance",
    changeableForDays: production ? vaultLockMinChangeableDays : undefined,
    softDeleteDays: 14,
    crossRegionCopy: hasReplicaRegion,
    deletionProtection: production,
    startHourUtc: 3,
  };
}

/** The site's backups, built by the site's cloud implementation. */
export class Backup<C extends Cloud = Cloud> extends pulumi.ComponentResource implements BackupOutputs {
  public readonly vaultId: pulumi.Output<string>;
  public readonly copyVaultId: pulumi.Output<string> | undefined;
  public readonly planId: pulumi.Output<string>;
  public readonly retentionDays: number;
  public readonly immutableLocked: boolean;
  public readonly restoreTesting: boolean;
  public readonly fileSystemInVault: boolean;

  constructor(
    name: string,
    ctx: SiteContext<C>,
    args: BackupArgs<C>,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    // Validate before registering anything: a bad argument creates no resource.
    const settings = resolveBackupSettings(ctx.stack.backup, ctx.production, ctx.replicaRegion !== undefined);
    super("platform:backup:Backup", name, {}, opts);
    const out = implementationFor(ctx).backup(name, ctx, {
      settings,
      keys: args.keys.handles,
      targets: args.targets,
      monitoring: args.monitoring,
      parent: this,
    });
    this.vaultId = out.vaultId;
    this.copyVaultId = out.copyVaultId;
    this.planId = out.planId;
    this.retentionDays = out.retentionDays;
    this.immutableLocked = out.immutableLocked;
    this.restoreTesting = out.restoreTesting;
    this.fileSystemInVault = out.fileSystemInVault;
    this.registerOutputs({
      vaultId: this.vaultId,
      copyVaultId: this.copyVaultId,
      planId: this.planId,
      retentionDays: this.retentionDays,
      immutableLocked: this.immutableLocked,
      restoreTesting: this.restoreTesting,
      fileSystemInVault: this.fileSystemInVault,
    });
  }
}
