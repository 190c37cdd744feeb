import { strict as assert } from "node:assert";
import { BackupArgsError, resolveBackupSettings } from "../components/backup";
import { parseStackConfig } from "../components/config";
import type { Plan } from "../tools/harness";
import { backupServicePolicies } from "../providers/aws/backup";
import { backupVaultRoles } from "../providers/azure/backup";
import { cloudSqlResourceType, filestoreResourceType } from "../providers/gcp/backup";
import { componentQueries, planOf } from "./helpers";

const { countsOf, one, under } = componentQueries("backup");
type Json = Record<string, unknown>;

/** A valid non-production stack config with `extra` merged in. */
function config(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    environment: "dev",
    owner: "platform",
    costCenter: "cc-1",
    dataClassification: "internal",
    frameworks: ["soc2"],
    alertContacts: [{ name: "ops", email: "ops@example.com" }],
    primary: { cloud: "gcp", region: "europe-west1", addressSpace: "10.10.0.0/16", project: "acme-dev-1" },
    ...extra,
  };
}

describe("backup settings", () => {
  it("defaults per environment: 35 days in production with a compliance lock, 7 days governance elsewhere", () => {
    const prod = resolveBackupSettings(undefined, true, true);
    assert.deepEqual(
      [
        prod.retentionDays,
        prod.minRetentionDays,
        prod.maxRetentionDays,
        prod.lockMode,
        prod.changeableForDays,
      ],
      [35, 35, 365, "compliance", 3],
    );
    assert.equal(prod.crossRegionCopy, true);
    const dev = resolveBackupSettings(undefined, false, false);
    assert.deepEqual(
      [dev.retentionDays, dev.lockMode, dev.changeableForDays, dev.crossRegionCopy],
      [7, "governance", undefined, false],
    );
    assert.equal(resolveBackupSettings({ retentionDays: 400 }, false, false).maxRetentionDays, 400);
  });

  it("rejects retention the lock or production forbids, naming the setting", () => {
    assert.throws(
      () => resolveBackupSettings({ retentionDays: 14 }, true, true),
      (e: unknown) => e instanceof BackupArgsError && /at least 35 in production/.test(e.message),
    );
    assert.throws(
      () => resolveBackupSettings({ retentionDays: 30, maxRetentionDays: 10 }, false, false),
      (e: unknown) =>
        e instanceof BackupArgsError &&
        /maxRetentionDays \(10\) must be at least retentionDays/.test(e.message),
    );
  });

  it("the stack config reports backup problems with path, expectation and what was found", () => {
    const bad = parseStackConfig(config({ backup: { retentionDays: 3, keep: 1 } }));
    assert.equal(bad.ok, false);
    const messages = bad.ok ? [] : bad.problems.map((p) => `${p.path}: ${p.message}`);
    assert.ok(
      messages.some((m) =>
        /^platform:backup\.retentionDays: expected a value of at least 7, found number 3/.test(m),
      ),
      messages.join("\n"),
    );
    assert.ok(
      messages.some((m) => /^platform:backup: unknown key 'keep'/.test(m)),
      messages.join("\n"),
    );
    const ceiling = parseStackConfig(config({ backup: { retentionDays: 30, maxRetentionDays: 20 } }));
    assert.equal(ceiling.ok, false);
    assert.match(
      ceiling.ok ? "" : ceiling.problems.map((p) => `${p.path}: ${p.message}`).join("\n"),
      /platform:backup\.maxRetentionDays: expected at least backup\.retentionDays \(30\)/,
    );
    assert.equal(parseStackConfig(config({ backup: { retentionDays: 30 } })).ok, true);
  });
});

describe("backups on every cloud", () => {
  let prod: Plan;
  let dev: Plan;
  before(async () => {
    prod = await planOf("prod");
    dev = await planOf("dev");
  });

  it("AWS: a locked vault with the site key, a copy vault in the replica region, a daily plan with a copy action, the RDS and EFS selection and restore testing", () => {
    const expected = {
      "pulumi:providers:aws": 1,
      "aws:kms/key:Key": 1,
      "aws:kms/alias:Alias": 1,
      "aws:backup/vault:Vault": 2,
      "aws:backup/vaultLockConfiguration:VaultLockConfiguration": 2,
      "aws:backup/plan:Plan": 1,
      "aws:iam/role:Role": 1,
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 2,
      "aws:backup/selection:Selection": 1,
      "aws:backup/restoreTestingPlan:RestoreTestingPlan": 1,
      "aws:backup/restoreTestingSelection:RestoreTestingSelection": 1,
    };
    assert.deepEqual(countsOf(prod, "primary"), expected);
    assert.deepEqual(countsOf(dev, "secondary"), expected);

    const siteKey = prod.resources.find((r) => r.name === "primary-keys-key")!.outputs.arn;
    const vault = one(prod, "primary", "aws:backup/vault:Vault", "primary-backup-vault");
    assert.equal(vault.inputs.kmsKeyArn, siteKey);
    const copyVault = one(prod, "primary", "aws:backup/vault:Vault", "primary-backup-copy-vault");
    const copyKey = one(prod, "primary", "aws:kms/key:Key");
    assert.equal(copyVault.inputs.kmsKeyArn, copyKey.outputs.arn);
    assert.notEqual(copyVault.outputs.arn, vault.outputs.arn);
    assert.match(
      String(copyVault.outputs.arn),
      /^arn:aws:backup:us-west-2:/,
      "copies go to the replica region (us-east-1 pairs with us-west-2)",
    );

    // Production: compliance mode (changeableForDays); dev: governance mode (none).
    const lock = one(
      prod,
      "primary",
      "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
      "primary-backup-vault-lock",
    );
    assert.deepEqual(
      [lock.inputs.changeableForDays, lock.inputs.minRetentionDays, lock.inputs.maxRetentionDays],
      [3, 35, 365],
    );
    const devLock = one(
      dev,
      "secondary",
      "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
      "secondary-backup-vault-lock",
    );
    assert.equal(devLock.inputs.changeableForDays, undefined);
    assert.equal(devLock.inputs.minRetentionDays, 7);

    const plan = one(prod, "primary", "aws:backup/plan:Plan");
    const [rule] = plan.inputs.rules as Json[];
    assert.equal(rule!.targetVaultName, vault.outputs.name ?? vault.inputs.name);
    assert.deepEqual(rule!.lifecycle, { deleteAfter: 35 });
    assert.deepEqual(rule!.copyActions, [
      { destinationVaultArn: copyVault.outputs.arn, lifecycle: { deleteAfter: 35 } },
    ]);

    const database = prod.resources.find(
      (r) => r.type === "aws:rds/instance:Instance" && r.name.startsWith("primary-database"),
    )!;
    const selection = one(prod, "primary", "aws:backup/selection:Selection");
    // The EFS file system goes into the locked vault (and its copy) with the database.
    const fileSystem = prod.resources.find(
      (r) => r.type === "aws:efs/fileSystem:FileSystem" && r.name.startsWith("primary-files"),
    )!;
    assert.ok(fileSystem, "the primary's EFS file system");
    assert.deepEqual(selection.inputs.resources, [database.outputs.arn, fileSystem.outputs.arn]);
    const role = one(prod, "primary", "aws:iam/role:Role");
    assert.equal(selection.inputs.iamRoleArn, role.outputs.arn);
    assert.deepEqual(
      under(prod, "primary", "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map(
        (a) => a.inputs.policyArn,
      ),
      [...backupServicePolicies],
    );

    const testing = one(prod, "primary", "aws:backup/restoreTestingPlan:RestoreTestingPlan");
    assert.match(String(testing.inputs.name), /^[a-z][a-z0-9_]*$/, "restore testing names take no hyphens");
    assert.deepEqual((testing.inputs.recoveryPointSelection as Json).includeVaults, [vault.outputs.arn]);
    const testSelection = one(prod, "primary", "aws:backup/restoreTestingSelection:RestoreTestingSelection");
    assert.deepEqual(
      [testSelection.inputs.protectedResourceType, testSelection.inputs.protectedResourceArns],
      ["RDS", [database.outputs.arn]],
    );
  });

  it("Azure: an immutable Backup vault with soft delete and the site key; PostgreSQL and blob instances after the vault identity's roles", () => {
    assert.deepEqual(countsOf(prod, "secondary"), {
      "azure-native:dataprotection:BackupVault": 1,
      "azure-native:authorization:RoleAssignment": 3,
      "azure-native:dataprotection:BackupPolicy": 2,
      "azure-native:dataprotection:BackupInstance": 2,
    });
    const vault = one(prod, "secondary", "azure-native:dataprotection:BackupVault");
    const security = (vault.inputs.properties as Json).securitySettings as Json;
    assert.deepEqual(security.immutabilitySettings, { state: "Locked" });
    assert.deepEqual(security.softDeleteSettings, { state: "AlwaysOn", retentionDurationInDays: 14 });
    assert.equal((security.encryptionSettings as Json).state, "Enabled");
    assert.equal((vault.inputs.identity as Json).type, "SystemAssigned,UserAssigned");

    const principal = (vault.outputs.identity as Json).principalId;
    const grants = under(prod, "secondary", "azure-native:authorization:RoleAssignment");
    assert.ok(grants.every((g) => g.inputs.principalId === principal));
    assert.deepEqual(
      grants.map((g) => String(g.inputs.roleDefinitionId).split("/").pop()).sort(),
      Object.values(backupVaultRoles).sort(),
    );
    for (const instance of under(prod, "secondary", "azure-native:dataprotection:BackupInstance")) {
      const waits = instance.dependencies;
      const needed = instance.name.endsWith("-postgres")
        ? ["secondary-backup-vault-rg-reader", "secondary-backup-vault-postgres-ltr"]
        : ["secondary-backup-vault-rg-reader", "secondary-backup-vault-storage-backup"];
      for (const grant of needed) {
        const urn = grants.find((g) => g.name === grant)!.urn;
        assert.ok(waits.includes(urn), `${instance.name} waits for ${grant}`);
      }
    }
  });

  it("GCP: a Backup and DR vault with an enforced minimum retention and the site key, a Cloud SQL plan and its association", () => {
    assert.deepEqual(countsOf(dev, "primary"), {
      "gcp:projects/serviceIdentity:ServiceIdentity": 1,
      "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": 1,
      "gcp:backupdisasterrecovery/backupVault:BackupVault": 1,
      "gcp:backupdisasterrecovery/backupPlan:BackupPlan": 1,
      "gcp:projects/iAMMember:IAMMember": 1,
      "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation": 1,
    });
    const vault = one(dev, "primary", "gcp:backupdisasterrecovery/backupVault:BackupVault");
    assert.equal(vault.inputs.backupMinimumEnforcedRetentionDuration, `${7 * 86400}s`);
    const key = dev.resources.find(
      (r) => r.type === "gcp:kms/cryptoKey:CryptoKey" && r.name.startsWith("primary-keys"),
    )!;
    assert.deepEqual(vault.inputs.encryptionConfig, { kmsKeyName: key.outputs.id ?? key.id });
    const plan = one(dev, "primary", "gcp:backupdisasterrecovery/backupPlan:BackupPlan");
    assert.equal(plan.inputs.resourceType, cloudSqlResourceType);
    assert.equal(((plan.inputs.backupRules as Json[])[0] as Json).backupRetentionDays, 7);
    const association = one(
      dev,
      "primary",
      "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation",
    );
    const sql = dev.resources.find(
      (r) => r.type === "gcp:sql/databaseInstance:DatabaseInstance" && r.name.startsWith("primary-database"),
    )!;
    assert.equal(
      association.inputs.resource,
      `projects/${String(sql.outputs.project)}/instances/${String(sql.outputs.name)}`,
    );
  });

  it("GCP: a Filestore plan on the same vault and its association with the instance where the tier allows (Zonal, Regional, Enterprise), none for Basic tiers", async () => {
    const prodGcp = await planOf("prod-gcp", "Pulumi.prod-gcp.yaml");
    const instance = prodGcp.resources.find(
      (r) => r.type === "gcp:filestore/instance:Instance" && r.name === "primary-files-instance",
    )!;
    assert.equal(instance.inputs.tier, "REGIONAL");
    const vault = one(prodGcp, "primary", "gcp:backupdisasterrecovery/backupVault:BackupVault");
    const plan = one(
      prodGcp,
      "primary",
      "gcp:backupdisasterrecovery/backupPlan:BackupPlan",
      "primary-backup-filestore-plan",
    );
    assert.equal(plan.inputs.resourceType, filestoreResourceType);
    assert.equal(plan.inputs.backupVault, vault.outputs.id ?? vault.id);
    assert.deepEqual(plan.inputs.backupRules, [
      {
        ruleId: "daily",
        backupRetentionDays: 35,
        standardSchedule: {
          recurrenceType: "DAILY",
          timeZone: "UTC",
          backupWindow: { startHourOfDay: 3, endHourOfDay: 9 },
        },
      },
    ]);
    const association = one(
      prodGcp,
      "primary",
      "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation",
      "primary-backup-filestore",
    );
    assert.equal(association.inputs.resourceType, filestoreResourceType);
    assert.equal(association.inputs.backupPlan, plan.outputs.name);
    assert.equal(association.inputs.resource, instance.outputs.id ?? instance.id);
    assert.match(
      String(association.inputs.resource),
      /^projects\/[^/]+\/locations\/[^/]+\/instances\/[^/]+$/,
    );
    assert.ok(association.dependencies.includes(instance.urn), "the association waits for the instance");

    // dev's GCP primary is BASIC_HDD: Backup and DR does not take Basic tiers, so no Filestore plan.
    const basic = dev.resources.find(
      (r) => r.type === "gcp:filestore/instance:Instance" && r.name === "primary-files-instance",
    )!;
    assert.equal(basic.inputs.tier, "BASIC_HDD");
    assert.deepEqual(
      under(dev, "primary", "gcp:backupdisasterrecovery/backupPlan:BackupPlan").map(
        (p) => p.inputs.resourceType,
      ),
      [cloudSqlResourceType],
    );
    const backups = (p: Plan) => p.resources.filter((r) => r.type === "platform:backup:Backup");
    assert.ok(backups(prodGcp).length > 0 && backups(dev).length > 0);
  });

  it("every site exposes its vault and plan", () => {
    for (const plan of [prod, dev]) {
      const backups = plan.resources.filter((r) => r.type === "platform:backup:Backup");
      assert.equal(backups.length, 2);
    }
  });
});
