/**
 * CDN settings the clouds check only when `pulumi up` creates the CDN: CloudFront takes a custom
 * hostname's certificate only from ACM in us-east-1 and refuses an alias without a matching certificate;
 * a Google-managed certificate covers 1 to 100 non-wildcard domains.
 */
import { get, list, str } from "../../lib/props";
import type { Rule, Source } from "../lib/rule";

const sources = {
  cloudFrontCertificate: {
    url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html",
    quote:
      "To use a certificate in AWS Certificate Manager (ACM) to require HTTPS between viewers and CloudFront, make sure you request (or import) the certificate in the US East (N. Virginia) Region (us-east-1).",
  },
  cloudFrontAlias: {
    url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html",
    quote:
      "You must have a valid SSL/TLS certificate that covers the alternate domain name you add to your distribution.",
  },
  managedCertificate: {
    url: "https://cloud.google.com/load-balancing/docs/ssl-certificates/google-managed-certs",
    quote:
      "Google-managed certificates ... support up to 100 non-wildcard domains; Google-managed SSL certificates don't support wildcard domains.",
  },
} satisfies Record<string, Source>;

export const requireCdnCreateTimeSettings: Rule = {
  id: "require-cdn-create-time-settings",
  title: "CDN settings are combinations the cloud accepts when it creates the CDN",
  category: "topology",
  severity: "critical",
  refuses:
    "CloudFront refuses a viewer certificate from any region but us-east-1 and an alias without a custom certificate; Google refuses a managed certificate with wildcard, no or more than 100 domains.",
  remediation:
    "CloudFront: an ISSUED ACM certificate in us-east-1 covering every alias (platform:cdn.awsCertificateArn). Cloud CDN: 1-100 exact domains per ManagedSslCertificate.",
  sources: Object.values(sources),
  resources: {
    aws: {
      "aws:cloudfront/distribution:Distribution": (props) => {
        const out: string[] = [];
        const arn = str(get(props, "viewerCertificate.acmCertificateArn"));
        if (arn !== undefined && !/^arn:aws[a-z-]*:acm:us-east-1:/.test(arn)) {
          out.push(
            `viewerCertificate.acmCertificateArn is not in us-east-1 (${arn}): CloudFront takes ACM certificates from us-east-1 only. Source: ${sources.cloudFrontCertificate.url}`,
          );
        }
        const aliases = list(get(props, "aliases"));
        if (aliases.length > 0 && get(props, "viewerCertificate.cloudfrontDefaultCertificate") === true) {
          out.push(
            `aliases (${aliases.map(String).join(", ")}) with the default *.cloudfront.net certificate: CloudFront refuses an alternate domain name its certificate does not cover. Source: ${sources.cloudFrontAlias.url}`,
          );
        }
        return out;
      },
    },
    gcp: {
      "gcp:compute/managedSslCertificate:ManagedSslCertificate": (props) => {
        const domains = list(get(props, "managed.domains")).map(String);
        if (domains.length === 0 || domains.length > 100) {
          return [
            `managed.domains has ${domains.length} entries; a Google-managed certificate takes 1 to 100. Source: ${sources.managedCertificate.url}`,
          ];
        }
        const wild = domains.filter((d) => d.includes("*"));
        return wild.length > 0
          ? [
              `managed.domains has wildcard ${wild.join(", ")}: Google-managed certificates don't support wildcards. Source: ${sources.managedCertificate.url}`,
            ]
          : [];
      },
    },
  },
};
