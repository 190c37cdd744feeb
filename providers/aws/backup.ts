import * as pulumi from "@pulumi/pulumi";
import { Plan } from "@pulumi/aws/backup/plan";
import { RestoreTestingPlan } from "@pulumi/aws/backup/restoreTestingPlan";
import { RestoreTestingSelection } from "@pulumi/aws/backup/restoreTestingSelection";
import { Selection } from "@pulumi/aws/backup/selection";
import { Vault } from "@pulumi/aws/backup/vault";
import { VaultLockConfiguration } from "@pulumi/aws/backup/vaultLockConfiguration";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicyAttachment } from "@pulumi/aws/iam/rolePolicyAttachment";
import { Provider } from "@pulumi/aws/provider";
import type { BackupBuildInputs, BackupOutputs, ResolvedBackupSettings } from "../../components/backup";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import { fitName } from "../../components/naming";
import { kmsKey, siteAccountId } from "./keys";
import { iamName, kmsAliasName } from "./names";

/** AWS managed policies of the AWS Backup service role (https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html). */
export const backupServicePolicies = [
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
] as const;

/** The tag that puts any resource of the site into its backup plan (besides the RDS instance, named explicitly). */
export const backupPlanTagKey = "backup-plan";

/** A backup vault with its lock: compliance mode (changeableForDays) in production, governance elsewhere. */
function lockedVault(
  name: string,
  vaultName: string,
  keyArn: pulumi.Input<string>,
  settings: ResolvedBackupSettings,
  opts: pulumi.CustomResourceOptions,
): Vault {
  const vault = new Vault(
    name,
    // forceDestroy false: a vault holding recovery points is never deleted with them.
    { name: vaultName, kmsKeyArn: keyArn, forceDestroy: false },
    statefulOptions({ production: settings.deletionProtection }, opts),
  );
  new VaultLockConfiguration(
    `${name}-lock`,
    {
      backupVaultName: vault.name,
      minRetentionDays: settings.minRetentionDays,
      maxRetentionDays: settings.maxRetentionDays,
      // Set: compliance mode, immutable after the grace period (root included). Unset: governance mode.
      changeableForDays: settings.changeableForDays,
    },
    opts,
  );
  return vault;
}

/**
 * AWS Backup for the site:
 *
 * - a vault encrypted with the site key, locked (Vault Lock: compliance mode with a 3-day grace period in
 *   production, governance mode elsewhere; minimum retention = the plan's retention, maximum = the
 *   stack's ceiling, so every rule below fits the lock);
 * - a copy vault in the site's replica region (with a key of its own there, as KMS keys are regional)
 *   or, without one, in the same region; locked the same way;
 * - a plan with one daily rule (retention from the stack) and a copy action to the copy vault;
 * - a selection of the RDS instance by ARN, and of any resource tagged `backup-plan=<plan name>`, with a
 *   service role holding the AWS Backup managed policies for backup and restore;
 * - a restore testing plan that restores the latest snapshot recovery point from the vault every week,
 *   and a selection for the RDS instance (AWS deletes the restored instance after the validation
 *   window).
 */
export function backup(
  name: string,
  ctx: SiteContext<"aws">,
  inputs: BackupBuildInputs<"aws">,
): BackupOutputs {
  const { settings, keys, targets, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const env = ctx.stack.environment;
  const accountId = siteAccountId(ctx, opts);

  const vault = lockedVault(
    `${name}-vault`,
    fitName("awsBackupName", [env, ctx.role, "vault"]),
    keys.keyArn,
    settings,
    opts,
  );

  // AWS Backup job metrics (namespace AWS/Backup, per vault):
  // https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html
  const jobs = (metricName: string) => ({
    namespace: "AWS/Backup",
    metricName,
    dimensions: { BackupVaultName: vault.name },
    stat: "Sum" as const,
  });
  inputs.monitoring?.dashboard.add(
    {
      cloud: "aws",
      section: "backup",
      title: "Backup jobs completed",
      unit: "Count",
      metric: jobs("NumberOfBackupJobsCompleted"),
    },
    {
      cloud: "aws",
      section: "backup",
      title: "Backup jobs failed",
      unit: "Count",
      thresholds: { critical: 1 },
      metric: jobs("NumberOfBackupJobsFailed"),
    },
  );

  // The copy target: the replica region where the site has one (cross-region copy), else this region.
  const replicaRegion = settings.crossRegionCopy ? ctx.replicaRegion : undefined;
  let copyOpts = opts;
  let copyKeyArn: pulumi.Input<string> = keys.keyArn;
  if (replicaRegion !== undefined) {
    const provider = new Provider(
      `${ctx.role}-backup-replica`,
      { region: replicaRegion, allowedAccountIds: [ctx.site.accountId] },
      opts,
    );
    copyOpts = { parent, provider };
    copyKeyArn = kmsKey(
      `${name}-copy`,
      {
        description: `${env} ${ctx.role} backup copy vault key (${replicaRegion})`,
        region: replicaRegion,
        accountId,
        aliasName: kmsAliasName(ctx, "backup-copy"),
        production: ctx.production,
        cloudWatchLogs: false,
      },
      copyOpts,
    ).arn;
  }
  const copyVault = lockedVault(
    `${name}-copy-vault`,
    fitName("awsBackupName", [env, ctx.role, "vault", "copy"]),
    copyKeyArn,
    settings,
    copyOpts,
  );

  const planName = fitName("awsBackupName", [env, ctx.role, "daily"]);
  const lifecycle = { deleteAfter: settings.retentionDays };
  const plan = new Plan(
    `${name}-plan`,
    {
      name: planName,
      rules: [
        {
          ruleName: "daily",
          targetVaultName: vault.name,
          schedule: `cron(0 ${settings.startHourUtc} * * ? *)`,
          scheduleExpressionTimezone: "Etc/UTC",
          startWindow: 60,
          completionWindow: 360,
          lifecycle,
          copyActions: [{ destinationVaultArn: copyVault.arn, lifecycle }],
        },
      ],
    },
    opts,
  );

  const role = new Role(
    `${name}-role`,
    {
      name: iamName(ctx, "backup"),
      description: "AWS Backup: back up and restore the site's resources (and restore tests)",
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "backup.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
          },
        ],
      }),
    },
    opts,
  );
  const attachments = backupServicePolicies.map(
    (policyArn, i) =>
      new RolePolicyAttachment(
        `${name}-role-${i === 0 ? "backup" : "restore"}`,
        { role: role.name, policyArn },
        opts,
      ),
  );
  // The role's ARN once its policies are attached: selections use it only then.
  const roleArn = pulumi.all([role.arn, ...attachments.map((a) => a.id)]).apply(([arn]) => arn);

  new Selection(
    `${name}-selection`,
    {
      name: fitName("awsBackupName", [env, ctx.role, "database"]),
      planId: plan.id,
      iamRoleArn: roleArn,
      resources: [targets.databaseArn, targets.fileSystemArn],
      selectionTags: [{ type: "STRINGEQUALS", key: backupPlanTagKey, value: planName }],
    },
    opts,
  );

  const testingPlan = new RestoreTestingPlan(
    `${name}-restore-testing`,
    {
      name: fitName("awsRestoreTestingName", [env, ctx.role, "restore", "test"]),
      scheduleExpression: "cron(0 5 ? * SUN *)",
      scheduleExpressionTimezone: "Etc/UTC",
      startWindowHours: 24,
      recoveryPointSelection: {
        algorithm: "LATEST_WITHIN_WINDOW",
        includeVaults: [vault.arn],
        recoveryPointTypes: ["SNAPSHOT"],
        selectionWindowDays: Math.min(7, settings.retentionDays),
      },
    },
    opts,
  );
  new RestoreTestingSelection(
    `${name}-restore-testing-database`,
    {
      name: fitName("awsRestoreTestingName", [env, ctx.role, "database"]),
      restoreTestingPlanName: testingPlan.name,
      protectedResourceType: "RDS",
      protectedResourceArns: [targets.databaseArn],
      iamRoleArn: roleArn,
      validationWindowHours: 4,
    },
    opts,
  );

  return {
    vaultId: vault.arn,
    copyVaultId: copyVault.arn,
    planId: plan.id,
    retentionDays: settings.retentionDays,
    immutableLocked: settings.lockMode === "compliance",
    fileSystemInVault: true,
    restoreTesting: true,
  };
}
