/**
 * Issue 13 item 7 and the types items 4-6 add: secrets set as literal environment variables (functions,
 * containers, Kubernetes workloads; secret-store references accepted) and the synthetic checks' hardening
 * (the accepting cases carry what providers/<cloud>/synthetics.ts sets).
 */
import { controlCases } from "./cases";
import { UNKNOWN, type TestResource } from "./harness";

const r = (type: string, name: string, props: Record<string, unknown>): TestResource => ({
  type,
  name,
  props,
});
const kmsKey = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const lambda = (variables: Record<string, unknown>) =>
  r("aws:lambda/function:Function", "fn", {
    runtime: "nodejs22.x",
    handler: "index.handler",
    role: "arn:aws:iam::111111111111:role/fn",
    environment: { variables },
  });
const taskDefinition = (environment: unknown[], secrets: unknown[] = []) =>
  r("aws:ecs/taskDefinition:TaskDefinition", "task", {
    family: "app",
    containerDefinitions: JSON.stringify([{ name: "app", image: "app:1.0.0", environment, secrets }]),
  });
const containerApp = (env: unknown[]) =>
  r("azure-native:app:ContainerApp", "app", {
    resourceGroupName: "rg",
    template: { containers: [{ name: "app", image: "app:1.0.0", env }] },
  });
const webApp = (appSettings: unknown[]) =>
  r("azure-native:web:WebApp", "web", { resourceGroupName: "rg", siteConfig: { appSettings } });
const cloudRun = (envs: unknown[]) =>
  r("gcp:cloudrunv2/service:Service", "run", {
    location: "europe-west1",
    template: { containers: [{ name: "app", image: "europe-docker.pkg.dev/p/r/app:1.0.0", envs }] },
  });
const deployment = (env: unknown[]) =>
  r("kubernetes:apps/v1:Deployment", "web", {
    metadata: { name: "web", namespace: "apps" },
    spec: {
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "web", image: "registry.example.com/web:1.0.0", env }] },
      },
    },
  });

describe("operations controls: secrets in environments and synthetic checks", () => {
  controlCases("disallow-plaintext-secrets-in-environment", [
    {
      title: "a Lambda database password in clear",
      cloud: "aws",
      expect: "reject",
      resource: lambda({ DB_PASSWORD: "hunter2-but-longer", STAGE: "prod" }),
      match: /DB_PASSWORD looks like a credential/,
    },
    {
      title: "an AWS access key id under an innocent name",
      cloud: "aws",
      expect: "reject",
      resource: lambda({ UPSTREAM: "AKIAIOSFODNN7EXAMPLE" }),
      match: /an AWS access key id/,
    },
    {
      title: "an ECS container environment with a token",
      cloud: "aws",
      expect: "reject",
      resource: taskDefinition([{ name: "API_TOKEN", value: "abc" }]),
      match: /container "app" environment API_TOKEN/,
    },
    {
      title: "a computed secret is still a literal in the environment",
      cloud: "aws",
      expect: "reject",
      resource: lambda({ CLIENT_SECRET: UNKNOWN }),
      match: /CLIENT_SECRET/,
    },
    {
      title: "references: a Secrets Manager ARN, a name ending in _ARN, ECS secrets valueFrom",
      cloud: "aws",
      expect: "accept",
      resource: lambda({
        DB_PASSWORD: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf",
        DB_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf",
        LOG_LEVEL: "info",
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: taskDefinition(
        [{ name: "STAGE", value: "prod" }],
        [{ name: "API_TOKEN", valueFrom: "arn:aws:ssm:eu-west-1:111111111111:parameter/api-token" }],
      ),
    },
    {
      title: "the platform's canary: endpoint URL and expected status",
      cloud: "aws",
      expect: "accept",
      resource: r("aws:synthetics/canary:Canary", "canary", {
        runConfig: {
          environmentVariables: { TARGET_URL: "https://app.example.com/healthz", EXPECTED_STATUS: "200" },
        },
      }),
    },
    {
      title: "a container app secret as a value",
      cloud: "azure",
      expect: "reject",
      resource: containerApp([{ name: "REDIS_PASSWORD", value: "s3cr3t-value" }]),
      match: /REDIS_PASSWORD/,
    },
    {
      title: "a storage connection string in an app setting",
      cloud: "azure",
      expect: "reject",
      resource: webApp([
        {
          name: "Storage",
          value:
            "DefaultEndpointsProtocol=https;AccountName=st;AccountKey=abcdefghijklmnopqrstuvwxyz0123456789==;",
        },
      ]),
      match: /Azure storage account key/,
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: containerApp([{ name: "REDIS_PASSWORD", secretRef: "redis-password" }]),
    },
    {
      title: "a Key Vault reference in an app setting",
      cloud: "azure",
      expect: "accept",
      resource: webApp([
        {
          name: "DB_PASSWORD",
          value: "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)",
        },
      ]),
    },
    {
      title: "a Cloud Run env with an API key",
      cloud: "gcp",
      expect: "reject",
      resource: cloudRun([{ name: "PAYMENTS_API_KEY", value: "sk_live_abcdefghijklmnopqrstuvwx" }]),
      match: /Stripe live key/,
    },
    {
      title: "a database URL with a password",
      cloud: "gcp",
      expect: "reject",
      resource: cloudRun([{ name: "DATABASE_URL", value: "postgres://app:pa55word@10.0.0.5:5432/app" }]),
      match: /URL with embedded credentials/,
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: cloudRun([
        { name: "DB_PASSWORD", valueSource: { secretKeyRef: { secret: "db-password", version: "latest" } } },
        { name: "DATABASE_HOST", value: "10.0.0.5" },
      ]),
    },
    {
      title: "a Deployment with a literal token",
      cloud: "kubernetes",
      expect: "reject",
      resource: deployment([{ name: "GITHUB_TOKEN", value: "ghp_abcdefghijklmnopqrstuvwxyz0123456789" }]),
      match: /GitHub token/,
    },
    {
      cloud: "kubernetes",
      expect: "accept",
      resource: deployment([
        { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
        { name: "LOG_LEVEL", value: "info" },
      ]),
    },
  ]);

  controlCases("enforce-synthetic-check-hardening", [
    {
      title: "canary artifacts with S3-managed keys",
      cloud: "aws",
      expect: "reject",
      resource: r("aws:synthetics/canary:Canary", "canary", {
        runtimeVersion: "syn-nodejs-playwright-8.0",
        artifactConfig: { s3Encryption: { encryptionMode: "SSE_S3" } },
      }),
      match: /SSE_KMS/,
    },
    {
      title: "a deprecated runtime",
      cloud: "aws",
      expect: "reject",
      resource: r("aws:synthetics/canary:Canary", "canary", {
        runtimeVersion: "syn-nodejs-puppeteer-6.2",
        artifactConfig: { s3Encryption: { encryptionMode: "SSE_KMS", kmsKeyArn: kmsKey } },
      }),
      match: /deprecated/,
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:synthetics/canary:Canary", "canary", {
        runtimeVersion: "syn-nodejs-playwright-8.0",
        artifactConfig: { s3Encryption: { encryptionMode: "SSE_KMS", kmsKeyArn: kmsKey } },
      }),
    },
    {
      title: "Application Insights with instrumentation-key ingestion",
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:applicationinsights:Component", "appi", {
        kind: "web",
        applicationType: "web",
      }),
      match: /disableLocalAuth/,
    },
    {
      title: "a standard web test that ignores certificate errors",
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:applicationinsights:WebTest", "test", {
        kind: "standard",
        webTestKind: "standard",
        request: { requestUrl: "https://app.example.com/healthz", httpVerb: "GET" },
        validationRules: { expectedHttpStatusCode: 200, sSLCheck: false },
      }),
      match: /sSLCheck/,
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:applicationinsights:WebTest", "test", {
        kind: "standard",
        webTestKind: "standard",
        request: { requestUrl: "https://app.example.com/healthz", httpVerb: "GET" },
        validationRules: { expectedHttpStatusCode: 200, sSLCheck: true, sSLCertRemainingLifetimeCheck: 7 },
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:applicationinsights:Component", "appi", {
        kind: "web",
        applicationType: "web",
        disableLocalAuth: true,
      }),
    },
    {
      title: "an uptime check that does not validate the certificate",
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig", "uptime", {
        httpCheck: { path: "/healthz", port: 443, useSsl: true, validateSsl: false },
      }),
      match: /validateSsl/,
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig", "uptime", {
        httpCheck: { path: "/healthz", port: 443, useSsl: true, validateSsl: true },
      }),
    },
  ]);
});
