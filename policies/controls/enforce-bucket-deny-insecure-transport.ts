import { awsBucketTypes, bucketSettings, finding, isAzureFileStorageAccount, known } from "../lib/checks";
import { defineControl } from "../lib/define";
import { UNKNOWN, get, isFalse, jsonDocument, list, lower, record } from "../lib/props";
import type { Finding } from "../lib/types";

/** True when a bucket policy document denies requests that do not use TLS. */
export function deniesInsecureTransport(document: unknown): boolean {
  const doc = record(jsonDocument(document));
  return list(doc["Statement"]).some((raw) => {
    const s = record(raw);
    if (lower(s["Effect"]) !== "deny") return false;
    const cond = record(s["Condition"]);
    const boolCond = record(cond["Bool"]);
    const v = boolCond["aws:SecureTransport"];
    const values = list(v).map((x) => lower(String(x)));
    return values.includes("false");
  });
}

export const enforceBucketDenyInsecureTransport = defineControl({
  id: "enforce-bucket-deny-insecure-transport",
  title: "Object storage refuses requests that do not use TLS",
  severity: "high",
  category: "data-protection",
  kind: "security",
  rationale:
    "S3 accepts plain HTTP unless the bucket policy denies it, and Azure storage accounts can be opened to HTTP; either lets data and signed requests travel unencrypted (PCI DSS 4.2.1).",
  remediation: [
    'AWS: attach an aws.s3.BucketPolicy with a Deny statement for all principals and actions on the bucket and its objects with Condition Bool aws:SecureTransport "false".',
    "Azure: keep enableHttpsTrafficOnly true (the default) on storage accounts.",
  ],
  frameworks: {
    soc2: ["CC6.7"],
    iso27001: ["A.8.24"],
    pciDss: ["4.2.1"],
    gdpr: ["Art. 32(1)(a)"],
    lfpdppp: ["Art. 18"],
    cis: ["AWS Foundations 2.1.1 (deny HTTP requests, v2+)", "Azure 3.1 (secure transfer required)"],
  },
  uncertain: [
    "GCP Cloud Storage serves only HTTPS for its JSON/XML APIs, so there is nothing to configure and no GCP check.",
    "CIS benchmark ids differ between benchmark versions; the ids given are indicative.",
  ],
  resources: {
    azure: {
      // FileStorage accounts serving NFS must turn it off; enforce-file-system-tls judges them.
      "azure-native:storage:StorageAccount": (props) =>
        !isAzureFileStorageAccount(props) && isFalse(get(props, "enableHttpsTrafficOnly"))
          ? ["enableHttpsTrafficOnly is false (HTTP allowed)"]
          : [],
    },
  },
  stack: (subjects, ctx) => {
    const out: Finding[] = [];
    for (const bucket of subjects.filter((s) => (awsBucketTypes as readonly string[]).includes(s.type))) {
      const docs: unknown[] = [];
      let undetermined = false;
      const inline = known(ctx, () => get(bucket.props, "policy"));
      if (inline === UNKNOWN) undetermined = true;
      else if (inline) docs.push(inline);
      for (const p of bucketSettings(subjects, "policy", bucket)) {
        const doc = known(ctx, () => get(p.props, "policy"));
        if (doc === UNKNOWN) undetermined = true;
        else docs.push(doc);
      }
      if (docs.some(deniesInsecureTransport)) continue;
      if (undetermined) continue; // the policy text is computed during preview; known() recorded it
      out.push(
        finding(
          bucket,
          "no bucket policy denies requests without TLS (Deny when aws:SecureTransport is false)",
        ),
      );
    }
    return out;
  },
  stackTypes: { aws: [...awsBucketTypes, "aws:s3/bucketPolicy:BucketPolicy"] },
});
