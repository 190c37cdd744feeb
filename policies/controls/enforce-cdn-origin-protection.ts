import { defineControl } from "../lib/define";
import { get, isSet, list, lower, str } from "../lib/props";

/** CloudFront: S3 origins read through an origin access control (the bucket stays private). */
function cloudFrontDistribution(props: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [i, origin] of list(get(props, "origins")).entries()) {
    const domain = lower(get(origin, "domainName")) ?? "";
    if (/\.s3-website[.-]/.test(domain)) {
      out.push(
        `origins[${i}] is an S3 website endpoint (public, HTTP only): use the bucket's REST endpoint with an origin access control`,
      );
      continue;
    }
    const s3 = /\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.test(domain) || isSet(origin, "s3OriginConfig");
    if (
      s3 &&
      !isSet(origin, "originAccessControlId") &&
      !str(get(origin, "s3OriginConfig.originAccessIdentity"))
    ) {
      out.push(
        `origins[${i}] reads an S3 bucket without an origin access control: the bucket would have to be public; set originAccessControlId`,
      );
    }
  }
  return out;
}

/** Azure Front Door: a blob origin only over Private Link (the account stays closed to public networks). */
function frontDoorOrigin(props: Record<string, unknown>): string[] {
  const host = lower(get(props, "hostName")) ?? "";
  if (!/\.(blob|web|dfs)\.core\.windows\.net$/.test(host)) return [];
  return isSet(props, "sharedPrivateLinkResource.privateLink.id") ||
    isSet(props, "sharedPrivateLinkResource.privateLink")
    ? []
    : [
        "storage origin without sharedPrivateLinkResource: Front Door reaches the account over its public endpoint, which must then be open",
      ];
}

/** GCP: a backend bucket serving through Cloud CDN reads a private bucket only for signed requests. */
function gcpBackendBucket(props: Record<string, unknown>): string[] {
  if (get(props, "enableCdn") !== true) return [];
  const cacheMode = str(get(props, "cdnPolicy.cacheMode"));
  return isSet(props, "cdnPolicy.signedUrlCacheMaxAgeSec") || cacheMode === "USE_ORIGIN_HEADERS"
    ? []
    : [
        "Cloud CDN backend bucket without signed requests (cdnPolicy.signedUrlCacheMaxAgeSec and a BackendBucketSignedUrlKey): the bucket must be public for the CDN to read it",
      ];
}

export const enforceCdnOriginProtection = defineControl({
  id: "enforce-cdn-origin-protection",
  title: "CDNs read private object storage through their own access path",
  severity: "high",
  category: "exposure",
  kind: "security",
  rationale:
    "A CDN in front of object storage is the store's public face: a bucket opened to the internet so that the CDN can read it is readable by anyone, bypassing the CDN's TLS, WAF and logs (PCI DSS 1.4.1, 7.2.1; SOC 2 CC6.1, CC6.6; ISO 27001 A.8.3, A.8.20). Viewer TLS and HTTPS-only are judged by enforce-tls-minimum-version and enforce-tls-in-transit.",
  remediation: [
    "AWS CloudFront: S3 origins through an origin access control (signingBehavior always, sigv4) on the bucket's REST endpoint, admitted by the bucket policy for this distribution's ARN only (AWS:SourceArn).",
    "Azure Front Door Premium: storage origins over Private Link (sharedPrivateLinkResource, groupId blob) with the private endpoint connection approved; the account's public network access stays disabled.",
    "GCP Cloud CDN: backend buckets on private buckets with signed URLs/cookies (a BackendBucketSignedUrlKey, cdnPolicy.signedUrlCacheMaxAgeSec) and the Cloud CDN fill service account as the only reader.",
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.6"],
    iso27001: ["A.8.3", "A.8.20"],
    pciDss: ["1.4.1", "7.2.1"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 19"],
  },
  uncertain: [
    "The bucket policy (AWS) and the bucket's public access prevention (GCP) are judged by the storage controls; this control judges the CDN's side of the origin path.",
    "CloudFront origin access identities (legacy) are accepted as origin protection; AWS recommends OAC (SSE-KMS, all regions).",
  ],
  resources: {
    aws: { "aws:cloudfront/distribution:Distribution": cloudFrontDistribution },
    azure: { "azure-native:cdn:AFDOrigin": frontDoorOrigin },
    gcp: { "gcp:compute/backendBucket:BackendBucket": gcpBackendBucket },
  },
});
