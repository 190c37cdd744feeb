import { strict as assert } from "node:assert";
import { CdnArgsError, resolveCdnSettings } from "../components/cdn";
import { parseStackConfig } from "../components/config";
import type { Plan } from "../tools/harness";
import { componentQueries, planOf } from "./helpers";

const { countsOf, one, under } = componentQueries("cdn");
type Json = Record<string, unknown>;
const cert = "arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

function config(cdn: unknown): Record<string, unknown> {
  return {
    environment: "dev",
    owner: "platform-team",
    costCenter: "cc-1",
    dataClassification: "internal",
    frameworks: ["soc2"],
    alertContacts: [{ name: "on-call", email: "oncall@example.com" }],
    primary: { cloud: "aws", region: "eu-west-1", accountId: "111111111111", addressSpace: "10.1.0.0/16" },
    secondary: {
      cloud: "gcp",
      region: "europe-west1",
      project: "acme-platform-dev",
      addressSpace: "10.2.0.0/16",
    },
    ...(cdn === undefined ? {} : { cdn }),
  };
}

function problems(cdn: unknown): string[] {
  const result = parseStackConfig(config(cdn));
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

describe("CDN settings", () => {
  it("names the site's CDN host <role>-cdn.<domain> and defaults the price class", () => {
    const s = resolveCdnSettings(
      { cloud: "aws", role: "secondary" },
      { domain: "example.com", awsCertificateArn: cert },
    );
    assert.equal(s.hostname, "secondary-cdn.example.com");
    assert.equal(s.priceClass, "PriceClass_100");
    assert.equal(s.awsCertificateArn, cert);
    assert.equal(
      resolveCdnSettings({ cloud: "gcp", role: "primary" }, { domain: "example.com" }).awsCertificateArn,
      undefined,
    );
  });

  it("refuses an AWS site without a us-east-1 certificate", () => {
    assert.throws(
      () => resolveCdnSettings({ cloud: "aws", role: "primary" }, { domain: "example.com" }),
      CdnArgsError,
    );
  });

  it("validates platform:cdn against the sites, naming the setting", () => {
    assert.deepEqual(problems({ domain: "example.com", awsCertificateArn: cert }), []);
    assert.match(
      problems({ domain: "example.com" }).join("\n"),
      /platform:cdn\.awsCertificateArn: expected an ACM certificate ARN in us-east-1 because a site is on AWS/,
    );
    assert.match(
      problems({ domain: "example.com", awsCertificateArn: cert.replace("us-east-1", "eu-west-1") }).join(
        "\n",
      ),
      /platform:cdn\.awsCertificateArn: expected an ACM certificate ARN in us-east-1/,
    );
    assert.match(
      problems({
        domain: "example.com",
        awsCertificateArn: cert.replace("111111111111", "222222222222"),
      }).join("\n"),
      /account 111111111111 .*found account 222222222222/,
    );
    assert.match(
      problems({ domain: "Example_com" }).join("\n"),
      /platform:cdn\.domain: expected a lowercase DNS name/,
    );
  });
});

describe("CDN on each cloud (plans of the dev and prod stacks)", () => {
  let dev: Plan;
  let prod: Plan;
  before(async () => {
    dev = await planOf("dev"); // primary gcp, secondary aws
    prod = await planOf("prod"); // primary aws, secondary azure
  });

  it("AWS: CloudFront over an always-signing OAC, HTTPS only, TLSv1.2_2021 on the us-east-1 certificate", () => {
    const oac = one(prod, "primary", "aws:cloudfront/originAccessControl:OriginAccessControl").inputs as Json;
    assert.deepEqual(
      [oac.originAccessControlOriginType, oac.signingBehavior, oac.signingProtocol],
      ["s3", "always", "sigv4"],
    );
    const d = one(prod, "primary", "aws:cloudfront/distribution:Distribution").inputs as Json;
    assert.deepEqual(d.aliases, ["primary-cdn.example.com"]);
    const viewer = d.viewerCertificate as Json;
    assert.equal(viewer.minimumProtocolVersion, "TLSv1.2_2021");
    assert.equal(viewer.sslSupportMethod, "sni-only");
    assert.match(String(viewer.acmCertificateArn), /^arn:aws:acm:us-east-1:/);
    assert.equal((d.defaultCacheBehavior as Json).viewerProtocolPolicy, "redirect-to-https");
    const origin = (d.origins as Json[])[0]!;
    assert.ok(origin.originAccessControlId, "the S3 origin is signed by the OAC");
    assert.match(String(origin.domainName), /\.s3\.[a-z0-9-]+\.amazonaws\.com$/);
  });

  it("AWS: the bucket keeps ONE policy, which admits exactly this distribution; the key lets CloudFront decrypt", () => {
    const d = one(prod, "primary", "aws:cloudfront/distribution:Distribution");
    const policies = prod.resources.filter(
      (r) => r.type === "aws:s3/bucketPolicy:BucketPolicy" && r.name === "primary-storage-bucket-policy",
    );
    assert.equal(policies.length, 1);
    const doc = JSON.parse(String((policies[0]!.inputs as Json).policy)) as { Statement: Json[] };
    const reads = doc.Statement.filter((s) => s.Sid === "CloudFrontReadsThroughOriginAccessControl");
    assert.equal(reads.length, 1);
    assert.deepEqual(reads[0]!.Principal, { Service: "cloudfront.amazonaws.com" });
    assert.equal(reads[0]!.Action, "s3:GetObject");
    const arn = ((reads[0]!.Condition as Json).StringEquals as Json)["AWS:SourceArn"];
    assert.match(
      String(arn),
      /^arn:aws:cloudfront:[a-z0-9-]*:222222222222:distribution\/primary-cdn-distribution-/,
    );
    assert.ok(d, "the distribution exists");
    assert.ok(
      doc.Statement.some((s) => s.Sid === "DenyInsecureTransport"),
      "the transport statements stay",
    );
    const key = prod.resources.find((r) => r.type === "aws:kms/key:Key" && r.name === "primary-keys-key")!;
    assert.match(String((key.inputs as Json).policy), /CloudFrontDecryptsForThisAccountsDistributions/);
  });

  it("AWS: standard logging v2 (configured in us-east-1) into the access-log bucket", () => {
    const source = one(prod, "primary", "aws:cloudwatch/logDeliverySource:LogDeliverySource").inputs as Json;
    assert.deepEqual([source.region, source.logType], ["us-east-1", "ACCESS_LOGS"]);
    const destination = one(prod, "primary", "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination")
      .inputs as Json;
    assert.match(
      String((destination.deliveryDestinationConfiguration as Json).destinationResourceArn),
      /access-logs/,
    );
  });

  it("Azure: Front Door Premium, Private Link blob origin, managed-identity auth, HTTPS only, TLS 1.2 domain, diagnostics", () => {
    const profile = one(prod, "secondary", "azure-native:cdn:Profile").inputs as Json;
    assert.equal((profile.sku as Json).name, "Premium_AzureFrontDoor");
    const origin = one(prod, "secondary", "azure-native:cdn:AFDOrigin").inputs as Json;
    assert.equal((origin.sharedPrivateLinkResource as Json).groupId, "blob");
    assert.match(String(origin.hostName), /\.blob\.core\.windows\.net$/);
    const group = one(prod, "secondary", "azure-native:cdn:AFDOriginGroup").inputs as Json;
    assert.equal((group.authentication as Json).scope, "https://storage.azure.com/.default");
    const route = one(prod, "secondary", "azure-native:cdn:Route").inputs as Json;
    assert.deepEqual([route.httpsRedirect, route.forwardingProtocol], ["Enabled", "HttpsOnly"]);
    const domain = one(prod, "secondary", "azure-native:cdn:AFDCustomDomain").inputs as Json;
    assert.equal((domain.tlsSettings as Json).minimumTlsVersion, "TLS12");
    assert.equal(domain.hostName, "secondary-cdn.example.com");
    assert.equal(under(prod, "secondary", "azure-native:monitor:DiagnosticSetting").length, 1);
    const grant = one(prod, "secondary", "azure-native:authorization:RoleAssignment").inputs as Json;
    assert.match(String(grant.roleDefinitionId), /2a2b9908-6ea1-4ae2-8e65-a410df84e7d1$/);
  });

  it("GCP: backend bucket with signed requests, fill SA reader, managed cert, TLS 1.2 policy, HTTP redirect", () => {
    const backend = one(dev, "primary", "gcp:compute/backendBucket:BackendBucket").inputs as Json;
    assert.equal(backend.enableCdn, true);
    assert.ok((backend.cdnPolicy as Json).signedUrlCacheMaxAgeSec);
    assert.equal(
      under(dev, "primary", "gcp:compute/backendBucketSignedUrlKey:BackendBucketSignedUrlKey").length,
      1,
    );
    const reader = one(dev, "primary", "gcp:storage/bucketIAMMember:BucketIAMMember").inputs as Json;
    assert.equal(reader.role, "roles/storage.objectViewer");
    assert.match(String(reader.member), /@cloud-cdn-fill\.iam\.gserviceaccount\.com$/);
    const policy = one(dev, "primary", "gcp:compute/sSLPolicy:SSLPolicy").inputs as Json;
    assert.deepEqual([policy.minTlsVersion, policy.profile], ["TLS_1_2", "MODERN"]);
    const cert = one(dev, "primary", "gcp:compute/managedSslCertificate:ManagedSslCertificate")
      .inputs as Json;
    assert.deepEqual((cert.managed as Json).domains, ["primary-cdn.example.com"]);
    const redirect = under(dev, "primary", "gcp:compute/uRLMap:URLMap").find(
      (r) => (r.inputs as Json).defaultUrlRedirect !== undefined,
    );
    assert.equal(((redirect!.inputs as Json).defaultUrlRedirect as Json).httpsRedirect, true);
  });

  it("counts per site (dev and prod)", () => {
    const counts = {
      devGcp: Object.values(countsOf(dev, "primary")).reduce((a, b) => a + b, 0),
      devAws: Object.values(countsOf(dev, "secondary")).reduce((a, b) => a + b, 0),
      prodAws: Object.values(countsOf(prod, "primary")).reduce((a, b) => a + b, 0),
      prodAzure: Object.values(countsOf(prod, "secondary")).reduce((a, b) => a + b, 0),
    };
    assert.deepEqual(counts, { devGcp: 14, devAws: 5, prodAws: 5, prodAzure: 9 });
  });
});
