/**
 * A CDN in front of a private store reaches it only through an access path the store grants; without the
 * grant every request fails at the edge (403/502) although `pulumi up` succeeds, or the cloud refuses the
 * origin outright:
 *
 * - CloudFront with an origin access control signs its S3 requests, and S3 serves them only when the
 *   bucket policy allows `cloudfront.amazonaws.com` s3:GetObject (for the distribution's ARN). S3 keeps one
 *   policy per bucket, so the grant must be in the bucket's only BucketPolicy.
 * - Front Door reaches a storage account over Private Link only on the Premium tier; the private endpoint
 *   connection it creates then waits for approval on the account (the README's approval step).
 * - Cloud CDN reads a private bucket (for signed requests) as the Cloud CDN fill service account, which
 *   needs Storage Object Viewer on the bucket.
 */
import { finding } from "../../lib/checks";
import { get, list, lower } from "../../lib/props";
import { designates, knownString, ofTypes, propertyDeps } from "../lib/graph";
import type { Finding, Rule, Source } from "../lib/rule";
import type { Subject } from "../../lib/types";

const sources = {
  oac: {
    url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html",
    quote:
      "Give the origin access control permission to access the S3 bucket: a bucket policy that allows the CloudFront service principal (cloudfront.amazonaws.com) s3:GetObject, with a condition AWS:SourceArn of the distribution.",
  },
  frontDoor: {
    url: "https://learn.microsoft.com/azure/frontdoor/private-link",
    quote:
      "Applies to: Front Door Premium ... You must approve the private endpoint connection before traffic can pass to the origin privately.",
  },
  cdnFill: {
    url: "https://cloud.google.com/cdn/docs/using-signed-urls#configure_permissions",
    quote:
      "If you use signed URLs with a private Cloud Storage bucket, grant the Cloud CDN service account (service-PROJECT_NUMBER@cloud-cdn-fill.iam.gserviceaccount.com) the Storage Object Viewer role on the bucket.",
  },
} satisfies Record<string, Source>;

const distributionType = "aws:cloudfront/distribution:Distribution";
const bucketTypes = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const bucketPolicyType = "aws:s3/bucketPolicy:BucketPolicy";
const profileType = "azure-native:cdn:Profile";
const originType = "azure-native:cdn:AFDOrigin";
const backendBucketType = "gcp:compute/backendBucket:BackendBucket";
const gcsBucketType = "gcp:storage/bucket:Bucket";
const gcsGrantTypes = [
  "gcp:storage/bucketIAMMember:BucketIAMMember",
  "gcp:storage/bucketIAMBinding:BucketIAMBinding",
];

/** A policy document (string or object) as text, for a containment test; undefined while unknown. */
function policyText(props: Record<string, unknown>): string | undefined {
  const p = get(props, "policy");
  if (typeof p === "string") return p;
  return p === undefined ? undefined : JSON.stringify(p);
}

function awsFindings(subjects: readonly Subject[]): Finding[] {
  const out: Finding[] = [];
  for (const d of ofTypes(subjects, [distributionType])) {
    const signed = list(get(d.props, "origins")).filter((o) => get(o, "originAccessControlId") !== undefined);
    if (signed.length === 0) continue;
    for (const bucket of ofTypes(subjects, bucketTypes)) {
      const name = knownString(bucket.props, "bucket");
      const named =
        name !== undefined &&
        signed.some((o) => (lower(get(o, "domainName")) ?? "").startsWith(`${name}.s3.`));
      if (!named && !propertyDeps(d, "origins").includes(bucket.urn)) continue;
      const policies = ofTypes(subjects, [bucketPolicyType]).filter((p) =>
        designates(p, "bucket", bucket, ["bucket"]),
      );
      const texts = policies.map((p) => policyText(p.props));
      if (texts.some((t) => t === undefined)) continue; // still computed: judged when known
      const grants = texts.some(
        (t) => t!.includes("cloudfront.amazonaws.com") && t!.includes("s3:GetObject"),
      );
      if (grants) continue;
      out.push(
        finding(
          d,
          `origin bucket '${name ?? bucket.name}' has ${policies.length === 0 ? "no bucket policy" : "no bucket policy statement"} allowing cloudfront.amazonaws.com s3:GetObject: every request through the origin access control is denied. Source: ${sources.oac.url}`,
        ),
      );
    }
  }
  return out;
}

export const requireCdnOriginAccess: Rule = {
  id: "require-cdn-origin-access",
  title: "A CDN's private origin grants the CDN's access path",
  category: "reachability",
  severity: "high",
  refuses:
    "S3 denies CloudFront's OAC-signed requests without a bucket policy grant; Front Door Standard refuses Private Link origins (Premium only); Cloud Storage denies Cloud CDN's fill requests to a private bucket without the fill service account's grant.",
  remediation:
    "AWS: put the cloudfront.amazonaws.com s3:GetObject statement (AWS:SourceArn the distribution) into the bucket's one BucketPolicy. Azure: sku Premium_AzureFrontDoor, then approve the pending private endpoint connection on the storage account. GCP: grant roles/storage.objectViewer on the bucket to service-<project number>@cloud-cdn-fill.iam.gserviceaccount.com.",
  sources: Object.values(sources),
  stackTypes: {
    aws: [distributionType, ...bucketTypes, bucketPolicyType],
    azure: [profileType, originType],
    gcp: [backendBucketType, gcsBucketType, ...gcsGrantTypes],
  },
  stack: (subjects) => {
    const out: Finding[] = awsFindings(subjects);
    for (const origin of ofTypes(subjects, [originType])) {
      if (get(origin.props, "sharedPrivateLinkResource") === undefined) continue;
      const profile = ofTypes(subjects, [profileType]).find((p) =>
        designates(origin, "profileName", p, ["profileName"]),
      );
      const sku = profile ? lower(get(profile.props, "sku.name")) : undefined;
      if (profile && sku !== undefined && sku !== "premium_azurefrontdoor") {
        out.push(
          finding(
            origin,
            `sharedPrivateLinkResource on a profile of sku ${String(get(profile.props, "sku.name"))}: Private Link origins need Premium_AzureFrontDoor. Source: ${sources.frontDoor.url}`,
          ),
        );
      }
    }
    for (const backend of ofTypes(subjects, [backendBucketType])) {
      if (get(backend.props, "enableCdn") !== true) continue;
      const bucket = ofTypes(subjects, [gcsBucketType]).find((b) =>
        designates(backend, "bucketName", b, ["name"]),
      );
      if (!bucket) continue; // a bucket of another stack
      const grants = ofTypes(subjects, gcsGrantTypes).filter((g) =>
        designates(g, "bucket", bucket, ["name"]),
      );
      const members = grants.map((g) => {
        const role = knownString(g.props, "role");
        const m = [get(g.props, "member"), ...list(get(g.props, "members"))];
        return { role, m };
      });
      const ok = members.some(
        ({ role, m }) =>
          (role === "roles/storage.objectViewer" || role === "roles/storage.legacyObjectReader") &&
          m.some((x) => typeof x !== "string" || x.includes("@cloud-cdn-fill.iam.gserviceaccount.com")),
      );
      if (!ok) {
        out.push(
          finding(
            backend,
            `bucket '${knownString(bucket.props, "name") ?? bucket.name}' grants the Cloud CDN fill service account no Storage Object Viewer: the CDN cannot read the private bucket. Source: ${sources.cdnFill.url}`,
          ),
        );
      }
    }
    return out;
  },
};
