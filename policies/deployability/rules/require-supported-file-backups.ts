/**
 * File-share backups the backup service refuses when `pulumi up` configures them:
 *
 * - GCP Backup and DR protects Filestore Zonal, Regional and Enterprise instances only ("enhanced
 *   backups"); a backup plan association naming a Basic tier instance is refused, and so is one whose
 *   location is not the instance's region;
 * - Azure Backup does not back up NFS Azure file shares: a Recovery Services protected item for an NFS
 *   share fails ("File share is not discovered").
 */
import { finding } from "../../lib/checks";
import { lower } from "../../lib/props";
import { designates, knownString, ofTypes, propertyDeps } from "../lib/graph";
import type { Finding, Rule, Source, Subject } from "../lib/rule";

const associationTypes = ["gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation"];
const filestoreTypes = ["gcp:filestore/instance:Instance"];
const protectedItemTypes = ["azure-native:recoveryservices:ProtectedItem"];
const shareTypes = ["azure-native:storage:FileShare"];
const accountTypes = ["azure-native:storage:StorageAccount"];

const filestoreTiers: Source = {
  url: "https://cloud.google.com/filestore/docs/backups",
  quote:
    "Standard backups (managed by Filestore): tier availability Basic, Zonal, Regional, Enterprise; backup scheduling: no. Enhanced backups (managed by Backup and DR Service): tier availability Zonal, Regional, Enterprise; hourly, daily, weekly, monthly, yearly.",
};
const filestoreRegion: Source = {
  url: "https://cloud.google.com/backup-disaster-recovery/docs/cloud-console/filestore/filestore-instance-backup",
  quote:
    "For a zonal resource, --resource must be in the same region as that of the --location. [A backup plan applied to a Filestore instance must] be in the same region as the Filestore instance.",
};
const azureNfs: Source = {
  url: "https://learn.microsoft.com/azure/backup/azure-file-share-support-matrix",
  quote: "Azure Backup currently doesn't support file shares with the NFS (Network File System) protocol.",
};

const backupDrTiers = ["zonal", "high_scale_ssd", "regional", "enterprise"];

/** `europe-west1-b` -> `europe-west1`; a region stays itself. */
function regionOf(location: string): string {
  return /^[a-z]+-[a-z]+\d+-[a-z]$/.test(location) ? location.slice(0, -2) : location;
}

function checkGcp(subjects: readonly Subject[]): Finding[] {
  const out: Finding[] = [];
  const instances = ofTypes(subjects, filestoreTypes);
  for (const association of ofTypes(subjects, associationTypes)) {
    if (knownString(association.props, "resourceType") !== "file.googleapis.com/Instance") continue;
    const instance = instances.find((i) => designates(association, "resource", i, ["name"]));
    if (!instance) continue;
    const tier = knownString(instance.props, "tier");
    if (tier !== undefined && !backupDrTiers.includes(lower(tier))) {
      out.push(
        finding(
          association,
          `Filestore instance '${instance.name}' is tier ${tier}: Backup and DR protects Zonal, Regional and Enterprise instances only, so the association is refused. Source: ${filestoreTiers.url}`,
        ),
      );
    }
    const location = knownString(association.props, "location");
    const instanceLocation = knownString(instance.props, "location");
    if (location !== undefined && instanceLocation !== undefined && regionOf(instanceLocation) !== location) {
      out.push(
        finding(
          association,
          `location ${location} is not the region of Filestore instance '${instance.name}' (${instanceLocation}): the association is refused. Source: ${filestoreRegion.url}`,
        ),
      );
    }
  }
  return out;
}

/** `AzureFileShare;data` -> `data` (the protected item name of a file share). */
function shareOf(item: Subject): string | undefined {
  const name = knownString(item.props, "protectedItemName");
  const m = name === undefined ? null : /^azurefileshare;(.+)$/i.exec(name);
  return m ? m[1] : undefined;
}

function checkAzure(subjects: readonly Subject[]): Finding[] {
  const out: Finding[] = [];
  const nfsShares = ofTypes(subjects, shareTypes).filter(
    (s) => lower(knownString(s.props, "enabledProtocols")) === "nfs",
  );
  if (nfsShares.length === 0) return out;
  const accounts = ofTypes(subjects, accountTypes);
  for (const item of ofTypes(subjects, protectedItemTypes)) {
    if (lower(knownString(item.props, "properties.protectedItemType")) !== "azurefileshareprotecteditem")
      continue;
    const shareName = shareOf(item) ?? knownString(item.props, "properties.friendlyName");
    // The storage account the item protects: by its source resource id (reference or known id) or the
    // account name at the end of the container name (`StorageContainer;Storage;<rg>;<account>`).
    const containerAccount = knownString(item.props, "containerName")?.split(";").pop();
    const sourceDeps = propertyDeps(item, "properties.sourceResourceId");
    const protectedAccounts = accounts.filter(
      (a) =>
        designates(item, "properties.sourceResourceId", a, ["accountName"]) ||
        sourceDeps.includes(a.urn) ||
        (containerAccount !== undefined &&
          lower(knownString(a.props, "accountName")) === lower(containerAccount)),
    );
    const share = nfsShares.find(
      (s) =>
        (shareName === undefined || lower(knownString(s.props, "shareName")) === lower(shareName)) &&
        (protectedAccounts.some((a) => designates(s, "accountName", a, ["accountName"])) ||
          (containerAccount !== undefined &&
            lower(knownString(s.props, "accountName")) === lower(containerAccount))),
    );
    if (!share) continue;
    out.push(
      finding(
        item,
        `protects NFS file share '${share.name}': Azure Backup does not back up NFS shares (the share is not discovered and protection fails). Source: ${azureNfs.url}`,
      ),
    );
  }
  return out;
}

export const requireSupportedFileBackups: Rule = {
  id: "require-supported-file-backups",
  title: "File-share backups name shares the backup service can protect",
  category: "topology",
  severity: "high",
  refuses:
    "Backup and DR refuses a plan association for a Basic tier Filestore instance or outside the instance's region; Azure Backup cannot protect NFS Azure file shares (the share is not discovered).",
  remediation:
    "GCP: use a ZONAL, REGIONAL or ENTERPRISE Filestore tier and associate it in its own region (providers/gcp/backup.ts does both). Azure: NFS shares have share soft delete only; back up SMB shares, or copy NFS data out with your own job.",
  sources: [filestoreTiers, filestoreRegion, azureNfs],
  stackTypes: {
    gcp: [...associationTypes, ...filestoreTypes],
    azure: [...protectedItemTypes, ...shareTypes, ...accountTypes],
  },
  stack: (subjects) => [...checkGcp(subjects), ...checkAzure(subjects)],
};
