import {
  awsBucketSetting,
  awsBucketTypes,
  bucketSettings,
  children,
  finding,
  isAzureFileStorageAccount,
  known,
} from "../lib/checks";
import { defineControl } from "../lib/define";
import { UNKNOWN, get, isSet, isTrue, list, lower } from "../lib/props";
import type { Finding, Subject } from "../lib/types";

function versioningEnabled(v: Subject): boolean {
  return lower(get(v.props, "versioningConfiguration.status")) === "enabled";
}

export const enableObjectVersioning = defineControl({
  id: "enable-object-versioning",
  title: "Object storage keeps previous versions of objects",
  severity: "medium",
  category: "resilience",
  kind: "resilience",
  rationale:
    "Versioning turns an overwrite or delete (by mistake or by ransomware) into a recoverable event and is a prerequisite for replication and object lock (SOC 2 A1.2, ISO 27001 A.8.13, GDPR Art. 32(1)(c)).",
  remediation: [
    'AWS: an aws.s3.BucketVersioning with versioningConfiguration.status "Enabled" for every bucket.',
    "Azure: an azure-native storage BlobServiceProperties for the account with isVersioningEnabled true.",
    "GCP: versioning.enabled true (or a retention policy: GCS does not allow both, and a retention policy protects objects from deletion and overwrite).",
  ],
  frameworks: {
    soc2: ["A1.2"],
    iso27001: ["A.8.13"],
    gdpr: ["Art. 32(1)(c)"],
    lfpdppp: ["Art. 18"],
    cis: ["AWS Foundations 2.1.3 (MFA delete; versioning prerequisite)"],
  },
  uncertain: [
    "PCI DSS has no versioning requirement; none is mapped.",
    "CIS AWS lists versioning only as a prerequisite of MFA delete.",
  ],
  resources: {
    aws: Object.fromEntries(
      awsBucketSetting("versioning").map((t) => [
        t,
        (props: Record<string, unknown>) => {
          const status = get(props, "versioningConfiguration.status");
          return lower(status) === "enabled"
            ? []
            : [`versioningConfiguration.status is ${String(status ?? "unset")}; set Enabled`];
        },
      ]),
    ),
    azure: {
      "azure-native:storage:BlobServiceProperties": (props) =>
        isTrue(get(props, "isVersioningEnabled")) ? [] : ["isVersioningEnabled is not true"],
    },
    gcp: {
      "gcp:storage/bucket:Bucket": (props) =>
        isTrue(get(props, "versioning.enabled")) || isSet(props, "retentionPolicy.retentionPeriod")
          ? []
          : ["versioning.enabled is not true (and no retention policy)"],
    },
  },
  stack: (subjects, ctx) => {
    const out: Finding[] = [];
    for (const bucket of subjects.filter((s) => (awsBucketTypes as readonly string[]).includes(s.type))) {
      const inline = known(ctx, () =>
        bucket.type === "aws:s3/bucket:Bucket"
          ? isTrue(get(bucket.props, "versioning.enabled"))
          : list(get(bucket.props, "versionings")).some((v) => isTrue(get(v, "enabled"))),
      );
      if (inline === true || inline === UNKNOWN) continue;
      const configs = bucketSettings(subjects, "versioning", bucket);
      const verdicts = configs.map((c) => known(ctx, () => versioningEnabled(c)));
      if (verdicts.some((v) => v === true || v === UNKNOWN)) continue;
      out.push(
        finding(
          bucket,
          configs.length === 0
            ? "S3 bucket has no aws.s3.BucketVersioning"
            : "BucketVersioning status is not Enabled",
        ),
      );
    }
    for (const account of subjects.filter(
      (s) => s.type === "azure-native:storage:StorageAccount" && !isAzureFileStorageAccount(s.props),
    )) {
      const services = children(
        subjects,
        ["azure-native:storage:BlobServiceProperties"],
        "accountName",
        account,
        ["accountName"],
      );
      const verdicts = services.map((s) => known(ctx, () => isTrue(get(s.props, "isVersioningEnabled"))));
      if (verdicts.some((v) => v === true || v === UNKNOWN)) continue;
      out.push(
        finding(account, "storage account has no BlobServiceProperties with isVersioningEnabled true"),
      );
    }
    return out;
  },
  stackTypes: {
    aws: [...awsBucketTypes, "aws:s3/bucketVersioning:BucketVersioning"],
    azure: ["azure-native:storage:StorageAccount", "azure-native:storage:BlobServiceProperties"],
  },
});
