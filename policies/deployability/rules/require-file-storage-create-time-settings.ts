/**
 * File storage settings the cloud checks only when `pulumi up` creates the file system (the providers
 * pass them through): Filestore refuses a capacity below its tier's minimum, a share name that is not a
 * 1-16 character identifier, NFSv4.1 on the Basic tiers, a zone for a regional tier (and a region for a
 * zonal one) and a CMEK key of another region; Azure provisions premium NFS shares of 100 GiB to
 * 100 TiB; EFS accepts only its listed lifecycle transitions. (NFS shares on the wrong kind of account:
 * require-nfs-share-on-premium-file-storage.)
 */
import { get, list, lower, num, str } from "../../lib/props";
import type { Rule, Source } from "../lib/rule";

const sources = {
  filestoreTiers: {
    url: "https://cloud.google.com/filestore/docs/service-tiers",
    quote:
      "Minimum capacity: Basic HDD 1 TiB, Basic SSD 2.5 TiB, Zonal 1 TiB, Enterprise 1 TiB; Regional (lower capacity range) 100 GiB to 10,239 GiB. Basic HDD and Basic SSD instances are zonal; Regional and Enterprise instances are regional. NFSv4.1 is supported by the Zonal, Regional and Enterprise tiers.",
  },
  filestoreShare: {
    url: "https://cloud.google.com/filestore/docs/reference/rest/v1/projects.locations.instances#FileShareConfig",
    quote:
      "name: the name of the file share. Must use 1-16 characters for the basic service tier and 1-63 characters for all other service tiers. Must use lowercase letters, numbers, or underscores [a-z0-9_]. Must start with a letter. Immutable.",
  },
  filestoreCmek: {
    url: "https://cloud.google.com/filestore/docs/cmek",
    quote:
      "The Cloud KMS key must be in the same region as the Filestore instance; grant the Filestore service agent (service-PROJECT_NUMBER@cloud-filer.iam.gserviceaccount.com) the Cloud KMS CryptoKey Encrypter/Decrypter role before creating the instance.",
  },
  azureNfs: {
    url: "https://learn.microsoft.com/azure/storage/files/files-nfs-protocol",
    quote:
      "NFS Azure file shares are only offered on premium file shares (FileStorage storage accounts). Secure transfer required must be disabled on the storage account: NFS Azure file shares don't support encryption in transit at the protocol level and rely on network-level security (private endpoints or service endpoints).",
  },
  azureShareSize: {
    url: "https://learn.microsoft.com/azure/storage/files/storage-files-scale-targets",
    quote:
      "Premium (provisioned v1) file shares: minimum provisioned size 100 GiB, maximum 100 TiB (102,400 GiB).",
  },
  efsLifecycle: {
    url: "https://docs.aws.amazon.com/efs/latest/ug/API_LifecyclePolicy.html",
    quote:
      "TransitionToIA: AFTER_1_DAY | AFTER_7_DAYS | AFTER_14_DAYS | AFTER_30_DAYS | AFTER_60_DAYS | AFTER_90_DAYS | AFTER_180_DAYS | AFTER_270_DAYS | AFTER_365_DAYS. TransitionToPrimaryStorageClass: AFTER_1_ACCESS.",
  },
} satisfies Record<string, Source>;

/** Filestore minimum capacity (GiB) per tier (the program's components/filestore-config.ts agrees). */
export const filestoreMinimumGb: Readonly<Record<string, number>> = {
  BASIC_HDD: 1024,
  STANDARD: 1024,
  BASIC_SSD: 2560,
  PREMIUM: 2560,
  ZONAL: 1024,
  REGIONAL: 100,
  ENTERPRISE: 1024,
};
const regionalTiers = new Set(["REGIONAL", "ENTERPRISE"]);
const basicTiers = new Set(["BASIC_HDD", "BASIC_SSD", "STANDARD", "PREMIUM"]);
const efsTransitions = new Set(
  ["1_DAY", "7_DAYS", "14_DAYS", "30_DAYS", "60_DAYS", "90_DAYS", "180_DAYS", "270_DAYS", "365_DAYS"].map(
    (d) => `AFTER_${d}`,
  ),
);

/** `europe-west1-b` → `europe-west1`; a region stays as it is. */
const regionOf = (location: string): string => location.replace(/-[a-z]$/, "");
const isZone = (location: string): boolean => /-[a-z]$/.test(location);

function filestore(props: Record<string, unknown>): string[] {
  const out: string[] = [];
  const tier = str(get(props, "tier")) ?? "BASIC_HDD";
  const location = str(get(props, "location"));
  const shares = list(get(props, "fileShares"));
  for (const share of shares.length > 0 ? shares : [get(props, "fileShares")]) {
    const gb = num(get(share, "capacityGb"));
    const min = filestoreMinimumGb[tier];
    if (gb !== undefined && min !== undefined && gb < min)
      out.push(
        `capacityGb ${gb} is below the ${tier} minimum of ${min} GiB. Source: ${sources.filestoreTiers.url}`,
      );
    const name = str(get(share, "name"));
    const max = basicTiers.has(tier) ? 16 : 63;
    if (name !== undefined && !new RegExp(`^[a-z][a-z0-9_]{0,${max - 1}}$`).test(name))
      out.push(
        `file share name '${name}' must be 1-${max} characters of a-z, 0-9 or _, a letter first. Source: ${sources.filestoreShare.url}`,
      );
  }
  if (lower(get(props, "protocol")) === "nfs_v4_1" && basicTiers.has(tier))
    out.push(`protocol NFS_V4_1 is not offered on ${tier}. Source: ${sources.filestoreTiers.url}`);
  if (location !== undefined) {
    if (regionalTiers.has(tier) && isZone(location))
      out.push(
        `${tier} instances are regional: location must be a region, found zone ${location}. Source: ${sources.filestoreTiers.url}`,
      );
    if (!regionalTiers.has(tier) && !isZone(location))
      out.push(
        `${tier} instances are zonal: location must be a zone, found ${location}. Source: ${sources.filestoreTiers.url}`,
      );
    const key = str(get(props, "kmsKeyName"));
    const keyRegion = key ? /\/locations\/([^/]+)\//.exec(key)?.[1] : undefined;
    if (keyRegion !== undefined && lower(keyRegion) !== lower(regionOf(location)))
      out.push(
        `kmsKeyName is in ${keyRegion}, the instance in ${regionOf(location)}: the key must be in the instance's region. Source: ${sources.filestoreCmek.url}`,
      );
  }
  return out;
}

export const requireFileStorageCreateTimeSettings: Rule = {
  id: "require-file-storage-create-time-settings",
  title: "File storage settings are combinations the cloud accepts when it creates the file system",
  category: "topology",
  severity: "critical",
  refuses:
    "Filestore refuses capacities below the tier's minimum, share names outside 1-16 (Basic) or 1-63 [a-z0-9_] characters, NFSv4.1 on Basic tiers, a zone for Regional/Enterprise (a region for Basic/Zonal) and a CMEK key of another region; Azure refuses premium NFS shares outside 100-102,400 GiB; EFS refuses lifecycle transitions it does not list.",
  remediation:
    "Filestore: capacityGb at least the tier minimum (components/filestore-config.ts), share name like `data`, protocol NFS_V4_1 only on Zonal/Regional/Enterprise, location a region for Regional/Enterprise and a zone otherwise, kmsKeyName a key of the instance's region. Azure: shareQuota 100-102400 for NFS shares. EFS: transitionToIa AFTER_<n>_DAYS from the API's list.",
  sources: Object.values(sources),
  resources: {
    aws: {
      "aws:efs/fileSystem:FileSystem": (props) =>
        list(get(props, "lifecyclePolicies")).flatMap((p, i) => {
          const ia = str(get(p, "transitionToIa"));
          return ia !== undefined && !efsTransitions.has(ia)
            ? [
                `lifecyclePolicies[${i}].transitionToIa ${ia} is not a value EFS accepts. Source: ${sources.efsLifecycle.url}`,
              ]
            : [];
        }),
    },
    azure: {
      "azure-native:storage:FileShare": (props) => {
        const quota = num(get(props, "shareQuota"));
        return lower(get(props, "enabledProtocols")) === "nfs" &&
          quota !== undefined &&
          (quota < 100 || quota > 102400)
          ? [
              `shareQuota ${quota} GiB is outside the premium share range 100-102400. Source: ${sources.azureShareSize.url}`,
            ]
          : [];
      },
    },
    gcp: { "gcp:filestore/instance:Instance": filestore },
  },
};
