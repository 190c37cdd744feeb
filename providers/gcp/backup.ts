import * as pulumi from "@pulumi/pulumi";
import { BackupPlan } from "@pulumi/gcp/backupdisasterrecovery/backupPlan";
import { BackupPlanAssociation } from "@pulumi/gcp/backupdisasterrecovery/backupPlanAssociation";
import { BackupVault } from "@pulumi/gcp/backupdisasterrecovery/backupVault";
import { IAMMember } from "@pulumi/gcp/projects/iammember";
import type { BackupBuildInputs, BackupOutputs } from "../../components/backup";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import { fitName } from "../../components/naming";
import { grantKeyToServiceAgent } from "./keys";

/** The Backup and DR resource type of Cloud SQL instances (backup plans and associations). */
export const cloudSqlResourceType = "sqladmin.googleapis.com/Instance";

/**
 * The role the backup vault's service account needs in the Cloud SQL project to back the instance up
 * (Backup and DR "Back up Cloud SQL instances to a backup vault": grant the backup vault access in the
 * Cloud SQL project).
 */
export const cloudSqlOperatorRole = "roles/backupdr.cloudSqlOperator";

/** The Backup and DR resource type of Filestore instances (backup plans and associations). */
export const filestoreResourceType = "file.googleapis.com/Instance";

const secondsPerDay = 86_400;

/**
 * Google Cloud Backup and DR for the site:
 *
 * - a backup vault in the site's region with a minimum enforced retention of `retentionDays` (no backup
 *   in it can be deleted or shortened before then, by anyone), encrypted with the site's key (after the
 *   Backup and DR service agent's grant), access restricted to the organization;
 * - a backup plan for Cloud SQL (`sqladmin.googleapis.com/Instance`, supported by provider 9.37 beside
 *   Compute Engine instances and disks, AlloyDB, Filestore and Cloud Storage) with a daily rule kept
 *   `retentionDays`;
 * - the association of the plan with the site's Cloud SQL instance, after the vault's service account may
 *   operate Cloud SQL backups in the project;
 * - where the site's Filestore instance has a tier Backup and DR protects (Zonal, Regional, Enterprise), a
 *   second plan for `file.googleapis.com/Instance` on the same vault with the same daily rule, and its
 *   association with the instance. No grant precedes it: the vault's service agent needs the Backup and
 *   DR Filestore Operator role only for instances in another project than the vault's
 *   (https://cloud.google.com/backup-disaster-recovery/docs/cloud-console/filestore/filestore-instance-backup,
 *   "Grant backup vault access in the Filestore project"); vault, plan and instance share the site's
 *   project. Basic tiers get no plan (Backup and DR refuses them; Filestore's own backups have no schedule).
 *
 * Backup and DR keeps backups in the vault's region: there is no copy to a second region in a plan rule
 * of this provider version, so the cross-region copy is the database's own cross-region replica.
 */
export function backup(
  name: string,
  ctx: SiteContext<"gcp">,
  inputs: BackupBuildInputs<"gcp">,
): BackupOutputs {
  const { settings, keys, targets, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const project = ctx.site.project;
  const location = ctx.site.region;
  const env = ctx.stack.environment;

  const keyAccess = grantKeyToServiceAgent(
    `${name}-backupdr-agent`,
    project,
    "backupdr.googleapis.com",
    keys.cryptoKeyId,
    opts,
  );
  const vault = new BackupVault(
    `${name}-vault`,
    {
      project,
      location,
      backupVaultId: fitName("gcpName", [env, ctx.role, "backup-vault"]),
      description: `${env} ${ctx.role} immutable backups`,
      backupMinimumEnforcedRetentionDuration: `${settings.minRetentionDays * secondsPerDay}s`,
      backupRetentionInheritance: "INHERIT_VAULT_RETENTION",
      accessRestriction: "WITHIN_ORGANIZATION",
      encryptionConfig: { kmsKeyName: keys.cryptoKeyId },
      // Never delete a vault that still holds backups or is referenced by a plan.
      ignoreInactiveDatasources: false,
      ignoreBackupPlanReferences: false,
    },
    statefulOptions(ctx, { ...opts, dependsOn: [keyAccess] }),
  );

  const dailyRules = [
    {
      ruleId: "daily",
      backupRetentionDays: settings.retentionDays,
      standardSchedule: {
        recurrenceType: "DAILY",
        timeZone: "UTC",
        backupWindow: { startHourOfDay: settings.startHourUtc, endHourOfDay: settings.startHourUtc + 6 },
      },
    },
  ];
  const plan = new BackupPlan(
    `${name}-plan`,
    {
      project,
      location,
      backupPlanId: fitName("gcpName", [env, ctx.role, "cloudsql-daily"]),
      description: `${env} ${ctx.role} Cloud SQL daily backups`,
      resourceType: cloudSqlResourceType,
      backupVault: vault.id,
      backupRules: dailyRules,
    },
    opts,
  );

  const operator = new IAMMember(
    `${name}-vault-cloudsql-operator`,
    {
      project,
      role: cloudSqlOperatorRole,
      member: pulumi.interpolate`serviceAccount:${vault.serviceAccount}`,
    },
    opts,
  );
  new BackupPlanAssociation(
    `${name}-cloudsql`,
    {
      project,
      location,
      backupPlanAssociationId: fitName("gcpName", [env, ctx.role, "cloudsql"]),
      backupPlan: plan.name,
      resourceType: cloudSqlResourceType,
      resource: pulumi.interpolate`projects/${project}/instances/${targets.databaseInstance}`,
    },
    { ...opts, dependsOn: [operator] },
  );

  if (targets.fileSystemId !== undefined) {
    const filestorePlan = new BackupPlan(
      `${name}-filestore-plan`,
      {
        project,
        location,
        backupPlanId: fitName("gcpName", [env, ctx.role, "filestore-daily"]),
        description: `${env} ${ctx.role} Filestore daily backups`,
        resourceType: filestoreResourceType,
        backupVault: vault.id,
        backupRules: dailyRules,
      },
      opts,
    );
    new BackupPlanAssociation(
      `${name}-filestore`,
      {
        project,
        location,
        backupPlanAssociationId: fitName("gcpName", [env, ctx.role, "filestore"]),
        backupPlan: filestorePlan.name,
        resourceType: filestoreResourceType,
        resource: targets.fileSystemId,
      },
      opts,
    );
  }

  return {
    vaultId: vault.id,
    copyVaultId: undefined,
    planId: plan.id,
    retentionDays: settings.retentionDays,
    // The enforced retention binds every backup; the vault setting itself is not locked (no effectiveTime).
    immutableLocked: false,
    restoreTesting: false,
    fileSystemInVault: targets.fileSystemId !== undefined,
  };
}
