import { children, finding, isAzureFileStorageAccount, known } from "../lib/checks";
import { defineControl } from "../lib/define";
import { UNKNOWN, get, isTrue, lower } from "../lib/props";
import type { Finding } from "../lib/types";

const efsTypes = ["aws:efs/fileSystem:FileSystem"];
const backupPolicyTypes = ["aws:efs/backupPolicy:BackupPolicy"];
const accountTypes = ["azure-native:storage:StorageAccount"];
const fileServiceTypes = ["azure-native:storage:FileServiceProperties"];

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
    "Azure: a FileServiceProperties for every FileStorage account with shareDeleteRetentionPolicy.enabled true (deleted shares recoverable); share snapshots and Azure Backup protect the files themselves.",
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
    "GCP Filestore has no automatic backup setting on the instance: scheduled backups are Backup and DR plans (built by the backup component), so there is no GCP check here.",
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
    return out;
  },
  stackTypes: {
    aws: [...efsTypes, ...backupPolicyTypes],
    azure: [...accountTypes, ...fileServiceTypes],
  },
});
