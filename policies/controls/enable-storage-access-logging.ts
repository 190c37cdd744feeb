import { awsBucketTypes, bucketSettings, children, finding, isAwsAccessLogTarget } from "../lib/checks";
import { defineControl } from "../lib/define";
import { isSet, list, peek, str } from "../lib/props";
import type { Finding } from "../lib/types";

export const enableStorageAccessLogging = defineControl({
  id: "enable-storage-access-logging",
  title: "Object storage logs every access",
  severity: "medium",
  category: "logging",
  kind: "security",
  rationale:
    "Server access logs show who read or changed which object; they are the evidence for breach notification (GDPR Art. 33) and audit trails of access to cardholder data (PCI DSS 10.2.1).",
  remediation: [
    "AWS: an aws.s3.BucketLogging for every bucket, targeting a dedicated log bucket (buckets that receive S3 server access logs or load balancer access logs are exempt).",
    "Azure: a monitor DiagnosticSetting on the storage account's blob service (resourceUri <account id>/blobServices/default) with StorageRead/StorageWrite/StorageDelete logs.",
    "GCP: logging.logBucket on every bucket (buckets that receive logs are exempt), or a project IAMAuditConfig with DATA_READ and DATA_WRITE for storage.googleapis.com (or allServices).",
  ],
  frameworks: {
    soc2: ["CC7.2"],
    iso27001: ["A.8.15"],
    pciDss: ["10.2.1", "10.2.1.1"],
    gdpr: ["Art. 33", "Art. 32(1)(d)"],
    lfpdppp: ["Art. 19"],
    cis: ["AWS Foundations 3.6 (S3 access logging on the CloudTrail bucket)", "Azure 3.x (storage logging)"],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {},
  stack: (subjects) => {
    const out: Finding[] = [];
    for (const bucket of subjects.filter((s) => (awsBucketTypes as readonly string[]).includes(s.type))) {
      if (isSet(bucket.props, bucket.type === "aws:s3/bucket:Bucket" ? "logging" : "loggings")) continue;
      if (bucketSettings(subjects, "logging", bucket).length > 0) continue;
      // A bucket that receives S3 server access logs or load balancer access logs is itself the log: logging
      // its access would need a further log bucket, and so on.
      if (isAwsAccessLogTarget(subjects, bucket)) continue;
      out.push(finding(bucket, "S3 bucket has no aws.s3.BucketLogging (server access logs)"));
    }
    for (const account of subjects.filter((s) => s.type === "azure-native:storage:StorageAccount")) {
      if (children(subjects, ["azure-native:monitor:DiagnosticSetting"], "resourceUri", account).length > 0)
        continue;
      out.push(finding(account, "storage account has no monitor DiagnosticSetting"));
    }
    const gcsBuckets = subjects.filter((s) => s.type === "gcp:storage/bucket:Bucket");
    // Cloud Audit Logs Data Access logging for Cloud Storage records every object access as well.
    const gcsAudited = subjects.some((s) => {
      if (s.type !== "gcp:projects/iAMAuditConfig:IAMAuditConfig") return false;
      const service = peek(s.props, "service");
      if (service !== "allServices" && service !== "storage.googleapis.com") return false;
      const types = list(peek(s.props, "auditLogConfigs")).map((c) => peek(c, "logType"));
      return types.includes("DATA_READ") && types.includes("DATA_WRITE");
    });
    if (gcsAudited) return out;
    const logTargets = new Set(
      gcsBuckets.map((b) => str(peek(b.props, "logging.logBucket"))).filter((x): x is string => !!x),
    );
    const logTargetUrns = new Set(gcsBuckets.flatMap((b) => b.propertyDependencies["logging"] ?? []));
    for (const bucket of gcsBuckets) {
      if (isSet(bucket.props, "logging.logBucket")) continue;
      const name = str(peek(bucket.props, "name"));
      const isTarget = (name !== undefined && logTargets.has(name)) || logTargetUrns.has(bucket.urn);
      if (isTarget) continue;
      out.push(finding(bucket, "logging.logBucket is unset (no access logs)"));
    }
    return out;
  },
  stackTypes: {
    aws: [...awsBucketTypes, "aws:s3/bucketLogging:BucketLogging"],
    azure: ["azure-native:storage:StorageAccount", "azure-native:monitor:DiagnosticSetting"],
    gcp: ["gcp:storage/bucket:Bucket", "gcp:projects/iAMAuditConfig:IAMAuditConfig"],
  },
});
