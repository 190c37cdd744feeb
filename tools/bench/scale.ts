/**
 * Generated scale inputs: a `pulumi preview --json` document with N resources of the kinds the program
 * builds (components parenting storage, databases, keys, logs, queues on three clouds, some of them
 * non-compliant), and a synthetic program with N resources for `plan` under the mock harness.
 */
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { unknownValue } from "../pulumi-wire";
import { Key } from "@pulumi/aws/kms/key";
import { Bucket } from "@pulumi/aws/s3/bucket";
import { Queue } from "@pulumi/aws/sqs/queue";
import { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";

type Kind = { type: string; inputs: (i: number) => Record<string, unknown> };

const tags = (i: number) => ({
  environment: "scale",
  owner: "platform",
  "cost-center": "cc-1",
  "data-classification": i % 7 === 0 ? "personal" : "internal",
  "managed-by": "pulumi",
  "site-role": "primary",
});

const kinds: Kind[] = [
  {
    type: "aws:s3/bucket:Bucket",
    inputs: (i) => ({ bucket: unknownValue, acl: i % 50 === 0 ? "public-read" : "private", tags: tags(i) }),
  },
  {
    type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    inputs: (i) => ({
      bucket: unknownValue,
      rules: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: i % 40 === 0 ? "AES256" : "aws:kms",
            kmsMasterKeyId: unknownValue,
          },
        },
      ],
    }),
  },
  {
    type: "aws:rds/instance:Instance",
    inputs: (i) => ({
      engine: "postgres",
      instanceClass: "db.r6g.large",
      storageEncrypted: i % 30 !== 0,
      kmsKeyId: unknownValue,
      password: "[secret]",
      backupRetentionPeriod: 35,
      tags: tags(i),
    }),
  },
  {
    type: "aws:kms/key:Key",
    inputs: (i) => ({ enableKeyRotation: true, deletionWindowInDays: 30, tags: tags(i) }),
  },
  {
    type: "aws:cloudwatch/logGroup:LogGroup",
    inputs: (i) => ({ retentionInDays: 365, kmsKeyId: unknownValue, tags: tags(i) }),
  },
  { type: "aws:sqs/queue:Queue", inputs: (i) => ({ kmsMasterKeyId: unknownValue, tags: tags(i) }) },
  {
    type: "azure-native:storage:StorageAccount",
    inputs: (i) => ({
      accountName: unknownValue,
      allowBlobPublicAccess: i % 45 === 0,
      minimumTlsVersion: "TLS1_2",
      enableHttpsTrafficOnly: true,
      encryption: {
        keySource: "Microsoft.Keyvault",
        keyVaultProperties: { keyName: "k", keyVaultUri: unknownValue },
      },
      tags: tags(i),
    }),
  },
  {
    type: "gcp:storage/bucket:Bucket",
    inputs: (i) => ({
      location: "EUROPE-WEST1",
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      encryption: { defaultKmsKeyName: unknownValue },
      labels: tags(i),
    }),
  },
  { type: "aws:ec2/vpc:Vpc", inputs: (i) => ({ cidrBlock: `10.${i % 250}.0.0/16`, tags: tags(i) }) },
];

/** A preview document with at least `n` resources. */
export function scalePreview(n: number): unknown {
  const stack = "urn:pulumi:scale::platform::pulumi:pulumi:Stack::platform-scale";
  const providers: Record<string, string> = {
    aws: "urn:pulumi:scale::platform::pulumi:providers:aws::primary",
    "azure-native": "urn:pulumi:scale::platform::pulumi:providers:azure-native::secondary",
    gcp: "urn:pulumi:scale::platform::pulumi:providers:gcp::tertiary",
  };
  const steps: unknown[] = [
    {
      op: "create",
      urn: stack,
      newState: { urn: stack, custom: false, type: "pulumi:pulumi:Stack", inputs: {} },
    },
  ];
  for (const [pkg, urn] of Object.entries(providers)) {
    steps.push({
      op: "create",
      urn,
      newState: {
        urn,
        custom: true,
        type: `pulumi:providers:${pkg}`,
        inputs: { region: "eu-west-1" },
        parent: stack,
      },
    });
  }
  let component = "";
  for (let i = 0; steps.length < n; i++) {
    if (i % 20 === 0) {
      component = `urn:pulumi:scale::platform::platform:storage:ObjectStorage::unit-${i / 20}`;
      steps.push({
        op: "create",
        urn: component,
        newState: {
          urn: component,
          custom: false,
          type: "platform:storage:ObjectStorage",
          inputs: {},
          parent: stack,
        },
      });
    }
    const kind = kinds[i % kinds.length]!;
    const urn = `urn:pulumi:scale::platform::platform:storage:ObjectStorage$${kind.type}::r-${i}`;
    const provider = `${providers[kind.type.split(":")[0]!]!}::${unknownValue}`;
    steps.push({
      op: "create",
      urn,
      provider,
      newState: {
        urn,
        custom: true,
        type: kind.type,
        inputs: kind.inputs(i),
        parent: component,
        provider,
        dependencies: [],
        propertyDependencies: {},
      },
    });
  }
  return { config: {}, steps, diagnostics: [], duration: 0, changeSummary: { create: steps.length } };
}

/** A program for the mock harness that registers about `n` resources. */
export function scaleProgram(n: number): () => Promise<void> {
  return async () => {
    const provider = new AwsProvider("primary", { region: "eu-west-1" });
    const opts = { provider };
    for (let i = 0; i < Math.ceil((n - 2) / 4); i++) {
      new Key(`key-${i}`, { enableKeyRotation: true, deletionWindowInDays: 30 }, opts);
      new Bucket(`bucket-${i}`, { acl: "private" }, opts);
      new Queue(`queue-${i}`, {}, opts);
      new LogGroup(`logs-${i}`, { retentionInDays: 365 }, opts);
    }
  };
}
