/**
 * AWS halves of cross-cloud replication (see components/replication.ts).
 *
 * Receiving: DataSync (Enhanced mode, agentless) copies the peer's Cloud Storage bucket through its
 * S3-compatible XML API into the site's data bucket every hour; AWS DMS runs a full-load-and-CDC task from
 * the peer's PostgreSQL into the site's RDS instance on a replication instance in the data tier (not
 * public, KMS-encrypted), TLS to both endpoints, CDC latency alarmed.
 * Source: the data bucket readable by a federated Google identity through an IAM role
 * (AssumeRoleWithWebIdentity: no key), or, for services that accept only keys (Data Factory), by a
 * dedicated read-only IAM user whose access key is replaced every rotation period; a generated password
 * for the `replicator` role on RDS, kept in Secrets Manager for the one-time role bootstrap.
 */
import { databasePrefixes } from "../../components/cross-site";
import * as pulumi from "@pulumi/pulumi";
import { AccessKey } from "@pulumi/aws/iam/accessKey";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicy } from "@pulumi/aws/iam/rolePolicy";
import { RolePolicyAttachment } from "@pulumi/aws/iam/rolePolicyAttachment";
import { User } from "@pulumi/aws/iam/user";
import { UserPolicy } from "@pulumi/aws/iam/userPolicy";
import { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";
import { LogMetricFilter } from "@pulumi/aws/cloudwatch/logMetricFilter";
import { LogResourcePolicy } from "@pulumi/aws/cloudwatch/logResourcePolicy";
import { MetricAlarm } from "@pulumi/aws/cloudwatch/metricAlarm";
import { LocationObjectStorage } from "@pulumi/aws/datasync/locationObjectStorage";
import { S3Location } from "@pulumi/aws/datasync/s3location";
import { Task } from "@pulumi/aws/datasync/task";
import { Certificate } from "@pulumi/aws/dms/certificate";
import { Endpoint } from "@pulumi/aws/dms/endpoint";
import { ReplicationInstance } from "@pulumi/aws/dms/replicationInstance";
import { ReplicationSubnetGroup } from "@pulumi/aws/dms/replicationSubnetGroup";
import { ReplicationTask } from "@pulumi/aws/dms/replicationTask";
import { Secret } from "@pulumi/aws/secretsmanager/secret";
import { SecretVersion } from "@pulumi/aws/secretsmanager/secretVersion";
import { SecurityGroup } from "@pulumi/aws/ec2/securityGroup";
import { SecurityGroupEgressRule, SecurityGroupIngressRule } from "@pulumi/aws/vpc";
import { siteAccountId } from "./keys";
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
import { serviceTrustPolicy } from "./iam";

/** DMS replication instance classes: production gets a memory-optimised class, Multi-AZ. */
export const dmsInstanceClass = { production: "dms.r6i.large", other: "dms.t3.medium" } as const;

function optsOf(site: ReplicationSite<"aws">, call: ReplicationCall): pulumi.CustomResourceOptions {
  return { parent: call.parent, provider: site.ctx.provider };
}

function bucketArn(site: ReplicationSite<"aws">): pulumi.Output<string> {
  return pulumi.interpolate`arn:aws:s3:::${site.storage.storeName}`;
}

/** Read-only access to the data bucket (decrypting through S3 only). */
function readPolicy(site: ReplicationSite<"aws">): pulumi.Output<string> {
  const arn = bucketArn(site);
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ListDataBucket",
        Effect: "Allow",
        Action: ["s3:ListBucket", "s3:GetBucketLocation"],
        Resource: [arn],
      },
      {
        Sid: "ReadObjects",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: [pulumi.interpolate`${arn}/*`],
      },
      {
        Sid: "DecryptThroughS3",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [site.keys.keyArn],
        Condition: { StringEquals: { "kms:ViaService": `s3.${site.ctx.site.region}.amazonaws.com` } },
      },
    ],
  });
}

/** A Secrets Manager secret encrypted with the site key, holding `value` (a JSON document). */
function storeSecret(
  name: string,
  site: ReplicationSite<"aws">,
  secretName: pulumi.Input<string>,
  description: string,
  value: pulumi.Output<string>,
  opts: pulumi.CustomResourceOptions,
): Secret {
  const secret = new Secret(
    `${name}-secret`,
    { name: secretName, description, kmsKeyId: site.keys.keyArn, recoveryWindowInDays: 30 },
    opts,
  );
  new SecretVersion(
    `${name}-secret-version`,
    { secretId: secret.id, secretString: pulumi.secret(value) },
    opts,
  );
  return secret;
}

function objectReader(
  _name: string,
  _target: ReplicationSite<"aws">,
  protocol: ObjectProtocol,
): ObjectReader {
  if (protocol === "gcs") return { kind: "static-key" };
  throw new Error(`Replication: DataSync into AWS does not read ${protocol} stores in this program`);
}

function exportObjects(
  name: string,
  source: ReplicationSite<"aws">,
  reader: ObjectReader,
  call: ReplicationCall,
): ObjectSource {
  const opts = optsOf(source, call);
  const prefix = `${call.environment}-${source.ctx.role}`;
  const common = {
    protocol: "s3" as const,
    bucket: source.storage.storeName,
    endpoint: pulumi.output(`https://s3.${source.ctx.site.region}.amazonaws.com`),
    region: source.ctx.site.region,
  };
  if (reader.kind === "oidc") {
    // The peer's transfer service assumes this role with a token Google issues to its service agent.
    const role = new Role(
      `${name}-reader-role`,
      {
        name: fitName("iamRole", [prefix, "xcloud-reader"]),
        description:
          "Read-only access to the data bucket for the secondary site's transfer service (federated)",
        maxSessionDuration: 3600,
        assumeRolePolicy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Federated: "accounts.google.com" },
              Action: "sts:AssumeRoleWithWebIdentity",
              Condition: { StringEquals: { "accounts.google.com:sub": reader.subject } },
            },
          ],
        }),
      },
      opts,
    );
    new RolePolicy(
      `${name}-reader-policy`,
      { name: fitName("iamRole", [prefix, "xcloud-reader"]), role: role.id, policy: readPolicy(source) },
      opts,
    );
    return { ...common, credential: { kind: "web-identity-role", roleArn: role.arn } };
  }
  // Static key: the receiving service (Data Factory's S3 connector) accepts only an access key pair.
  const user = new User(
    `${name}-reader`,
    { name: fitName("awsName", [prefix, "xcloud-reader"]), path: "/replication/", forceDestroy: true },
    opts,
  );
  new UserPolicy(
    `${name}-reader-policy`,
    { name: fitName("iamRole", [prefix, "xcloud-reader"]), user: user.name, policy: readPolicy(source) },
    opts,
  );
  const key = new AccessKey(
    `${name}-reader-key`,
    { user: user.name, status: "Active" },
    { ...opts, replacementTrigger: rotationPeriod(new Date()), deleteBeforeReplace: false },
  );
  return {
    ...common,
    credential: { kind: "key-pair", accessKeyId: key.id, secretAccessKey: pulumi.secret(key.secret) },
  };
}

function receiveObjects(
  name: string,
  target: ReplicationSite<"aws">,
  source: ObjectSource,
  call: ReplicationCall,
): ReplicationResult {
  if (source.protocol !== "gcs" || source.credential.kind !== "key-pair") {
    throw new Error(
      `Replication: DataSync cannot read ${source.protocol} with a ${source.credential.kind} credential`,
    );
  }
  const opts = optsOf(target, call);
  const prefix = `${call.environment}-${target.ctx.role}`;
  const accountId = siteAccountId(target.ctx, opts);
  const region = target.ctx.site.region;
  const credential = source.credential;
  storeSecret(
    `${name}-hmac`,
    target,
    pulumi.interpolate`${fitName("awsName", [prefix])}/replication/source-object-store/${target.ctx.uniqueSuffix}`,
    "HMAC key of the primary site's Cloud Storage reader (used by DataSync); replaced every rotation period",
    pulumi.jsonStringify({
      accessKeyId: credential.accessKeyId,
      secretAccessKey: credential.secretAccessKey,
    }),
    opts,
  );
  const sourceLocation = new LocationObjectStorage(
    `${name}-source`,
    {
      serverHostname: source.endpoint.apply((e) => e.replace(/^https:\/\//, "").replace(/\/.*$/, "")),
      serverProtocol: "HTTPS",
      serverPort: 443,
      bucketName: source.bucket,
      subdirectory: "/",
      accessKey: credential.accessKeyId,
      secretKey: credential.secretAccessKey,
    },
    opts,
  );
  const role = new Role(
    `${name}-datasync-role`,
    {
      name: fitName("iamRole", [prefix, "datasync-bucket"]),
      description: "DataSync writes replicated objects into the site's data bucket",
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "datasync.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: {
              StringEquals: { "aws:SourceAccount": accountId },
              ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:aws:datasync:${region}:${accountId}:*` },
            },
          },
        ],
      }),
    },
    opts,
  );
  const arn = bucketArn(target);
  const rolePolicy = new RolePolicy(
    `${name}-datasync-policy`,
    {
      name: fitName("iamRole", [prefix, "datasync-bucket"]),
      role: role.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
            Resource: [arn],
          },
          {
            Effect: "Allow",
            Action: [
              "s3:AbortMultipartUpload",
              "s3:DeleteObject",
              "s3:GetObject",
              "s3:GetObjectTagging",
              "s3:ListMultipartUploadParts",
              "s3:PutObject",
              "s3:PutObjectTagging",
            ],
            Resource: [pulumi.interpolate`${arn}/*`],
          },
          {
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
            Resource: [target.keys.keyArn],
            Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
          },
        ],
      }),
    },
    opts,
  );
  const destination = new S3Location(
    `${name}-destination`,
    {
      s3BucketArn: arn,
      subdirectory: "/",
      s3StorageClass: "STANDARD",
      s3Config: { bucketAccessRoleArn: role.arn },
    },
    { ...opts, dependsOn: [rolePolicy] },
  );
  // Enhanced mode tasks always log to `/aws/datasync` (one group per account and region): created here
  // first with the site key and retention (https://docs.aws.amazon.com/datasync/latest/userguide/configure-logging.html).
  const logGroup = new LogGroup(
    `${name}-datasync-logs`,
    {
      name: "/aws/datasync",
      kmsKeyId: target.keys.keyArn,
      retentionInDays: target.monitoring.logRetentionDays,
    },
    opts,
  );
  // DataSync writes task logs only where a resource policy lets datasync.amazonaws.com do so.
  const logPolicy = new LogResourcePolicy(
    `${name}-datasync-log-policy`,
    {
      policyName: fitName("awsName", [prefix, "datasync-replication"]),
      policyDocument: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "datasync.amazonaws.com" },
            Action: ["logs:PutLogEvents", "logs:CreateLogStream"],
            Resource: pulumi.interpolate`${logGroup.arn}:*`,
            Condition: {
              StringEquals: { "aws:SourceAccount": accountId },
              ArnLike: {
                "aws:SourceArn": pulumi.interpolate`arn:aws:datasync:${region}:${accountId}:task/*`,
              },
            },
          },
        ],
      }),
    },
    opts,
  );
  const task = new Task(
    `${name}-task`,
    {
      name: fitName("awsName", [prefix, "object-replication"]),
      sourceLocationArn: sourceLocation.arn,
      destinationLocationArn: destination.arn,
      cloudwatchLogGroupArn: logGroup.arn,
      taskMode: "ENHANCED",
      schedule: { scheduleExpression: "rate(1 hour)" },
      options: {
        logLevel: "TRANSFER",
        verifyMode: "ONLY_FILES_TRANSFERRED",
        transferMode: "CHANGED",
        overwriteMode: "ALWAYS",
        // Deletions at the source are not propagated: the replica is also a recovery point.
        preserveDeletedFiles: "PRESERVE",
        // Cloud Storage's XML API has no object tags: copying them must be off.
        objectTags: "NONE",
        posixPermissions: "NONE",
        uid: "NONE",
        gid: "NONE",
        atime: "NONE",
        mtime: "NONE",
        taskQueueing: "ENABLED",
      },
    },
    { ...opts, dependsOn: [logPolicy] },
  );
  const metricName = `${target.ctx.role}-replication-errors`;
  const namespace = `Platform/${call.environment}`;
  new LogMetricFilter(
    `${name}-errors`,
    {
      name: fitName("awsName", [prefix, "datasync-errors"]),
      logGroupName: logGroup.name,
      pattern: "?ERROR ?Error ?error",
      metricTransformation: { name: metricName, namespace, value: "1", defaultValue: "0" },
    },
    opts,
  );
  new MetricAlarm(
    `${name}-errors-alarm`,
    {
      name: fitName("awsName", [prefix, "object-replication-errors"]),
      alarmDescription: "[high] Cross-cloud object replication (DataSync) logged errors: RPO at risk",
      namespace,
      metricName,
      statistic: "Sum",
      period: 3600,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: target.monitoring.alertTargets.high,
      okActions: target.monitoring.alertTargets.high,
    },
    opts,
  );
  return { service: "AWS DataSync", jobId: task.arn, logDestination: logGroup.arn };
}

function exportDatabase(name: string, source: ReplicationSite<"aws">, call: ReplicationCall): DatabaseSource {
  const opts = optsOf(source, call);
  const password = replicationPassword(`${name}-replicator-password`, call);
  // RDS has no API for database roles: the bootstrap (runbook) reads this secret and runs
  // CREATE ROLE replicator WITH LOGIN PASSWORD ...; GRANT rds_replication TO replicator; GRANT SELECT ...
  storeSecret(
    `${name}-replicator`,
    source,
    pulumi.interpolate`${fitName("awsName", [call.environment, source.ctx.role])}/replication/postgres-replicator/${source.ctx.uniqueSuffix}`,
    "Password of the PostgreSQL replication role (replicator) the secondary site's CDC service uses",
    pulumi.jsonStringify({ username: replicationRole, password: password.result }),
    opts,
  );
  // The source side of the lag: WAL retained for the replication slot (the receiving service may expose no
  // lag metric of its own, e.g. Azure's migration service). 1 GiB behind is about minutes of heavy writes.
  new MetricAlarm(
    `${name}-slot-lag-alarm`,
    {
      name: fitName("awsName", [call.environment, source.ctx.role, "pg-replication-slot-lag"]),
      alarmDescription:
        "[high] WAL retained for the cross-cloud replication slot above 1 GiB: replica falling behind",
      namespace: "AWS/RDS",
      metricName: "OldestReplicationSlotLag",
      dimensions: {
        DBInstanceIdentifier: source.database.serverId.apply((arn) => arn.split(":").pop() ?? arn),
      },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      threshold: sourceLagAlarmBytes,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "missing",
      alarmActions: source.monitoring.alertTargets.high,
      okActions: source.monitoring.alertTargets.high,
    },
    opts,
  );
  return {
    flavor: "rds",
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
  target: ReplicationSite<"aws">,
  source: DatabaseSource,
  call: ReplicationCall,
): ReplicationResult {
  const opts = optsOf(target, call);
  const prefix = `${call.environment}-${target.ctx.role}`;
  const production = target.ctx.production;
  const port = target.database.port;
  // DMS identifiers (instance, subnet group, endpoints, certificate, task): letter first, letters, digits
  // and hyphens, no `--`, no trailing hyphen (the RDS identifier rules).
  const dmsId = (purpose: string) => fitName("rdsIdentifier", [prefix, purpose]);
  const instanceId = dmsId("pg-cdc");

  // DMS manages its network interfaces through this fixed-name service role (one per account).
  const vpcRole = new Role(
    `${name}-dms-vpc-role`,
    {
      name: "dms-vpc-role",
      description: "AWS DMS manages the replication instance's network interfaces",
      assumeRolePolicy: serviceTrustPolicy("dms.amazonaws.com"),
    },
    opts,
  );
  const vpcRoleAttachment = new RolePolicyAttachment(
    `${name}-dms-vpc-role-policy`,
    { role: vpcRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole" },
    opts,
  );
  // Task logs reach CloudWatch Logs through this fixed-name service role (one per account).
  const logsRole = new Role(
    `${name}-dms-logs-role`,
    {
      name: "dms-cloudwatch-logs-role",
      description: "AWS DMS writes replication task logs to CloudWatch Logs",
      assumeRolePolicy: serviceTrustPolicy("dms.amazonaws.com"),
    },
    opts,
  );
  const logsRoleAttachment = new RolePolicyAttachment(
    `${name}-dms-logs-role-policy`,
    { role: logsRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonDMSCloudWatchLogsRole" },
    opts,
  );
  const subnets = new ReplicationSubnetGroup(
    `${name}-subnets`,
    {
      replicationSubnetGroupId: dmsId("dms-data"),
      replicationSubnetGroupDescription: "DMS replication instance: the data tier",
      subnetIds: target.network.subnets.data.map((s) => s.id),
    },
    { ...opts, dependsOn: [vpcRoleAttachment] },
  );
  const sg = new SecurityGroup(
    `${name}-sg`,
    {
      vpcId: target.network.networkId,
      description: "DMS replication instance: PostgreSQL to the peer site and the local database only",
      revokeRulesOnDelete: true,
    },
    opts,
  );
  // PostgreSQL on the peer's database blocks only (what the peer's network admits across sites).
  source.prefixes.forEach((prefix, i) => {
    new SecurityGroupEgressRule(
      i === 0 ? `${name}-sg-out-peer` : `${name}-sg-out-peer-${i}`,
      {
        securityGroupId: sg.id,
        description: `PostgreSQL on the peer site's database block ${prefix} (through the interconnect)`,
        ipProtocol: "tcp",
        fromPort: source.port,
        toPort: source.port,
        cidrIpv4: prefix,
      },
      opts,
    );
  });
  new SecurityGroupEgressRule(
    `${name}-sg-out-target`,
    {
      securityGroupId: sg.id,
      description: "PostgreSQL on this site's database",
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: target.network.trafficRules.data,
    },
    opts,
  );
  new SecurityGroupEgressRule(
    `${name}-sg-out-endpoints`,
    {
      securityGroupId: sg.id,
      description: "HTTPS to the VPC's interface endpoints (Secrets Manager, KMS, CloudWatch Logs)",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: target.ctx.site.addressSpace,
    },
    opts,
  );
  new SecurityGroupIngressRule(
    `${name}-sg-into-database`,
    {
      securityGroupId: target.network.trafficRules.data,
      description: "PostgreSQL from the DMS replication instance",
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: sg.id,
    },
    opts,
  );
  // DMS writes task logs to `dms-tasks-<instance id>`; created here first with the site key and the site's
  // retention instead of DMS's unencrypted, never-expiring default (as the database does for RDS logs).
  const taskLogs = new LogGroup(
    `${name}-task-logs`,
    {
      name: `dms-tasks-${instanceId}`,
      kmsKeyId: target.keys.keyArn,
      retentionInDays: target.monitoring.logRetentionDays,
    },
    opts,
  );
  const instance = new ReplicationInstance(
    `${name}-instance`,
    {
      replicationInstanceId: instanceId,
      replicationInstanceClass: production ? dmsInstanceClass.production : dmsInstanceClass.other,
      allocatedStorage: 100,
      multiAz: production,
      publiclyAccessible: false,
      kmsKeyArn: target.keys.keyArn,
      replicationSubnetGroupId: subnets.replicationSubnetGroupId,
      vpcSecurityGroupIds: [sg.id],
      networkType: "IPV4",
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      applyImmediately: false,
      preferredMaintenanceWindow: "sun:05:30-sun:06:30",
    },
    // DMS creates the instance's network interfaces as dms-vpc-role: its policy must be in effect first.
    { ...opts, dependsOn: [vpcRoleAttachment] },
  );
  // The peer server's CA: verify-full where the peer's CA is public, encryption only otherwise.
  let tls: { sslMode: string; certificateArn?: pulumi.Output<string> } = { sslMode: "require" };
  if (source.caCertificate) {
    const ca = new Certificate(
      `${name}-source-ca`,
      { certificateId: dmsId("peer-pg-ca"), certificatePem: source.caCertificate },
      opts,
    );
    tls = { sslMode: "verify-full", certificateArn: ca.certificateArn };
  }
  const sourceEndpoint = new Endpoint(
    `${name}-source`,
    {
      endpointId: dmsId("peer-pg"),
      endpointType: "source",
      engineName: "postgres",
      serverName: source.host,
      port: source.port,
      databaseName: source.databaseName,
      username: source.username,
      password: source.password,
      kmsKeyArn: target.keys.keyArn,
      ...tls,
      postgresSettings: {
        heartbeatEnable: true,
        heartbeatFrequency: 5,
        captureDdls: false,
        pluginName: "pglogical",
      },
    },
    opts,
  );
  // The target's master credential: RDS keeps it in Secrets Manager; DMS reads it through this role.
  const secretsRole = new Role(
    `${name}-secrets-role`,
    {
      name: fitName("iamRole", [prefix, "dms-secrets"]),
      description: "DMS reads the RDS master secret of the target endpoint",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: `dms.${target.ctx.site.region}.amazonaws.com` },
            Action: "sts:AssumeRole",
          },
        ],
      }),
    },
    opts,
  );
  const secretsPolicy = new RolePolicy(
    `${name}-secrets-policy`,
    {
      name: fitName("iamRole", [prefix, "dms-secrets"]),
      role: secretsRole.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            Resource: [target.database.adminCredentialRef],
          },
          { Effect: "Allow", Action: ["kms:Decrypt"], Resource: [target.keys.keyArn] },
        ],
      }),
    },
    opts,
  );
  const targetEndpoint = new Endpoint(
    `${name}-target`,
    {
      endpointId: dmsId("local-pg"),
      endpointType: "target",
      engineName: "postgres",
      databaseName: target.database.databaseName,
      secretsManagerArn: target.database.adminCredentialRef,
      secretsManagerAccessRoleArn: secretsRole.arn,
      kmsKeyArn: target.keys.keyArn,
      sslMode: "require",
    },
    { ...opts, dependsOn: [secretsPolicy] },
  );
  const taskId = instanceId;
  const task = new ReplicationTask(
    `${name}-task`,
    {
      replicationTaskId: taskId,
      // The ARN suffix and the CloudWatch dimension ReplicationTaskIdentifier (instead of a random id).
      resourceIdentifier: taskId,
      migrationType: "full-load-and-cdc",
      replicationInstanceArn: instance.replicationInstanceArn,
      sourceEndpointArn: sourceEndpoint.endpointArn,
      targetEndpointArn: targetEndpoint.endpointArn,
      startReplicationTask: true,
      tableMappings: JSON.stringify({
        rules: [
          {
            "rule-type": "selection",
            "rule-id": "1",
            "rule-name": "all-user-schemas",
            "object-locator": { "schema-name": "%", "table-name": "%" },
            "rule-action": "include",
          },
          {
            "rule-type": "selection",
            "rule-id": "2",
            "rule-name": "no-system-schemas",
            "object-locator": { "schema-name": "pg_%", "table-name": "%" },
            "rule-action": "exclude",
          },
        ],
      }),
      replicationTaskSettings: JSON.stringify({
        TargetMetadata: { SupportLobs: true, LimitedSizeLobMode: true, LobMaxSize: 32 },
        FullLoadSettings: { TargetTablePrepMode: "DO_NOTHING" },
        Logging: {
          EnableLogging: true,
          LogComponents: [
            { Id: "SOURCE_CAPTURE", Severity: "LOGGER_SEVERITY_DEFAULT" },
            { Id: "TARGET_APPLY", Severity: "LOGGER_SEVERITY_DEFAULT" },
          ],
        },
        ValidationSettings: { EnableValidation: true, ValidationMode: "ROW_LEVEL" },
      }),
    },
    { ...opts, dependsOn: [logsRoleAttachment, taskLogs] },
  );
  new MetricAlarm(
    `${name}-lag-alarm`,
    {
      name: fitName("awsName", [prefix, "pg-replication-lag"]),
      alarmDescription: `[high] Cross-cloud PostgreSQL replication (DMS CDC) more than ${replicationLagAlarmSeconds} s behind: RPO at risk`,
      namespace: "AWS/DMS",
      metricName: "CDCLatencyTarget",
      dimensions: {
        ReplicationInstanceIdentifier: instance.replicationInstanceId,
        ReplicationTaskIdentifier: taskId,
      },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 5,
      threshold: replicationLagAlarmSeconds,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "breaching",
      alarmActions: target.monitoring.alertTargets.high,
      okActions: target.monitoring.alertTargets.high,
    },
    opts,
  );
  return { service: "AWS DMS", jobId: task.replicationTaskArn, logDestination: taskLogs.arn };
}

/** AWS halves of object and database replication. */
export const replication: ReplicationImplementation<"aws"> = {
  objectReader,
  exportObjects,
  receiveObjects,
  exportDatabase,
  receiveDatabase,
};
