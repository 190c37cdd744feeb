/**
 * The stack's public entry (`platform:edge`): the host name users reach, the health check path of the
 * in-cluster ingress behind the edge, the per-client rate limit, and what each cloud needs to issue or
 * load the certificate. Plain data and the zod schema, no Pulumi or provider import (components/config.ts
 * imports it; components/ingress.ts builds on it).
 *
 * Optional: a stack without `platform:edge` serves nothing to the internet and builds no ingress (an
 * internal-only platform). There is no default host name on purpose: a managed certificate is issued only
 * for a domain whose DNS the operator controls, so a made-up default would leave `pulumi up` waiting on a
 * certificate that never validates.
 */
import { z } from "zod";

/**
 * Longest host name (RFC 1035 section 2.3.4: 255 octets on the wire, 253 characters in text form) and
 * longest label (63). Managed certificates are issued for fully qualified names only: ACM ("Fully
 * qualified domain name ... up to 253 characters", https://docs.aws.amazon.com/acm/latest/userguide/acm-certificate.html),
 * Google-managed SSL certificates ("domains: ... fully qualified domain names; wildcards are not
 * supported", https://cloud.google.com/load-balancing/docs/ssl-certificates/google-managed-certs).
 */
export const hostnameMaxLength = 253;
export const hostnameLabelMaxLength = 63;

/** Problems of a host name, empty when it is a lowercase fully qualified domain name (pure; tested). */
export function hostnameProblems(hostname: string): string[] {
  const problems: string[] = [];
  if (hostname.length === 0) return ["expected a host name such as app.example.com, found nothing"];
  if (hostname.length > hostnameMaxLength)
    problems.push(`expected at most ${hostnameMaxLength} characters, found ${hostname.length}`);
  if (hostname !== hostname.toLowerCase()) problems.push("expected lowercase letters only");
  if (hostname.endsWith(".")) problems.push("expected no trailing dot");
  if (hostname.includes("*"))
    problems.push("expected one host (wildcards are not issued by Google-managed certificates)");
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(hostname)) problems.push("expected a domain name, not an IP address");
  const labels = hostname.replace(/\.$/, "").split(".");
  if (labels.length < 2)
    problems.push("expected a fully qualified name with at least two labels (app.example.com)");
  labels.forEach((label, i) => {
    if (label === "*" && i === 0) return;
    if (label.length === 0) problems.push(`expected no empty label (label ${i + 1})`);
    else if (label.length > hostnameLabelMaxLength)
      problems.push(
        `expected labels of at most ${hostnameLabelMaxLength} characters, label ${i + 1} has ${label.length}`,
      );
    else if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i.test(label))
      problems.push(
        `expected labels of letters, digits and inner hyphens (RFC 1123), found '${label.replace(/[^\x20-\x7e]/g, "?")}'`,
      );
  });
  const tld = labels[labels.length - 1] ?? "";
  if (labels.length >= 2 && /^\d+$/.test(tld))
    problems.push("expected a top-level domain that is not numeric");
  return problems;
}

const hostname = z.string().superRefine((value, ctx) => {
  for (const message of hostnameProblems(value)) ctx.addIssue({ code: "custom", message, input: value });
});

/** An Azure resource id of a Key Vault. */
const keyVaultId = z
  .string()
  .regex(
    /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/i,
    "a Key Vault resource id (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>)",
  );

/** Windows on which each cloud's rate-based rule counts requests: we use five minutes everywhere. */
export const rateLimitWindowSeconds = 300;

export const edgeConfigSchema = z.strictObject({
  /** The platform's public host name, e.g. `app.example.com` (lowercase FQDN, no wildcard). */
  hostname,
  /**
   * Path the edge probes on the in-cluster ingress (default `/healthz`); the DNS failover probes the same
   * path through the edge.
   */
  healthCheckPath: z
    .string()
    .regex(
      /^\/[A-Za-z0-9._~/-]{0,254}$/,
      "an absolute URL path such as /healthz (letters, digits, . _ ~ / -)",
    )
    .optional(),
  /** HTTPS port of the in-cluster ingress the edge forwards to (default 8443). */
  backendPort: z.number().int().min(1).max(65535).optional(),
  /**
   * Requests one client IP may send per five minutes before the WAF blocks it (default 2000). AWS WAF
   * rate-based rules accept 10 to 2,000,000,000 (https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html).
   */
  rateLimit: z.number().int().min(10).max(2_000_000_000).optional(),
  /** AWS: the Route 53 public hosted zone of the host name; ACM's DNS validation records are created in it. */
  aws: z
    .strictObject({
      hostedZoneId: z
        .string()
        .regex(/^Z[A-Z0-9]{1,31}$/, "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ")
        .optional(),
    })
    .optional(),
  /**
   * Azure: Application Gateway offers no managed certificate. The listener loads the certificate (PFX)
   * from a Key Vault secret, read by the gateway's own user-assigned identity.
   */
  azure: z
    .strictObject({
      certificate: z.strictObject({
        /** The Key Vault holding the certificate (the identity gets Key Vault Secrets User on the secret). */
        keyVaultId,
        /** The certificate's name in that vault (its secret); versionless, so renewals are picked up. */
        secretName: z
          .string()
          .regex(/^[A-Za-z0-9-]{1,127}$/, "a Key Vault object name (letters, digits and '-', 1-127)"),
      }),
      /**
       * DDoS IP Protection on the gateway's public IP (a paid per-IP plan; default false: the platform-level
       * infrastructure protection every public IP has). DDoS Network Protection is a per-VNet plan the
       * organisation buys once; see the README.
       */
      ddosIpProtection: z.boolean().optional(),
    })
    .optional(),
});

export type EdgeConfig = z.infer<typeof edgeConfigSchema>;
