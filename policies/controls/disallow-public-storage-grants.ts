import { defineControl } from "../lib/define";
import { get, jsonDocument, list, lower, record, str } from "../lib/props";

const publicCannedAcls = new Set(["public-read", "public-read-write", "authenticated-read"]);
const publicGranteeUris = [
  "http://acs.amazonaws.com/groups/global/AllUsers",
  "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];
const publicMembers = new Set(["allusers", "allauthenticatedusers"]);

function cannedAcl(props: Record<string, unknown>): string[] {
  const acl = lower(get(props, "acl"));
  return publicCannedAcls.has(acl) ? [`acl is ${acl}`] : [];
}

function aclGrants(props: Record<string, unknown>): string[] {
  const out = cannedAcl(props);
  for (const g of list(get(props, "accessControlPolicy.grants"))) {
    const uri = str(get(g, "grantee.uri"));
    if (uri && publicGranteeUris.includes(uri)) out.push(`grant to ${uri}`);
  }
  return out;
}

/** Allow statements for everyone (Principal "*" or AWS "*") without a condition. */
export function publicPolicyStatements(document: unknown): string[] {
  const doc = record(jsonDocument(document));
  const out: string[] = [];
  for (const raw of list(doc["Statement"])) {
    const s = record(raw);
    if (lower(s["Effect"]) !== "allow") continue;
    const principal = s["Principal"];
    const everyone = principal === "*" || list(record(principal)["AWS"]).some((p) => p === "*");
    const conditioned = Object.keys(record(s["Condition"])).length > 0;
    if (everyone && !conditioned)
      out.push(
        `statement ${String(s["Sid"] ?? "")} allows everyone (Principal "*") without a condition`.replace(
          "  ",
          " ",
        ),
      );
  }
  return out;
}

function gcpMembers(members: unknown[]): string[] {
  return members.filter((m) => publicMembers.has(lower(m))).map((m) => `grants access to ${String(m)}`);
}

const gcpAclEntity = (props: Record<string, unknown>) => {
  const entity = lower(get(props, "entity"));
  return publicMembers.has(entity) ? [`entity is ${entity}`] : [];
};

export const disallowPublicStorageGrants = defineControl({
  id: "disallow-public-storage-grants",
  title: "No ACL, policy or IAM binding grants object storage to everyone",
  severity: "critical",
  category: "exposure",
  kind: "security",
  rationale:
    'A single public-read ACL, an Allow-for-"*" bucket policy, a public container or an allUsers binding publishes data to the internet (PCI DSS 1.4.4, 7.2.1; GDPR Art. 32).',
  remediation: [
    'AWS: remove public canned ACLs (public-read, public-read-write, authenticated-read) and AllUsers/AuthenticatedUsers grants; bucket policies must not Allow Principal "*" without a restricting condition. Serve public content through CloudFront with origin access control.',
    'Azure: publicAccess "None" on blob containers.',
    "GCP: no allUsers or allAuthenticatedUsers in bucket IAM members, bindings, policies or ACLs; no publicRead predefined ACLs.",
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.6"],
    iso27001: ["A.5.15", "A.8.3"],
    pciDss: ["1.4.4", "7.2.1"],
    gdpr: ["Art. 32(1)(b)", "Art. 25"],
    lfpdppp: ["Art. 18", "Art. 20"],
    cis: [
      "GCP 5.1 (buckets not anonymously or publicly accessible)",
      "Azure 3.7 (public access level private)",
    ],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    aws: {
      "aws:s3/bucketAcl:BucketAcl": aclGrants,
      "aws:s3/bucketAclV2:BucketAclV2": aclGrants,
      "aws:s3/bucket:Bucket": (props) => [
        ...cannedAcl(props),
        ...publicPolicyStatements(get(props, "policy")),
      ],
      "aws:s3/bucketV2:BucketV2": (props) => [
        ...cannedAcl(props),
        ...publicPolicyStatements(get(props, "policy")),
      ],
      "aws:s3/bucketPolicy:BucketPolicy": (props) => publicPolicyStatements(get(props, "policy")),
      "aws:s3/bucketObject:BucketObject": cannedAcl,
      "aws:s3/bucketObjectv2:BucketObjectv2": cannedAcl,
    },
    azure: {
      "azure-native:storage:BlobContainer": (props) => {
        const access = str(get(props, "publicAccess"));
        return access && lower(access) !== "none" ? [`publicAccess is ${access}`] : [];
      },
    },
    gcp: {
      "gcp:storage/bucketIAMMember:BucketIAMMember": (props) => gcpMembers([get(props, "member")]),
      "gcp:storage/bucketIAMBinding:BucketIAMBinding": (props) => gcpMembers(list(get(props, "members"))),
      "gcp:storage/bucketIAMPolicy:BucketIAMPolicy": (props) =>
        gcpMembers(
          list(record(jsonDocument(get(props, "policyData")))["bindings"]).flatMap((b) =>
            list(record(b)["members"]),
          ),
        ),
      "gcp:storage/bucketACL:BucketACL": (props) => {
        const out: string[] = [];
        const predefined = lower(get(props, "predefinedAcl"));
        if (["publicread", "publicreadwrite", "authenticatedread"].includes(predefined))
          out.push(`predefinedAcl is ${predefined}`);
        for (const e of list(get(props, "roleEntities"))) {
          const entity = lower(String(e).split(":").slice(1).join(":"));
          if (publicMembers.has(entity)) out.push(`roleEntities grants ${String(e)}`);
        }
        return out;
      },
      "gcp:storage/bucketAccessControl:BucketAccessControl": gcpAclEntity,
      "gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl": gcpAclEntity,
      "gcp:storage/objectAccessControl:ObjectAccessControl": gcpAclEntity,
    },
  },
});
