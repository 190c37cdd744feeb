/**
 * GCP halves of cross-cloud replication (see components/replication.ts).
 *
 * Receiving: Storage Transfer Service copies the peer's S3 bucket (AWS role assumed with the transfer
 * service agent's Google identity: no stored key) or Azure container (federated identity of an Azure
 * managed identity: no stored key) into the site's bucket every hour; Database Migration Service runs a
 * continuous migration job from the peer's PostgreSQL into the site's Cloud SQL instance.
 * Source: a dedicated read-only service account with an HMAC key for the peer's copy service (DataSync
 * and Data Factory accept nothing else from Cloud Storage), and a built-in `replicator` user on Cloud SQL.
 */
import { databasePrefixes } from "../../components/cross-site";
import * as pulumi from "@pulumi/pulumi";
import { Account } from "@pulumi/gcp/serviceaccount/account";
import { BucketIAMMember } from "@pulumi/gcp/storage/bucketIAMMember";
import { HmacKey } from "@pulumi/gcp/storage/hmacKey";
import { TransferJob } from "@pulumi/gcp/storage/transferJob";
import { getTransferProjectServiceAccountOutput } from "@pulumi/gcp/storage/getTransferProjectServiceAccount";
import { Secret } from "@pulumi/gcp/secretmanager/secret";
import { SecretVersion } from "@pulumi/gcp/secretmanager/secretVersion";
import { ConnectionProfile } from "@pulumi/gcp/databasemigrationservice/connectionProfile";
import { MigrationJob } from "@pulumi/gcp/databasemigrationservice/migrationJob";
import { AlertPolicy } from "@pulumi/gcp/monitoring/alertPolicy";
import { User } from "@pulumi/gcp/sql/user";
import type {
  DatabaseSource,
  ObjectProtocol,
  ObjectReader,
  ObjectSource,
  ReplicationCall,
  ReplicationImplementation,
  ReplicationResult,
  ReplicationSite,
} from "../../components/replication";
import {
  replicationLagAlarmSeconds,
  sourceLagAlarmBytes,
  replicationPassword,
  replicationRole,
  rotationPeriod,
} from "../../components/replication";
import { fitName } from "../../components/naming";
import { grantKeyToServiceAgent } from "./keys";
import { metricAlert } from "./monitoring";

/** Google's OIDC issuer: tokens of Google service accounts (the transfer service agent's identity). */
export const googleIssuer = "https://accounts.google.com";

/** Secret Manager secret holding a generated credential, encrypted with the site key, replicated in-region. */
function storeSecret(
  name: string,
  site: ReplicationSite<"gcp">,
  secretId: string,
  value: pulumi.Output<string>,
  opts: pulumi.CustomResourceOptions,
): Secret {
  const project = site.ctx.site.project;
  const keyAccess = grantKeyToServiceAgent(
    `${name}-sm-agent`,
    project,
    "secretmanager.googleapis.com",
    site.keys.cryptoKeyId,
    opts,
  );
  const secret = new Secret(
    `${name}-secret`,
    {
      project,
      secretId,
      replication: {
        userManaged: {
          replicas: [
            {
              location: site.ctx.site.region,
              customerManagedEncryption: { kmsKeyName: site.keys.cryptoKeyId },
            },
          ],
        },
      },
    },
    { ...opts, dependsOn: [keyAccess] },
  );
  new SecretVersion(`${name}-secret-version`, { secret: secret.id, secretData: pulumi.secret(value) }, opts);
  return secret;
}

function objectReader(
  _name: string,
  target: ReplicationSite<"gcp">,
  protocol: ObjectProtocol,
  call: ReplicationCall,
): ObjectReader {
  if (protocol === "gcs") throw new Error("Replication: a GCP site does not receive from Cloud Storage");
  const agent = getTransferProjectServiceAccountOutput(
    { project: target.ctx.site.project },
    { parent: call.parent, provider: target.ctx.provider },
  );
  return { kind: "oidc", issuer: googleIssuer, subject: agent.subjectId };
}

function exportObjects(
  name: string,
  source: ReplicationSite<"gcp">,
  reader: ObjectReader,
  call: ReplicationCall,
): ObjectSource {
  if (reader.kind !== "static-key") {
    throw new Error("Replication: Cloud Storage grants peers read access through HMAC keys only");
  }
  const opts: pulumi.CustomResourceOptions = { parent: call.parent, provider: source.ctx.provider };
  const project = source.ctx.site.project;
  const accountId = fitName("gcpServiceAccount", [call.environment, "xcloud-reader"]);
  const account = new Account(
    `${name}-reader`,
    {
      project,
      accountId,
      displayName: "Cross-cloud replica reader (read-only, data bucket)",
      description: "Read-only access to the site's data bucket for the secondary site's copy service",
    },
    opts,
  );
  new BucketIAMMember(
    `${name}-reader-access`,
    {
      bucket: source.storage.storeName,
      role: "roles/storage.objectViewer",
      // Known before the account exists (a computed member cannot be judged by the policy pack at preview).
      member: `serviceAccount:${accountId}@${project}.iam.gserviceaccount.com`,
    },
    { ...opts, dependsOn: [account] },
  );
  // Long-lived by nature: replaced every rotation period (create the new one, then delete the old).
  const key = new HmacKey(
    `${name}-reader-hmac`,
    { project, serviceAccountEmail: account.email, state: "ACTIVE" },
    { ...opts, replacementTrigger: rotationPeriod(new Date()), deleteBeforeReplace: false },
  );
  return {
    protocol: "gcs",
    bucket: source.storage.storeName,
    endpoint: pulumi.output("https://storage.googleapis.com"),
    region: source.ctx.site.region,
    credential: {
      kind: "key-pair",
      accessKeyId: key.accessId,
      secretAccessKey: pulumi.secret(key.secret),
    },
  };
}

function receiveObjects(
  name: string,
  target: ReplicationSite<"gcp">,
  source: ObjectSource,
  call: ReplicationCall,
): ReplicationResult {
  const opts: pulumi.CustomResourceOptions = { parent: call.parent, provider: target.ctx.provider };
  const project = target.ctx.site.project;
  const agent = getTransferProjectServiceAccountOutput({ project }, opts);
  // The transfer service agent writes into the sink bucket (objects encrypted with the bucket's default
  // CMEK by the Cloud Storage service agent, which the storage component already granted).
  const grants = ["roles/storage.legacyBucketWriter", "roles/storage.objectViewer"].map(
    (role) =>
      new BucketIAMMember(
        `${name}-sts-${role.split(".")[1]}`,
        {
          bucket: target.storage.storeName,
          role,
          member: pulumi.interpolate`serviceAccount:${agent.email}`,
        },
        opts,
      ),
  );
  let dataSource: Record<string, unknown>;
  if (source.protocol === "s3" && source.credential.kind === "web-identity-role") {
    dataSource = {
      awsS3DataSource: { bucketName: source.bucket, roleArn: source.credential.roleArn },
    };
  } else if (
    source.protocol === "azure-blob" &&
    source.account !== undefined &&
    source.credential.kind === "federated-client"
  ) {
    dataSource = {
      azureBlobStorageDataSource: {
        storageAccount: source.account,
        container: source.bucket,
        federatedIdentityConfig: {
          clientId: source.credential.clientId,
          tenantId: source.credential.tenantId,
        },
      },
    };
  } else {
    throw new Error(
      `Replication: Storage Transfer Service cannot read ${source.protocol} with a ${source.credential.kind} credential`,
    );
  }
  const job = new TransferJob(
    `${name}-transfer`,
    {
      project,
      description: `${call.environment}: ${call.peerRole} ${source.protocol} store to the ${target.ctx.role} bucket (hourly)`,
      status: "ENABLED",
      transferSpec: {
        ...dataSource,
        gcsDataSink: { bucketName: target.storage.storeName },
        transferOptions: {
          overwriteWhen: "DIFFERENT",
          // Deletions at the source are not propagated: the replica is also a recovery point.
          deleteObjectsUniqueInSink: false,
          deleteObjectsFromSourceAfterTransfer: false,
        },
      },
      schedule: {
        // A start date in the past: the first run is the day after creation, then every hour.
        scheduleStartDate: { year: 2026, month: 1, day: 1 },
        startTimeOfDay: { hours: 0, minutes: 0, seconds: 0, nanos: 0 },
        repeatInterval: "3600s",
      },
      loggingConfig: {
        logActions: ["FIND", "COPY", "DELETE"],
        logActionStates: ["SUCCEEDED", "FAILED"],
      },
    },
    { ...opts, dependsOn: grants },
  );
  new AlertPolicy(
    `${name}-transfer-failures`,
    {
      project,
      displayName: `${call.environment} ${target.ctx.role}: cross-cloud object transfer failures`,
      severity: "ERROR",
      combiner: "OR",
      enabled: true,
      conditions: [
        {
          displayName: "Storage Transfer Service action failed",
          conditionMatchedLog: {
            filter: pulumi.interpolate`resource.type="storage_transfer_job" AND jsonPayload.status.code!="OK" AND severity>=ERROR`,
          },
        },
      ],
      alertStrategy: { notificationRateLimit: { period: "3600s" }, autoClose: "86400s" },
      notificationChannels: target.monitoring.alertTargets.high,
      documentation: {
        mimeType: "text/markdown",
        content: "[high] Cross-cloud object replication failed for some objects: RPO at risk.",
      },
    },
    opts,
  );
  return {
    service: "Storage Transfer Service",
    jobId: job.name,
    logDestination: target.monitoring.logSinkId,
  };
}

function exportDatabase(name: string, source: ReplicationSite<"gcp">, call: ReplicationCall): DatabaseSource {
  const opts: pulumi.CustomResourceOptions = { parent: call.parent, provider: source.ctx.provider };
  const password = replicationPassword(`${name}-replicator-password`, call);
  // A built-in user created through the Cloud SQL Admin API (no SQL session needed); with
  // cloudsql.logical_decoding on, the replication slot and publication are created by the receiving service.
  new User(
    `${name}-replicator`,
    {
      project: source.ctx.site.project,
      instance: source.database.serverId,
      name: replicationRole,
      type: "BUILT_IN",
      // Write-only: never stored in the state or shown in a plan.
      passwordWo: password.result,
      passwordWoVersion: 1,
      deletionPolicy: "ABANDON",
    },
    opts,
  );
  // The source side of the lag (as on AWS: the receiving service may expose no lag metric of its own, e.g.
  // Azure's migration service): Cloud SQL reports the bytes each WAL sender (the peer's CDC connection
  // included) is behind as replica_byte_lag on the primary
  // (https://cloud.google.com/sql/docs/postgres/replication/replication-lag#monitor_replication_lag).
  metricAlert(
    `${name}-byte-lag-alert`,
    {
      project: source.ctx.site.project,
      subject: pulumi.interpolate`${call.environment} ${source.ctx.role} ${source.database.serverId}`,
      severity: "high",
      title: `WAL behind the cross-cloud replication above ${sourceLagAlarmBytes / 1024 ** 3} GiB`,
      filter: pulumi.interpolate`resource.type = "cloudsql_database" AND resource.labels.database_id = "${source.ctx.site.project}:${source.database.serverId}" AND metric.type = "cloudsql.googleapis.com/database/postgresql/replication/replica_byte_lag"`,
      threshold: sourceLagAlarmBytes,
      aligner: "ALIGN_MAX",
    },
    source.monitoring.alertTargets,
    opts,
  );
  return {
    flavor: "cloud-sql",
    host: source.database.host,
    port: source.database.port,
    databaseName: source.database.databaseName,
    username: replicationRole,
    password: password.result,
    addressSpace: source.ctx.site.addressSpace,
    prefixes: databasePrefixes(source.networkPlan),
  };
}

function receiveDatabase(
  name: string,
  target: ReplicationSite<"gcp">,
  source: DatabaseSource,
  call: ReplicationCall,
): ReplicationResult {
  const opts: pulumi.CustomResourceOptions = { parent: call.parent, provider: target.ctx.provider };
  const project = target.ctx.site.project;
  const location = target.ctx.site.region;
  const id = (suffix: string) => fitName("gcpName", [call.environment, call.peerRole, suffix]);
  storeSecret(`${name}-source`, target, id("pg-replicator"), source.password, opts);
  const sourceProfile = new ConnectionProfile(
    `${name}-source-profile`,
    {
      project,
      location,
      connectionProfileId: id("pg-source"),
      displayName: `${call.peerRole} PostgreSQL (${source.flavor}) over the interconnect`,
      postgresql: {
        host: source.host,
        port: source.port,
        username: source.username,
        password: source.password,
        database: source.databaseName,
        ...(source.caCertificate ? { ssl: { caCertificate: source.caCertificate } } : {}),
      },
    },
    opts,
  );
  const destinationProfile = new ConnectionProfile(
    `${name}-destination-profile`,
    {
      project,
      location,
      connectionProfileId: id("pg-destination"),
      displayName: `${target.ctx.role} Cloud SQL instance (existing)`,
      postgresql: { cloudSqlId: target.database.serverId },
    },
    opts,
  );
  const job = new MigrationJob(
    `${name}-migration`,
    {
      project,
      location,
      migrationJobId: id("pg-cdc"),
      displayName: `${call.peerRole} PostgreSQL to ${target.ctx.role} Cloud SQL (continuous)`,
      type: "CONTINUOUS",
      source: sourceProfile.name,
      destination: destinationProfile.name,
      // Private connectivity: the Cloud SQL network peers with the site's VPC, which reaches the peer's
      // data tier through the interconnect.
      vpcPeeringConnectivity: { vpc: target.network.privateAccess.networkSelfLink },
    },
    opts,
  );
  new AlertPolicy(
    `${name}-lag-alert`,
    {
      project,
      displayName: `${call.environment} ${target.ctx.role}: PostgreSQL replication lag`,
      severity: "ERROR",
      combiner: "OR",
      enabled: true,
      conditions: [
        {
          displayName: `Replication lag above ${replicationLagAlarmSeconds} s`,
          conditionThreshold: {
            // The destination is demoted to a replica of the source: Cloud SQL's replica lag measures it.
            filter: pulumi.interpolate`resource.type = "cloudsql_database" AND resource.labels.database_id = "${project}:${target.database.serverId}" AND metric.type = "cloudsql.googleapis.com/database/replication/replica_lag"`,
            comparison: "COMPARISON_GT",
            thresholdValue: replicationLagAlarmSeconds,
            duration: "300s",
            aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MAX" }],
          },
        },
      ],
      notificationChannels: target.monitoring.alertTargets.high,
      documentation: {
        mimeType: "text/markdown",
        content: "[high] Cross-cloud PostgreSQL replication is behind: RPO at risk.",
      },
    },
    opts,
  );
  return {
    service: "Database Migration Service",
    jobId: job.name,
    logDestination: target.monitoring.logSinkId,
  };
}

/** GCP halves of object and database replication. */
export const replication: ReplicationImplementation<"gcp"> = {
  objectReader,
  exportObjects,
  receiveObjects,
  exportDatabase,
  receiveDatabase,
};
