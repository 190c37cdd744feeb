/**
 * Deployability of the CDN component's resources: what CloudFront, Front Door and Cloud CDN check only
 * when `pulumi up` runs (certificate region, managed-certificate domains, Premium for Private Link) and the
 * grants a private origin needs for the CDN to reach it.
 */
import { res, ruleCases } from "./cases";

const usEast1Cert = "arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const distribution = (extra: Record<string, unknown>) =>
  res("aws:cloudfront/distribution:Distribution", "cdn", {
    aliases: ["primary-cdn.example.com"],
    origins: [
      {
        originId: "site-bucket",
        domainName: "prod-primary-data-abc123.s3.eu-central-1.amazonaws.com",
        originAccessControlId: "E1OAC",
      },
    ],
    viewerCertificate: { acmCertificateArn: usEast1Cert, sslSupportMethod: "sni-only" },
    ...extra,
  });
const bucket = res("aws:s3/bucket:Bucket", "data", { bucket: "prod-primary-data-abc123" });
const bucketPolicy = (statements: Record<string, unknown>[]) =>
  res("aws:s3/bucketPolicy:BucketPolicy", "data-policy", {
    bucket: "prod-primary-data-abc123",
    policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
  });
const denyHttp = { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*" };
const cloudFrontRead = {
  Sid: "CloudFrontReadsThroughOriginAccessControl",
  Effect: "Allow",
  Principal: { Service: "cloudfront.amazonaws.com" },
  Action: "s3:GetObject",
};
const profile = (sku: string) =>
  res("azure-native:cdn:Profile", "cdn-profile", { profileName: "afd-prod-primary", sku: { name: sku } });
const afdOrigin = res("azure-native:cdn:AFDOrigin", "cdn-origin", {
  profileName: "afd-prod-primary",
  hostName: "stprodpri.blob.core.windows.net",
  sharedPrivateLinkResource: {
    privateLink: { id: "/subscriptions/s/.../storageAccounts/stprodpri" },
    groupId: "blob",
  },
});
const gcsBucket = res("gcp:storage/bucket:Bucket", "data", { name: "prod-primary-data-abc123" });
const backendBucket = res("gcp:compute/backendBucket:BackendBucket", "cdn-backend", {
  bucketName: "prod-primary-data-abc123",
  enableCdn: true,
});
const fillGrant = (member: string) =>
  res("gcp:storage/bucketIAMMember:BucketIAMMember", "cdn-fill-reader", {
    bucket: "prod-primary-data-abc123",
    role: "roles/storage.objectViewer",
    member,
  });
const certificate = (domains: string[]) =>
  res("gcp:compute/managedSslCertificate:ManagedSslCertificate", "cdn-certificate", {
    type: "MANAGED",
    managed: { domains },
  });

ruleCases("require-cdn-create-time-settings", [
  {
    title: "ACM certificate outside us-east-1",
    cloud: "aws",
    expect: "reject",
    resource: distribution({
      viewerCertificate: {
        acmCertificateArn:
          "arn:aws:acm:eu-central-1:111111111111:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
      },
    }),
    match: /us-east-1/,
  },
  {
    title: "alias on the default certificate",
    cloud: "aws",
    expect: "reject",
    resource: distribution({ viewerCertificate: { cloudfrontDefaultCertificate: true } }),
    match: /alternate domain name/,
  },
  {
    title: "alias with an ACM certificate from us-east-1",
    cloud: "aws",
    expect: "accept",
    resource: distribution({}),
  },
  {
    title: "wildcard managed certificate",
    cloud: "gcp",
    expect: "reject",
    resource: certificate(["*.example.com"]),
    match: /wildcard/,
  },
  {
    title: "managed certificate for one name",
    cloud: "gcp",
    expect: "accept",
    resource: certificate(["primary-cdn.example.com"]),
  },
]);

ruleCases("require-cdn-origin-access", [
  {
    title: "OAC origin whose bucket policy admits no CloudFront read",
    cloud: "aws",
    expect: "reject",
    stack: [distribution({}), bucket, bucketPolicy([denyHttp])],
    on: "cdn",
    match: /cloudfront\.amazonaws\.com/,
  },
  {
    title: "OAC origin whose bucket has no policy",
    cloud: "aws",
    expect: "reject",
    stack: [distribution({}), bucket],
    on: "cdn",
    match: /no bucket policy/,
  },
  {
    title: "the bucket's one policy admits CloudFront",
    cloud: "aws",
    expect: "accept",
    stack: [distribution({}), bucket, bucketPolicy([denyHttp, cloudFrontRead])],
  },
  {
    title: "Private Link origin on Front Door Standard",
    cloud: "azure",
    expect: "reject",
    stack: [profile("Standard_AzureFrontDoor"), afdOrigin],
    on: "cdn-origin",
    match: /Premium_AzureFrontDoor/,
  },
  {
    title: "Private Link origin on Front Door Premium",
    cloud: "azure",
    expect: "accept",
    stack: [profile("Premium_AzureFrontDoor"), afdOrigin],
  },
  {
    title: "backend bucket without the fill service account's grant",
    cloud: "gcp",
    expect: "reject",
    stack: [gcsBucket, backendBucket, fillGrant("serviceAccount:app@p.iam.gserviceaccount.com")],
    on: "cdn-backend",
    match: /cloud-cdn-fill|Cloud CDN fill/,
  },
  {
    title: "backend bucket readable by the fill service account",
    cloud: "gcp",
    expect: "accept",
    stack: [
      gcsBucket,
      backendBucket,
      fillGrant("serviceAccount:service-123@cloud-cdn-fill.iam.gserviceaccount.com"),
    ],
  },
]);

const route53Check = (requestInterval: number, failureThreshold: number) =>
  res("aws:route53/healthCheck:HealthCheck", "failover-primary-health", {
    type: "HTTPS",
    requestInterval,
    failureThreshold,
  });
const trafficManager = (intervalInSeconds: number, timeoutInSeconds: number) =>
  res("azure-native:trafficmanager:Profile", "failover-traffic-manager", {
    trafficRoutingMethod: "Priority",
    monitorConfig: { protocol: "HTTPS", intervalInSeconds, timeoutInSeconds, toleratedNumberOfFailures: 3 },
  });
const gcpCheck = (sourceRegions: string[], checkIntervalSec: number) =>
  res("gcp:compute/healthCheck:HealthCheck", "failover-health", {
    sourceRegions,
    checkIntervalSec,
    httpsHealthCheck: { port: 443, requestPath: "/healthz" },
  });

ruleCases("require-dns-failover-create-time-settings", [
  {
    title: "Route 53 interval of 15 seconds",
    cloud: "aws",
    expect: "reject",
    resource: route53Check(15, 3),
    match: /10 or 30/,
  },
  {
    title: "Route 53 HTTPS check every 30 seconds",
    cloud: "aws",
    expect: "accept",
    resource: route53Check(30, 3),
  },
  {
    title: "Traffic Manager 10-second interval with a 10-second timeout",
    cloud: "azure",
    expect: "reject",
    resource: trafficManager(10, 10),
    match: /5 to 9/,
  },
  {
    title: "Traffic Manager fast probing",
    cloud: "azure",
    expect: "accept",
    resource: trafficManager(10, 5),
  },
  {
    title: "source-region health check every 10 seconds",
    cloud: "gcp",
    expect: "reject",
    resource: gcpCheck(["us-east4", "europe-west1", "asia-southeast1"], 10),
    match: /at least 30/,
  },
  {
    title: "two source regions",
    cloud: "gcp",
    expect: "reject",
    resource: gcpCheck(["us-east4", "europe-west1"], 30),
    match: /exactly 3/,
  },
  {
    title: "three source regions every 30 seconds",
    cloud: "gcp",
    expect: "accept",
    resource: gcpCheck(["us-east4", "europe-west1", "asia-southeast1"], 30),
  },
]);
