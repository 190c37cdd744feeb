import { children, finding, isAzureFileStorageAccount, known } from "../lib/checks";
import { defineControl } from "../lib/define";
import { UNKNOWN, get, isTrue, lower, peek } from "../lib/props";
import type { Finding, Subject } from "../lib/types";

const efsTypes = ["aws:efs/fileSystem:FileSystem"];
const backupPolicyTypes = ["aws:efs/backupPolicy:BackupPolicy"];
const accountTypes = ["azure-native:storage:StorageAccount"];
const fileServiceTypes = ["azure-native:storage:FileServiceProperties"];
const filestoreTypes = ["gcp:filestore/instance:Instance"];
const associationTypes = ["gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation"];
const filestoreResourceType = "file.googleapis.com/Instance";
/**
 * Filestore tiers Backup and DR backs up on a schedule ("enhanced backups"): Zonal (HIGH_SCALE_SSD is its
 * former name), Regional, Enterprise. Basic tiers have only Filestore's standard backups, which have no
 * schedule: https://cloud.google.com/filestore/docs/backups.
 */
const scheduledBackupTiers = ["zonal", "high_scale_ssd", "regional", "enterprise"];

/** Backup plan associations of Filestore instances that name `instance` (by reference or by path). */
function filestoreAssociations(subjects: readonly Subject[], instance: Subject): Subject[] {
  const byRef = children(subjects, associationTypes, "resource", instance);
  const name = peek(instance.props, "name");
  const byPath = subjects.filter((s) => {
    const resource = peek(s.props, "resource");
    return (
      associationTypes.includes(s.type) &&
      typeof name === "string" &&
      typeof resource === "string" &&
      resource.endsWith(`/instances/${name}`)
    );
  });
  return [...new Set([...byRef, ...byPath])].filter((a) => {
    const type = peek(a.props, "resourceType");
    return type === UNKNOWN || type === undefined || type === filestoreResourceType;
  });
}

export const enableFileSystemBackups = defineControl({
  id: "enable-file-system-backups",
  title: "Shared file systems are backed up or keep deleted shares recoverable",
  severity: "medium",
  category: "resilience",
  kind: "resilience",
  rationale:
    "Files deleted or encrypted by mistake or by ransomware are gone from a shared file system at once, for every client; automatic backups (and, on Azure, share soft delete) are the recovery path (SOC 2 A1.2, ISO 27001 A.8.13, PCI DSS 12.10.1).",
  remediation: [
    'AWS: an aws.efs.BackupPolicy with backupPolicy.status "ENABLED" for every EFS file system (daily AWS Backup backups, 35-day retention), or an AWS Backup plan selecting it.',
    "Azure: a FileServiceProperties for every FileStorage account with shareDeleteRetentionPolicy.enabled true (deleted shares recoverable). Azure Backup does not back up NFS shares (https://learn.microsoft.com/azure/backup/azure-file-share-support-matrix); SMB shares can also go into a Recovery Services vault.",
    'GCP: a Backup and DR gcp.backupdisasterrecovery.BackupPlanAssociation (resourceType "file.googleapis.com/Instance") for every Filestore instance; Basic tiers cannot have one (Backup and DR takes Zonal, Regional and Enterprise only, and Filestore\'s own backups have no schedule): choose one of those tiers, or waive with the reason.',
  ],
  frameworks: {
    soc2: ["A1.2"],
    iso27001: ["A.8.13"],
    pciDss: ["12.10.1"],
    gdpr: ["Art. 32(1)(c)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: [
    "AWS Backup plans that select EFS file systems by tag are not matched: a file system protected only that way is reported (set BackupPolicy ENABLED as well, or waive).",
    "GCP Filestore has no automatic backup setting on the instance: the only scheduled backups are Backup and DR plan associations, which exist for Zonal, Regional and Enterprise instances only (https://cloud.google.com/filestore/docs/backups); a Basic-tier instance is reported because nothing can schedule its backups.",
    "Azure share soft delete recovers a deleted share, not files changed or encrypted inside it; for NFS shares Azure offers nothing more that runs on a schedule.",
  ],
  resources: {},
  stack: (subjects, ctx) => {
    const out: Finding[] = [];
    for (const fs of subjects.filter((s) => efsTypes.includes(s.type))) {
      const policies = children(subjects, backupPolicyTypes, "fileSystemId", fs, ["creationToken"]);
      const verdicts = policies.map((p) =>
        known(ctx, () => lower(get(p.props, "backupPolicy.status")) === "enabled"),
      );
      if (verdicts.some((v) => v === true || v === UNKNOWN)) continue;
      out.push(
        finding(
          fs,
          policies.length === 0
            ? "no aws.efs.BackupPolicy: automatic backups are off"
            : 'BackupPolicy status is not "ENABLED"',
        ),
      );
    }
    for (const account of subjects.filter(
      (s) => accountTypes.includes(s.type) && isAzureFileStorageAccount(s.props),
    )) {
      const services = children(subjects, fileServiceTypes, "accountName", account, ["accountName"]);
      const verdicts = services.map((s) =>
        known(ctx, () => isTrue(get(s.props, "shareDeleteRetentionPolicy.enabled"))),
      );
      if (verdicts.some((v) => v === true || v === UNKNOWN)) continue;
      out.push(
        finding(account, "FileStorage account has no FileServiceProperties with share soft delete enabled"),
      );
    }
    for (const instance of subjects.filter((s) => filestoreTypes.includes(s.type))) {
      const tier = known(ctx, () => lower(get(instance.props, "tier")));
      if (tier === UNKNOWN) continue;
      if (!scheduledBackupTiers.includes(tier)) {
        out.push(
          finding(
            instance,
            `tier ${String(get(instance.props, "tier") ?? "unset")} cannot be backed up on a schedule (Backup and DR takes ZONAL, REGIONAL and ENTERPRISE instances; Filestore backups of Basic tiers are on demand only)`,
          ),
        );
        continue;
      }
      if (filestoreAssociations(subjects, instance).length > 0) continue;
      out.push(
        finding(
          instance,
          'no Backup and DR BackupPlanAssociation (resourceType "file.googleapis.com/Instance") names this instance: no scheduled backup',
        ),
      );
    }
    return out;
  },
  stackTypes: {
    aws: [...efsTypes, ...backupPolicyTypes],
    azure: [...accountTypes, ...fileServiceTypes],
    gcp: [...filestoreTypes, ...associationTypes],
  },
});
