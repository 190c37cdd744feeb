/**
 * Cloud CDN in front of the site's Cloud Storage bucket (components/cdn.ts), on a global external
 * Application Load Balancer (EXTERNAL_MANAGED) with a backend bucket:
 *
 * - the bucket stays private (uniform access, public access prevention enforced): Cloud CDN reads it as
 *   the project's Cloud CDN fill service account (`service-<number>@cloud-cdn-fill.iam.gserviceaccount.com`,
 *   granted Storage Object Viewer on this bucket), which Cloud CDN uses only for requests carrying a valid
 *   signed URL or signed cookie ("Use signed URLs", private origin buckets:
 *   https://cloud.google.com/cdn/docs/using-signed-urls#configure_permissions). The signing key is a random
 *   128-bit secret per site (`BackendBucketSignedUrlKey`); applications sign URLs with it, so the CDN
 *   never serves an unsigned request from the private bucket;
 * - HTTPS only: a Google-managed certificate for `<role>-cdn.<domain>` (it provisions once the name's A
 *   record points at the load balancer's address), an SSL policy with the MODERN profile and TLS 1.2
 *   minimum, and port 80 answering only with a redirect to HTTPS;
 * - logging: load balancers with backend buckets log every request to Cloud Logging; it cannot be
 *   disabled (https://cloud.google.com/cdn/docs/cdn-logging-monitoring), so nothing is configured here.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { BackendBucket } from "@pulumi/gcp/compute/backendBucket";
import { BackendBucketSignedUrlKey } from "@pulumi/gcp/compute/backendBucketSignedUrlKey";
import { GlobalAddress } from "@pulumi/gcp/compute/globalAddress";
import { GlobalForwardingRule } from "@pulumi/gcp/compute/globalForwardingRule";
import { ManagedSslCertificate } from "@pulumi/gcp/compute/managedSslCertificate";
import { SSLPolicy } from "@pulumi/gcp/compute/sslpolicy";
import { TargetHttpProxy } from "@pulumi/gcp/compute/targetHttpProxy";
import { TargetHttpsProxy } from "@pulumi/gcp/compute/targetHttpsProxy";
import { URLMap } from "@pulumi/gcp/compute/urlmap";
import { getProjectOutput } from "@pulumi/gcp/organizations/getProject";
import { BucketIAMMember } from "@pulumi/gcp/storage/bucketIAMMember";
import type { SiteContext } from "../../components/context";
import type { CdnBuildInputs, CdnOutputs } from "../../components/cdn";
import { fitName } from "../../components/naming";

export function cdn(name: string, ctx: SiteContext<"gcp">, inputs: CdnBuildInputs<"gcp">): CdnOutputs {
  const { settings, origin, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const project = ctx.site.project;
  const n = (purpose: string): string => fitName("gcpName", [ctx.stack.environment, ctx.role, purpose]);

  // Cloud CDN's fill service account may read the private bucket (for signed requests only).
  const projectNumber = getProjectOutput({ projectId: project }, { parent }).number;
  const fillReader = new BucketIAMMember(
    `${name}-cdn-fill-reader`,
    {
      bucket: origin.bucketName,
      role: "roles/storage.objectViewer",
      member: pulumi.interpolate`serviceAccount:service-${projectNumber}@cloud-cdn-fill.iam.gserviceaccount.com`,
    },
    opts,
  );
  const backend = new BackendBucket(
    `${name}-backend`,
    {
      project,
      name: n("cdn-backend"),
      description: "Cloud CDN in front of the site's private bucket (signed URLs/cookies only)",
      bucketName: origin.bucketName,
      enableCdn: true,
      loadBalancingScheme: "EXTERNAL_MANAGED",
      compressionMode: "AUTOMATIC",
      cdnPolicy: {
        cacheMode: "CACHE_ALL_STATIC",
        defaultTtl: settings.defaultTtlSeconds,
        maxTtl: 86400,
        clientTtl: settings.defaultTtlSeconds,
        signedUrlCacheMaxAgeSec: settings.defaultTtlSeconds,
        requestCoalescing: true,
      },
      customResponseHeaders: [
        "Strict-Transport-Security: max-age=31536000; includeSubDomains",
        "X-Content-Type-Options: nosniff",
        "X-Frame-Options: DENY",
      ],
    },
    { ...opts, dependsOn: [fillReader] },
  );
  const randomProvider = new random.Provider(`${name}-random`, {}, { parent });
  const keyBytes = new random.RandomBytes(
    `${name}-signing-key`,
    { length: 16 },
    { parent, provider: randomProvider },
  );
  new BackendBucketSignedUrlKey(
    `${name}-signing-key`,
    {
      project,
      backendBucket: backend.name,
      name: n("cdn-signing-key"),
      // RFC 4648 section 5 (base64url) encoding of the 128-bit key.
      keyValue: pulumi.secret(keyBytes.base64.apply((b) => b.replace(/\+/g, "-").replace(/\//g, "_"))),
    },
    opts,
  );
  const urlMap = new URLMap(
    `${name}-url-map`,
    { project, name: n("cdn"), defaultService: backend.selfLink },
    opts,
  );
  const address = new GlobalAddress(
    `${name}-address`,
    { project, name: n("cdn"), addressType: "EXTERNAL", ipVersion: "IPV4" },
    opts,
  );
  const certificate = new ManagedSslCertificate(
    `${name}-certificate`,
    { project, name: n("cdn"), type: "MANAGED", managed: { domains: [settings.hostname] } },
    opts,
  );
  const sslPolicy = new SSLPolicy(
    `${name}-ssl-policy`,
    { project, name: n("cdn-tls"), profile: "MODERN", minTlsVersion: "TLS_1_2" },
    opts,
  );
  const httpsProxy = new TargetHttpsProxy(
    `${name}-https-proxy`,
    {
      project,
      name: n("cdn-https"),
      urlMap: urlMap.selfLink,
      sslCertificates: [certificate.selfLink],
      sslPolicy: sslPolicy.selfLink,
      quicOverride: "NONE",
    },
    opts,
  );
  new GlobalForwardingRule(
    `${name}-https`,
    {
      project,
      name: n("cdn-https"),
      target: httpsProxy.selfLink,
      ipAddress: address.address,
      ipProtocol: "TCP",
      portRange: "443",
      loadBalancingScheme: "EXTERNAL_MANAGED",
    },
    opts,
  );
  // Port 80 only redirects to HTTPS.
  const redirect = new URLMap(
    `${name}-http-redirect`,
    {
      project,
      name: n("cdn-http-redirect"),
      defaultUrlRedirect: {
        httpsRedirect: true,
        stripQuery: false,
        redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT",
      },
    },
    opts,
  );
  const httpProxy = new TargetHttpProxy(
    `${name}-http-proxy`,
    { project, name: n("cdn-http"), urlMap: redirect.selfLink },
    opts,
  );
  new GlobalForwardingRule(
    `${name}-http`,
    {
      project,
      name: n("cdn-http"),
      target: httpProxy.selfLink,
      ipAddress: address.address,
      ipProtocol: "TCP",
      portRange: "80",
      loadBalancingScheme: "EXTERNAL_MANAGED",
    },
    opts,
  );
  return {
    cdnId: backend.id,
    hostname: settings.hostname,
    target: address.address,
    targetKind: "a",
    originAccess: "signed-requests",
    logDestination: pulumi.output(`projects/${project}/logs/requests`),
  };
}
