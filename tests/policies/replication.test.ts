import { controlCases } from "./cases";
import type { TestResource } from "./harness";

const r = (type: string, name: string, props: Record<string, unknown>): TestResource => ({
  type,
  name,
  props,
});

const dataSyncTask = (options: Record<string, unknown>, logGroup = true) =>
  r("aws:datasync/task:Task", "task", {
    sourceLocationArn: "arn:aws:datasync:us-east-1:1:location/loc-1",
    destinationLocationArn: "arn:aws:datasync:us-east-1:1:location/loc-2",
    ...(logGroup ? { cloudwatchLogGroupArn: "arn:aws:logs:us-east-1:1:log-group:/aws/datasync/x" } : {}),
    options,
  });
const transferJob = (extra: Record<string, unknown>) =>
  r("gcp:storage/transferJob:TransferJob", "job", {
    description: "replica",
    transferSpec: {
      awsS3DataSource: { bucketName: "src", roleArn: "arn:aws:iam::1:role/reader" },
      gcsDataSink: { bucketName: "dst" },
    },
    ...extra,
  });
const logging = { loggingConfig: { logActions: ["COPY"], logActionStates: ["SUCCEEDED", "FAILED"] } };
const factory = (extra: Record<string, unknown>) =>
  r("azure-native:datafactory:Factory", "adf", { resourceGroupName: "rg", ...extra });
const cmk = { encryption: { vaultBaseUrl: "https://kv.vault.azure.net/", keyName: "k" } };
const s3Link = (secretAccessKey: unknown, serviceUrl = "https://s3.us-east-1.amazonaws.com") =>
  r("azure-native:datafactory:LinkedService", "s3", {
    factoryName: "adf",
    properties: { type: "AmazonS3", accessKeyId: "AKIA", secretAccessKey, serviceUrl },
  });
const kvRef = {
  type: "AzureKeyVaultSecret",
  store: { referenceName: "kv", type: "LinkedServiceReference" },
  secretName: "s3-key",
};

describe("replication controls", () => {
  controlCases("enforce-transfer-encryption-and-logging", [
    {
      cloud: "aws",
      expect: "reject",
      resource: dataSyncTask({ logLevel: "TRANSFER" }, false),
      match: /not logged/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "log level OFF",
      resource: dataSyncTask({ logLevel: "OFF" }),
      match: /OFF/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "HTTP object storage location",
      resource: r("aws:datasync/locationObjectStorage:LocationObjectStorage", "gcs", {
        serverHostname: "storage.googleapis.com",
        bucketName: "b",
      }),
      match: /HTTP/,
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: dataSyncTask({ logLevel: "TRANSFER", verifyMode: "ONLY_FILES_TRANSFERRED" }),
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "HTTPS object storage location",
      resource: r("aws:datasync/locationObjectStorage:LocationObjectStorage", "gcs", {
        serverHostname: "storage.googleapis.com",
        bucketName: "b",
        serverProtocol: "HTTPS",
      }),
    },
    { cloud: "gcp", expect: "reject", resource: transferJob({}), match: /FAILED/ },
    {
      cloud: "gcp",
      expect: "reject",
      title: "inline AWS key",
      resource: r("gcp:storage/transferJob:TransferJob", "job", {
        description: "replica",
        ...logging,
        transferSpec: {
          awsS3DataSource: { bucketName: "src", awsAccessKey: { accessKeyId: "AKIA", secretAccessKey: "x" } },
          gcsDataSink: { bucketName: "dst" },
        },
      }),
      match: /awsAccessKey/,
    },
    { cloud: "gcp", expect: "accept", resource: transferJob(logging) },
    {
      cloud: "azure",
      expect: "reject",
      resource: factory({ publicNetworkAccess: "Disabled" }),
      match: /customer-managed/,
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "public factory",
      resource: factory(cmk),
      match: /publicNetworkAccess/,
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "linked service with an inline secret",
      resource: s3Link({ type: "SecureString", value: "x" }),
      match: /AzureKeyVaultSecret/,
    },
    { cloud: "azure", expect: "accept", resource: factory({ ...cmk, publicNetworkAccess: "Disabled" }) },
    { cloud: "azure", expect: "accept", title: "Key Vault reference", resource: s3Link(kvRef) },
  ]);

  controlCases("disallow-public-replication-instances", [
    {
      cloud: "aws",
      expect: "reject",
      title: "publiclyAccessible unset (DMS default true)",
      resource: r("aws:dms/replicationInstance:ReplicationInstance", "dms", {
        replicationInstanceId: "x",
        replicationInstanceClass: "dms.t3.medium",
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:dms/replicationInstance:ReplicationInstance", "dms", {
        replicationInstanceId: "x",
        replicationInstanceClass: "dms.t3.medium",
        publiclyAccessible: false,
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:databasemigrationservice/migrationJob:MigrationJob", "job", {
        migrationJobId: "j",
        type: "CONTINUOUS",
        source: "s",
        destination: "d",
        staticIpConnectivity: {},
      }),
      match: /staticIpConnectivity/,
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:databasemigrationservice/migrationJob:MigrationJob", "job", {
        migrationJobId: "j",
        type: "CONTINUOUS",
        source: "s",
        destination: "d",
        vpcPeeringConnectivity: { vpc: "projects/p/global/networks/n" },
      }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:datafactory:IntegrationRuntime", "ir", {
        factoryName: "adf",
        properties: { type: "Managed", computeProperties: { location: "AutoResolve" } },
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:datafactory:IntegrationRuntime", "ir", {
        factoryName: "adf",
        properties: {
          type: "Managed",
          managedVirtualNetwork: { referenceName: "default", type: "ManagedVirtualNetworkReference" },
        },
      }),
    },
  ]);

  controlCases("enforce-replication-endpoint-tls", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:dms/endpoint:Endpoint", "src", {
        endpointId: "e",
        endpointType: "source",
        engineName: "postgres",
      }),
      match: /sslMode/,
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:dms/endpoint:Endpoint", "src", {
        endpointId: "e",
        endpointType: "source",
        engineName: "postgres",
        sslMode: "verify-full",
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "an S3 target has no SSL mode",
      resource: r("aws:dms/endpoint:Endpoint", "s3", {
        endpointId: "e",
        endpointType: "target",
        engineName: "s3",
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:databasemigrationservice/connectionProfile:ConnectionProfile", "src", {
        connectionProfileId: "p",
        postgresql: { host: "10.0.0.5", port: 5432, username: "replicator" },
      }),
      match: /ssl/,
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:databasemigrationservice/connectionProfile:ConnectionProfile", "src", {
        connectionProfileId: "p",
        postgresql: { host: "10.0.0.5", port: 5432, username: "replicator", ssl: { caCertificate: "PEM" } },
      }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      title: "a Cloud SQL destination profile",
      resource: r("gcp:databasemigrationservice/connectionProfile:ConnectionProfile", "dst", {
        connectionProfileId: "p",
        postgresql: { cloudSqlId: "instance" },
      }),
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "sslMode unset (Prefer)",
      resource: r("azure-native:dbforpostgresql:Migration", "m", {
        resourceGroupName: "rg",
        serverName: "s",
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:dbforpostgresql:Migration", "m", {
        resourceGroupName: "rg",
        serverName: "s",
        sslMode: "Require",
      }),
    },
  ]);
});
