/**
 * The site's CDN in front of its object store (issue 12 item 5): CloudFront, Azure Front Door Premium, or
 * Cloud CDN on a backend bucket of a global external Application Load Balancer. Compliant by default:
 *
 * - the store stays private and the origin is locked to this CDN: CloudFront reads the bucket through an
 *   origin access control (SigV4, always signed) that the bucket's one bucket policy admits for this
 *   distribution only (`AWS:SourceArn`), and the site key's policy lets CloudFront decrypt SSE-KMS objects;
 *   Front Door Premium reaches the blob endpoint over Private Link (the storage account stays closed to
 *   public networks; the private endpoint connection needs approval, see the README); Cloud CDN reads the
 *   bucket with the Cloud CDN fill service account, and only for signed URLs/cookies (a signing key per
 *   site), never by making objects public;
 * - viewers on HTTPS only (HTTP redirected), TLS 1.2 or later on a custom hostname `<role>-cdn.<domain>`
 *   (an ACM certificate in us-east-1 on AWS, managed certificates on Azure and GCP), TLS 1.2 to the origin;
 * - security response headers (HSTS, nosniff, frame options) where the CDN sets them;
 * - request logs to the site's monitoring (CloudFront standard logging v2 to CloudWatch Logs, Front Door
 *   diagnostics to the Log Analytics workspace, load balancer request logs to Cloud Logging);
 * - an optional web ACL (AWS WAF of scope CLOUDFRONT, Front Door WAF policy) from `platform:cdn.webAclId`.
 *
 * Private objects on Azure and GCP: Front Door has no identity toward Blob Storage and Cloud CDN has none
 * toward a backend bucket that is not public, so clients present a credential the origin checks (an Entra
 * user-delegation SAS on Azure, forwarded by Front Door with the query string; a Cloud CDN signed URL or
 * cookie on GCP). The cache key keeps the query string on Azure so that a cached object is never served to
 * a request without its SAS.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "./regions";
import type { SiteContext } from "./context";
import type { KeyHandles, SiteKeys } from "./keys";
import type { MonitoringOutputs } from "./monitoring";
import type { StorageOrigin } from "./storage";
import type { CdnConfig } from "./edge-config";
import { implementationFor } from "../providers";

/** The parts of a site's Storage a CDN needs: implemented by `Storage`. */
export interface CdnStorage<C extends Cloud> {
  readonly origin: StorageOrigin[C];
}

export interface CdnArgs<C extends Cloud = Cloud> {
  /** The site's keys (CloudFront decrypts SSE-KMS objects with the site key). */
  readonly keys: SiteKeys<C>;
  /** The site's monitoring: request logs go to its log sink. */
  readonly monitoring: MonitoringOutputs;
  /** The site's object store (built with `servedByCdn`): the CDN's private origin. */
  readonly storage: CdnStorage<C>;
  /** `platform:cdn`. */
  readonly config: CdnConfig;
}

/** The settings an implementation receives, every default resolved. */
export interface ResolvedCdnSettings {
  /** The CDN's custom hostname, `<role>-cdn.<domain>`. */
  readonly hostname: string;
  /** ACM certificate ARN in us-east-1 (AWS sites; validated by the config). */
  readonly awsCertificateArn: string | undefined;
  /** CloudFront price class. */
  readonly priceClass: "PriceClass_100" | "PriceClass_200" | "PriceClass_All";
  /** Web ACL to attach (AWS WAF ARN of scope CLOUDFRONT, or a Front Door WAF policy id). */
  readonly webAclId: string | undefined;
  /** Days the signed-URL keys (GCP) and cached objects without Cache-Control stay valid: default TTL. */
  readonly defaultTtlSeconds: number;
}

/** What the CDN is, for stack outputs and for the DNS records the zone owner creates. */
export interface CdnOutputs {
  /** The distribution, Front Door profile, or backend bucket id. */
  readonly cdnId: pulumi.Output<string>;
  /** The custom hostname viewers use (`<role>-cdn.<domain>`). */
  readonly hostname: string;
  /**
   * Where the hostname must point: a CNAME target (`dxxxx.cloudfront.net`, `<endpoint>.z01.azurefd.net`)
   * or the load balancer's global IPv4 address (an A record).
   */
  readonly target: pulumi.Output<string>;
  /** `cname` or `a`: the record type the hostname needs. */
  readonly targetKind: "cname" | "a";
  /** How the private origin is reached: `origin-access-control`, `private-link` or `signed-requests`. */
  readonly originAccess: "origin-access-control" | "private-link" | "signed-requests";
  /** Where request logs go (log group, workspace or log bucket). */
  readonly logDestination: pulumi.Output<string>;
}

/** What a cloud implementation of the CDN receives. */
export interface CdnBuildInputs<C extends Cloud> {
  readonly settings: ResolvedCdnSettings;
  readonly keys: KeyHandles[C];
  readonly monitoring: MonitoringOutputs;
  readonly origin: StorageOrigin[C];
  /** The Cdn component: parent of every resource the implementation creates. */
  readonly parent: pulumi.ComponentResource;
}

/** A problem with CDN arguments, naming the arguments involved. */
export class CdnArgsError extends Error {
  constructor(message: string) {
    super(`Cdn: ${message}`);
    this.name = "CdnArgsError";
  }
}

/** Resolves defaults and rejects invalid combinations (pure; unit-tested). */
export function resolveCdnSettings(
  ctx: Pick<SiteContext, "cloud" | "role">,
  config: CdnConfig,
): ResolvedCdnSettings {
  if (ctx.cloud === "aws" && config.awsCertificateArn === undefined) {
    throw new CdnArgsError(
      "platform:cdn.awsCertificateArn is required on an AWS site (CloudFront needs an ACM certificate from us-east-1 for a custom hostname with TLS 1.2 minimum)",
    );
  }
  return {
    hostname: `${ctx.role}-cdn.${config.domain}`,
    awsCertificateArn: ctx.cloud === "aws" ? config.awsCertificateArn : undefined,
    priceClass: config.priceClass ?? "PriceClass_100",
    webAclId: config.webAclId,
    defaultTtlSeconds: 3600,
  };
}

/** The site's CDN in front of its object store, built by the site's cloud implementation. */
export class Cdn<C extends Cloud = Cloud> extends pulumi.ComponentResource implements CdnOutputs {
  public readonly cdnId: pulumi.Output<string>;
  public readonly hostname: string;
  public readonly target: pulumi.Output<string>;
  public readonly targetKind: "cname" | "a";
  public readonly originAccess: CdnOutputs["originAccess"];
  public readonly logDestination: pulumi.Output<string>;

  constructor(name: string, ctx: SiteContext<C>, args: CdnArgs<C>, opts?: pulumi.ComponentResourceOptions) {
    const settings = resolveCdnSettings(ctx, args.config);
    super("platform:edge:Cdn", name, {}, opts);
    const out = implementationFor(ctx).cdn(name, ctx, {
      settings,
      keys: args.keys.handles,
      monitoring: args.monitoring,
      origin: args.storage.origin,
      parent: this,
    });
    this.cdnId = out.cdnId;
    this.hostname = out.hostname;
    this.target = out.target;
    this.targetKind = out.targetKind;
    this.originAccess = out.originAccess;
    this.logDestination = out.logDestination;
    this.registerOutputs({
      cdnId: this.cdnId,
      hostname: this.hostname,
      target: this.target,
      targetKind: this.targetKind,
      originAccess: this.originAccess,
      logDestination: this.logDestination,
    });
  }
}
