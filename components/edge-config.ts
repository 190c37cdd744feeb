/**
 * Stack settings of the edge built in front of the sites' data: the CDN in front of each site's object
 * store (`platform:cdn`, components/cdn.ts) and the health-checked DNS failover record between the sites
 * (`platform:dns`, components/traffic-failover.ts). Both are optional: a stack without them builds
 * neither. (`platform:edge` is the ingress's: these keys do not collide with it.)
 */
import { z } from "zod";

/** A DNS name (lowercase labels of letters, digits and hyphens, dot-separated, at least two labels). */
const dnsName = z
  .string()
  .regex(
    /^(?=.{4,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    "a lowercase DNS name such as example.com (no trailing dot)",
  );
/** One DNS label (the part of a name left of the zone). */
const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "one lowercase DNS label such as app");

/**
 * CloudFront serves a custom hostname only with an ACM certificate in us-east-1 (N. Virginia):
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html
 */
export const cloudFrontCertificateRegion = "us-east-1";
export const acmCertificateArnPattern = /^arn:aws:acm:us-east-1:(\d{12}):certificate\/[0-9a-f-]{36}$/;

/** CloudFront price classes (edge locations served): https://aws.amazon.com/cloudfront/pricing/ */
export const cloudFrontPriceClasses = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;

export const cdnConfigSchema = z.strictObject({
  /**
   * The domain the sites' CDN hostnames live under: each site's CDN answers on `<role>-cdn.<domain>`
   * (e.g. `primary-cdn.example.com`) with a managed or configured certificate; the DNS records pointing
   * the names at the CDN are the zone owner's (see the README).
   */
  domain: dnsName,
  /**
   * An ACM certificate ARN in us-east-1, in the AWS site's account, covering `<role>-cdn.<domain>` and in
   * the ISSUED state (CloudFront takes certificates from us-east-1 only). Required when a site is on AWS.
   */
  awsCertificateArn: z
    .string()
    .regex(
      acmCertificateArnPattern,
      "an ACM certificate ARN in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<uuid>)",
    )
    .optional(),
  /** CloudFront price class (default PriceClass_100: North America and Europe edges). */
  priceClass: z.enum(cloudFrontPriceClasses).optional(),
  /**
   * A web ACL to attach where the cloud takes one on the CDN (AWS: a WAFv2 web ACL ARN of scope
   * CLOUDFRONT, which lives in us-east-1; Azure: a Front Door WAF policy resource id). Optional.
   */
  webAclId: z.string().min(1).optional(),
});
export type CdnConfig = z.infer<typeof cdnConfigSchema>;

/** Clouds that can host the failover record (the zone must be on one of the stack's sites' clouds). */
export const dnsClouds = ["aws", "azure", "gcp"] as const;

export const dnsConfigSchema = z.strictObject({
  /**
   * The cloud of the public zone that holds the failover record: Route 53 failover records, Azure Traffic
   * Manager (priority routing) with a CNAME in Azure DNS, or Cloud DNS primary-backup routing. It must be
   * the cloud of one of the stack's sites (its provider manages the zone).
   */
  cloud: z.enum(dnsClouds),
  /** The public zone's DNS name, e.g. `example.com` (an existing zone: Route 53, Azure DNS or Cloud DNS). */
  zone: dnsName,
  /**
   * The zone's id where the cloud needs one: the Route 53 hosted zone id (`Z...`), the Azure DNS zone's
   * resource group, or the Cloud DNS managed zone name.
   */
  zoneId: z.string().min(1),
  /** The failover record's label in the zone (default `app`: `app.<zone>`). */
  hostname: dnsLabel.default("app"),
  /** The HTTPS path every site's ingress answers health checks on (default `/healthz`). */
  healthPath: z
    .string()
    .regex(/^\/[A-Za-z0-9._~\/-]{0,254}$/, "an absolute URL path such as /healthz")
    .default("/healthz"),
  /** Seconds between health checks (10 or 30: Route 53 and Traffic Manager both offer exactly these). */
  intervalSeconds: z.union([z.literal(10), z.literal(30)]).default(30),
  /** Consecutive failed checks before an endpoint is unhealthy (1-9: Traffic Manager's range). */
  failureThreshold: z.number().int().min(1).max(9).default(3),
  /** TTL of the answers in seconds (short: clients follow a failover within it). */
  ttlSeconds: z.number().int().min(5).max(300).default(60),
});
export type DnsConfig = z.infer<typeof dnsConfigSchema>;
