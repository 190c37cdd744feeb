/**
 * CDN controls on the resource types the CDN component creates (CloudFront distributions and their
 * standard logging v2 delivery sources, Front Door routes, custom domains, origins and profiles, Cloud CDN
 * backend buckets and backend services), each on the shape the program sends: the accepting cases carry the
 * arguments providers/<cloud>/cdn.ts sets.
 */
import { controlCases } from "./cases";
import type { TestResource } from "./harness";

const r = (
  type: string,
  name: string,
  props: Record<string, unknown>,
  extra: Partial<TestResource> = {},
): TestResource => ({
  type,
  name,
  props,
  ...extra,
});
const distributionArn = "arn:aws:cloudfront::111111111111:distribution/E2EXAMPLE";
const distribution = (extra: Record<string, unknown>) =>
  r("aws:cloudfront/distribution:Distribution", "cdn", {
    arn: distributionArn,
    enabled: true,
    aliases: ["primary-cdn.example.com"],
    origins: [
      {
        originId: "site-bucket",
        domainName: "prod-primary-data-abc123.s3.eu-central-1.amazonaws.com",
        originAccessControlId: "E1OAC",
        s3OriginConfig: { originAccessIdentity: "" },
      },
    ],
    defaultCacheBehavior: { targetOriginId: "site-bucket", viewerProtocolPolicy: "redirect-to-https" },
    viewerCertificate: {
      acmCertificateArn:
        "arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
      sslSupportMethod: "sni-only",
      minimumProtocolVersion: "TLSv1.2_2021",
    },
    ...extra,
  });
const logSource = (logType: string) =>
  r("aws:cloudwatch/logDeliverySource:LogDeliverySource", "cdn-log-source", {
    region: "us-east-1",
    logType,
    resourceArn: distributionArn,
  });
const blobHost = "stprodpriabc123.blob.core.windows.net";
const accountId =
  "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stprodpriabc123";
const afdOrigin = (extra: Record<string, unknown>) =>
  r("azure-native:cdn:AFDOrigin", "cdn-origin", {
    profileName: "afd-prod-primary",
    originGroupName: "site-storage",
    hostName: blobHost,
    originHostHeader: blobHost,
    sharedPrivateLinkResource: {
      privateLink: { id: accountId },
      groupId: "blob",
      privateLinkLocation: "westeurope",
    },
    ...extra,
  });
const route = (extra: Record<string, unknown>) =>
  r("azure-native:cdn:Route", "cdn-route", {
    profileName: "afd-prod-primary",
    endpointName: "afd-prod-primary-cdn",
    supportedProtocols: ["Http", "Https"],
    httpsRedirect: "Enabled",
    forwardingProtocol: "HttpsOnly",
    ...extra,
  });
const customDomain = (minimumTlsVersion: string | undefined) =>
  r("azure-native:cdn:AFDCustomDomain", "cdn-domain", {
    profileName: "afd-prod-primary",
    hostName: "primary-cdn.example.com",
    tlsSettings: { certificateType: "ManagedCertificate", minimumTlsVersion },
  });
const profileId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Cdn/profiles/afd-prod-primary";
const profile = r("azure-native:cdn:Profile", "cdn-profile", {
  id: profileId,
  profileName: "afd-prod-primary",
  sku: { name: "Premium_AzureFrontDoor" },
});
const diagnostics = (logs: Record<string, unknown>[]) =>
  r("azure-native:monitor:DiagnosticSetting", "cdn-diagnostics", { resourceUri: profileId, logs });
const backendBucket = (cdnPolicy: Record<string, unknown>) =>
  r("gcp:compute/backendBucket:BackendBucket", "cdn-backend", {
    bucketName: "prod-primary-data-abc123",
    enableCdn: true,
    cdnPolicy,
  });
const backendService = (logConfig: Record<string, unknown> | undefined) =>
  r("gcp:compute/backendService:BackendService", "cdn-service", {
    enableCdn: true,
    loadBalancingScheme: "EXTERNAL_MANAGED",
    ...(logConfig ? { logConfig } : {}),
  });

describe("CDN controls", () => {
  controlCases("enforce-cdn-origin-protection", [
    {
      cloud: "aws",
      expect: "reject",
      title: "S3 origin without an origin access control",
      resource: distribution({
        origins: [
          {
            originId: "site-bucket",
            domainName: "prod-primary-data-abc123.s3.eu-central-1.amazonaws.com",
            s3OriginConfig: { originAccessIdentity: "" },
          },
        ],
      }),
      match: /without an origin access control/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "S3 website endpoint",
      resource: distribution({
        origins: [{ originId: "site", domainName: "bucket.s3-website-eu-west-1.amazonaws.com" }],
      }),
      match: /website endpoint/,
    },
    { cloud: "aws", expect: "accept", resource: distribution({}) },
    {
      cloud: "azure",
      expect: "reject",
      title: "blob origin over the public endpoint",
      resource: afdOrigin({ sharedPrivateLinkResource: undefined }),
      match: /sharedPrivateLinkResource/,
    },
    { cloud: "azure", expect: "accept", resource: afdOrigin({}) },
    {
      cloud: "gcp",
      expect: "reject",
      title: "backend bucket without signed requests",
      resource: backendBucket({ cacheMode: "CACHE_ALL_STATIC" }),
      match: /signed requests/,
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: backendBucket({ cacheMode: "CACHE_ALL_STATIC", signedUrlCacheMaxAgeSec: 3600 }),
    },
  ]);

  controlCases("enable-cdn-access-logging", [
    { cloud: "aws", expect: "reject", stack: [distribution({})], on: "cdn", match: /no access logs/ },
    {
      cloud: "aws",
      expect: "reject",
      title: "a delivery source of another log type",
      stack: [distribution({}), logSource("CONNECTION_LOGS")],
      on: "cdn",
    },
    { cloud: "aws", expect: "accept", stack: [distribution({}), logSource("ACCESS_LOGS")] },
    {
      cloud: "aws",
      expect: "accept",
      title: "legacy logging to S3",
      stack: [distribution({ loggingConfig: { bucket: "logs.s3.amazonaws.com" } })],
    },
    { cloud: "azure", expect: "reject", stack: [profile], on: "cdn-profile", match: /FrontDoorAccessLog/ },
    {
      cloud: "azure",
      expect: "reject",
      title: "metrics only",
      stack: [profile, diagnostics([{ category: "FrontDoorHealthProbeLog", enabled: true }])],
      on: "cdn-profile",
    },
    {
      cloud: "azure",
      expect: "accept",
      stack: [profile, diagnostics([{ categoryGroup: "allLogs", enabled: true }])],
    },
    {
      cloud: "gcp",
      expect: "reject",
      stack: [backendService({ enable: false })],
      on: "cdn-service",
      match: /logConfig/,
    },
    { cloud: "gcp", expect: "accept", stack: [backendService({ enable: true, sampleRate: 1 })] },
  ]);

  controlCases("enforce-tls-in-transit", [
    {
      cloud: "azure",
      expect: "reject",
      title: "Front Door route forwarding HTTP",
      resource: route({ forwardingProtocol: "MatchRequest" }),
      match: /HttpsOnly/,
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "Front Door route serving HTTP",
      resource: route({ httpsRedirect: "Disabled" }),
      match: /httpsRedirect/,
    },
    { cloud: "azure", expect: "accept", title: "Front Door route", resource: route({}) },
  ]);

  controlCases("enforce-tls-minimum-version", [
    {
      cloud: "azure",
      expect: "reject",
      title: "Front Door custom domain with TLS 1.0",
      resource: customDomain("TLS10"),
      match: /TLS12/,
    },
    { cloud: "azure", expect: "accept", title: "Front Door custom domain", resource: customDomain("TLS12") },
  ]);
});
