import { awsBucketTypes, bucketSettings, finding, known } from "../lib/checks";
import { defineControl } from "../lib/define";
import { get, isTrue, lower, str } from "../lib/props";
import type { Finding, Subject } from "../lib/types";

const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

function blockProblems(block: Subject): string[] {
  const off = flags.filter((f) => !isTrue(get(block.props, f)));
  return off.length === 0 ? [] : [`public access block leaves ${off.join(", ")} off`];
}

export const enforceStoragePublicAccessBlock = defineControl({
  id: "enforce-storage-public-access-block",
  title: "Object storage blocks public access at the bucket or account level",
  severity: "critical",
  category: "exposure",
  kind: "security",
  rationale:
    "Public buckets are the most common cause of cloud data breaches. A public access block (AWS), disallowing blob public access (Azure) and enforced public access prevention (GCP) make later ACL or policy mistakes harmless (PCI DSS 1.4.4, GDPR Art. 25, 32).",
  remediation: [
    "AWS: add an aws.s3.BucketPublicAccessBlock for every bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true (or an account-level aws.s3.AccountPublicAccessBlock with all four).",
    "Azure: allowBlobPublicAccess: false on the storage account.",
    'GCP: publicAccessPrevention: "enforced" on the bucket.',
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.6"],
    iso27001: ["A.8.3", "A.8.12"],
    pciDss: ["1.4.4", "7.2.1"],
    gdpr: ["Art. 25", "Art. 32(1)(b)"],
    lfpdppp: ["Art. 18", "Art. 20"],
    cis: [
      "AWS Foundations 2.1.4 (S3 block public access)",
      "Azure 3.7 (public access level disabled)",
      "GCP 5.1 (not anonymously or publicly accessible)",
    ],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    aws: Object.fromEntries(
      [
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
      ].map((t) => [
        t,
        (_props: Record<string, unknown>, ctx: { subject: Subject }) => blockProblems(ctx.subject),
      ]),
    ),
    azure: {
      "azure-native:storage:StorageAccount": (props) =>
        isTrue(get(props, "allowBlobPublicAccess")) ? ["allowBlobPublicAccess is true"] : [],
    },
    gcp: {
      "gcp:storage/bucket:Bucket": (props) => {
        const v = str(get(props, "publicAccessPrevention"));
        return lower(v) === "enforced"
          ? []
          : [`publicAccessPrevention is ${v ?? "unset (inherited)"}; set "enforced"`];
      },
    },
  },
  stack: (subjects, ctx) => {
    const out: Finding[] = [];
    const account = subjects.filter(
      (s) => s.type === "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    );
    const accountBlocks = account.some((a) => known(ctx, () => blockProblems(a).length === 0) === true);
    for (const bucket of subjects.filter((s) => (awsBucketTypes as readonly string[]).includes(s.type))) {
      if (accountBlocks) continue;
      // Blocks that leave a flag off are reported on the block resource by the resource check.
      if (bucketSettings(subjects, "publicAccessBlock", bucket).length === 0) {
        out.push(
          finding(bucket, "S3 bucket has no aws.s3.BucketPublicAccessBlock (and no account-level block)"),
        );
      }
    }
    return out;
  },
  stackTypes: { aws: [...awsBucketTypes] },
});
