import {
  awsBucketTypes,
  bucketSettings,
  children,
  finding,
  isAwsAccessLogTarget,
  isAzureFileStorageAccount,
  known,
} from "../lib/checks";
import { defineControl } from "../lib/define";
import { UNKNOWN, get, isTrue, lower, num } from "../lib/props";
import type { Finding } from "../lib/types";

const secondsPerDay = 86_400;

export const enforceImmutableBackups = defineControl({
  id: "enforce-immutable-backups",
  title: "Production object storage and backup vaults are immutable (WORM)",
  severity: "high",
  category: "resilience",
  kind: "resilience",
  productionOnly: true,
  rationale:
    "Ransomware and compromised administrators delete backups first; write-once storage (S3 Object Lock, Azure immutability policies, GCS locked retention, vault locks) keeps a copy that no credential can remove before its retention ends (SOC 2 A1.2, ISO 27001 A.8.13).",
  remediation: [
    "AWS: objectLockEnabled: true on the bucket plus an aws.s3.BucketObjectLockConfiguration with a default retention; AWS Backup vaults with an aws.backup.VaultLockConfiguration in compliance mode (changeableForDays set).",
    "Azure: immutableStorageWithVersioning.enabled on the storage account (or a BlobContainerImmutabilityPolicy on its containers); Recovery Services / Backup vaults with immutabilitySettings.state Locked or Unlocked (enabled).",
    "GCP: retentionPolicy with isLocked true, or enableObjectRetention true; Backup and DR vaults with backupMinimumEnforcedRetentionDuration of at least a day.",
    "Waive buckets that hold only re-creatable data (with a reason and an expiry).",
  ],
  frameworks: {
    soc2: ["A1.2", "CC6.1"],
    iso27001: ["A.8.13", "A.5.33"],
    pciDss: ["10.3.2"],
    gdpr: ["Art. 32(1)(c)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: [
    "S3 buckets that receive server access logs or load balancer logs are exempt on AWS: log delivery fails with Object Lock default retention; protect those logs with replication and restricted access instead.",
    "PCI DSS 10.3.2 (protect audit logs from modification) applies when the storage holds audit logs; it is mapped for that case only.",
  ],
  resources: {
    azure: {
      "azure-native:recoveryservices:Vault": (props) =>
        ["locked", "unlocked"].includes(
          lower(get(props, "properties.securitySettings.immutabilitySettings.state")),
        )
          ? []
          : [
              "properties.securitySettings.immutabilitySettings.state is not Locked/Unlocked (immutability disabled)",
            ],
      "azure-native:dataprotection:BackupVault": (props) =>
        ["locked", "unlocked"].includes(
          lower(get(props, "properties.securitySettings.immutabilitySettings.state")),
        )
          ? []
          : [
              "properties.securitySettings.immutabilitySettings.state is not Locked/Unlocked (immutability disabled)",
            ],
    },
    gcp: {
      "gcp:backupdisasterrecovery/backupVault:BackupVault": (props) => {
        const text = get(props, "backupMinimumEnforcedRetentionDuration");
        const seconds = typeof text === "string" ? Number(/^(\d+)(?:\.\d+)?s$/.exec(text)?.[1] ?? NaN) : NaN;
        return seconds >= secondsPerDay
          ? []
          : [
              `backupMinimumEnforcedRetentionDuration ${typeof text === "string" ? `'${text}'` : "is unset"}: expected at least one day ('86400s'), so no backup can be deleted early`,
            ];
      },
      "gcp:storage/bucket:Bucket": (props) =>
        isTrue(get(props, "retentionPolicy.isLocked")) || isTrue(get(props, "enableObjectRetention"))
          ? []
          : ["no locked retentionPolicy and enableObjectRetention is not true"],
    },
  },
  stack: (subjects, ctx) => {
    const out: Finding[] = [];
    for (const bucket of subjects.filter((s) => (awsBucketTypes as readonly string[]).includes(s.type))) {
      // AWS does not deliver server access logs to buckets with Object Lock default retention.
      if (isAwsAccessLogTarget(subjects, bucket)) continue;
      const enabled = known(ctx, () => isTrue(get(bucket.props, "objectLockEnabled")));
      if (enabled === UNKNOWN) continue;
      if (!enabled) {
        out.push(finding(bucket, "objectLockEnabled is not true"));
        continue;
      }
      const configs = bucketSettings(subjects, "objectLockConfiguration", bucket);
      const verdicts = configs.map((c) =>
        known(
          ctx,
          () =>
            (num(get(c.props, "rule.defaultRetention.days")) ?? 0) > 0 ||
            (num(get(c.props, "rule.defaultRetention.years")) ?? 0) > 0,
        ),
      );
      const inlineRule = known(ctx, () => get(bucket.props, "objectLockConfiguration.rule") !== undefined);
      if (inlineRule === true || verdicts.some((v) => v === true || v === UNKNOWN)) continue;
      out.push(
        finding(
          bucket,
          "object lock has no default retention (aws.s3.BucketObjectLockConfiguration rule.defaultRetention)",
        ),
      );
    }
    for (const vault of subjects.filter((s) => s.type === "aws:backup/vault:Vault")) {
      const locks = children(
        subjects,
        ["aws:backup/vaultLockConfiguration:VaultLockConfiguration"],
        "backupVaultName",
        vault,
        ["name"],
      );
      if (locks.length === 0) {
        out.push(finding(vault, "backup vault has no aws.backup.VaultLockConfiguration"));
        continue;
      }
      // Governance mode (no changeableForDays) can be removed by anyone with the permission to do so.
      const compliance = locks.map((l) => known(ctx, () => get(l.props, "changeableForDays") !== undefined));
      if (compliance.some((v) => v === true || v === UNKNOWN)) continue;
      out.push(
        finding(
          vault,
          "backup vault lock is in governance mode (no changeableForDays): set changeableForDays (at least 3) for compliance mode",
        ),
      );
    }
    for (const account of subjects.filter(
      (s) => s.type === "azure-native:storage:StorageAccount" && !isAzureFileStorageAccount(s.props),
    )) {
      const accountLevel = known(ctx, () =>
        isTrue(get(account.props, "immutableStorageWithVersioning.enabled")),
      );
      if (accountLevel === true || accountLevel === UNKNOWN) continue;
      const policies = children(
        subjects,
        ["azure-native:storage:BlobContainerImmutabilityPolicy"],
        "accountName",
        account,
        ["accountName"],
      );
      const containers = children(subjects, ["azure-native:storage:BlobContainer"], "accountName", account, [
        "accountName",
      ]).filter(
        (c) => known(ctx, () => isTrue(get(c.props, "immutableStorageWithVersioning.enabled"))) === true,
      );
      if (policies.length > 0 || containers.length > 0) continue;
      out.push(
        finding(
          account,
          "storage account has no immutability (immutableStorageWithVersioning or container immutability policy)",
        ),
      );
    }
    return out;
  },
  stackTypes: {
    aws: [
      ...awsBucketTypes,
      "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
      "aws:backup/vault:Vault",
      "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    ],
    azure: ["azure-native:storage:StorageAccount", "azure-native:storage:BlobContainerImmutabilityPolicy"],
  },
});
