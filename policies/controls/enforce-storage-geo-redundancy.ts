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
import { UNKNOWN, get, isSet, list, lower, peek, str } from "../lib/props";
import type { Finding } from "../lib/types";

const geoSkus = /^(standard|premium)_(grs|ragrs|gzrs|ragzrs)$/;
/** GCS multi-regions and predefined dual-regions. */
const gcsMultiLocations = new Set(["us", "eu", "asia", "nam4", "eur4", "eur5", "eur7", "eur8", "asia1"]);

export const enforceStorageGeoRedundancy = defineControl({
  id: "enforce-storage-geo-redundancy",
  title: "Production object storage is replicated to a second region",
  severity: "medium",
  category: "resilience",
  kind: "resilience",
  productionOnly: true,
  rationale:
    "A regional outage or disaster must not take the only copy of production data with it; geo-redundant storage supports the recovery point objective of the disaster-recovery site (SOC 2 A1.2, ISO 27001 A.8.14, A.5.30).",
  remediation: [
    "AWS: an aws.s3.BucketReplicationConfig replicating each bucket to a bucket in another region (replica buckets themselves are exempt).",
    "Azure: sku.name Standard_GRS, Standard_RAGRS, Standard_GZRS or Standard_RAGZRS.",
    "GCP: a multi-region (US, EU, ASIA) or dual-region location (e.g. EUR4, or customPlacementConfig with two regions).",
  ],
  frameworks: {
    soc2: ["A1.2", "CC9.1"],
    iso27001: ["A.8.14", "A.5.30"],
    gdpr: ["Art. 32(1)(b)", "Art. 32(1)(c)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: [
    "PCI DSS has no geo-redundancy requirement; none is mapped. Replication targets must themselves respect data residency (see enforce-data-residency).",
  ],
  resources: {
    azure: {
      "azure-native:storage:StorageAccount": (props) => {
        // Premium file storage offers LRS and ZRS only; file shares are protected by backups instead.
        if (isAzureFileStorageAccount(props)) return [];
        const sku = str(get(props, "sku.name")) ?? "";
        return geoSkus.test(sku.toLowerCase())
          ? []
          : [`sku.name is ${sku || "unset"}; use a geo-redundant SKU (GRS, RAGRS, GZRS, RAGZRS)`];
      },
    },
    gcp: {
      "gcp:storage/bucket:Bucket": (props) => {
        const location = lower(get(props, "location"));
        if (gcsMultiLocations.has(location)) return [];
        if (list(get(props, "customPlacementConfig.dataLocations")).length >= 2) return [];
        return [
          `location ${location || "unset"} is a single region; use a multi-region or dual-region location`,
        ];
      },
    },
  },
  stack: (subjects, ctx) => {
    const out: Finding[] = [];
    const replicationTypes = awsBucketSetting("replicationConfig");
    const replications = subjects.filter((s) => replicationTypes.includes(s.type));
    // Destination bucket names in the replication rules' ARNs ("arn:aws:s3:::<name>"), read once.
    const rulesText = replications.map((r) => JSON.stringify(peek(r.props, "rules") ?? ""));
    const destinations = new Set<string>();
    for (const text of rulesText) {
      for (let at = text.indexOf(":::"); at >= 0; at = text.indexOf(":::", at + 1)) {
        const end = text.indexOf('"', at + 3);
        if (end >= 0) destinations.add(text.slice(at + 3, end));
      }
    }
    for (const bucket of subjects.filter((s) => (awsBucketTypes as readonly string[]).includes(s.type))) {
      const inline = known(ctx, () =>
        bucket.type === "aws:s3/bucket:Bucket"
          ? isSet(bucket.props, "replicationConfiguration")
          : list(get(bucket.props, "replicationConfigurations")).length > 0,
      );
      if (inline === true || inline === UNKNOWN) continue;
      if (bucketSettings(subjects, "replicationConfig", bucket).length > 0) continue;
      // A bucket that is the destination of a replication rule is the replica.
      const name = str(peek(bucket.props, "bucket"));
      const isReplica =
        children(subjects, replicationTypes, "rules", bucket, ["arn"]).length > 0 ||
        (name !== undefined &&
          (name.includes('"') || name.includes(":::")
            ? rulesText.some((t) => t.includes(`:::${name}"`))
            : destinations.has(name)));
      if (isReplica) continue;
      out.push(finding(bucket, "S3 bucket has no aws.s3.BucketReplicationConfig to another region"));
    }
    return out;
  },
  stackTypes: { aws: [...awsBucketTypes, "aws:s3/bucketReplicationConfig:BucketReplicationConfig"] },
});
