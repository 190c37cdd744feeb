/**
 * Managed certificates are issued only for fully qualified domain names: ACM refuses a domain name that is
 * not one (or longer than 253 characters, or with a label over 63) when `pulumi up` requests it; Google
 * refuses a managed SSL certificate whose domains are not FQDNs, hold a wildcard, or number more than 100.
 */
import { list, peek, UNKNOWN } from "../../lib/props";
import type { Rule } from "../lib/rule";

/** What is wrong with `domain` as a managed certificate domain, or undefined (`wildcard`: allowed first label). */
export function fqdnProblem(domain: string, wildcard: boolean): string | undefined {
  const name = domain.endsWith(".") ? domain.slice(0, -1) : domain;
  if (name.length === 0 || name.length > 253) return `'${domain}' is not 1-253 characters long`;
  const labels = name.split(".");
  if (labels.length < 2) return `'${domain}' is not a fully qualified domain name (at least two labels)`;
  for (const [i, label] of labels.entries()) {
    if (label === "*" && i === 0) {
      if (!wildcard) return `'${domain}' is a wildcard, which Google-managed certificates do not support`;
      continue;
    }
    if (label.length === 0 || label.length > 63)
      return `'${domain}' has a label of ${label.length} characters (1-63)`;
    if (!/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/.test(label))
      return `'${domain}' has a label '${label}' that is not letters, digits and inner hyphens`;
  }
  if (/^\d+$/.test(labels[labels.length - 1]!)) return `'${domain}' ends in a numeric label (an IP address?)`;
  return undefined;
}

export const requireManagedCertificateFqdn: Rule = {
  id: "require-managed-certificate-fqdn",
  title: "Managed certificates name fully qualified domain names",
  category: "names",
  severity: "high",
  refuses:
    "ACM refuses RequestCertificate for a domain name that is not a fully qualified domain name of at most 253 characters (labels of 1-63); Google refuses a managed SSL certificate whose domains are not FQDNs, include a wildcard, or exceed 100.",
  remediation:
    "Set platform:edge.hostname to a lowercase FQDN such as app.example.com (components/ingress-config.ts validates it); no wildcard on GCP.",
  sources: [
    {
      url: "https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html",
      quote:
        "DomainName: Fully qualified domain name (FQDN), such as www.example.com, that you want to secure with an ACM certificate. Use an asterisk (*) to create a wildcard certificate. Length Constraints: Minimum length of 1. Maximum length of 253. Pattern: (\\*\\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])",
    },
    {
      url: "https://cloud.google.com/load-balancing/docs/ssl-certificates/google-managed-certs",
      quote:
        "Google-managed certificates don't support wildcard domains. Each Google-managed SSL certificate supports up to 100 domains (Subject Alternative Names); each domain must be a fully qualified domain name.",
    },
  ],
  resources: {
    aws: {
      "aws:acm/certificate:Certificate": (props) => {
        const out: string[] = [];
        const domain = peek(props, "domainName");
        if (typeof domain === "string") {
          const p = fqdnProblem(domain, true);
          if (p) out.push(`domainName ${p}: ACM refuses the request`);
        }
        const sans = peek(props, "subjectAlternativeNames");
        for (const san of sans === UNKNOWN ? [] : list(sans)) {
          const p = typeof san === "string" ? fqdnProblem(san, true) : undefined;
          if (p) out.push(`subjectAlternativeNames ${p}: ACM refuses the request`);
        }
        return out;
      },
    },
    gcp: {
      "gcp:compute/managedSslCertificate:ManagedSslCertificate": (props) => {
        const raw = peek(props, "managed.domains");
        if (raw === UNKNOWN) return [];
        const domains = list(raw);
        const out: string[] = [];
        if (domains.length === 0) out.push("managed.domains is empty");
        if (domains.length > 100) out.push(`managed.domains has ${domains.length} domains (at most 100)`);
        for (const d of domains) {
          const p = typeof d === "string" ? fqdnProblem(d, false) : undefined;
          if (p) out.push(`managed.domains ${p}`);
        }
        return out;
      },
    },
  },
};
