/**
 * Azure halves of cross-cloud replication (see components/replication.ts).
 *
 * Receiving: Azure Data Factory copies the peer's S3 or Cloud Storage bucket into the site's blob
 * container every 15 minutes (objects modified in the last 30 minutes: windows overlap, so a late run
 * loses nothing), on a managed-VNet integration runtime reaching the storage account and Key Vault through
 * managed private endpoints; the peer's key pair lives in the site's Key Vault, the factory is encrypted
 * with the site key and its runs are logged to the site's Log Analytics workspace, failed runs alerted.
 * The migration service of the flexible server runs an online migration (continuous logical replication
 * until cutover) from the peer's PostgreSQL into the site's server over the interconnect.
 * Source: the site's container readable by a federated Google identity (a managed identity with a
 * federated credential: no secret), and a generated replication password kept in the site's Key Vault.
 */
import { databasePrefixes } from "../../components/cross-site";
import * as crypto from "node:crypto";
import * as tls from "node:tls";
import * as pulumi from "@pulumi/pulumi";
import { RoleAssignment } from "@pulumi/azure-native/authorization/roleAssignment";
import { CredentialOperation } from "@pulumi/azure-native/datafactory/credentialOperation";
import { Dataset } from "@pulumi/azure-native/datafactory/dataset";
import { Factory } from "@pulumi/azure-native/datafactory/factory";
import { IntegrationRuntime } from "@pulumi/azure-native/datafactory/integrationRuntime";
import { LinkedService } from "@pulumi/azure-native/datafactory/linkedService";
import { ManagedPrivateEndpoint } from "@pulumi/azure-native/datafactory/managedPrivateEndpoint";
import { Pipeline } from "@pulumi/azure-native/datafactory/pipeline";
import { Trigger } from "@pulumi/azure-native/datafactory/trigger";
import { Migration } from "@pulumi/azure-native/dbforpostgresql/migration";
import { Secret } from "@pulumi/azure-native/keyvault/secret";
import { FederatedIdentityCredential } from "@pulumi/azure-native/managedidentity/federatedIdentityCredential";
import { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity/userAssignedIdentity";
import { DiagnosticSetting } from "@pulumi/azure-native/monitor/diagnosticSetting";
import { Deployment } from "@pulumi/azure-native/resources/deployment";
import type {
  DatabaseSource,
  ObjectProtocol,
  ObjectReader,
  ObjectSource,
  PostgresFlavor,
  ReplicationCall,
  ReplicationImplementation,
  ReplicationResult,
  ReplicationSite,
} from "../../components/replication";
import { credentialRotationDays, replicationPassword, replicationRole } from "../../components/replication";
import { fitName, uniqueName } from "../../components/naming";
import { resourceGroupFor } from "./resource-group";
import { metricAlert } from "./monitoring";

/** Built-in role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles). */
const roles = {
  storageBlobDataReader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
} as const;

/** The audience Microsoft Entra ID expects in federated tokens. */
const entraAudience = "api://AzureADTokenExchange";

/** The migration service's source types per PostgreSQL flavour. */
const migrationSourceType: Readonly<Record<PostgresFlavor, string | undefined>> = {
  rds: "AWS_RDS",
  "cloud-sql": "GCP_CloudSQL",
  "flexible-server": undefined,
};

/**
 * The root CAs of Azure Database for PostgreSQL server certificates (DigiCert Global Root G2 and Microsoft
 * RSA Root Certificate Authority 2017), from Node's bundled Mozilla store: peers verify the server with
 * them (https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-networking-ssl-tls).
 */
export function azurePostgresRootCas(): string {
  const wanted = [/CN=DigiCert Global Root G2/, /CN=Microsoft RSA Root Certificate Authority 2017/];
  return tls.rootCertificates
    .filter((pem) => wanted.some((w) => w.test(new crypto.X509Certificate(pem).subject.replace(/\n/g, ", "))))
    .join("\n");
}

function roleDefinition(site: ReplicationSite<"azure">, id: string): string {
  return `/subscriptions/${site.ctx.site.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${id}`;
}

function lastSegment(id: pulumi.Output<string>): pulumi.Output<string> {
  return id.apply(
    (v) =>
      v
        .split("/")
        .filter((p) => p !== "")
        .pop() ?? "",
  );
}

function optsOf(site: ReplicationSite<"azure">, call: ReplicationCall): pulumi.CustomResourceOptions {
  return { parent: call.parent, provider: site.ctx.provider };
}

/** A Key Vault secret (RBAC vault of the site); expires after one rotation period plus a grace month. */
function vaultSecret(
  name: string,
  site: ReplicationSite<"azure">,
  secretName: string,
  value: pulumi.Output<string>,
  contentType: string,
  opts: pulumi.CustomResourceOptions,
): Secret {
  const rg = resourceGroupFor(site.ctx, opts.parent!);
  return new Secret(
    `${name}-secret`,
    {
      resourceGroupName: rg.name,
      vaultName: lastSegment(site.keys.vaultId),
      secretName: fitName("azureName", [secretName]),
      properties: { value: pulumi.secret(value), contentType, attributes: { enabled: true } },
    },
    opts,
  );
}

function objectReader(
  _name: string,
  _target: ReplicationSite<"azure">,
  protocol: ObjectProtocol,
): ObjectReader {
  if (protocol === "azure-blob")
    throw new Error("Replication: an Azure site does not receive from Azure Blob");
  // Data Factory's Amazon S3 and Google Cloud Storage connectors authenticate with key pairs only.
  return { kind: "static-key" };
}

function exportObjects(
  name: string,
  source: ReplicationSite<"azure">,
  reader: ObjectReader,
  call: ReplicationCall,
): ObjectSource {
  if (reader.kind !== "oidc") {
    throw new Error("Replication: the site's storage account refuses keys (shared key access is off)");
  }
  const opts = optsOf(source, call);
  const rg = resourceGroupFor(source.ctx, call.parent);
  const identity = new UserAssignedIdentity(
    `${name}-reader`,
    {
      resourceGroupName: rg.name,
      location: source.ctx.site.region,
      resourceName: fitName("azureName", ["id", call.environment, source.ctx.role, "xcloud-reader"]),
    },
    opts,
  );
  new FederatedIdentityCredential(
    `${name}-reader-federation`,
    {
      resourceGroupName: rg.name,
      resourceName: identity.name,
      federatedIdentityCredentialResourceName: "secondary-transfer-service",
      issuer: reader.issuer,
      subject: reader.subject,
      audiences: [entraAudience],
    },
    opts,
  );
  new RoleAssignment(
    `${name}-reader-blob-access`,
    {
      principalId: identity.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: roleDefinition(source, roles.storageBlobDataReader),
      scope: source.storage.storeId,
    },
    opts,
  );
  const [account, container] = [0, 1].map((i) =>
    source.storage.storeName.apply((n) => n.split("/")[i] ?? ""),
  );
  return {
    protocol: "azure-blob",
    bucket: container!,
    account: account!,
    endpoint: source.storage.endpoint,
    region: source.ctx.site.region,
    credential: { kind: "federated-client", clientId: identity.clientId, tenantId: source.ctx.site.tenantId },
  };
}

function receiveObjects(
  name: string,
  target: ReplicationSite<"azure">,
  source: ObjectSource,
  call: ReplicationCall,
): ReplicationResult {
  if (source.credential.kind !== "key-pair" || (source.protocol !== "s3" && source.protocol !== "gcs")) {
    throw new Error(
      `Replication: Data Factory cannot read ${source.protocol} with a ${source.credential.kind} credential`,
    );
  }
  const opts = optsOf(target, call);
  const rg = resourceGroupFor(target.ctx, call.parent);
  const region = target.ctx.site.region;
  const keys = target.keys;
  const containerName = target.storage.storeName.apply((n) => n.split("/")[1] ?? "");

  const secretName = `${call.peerRole}-object-store-secret-key`;
  const secret = vaultSecret(
    `${name}-source-key`,
    target,
    secretName,
    source.credential.secretAccessKey,
    `${source.protocol} secret access key of the ${call.peerRole} site's reader; replaced every ${credentialRotationDays} days`,
    opts,
  );

  const identity = new UserAssignedIdentity(
    `${name}-adf-identity`,
    {
      resourceGroupName: rg.name,
      location: region,
      resourceName: fitName("azureName", ["id", call.environment, target.ctx.role, "adf-replication"]),
    },
    opts,
  );
  const grants = [
    new RoleAssignment(
      `${name}-adf-blob-writer`,
      {
        principalId: identity.principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: roleDefinition(target, roles.storageBlobDataContributor),
        scope: target.storage.storeId,
      },
      opts,
    ),
    new RoleAssignment(
      `${name}-adf-secrets-user`,
      {
        principalId: identity.principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: roleDefinition(target, roles.keyVaultSecretsUser),
        scope: keys.vaultId,
      },
      opts,
    ),
  ];
  const factory = new Factory(
    `${name}-factory`,
    {
      resourceGroupName: rg.name,
      location: region,
      factoryName: uniqueName(
        "azureDataFactory",
        ["adf", call.environment, target.ctx.role],
        target.ctx.uniqueSuffix,
      ),
      identity: {
        type: "UserAssigned",
        userAssignedIdentities: pulumi
          .all([identity.id, keys.identityId])
          .apply(([a, b]) => ({ [a]: {}, [b]: {} })),
      },
      // Factory metadata (linked services, pipelines) encrypted with the site key.
      encryption: {
        vaultBaseUrl: keys.vaultUri,
        keyName: keys.keyName,
        identity: { userAssignedIdentity: keys.identityId },
      },
      publicNetworkAccess: "Disabled",
    },
    // The factory authenticates as the identity (and unwraps its key) from creation: after the grants.
    { ...opts, dependsOn: [...grants, keys.keyAccess] },
  );
  const factoryName = factory.name;
  // azure-native has no resource for the factory's managed virtual network
  // (https://github.com/pulumi/pulumi-azure-native/issues/896): an ARM deployment creates it.
  const managedVnet = new Deployment(
    `${name}-adf-managed-vnet`,
    {
      resourceGroupName: rg.name,
      deploymentName: fitName("azureName", [call.environment, target.ctx.role, "adf-managed-vnet"]),
      properties: {
        mode: "Incremental",
        template: {
          $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          contentVersion: "1.0.0.0",
          parameters: { factoryName: { type: "string" } },
          resources: [
            {
              type: "Microsoft.DataFactory/factories/managedVirtualNetworks",
              apiVersion: "2018-06-01",
              name: "[concat(parameters('factoryName'), '/default')]",
              properties: {},
            },
          ],
        },
        parameters: { factoryName: { value: factoryName } },
      },
    },
    opts,
  );
  const runtime = new IntegrationRuntime(
    `${name}-adf-runtime`,
    {
      resourceGroupName: rg.name,
      factoryName,
      integrationRuntimeName: "managed-vnet-runtime",
      properties: {
        type: "Managed",
        description: "Azure integration runtime in the factory's managed virtual network",
        managedVirtualNetwork: { referenceName: "default", type: "ManagedVirtualNetworkReference" },
        computeProperties: { location: "AutoResolve" },
      },
    },
    { ...opts, dependsOn: [managedVnet] },
  );
  const endpoints = [
    { role: "blob", resource: target.storage.storeId, groupId: "blob" },
    { role: "vault", resource: keys.vaultId, groupId: "vault" },
  ].map(
    (e) =>
      new ManagedPrivateEndpoint(
        `${name}-adf-pe-${e.role}`,
        {
          resourceGroupName: rg.name,
          factoryName,
          managedVirtualNetworkName: "default",
          managedPrivateEndpointName: `pe-${e.role}`,
          properties: { privateLinkResourceId: e.resource, groupId: e.groupId },
        },
        { ...opts, dependsOn: [managedVnet] },
      ),
  );
  const credential = new CredentialOperation(
    `${name}-adf-credential`,
    {
      resourceGroupName: rg.name,
      factoryName,
      credentialName: "replication-identity",
      properties: { type: "ManagedIdentity", resourceId: identity.id },
    },
    { ...opts, dependsOn: grants },
  );
  // Linked service and dataset names take no hyphens (https://learn.microsoft.com/azure/data-factory/naming-rules).
  const connectVia = { referenceName: runtime.name, type: "IntegrationRuntimeReference" };
  const credentialRef = { referenceName: credential.name, type: "CredentialReference" };
  const vaultLink = new LinkedService(
    `${name}-adf-ls-vault`,
    {
      resourceGroupName: rg.name,
      factoryName,
      linkedServiceName: "site_key_vault",
      properties: { type: "AzureKeyVault", baseUrl: keys.vaultUri, credential: credentialRef, connectVia },
    },
    { ...opts, dependsOn: [...grants, ...endpoints] },
  );
  const secretRef = {
    type: "AzureKeyVaultSecret" as const,
    store: { referenceName: vaultLink.name, type: "LinkedServiceReference" },
    secretName: secret.name,
  };
  const sourceLink = new LinkedService(
    `${name}-adf-ls-source`,
    {
      resourceGroupName: rg.name,
      factoryName,
      linkedServiceName: `${call.peerRole}_object_store`,
      properties:
        source.protocol === "s3"
          ? {
              type: "AmazonS3",
              authenticationType: "AccessKey",
              accessKeyId: source.credential.accessKeyId,
              secretAccessKey: secretRef,
              serviceUrl: source.endpoint,
              connectVia,
            }
          : {
              type: "GoogleCloudStorage",
              accessKeyId: source.credential.accessKeyId,
              secretAccessKey: secretRef,
              serviceUrl: source.endpoint,
              connectVia,
            },
    },
    opts,
  );
  const sinkLink = new LinkedService(
    `${name}-adf-ls-sink`,
    {
      resourceGroupName: rg.name,
      factoryName,
      linkedServiceName: "site_blob_store",
      properties: {
        type: "AzureBlobStorage",
        serviceEndpoint: target.storage.endpoint,
        accountKind: "StorageV2",
        authenticationType: "UserAssignedManagedIdentity",
        credential: credentialRef,
        connectVia,
      },
    },
    { ...opts, dependsOn: [...grants, ...endpoints] },
  );
  const sourceDataset = new Dataset(
    `${name}-adf-ds-source`,
    {
      resourceGroupName: rg.name,
      factoryName,
      datasetName: "source_objects",
      properties: {
        type: "Binary",
        linkedServiceName: { referenceName: sourceLink.name, type: "LinkedServiceReference" },
        location:
          source.protocol === "s3"
            ? { type: "AmazonS3Location", bucketName: source.bucket }
            : { type: "GoogleCloudStorageLocation", bucketName: source.bucket },
      },
    },
    opts,
  );
  const sinkDataset = new Dataset(
    `${name}-adf-ds-sink`,
    {
      resourceGroupName: rg.name,
      factoryName,
      datasetName: "replica_objects",
      properties: {
        type: "Binary",
        linkedServiceName: { referenceName: sinkLink.name, type: "LinkedServiceReference" },
        location: { type: "AzureBlobStorageLocation", container: containerName },
      },
    },
    opts,
  );
  const window = {
    recursive: true,
    modifiedDatetimeStart: { value: "@pipeline().parameters.windowStart", type: "Expression" },
    modifiedDatetimeEnd: { value: "@pipeline().parameters.windowEnd", type: "Expression" },
  };
  const readSettings =
    source.protocol === "s3"
      ? { type: "AmazonS3ReadSettings" as const, ...window }
      : { type: "GoogleCloudStorageReadSettings" as const, ...window };
  const pipeline = new Pipeline(
    `${name}-adf-pipeline`,
    {
      resourceGroupName: rg.name,
      factoryName,
      pipelineName: "replicate-objects",
      description: `Copies objects changed at the ${call.peerRole} site's store into the ${target.ctx.role} container`,
      parameters: { windowStart: { type: "String" }, windowEnd: { type: "String" } },
      activities: [
        {
          type: "Copy",
          name: "copy-changed-objects",
          inputs: [{ referenceName: sourceDataset.name, type: "DatasetReference" }],
          outputs: [{ referenceName: sinkDataset.name, type: "DatasetReference" }],
          policy: { retry: 2, retryIntervalInSeconds: 120, timeout: "0.00:45:00", secureInput: true },
          source: { type: "BinarySource", storeSettings: readSettings },
          sink: {
            type: "BinarySink",
            storeSettings: { type: "AzureBlobStorageWriteSettings", copyBehavior: "PreserveHierarchy" },
          },
          enableStaging: false,
        },
      ],
    },
    opts,
  );
  new Trigger(
    `${name}-adf-trigger`,
    {
      resourceGroupName: rg.name,
      factoryName,
      triggerName: "every-15-minutes",
      properties: {
        type: "ScheduleTrigger",
        description: "Copies objects modified in the last 30 minutes, every 15 minutes (windows overlap)",
        recurrence: { frequency: "Minute", interval: 15, startTime: "2026-01-01T00:00:00Z", timeZone: "UTC" },
        pipelines: [
          {
            pipelineReference: { referenceName: pipeline.name, type: "PipelineReference" },
            parameters: {
              windowStart: "@addMinutes(trigger().scheduledTime, -30)",
              windowEnd: "@trigger().scheduledTime",
            },
          },
        ],
      },
    },
    opts,
  );
  new DiagnosticSetting(
    `${name}-adf-diagnostics`,
    {
      name: "replication-runs",
      resourceUri: factory.id,
      workspaceId: target.monitoring.logSinkId,
      logAnalyticsDestinationType: "Dedicated",
      logs: [{ categoryGroup: "allLogs", enabled: true }],
      metrics: [{ category: "AllMetrics", enabled: true }],
    },
    opts,
  );
  metricAlert(
    `${name}-adf-failures`,
    {
      resourceGroupName: rg.name,
      ruleName: fitName("azureName", [call.environment, target.ctx.role, "object-replication-failed"]),
      description: "Cross-cloud object replication (Data Factory) runs failed: RPO at risk",
      severity: "high",
      scope: factory.id,
      metricName: "PipelineFailedRuns",
      threshold: 0,
      timeAggregation: "Total",
      evaluationFrequency: "PT15M",
      windowSize: "PT1H",
    },
    target.monitoring.alertTargets,
    opts,
  );
  return { service: "Azure Data Factory", jobId: pipeline.id, logDestination: target.monitoring.logSinkId };
}

function exportDatabase(
  name: string,
  source: ReplicationSite<"azure">,
  call: ReplicationCall,
): DatabaseSource {
  const opts = optsOf(source, call);
  const password = replicationPassword(`${name}-replicator-password`, call);
  vaultSecret(
    `${name}-replicator`,
    source,
    "postgres-replicator-password",
    password.result,
    "password of the PostgreSQL replication role (replicator)",
    opts,
  );
  return {
    flavor: "flexible-server",
    host: source.database.host,
    port: source.database.port,
    databaseName: source.database.databaseName,
    username: replicationRole,
    password: password.result,
    addressSpace: source.ctx.site.addressSpace,
    prefixes: databasePrefixes(source.networkPlan),
    caCertificate: azurePostgresRootCas(),
  };
}

function receiveDatabase(
  name: string,
  target: ReplicationSite<"azure">,
  source: DatabaseSource,
  call: ReplicationCall,
): ReplicationResult {
  const sourceType = migrationSourceType[source.flavor];
  if (sourceType === undefined) {
    throw new Error(
      `Replication: the migration service does not take a ${source.flavor} source across clouds`,
    );
  }
  const opts = optsOf(target, call);
  const rg = resourceGroupFor(target.ctx, call.parent);
  // The migration service logs in to the target with a password (a generated one, for the same role).
  const targetPassword = replicationPassword(`${name}-target-password`, call);
  vaultSecret(
    `${name}-source`,
    target,
    `${call.peerRole}-postgres-replicator-password`,
    source.password,
    "peer replication role password",
    opts,
  );
  vaultSecret(
    `${name}-target`,
    target,
    "postgres-migration-target-password",
    targetPassword.result,
    "migration target role password",
    opts,
  );
  const migration = new Migration(
    `${name}-migration`,
    {
      resourceGroupName: rg.name,
      serverName: lastSegment(target.database.serverId),
      location: target.ctx.site.region,
      // Migration names match ^[a-z][a-z0-9]*$ (Microsoft.DBforPostgreSQL Migrations API: MigrationNameParameter).
      migrationName: `${call.peerRole}pgonline`,
      migrationMode: "Online",
      migrationOption: "ValidateAndMigrate",
      sourceType,
      sourceDbServerResourceId: pulumi.interpolate`${source.host}:${source.port}@${source.username}`,
      secretParameters: {
        adminCredentials: {
          sourceServerPassword: source.password,
          targetServerPassword: targetPassword.result,
        },
        sourceServerUsername: source.username,
        targetServerUsername: replicationRole,
      },
      dbsToMigrate: [source.databaseName],
      overwriteDbsInTarget: "True",
      migrateRoles: "False",
      setupLogicalReplicationOnSourceDbIfNeeded: "False",
      sslMode: "Require",
      startDataMigration: "True",
    },
    opts,
  );
  return {
    service: "Azure Database for PostgreSQL migration service",
    jobId: migration.id,
    logDestination: target.monitoring.logSinkId,
  };
}

/** Azure halves of object and database replication. */
export const replication: ReplicationImplementation<"azure"> = {
  objectReader,
  exportObjects,
  receiveObjects,
  exportDatabase,
  receiveDatabase,
};
