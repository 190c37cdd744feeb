import * as pulumi from "@pulumi/pulumi";
import { MetricAlarm } from "@pulumi/aws/cloudwatch/metricAlarm";
import { SecurityGroup } from "@pulumi/aws/ec2/securityGroup";
import { SecurityGroupIngressRule } from "@pulumi/aws/vpc/securityGroupIngressRule";
import { AccessPoint } from "@pulumi/aws/efs/accessPoint";
import { BackupPolicy } from "@pulumi/aws/efs/backupPolicy";
import { FileSystem } from "@pulumi/aws/efs/fileSystem";
import { FileSystemPolicy } from "@pulumi/aws/efs/fileSystemPolicy";
import { MountTarget } from "@pulumi/aws/efs/mountTarget";
import type { FileStoreBuildInputs, FileStoreOutputs } from "../../components/filestore";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import { fitName } from "../../components/naming";
import { siteAccountId } from "./keys";

/** NFS: the only port the mount targets' security group admits (from the private tier). */
export const nfsPort = 2049;

/**
 * The EFS file system policy: every request without TLS is denied (`aws:SecureTransport` false, for all
 * principals), and only IAM principals of the site's account may mount and write, through a mount
 * target: anonymous NFS clients (no IAM authorization) match no Allow and are refused. No
 * `ClientRootAccess`: root is squashed unless a role is granted it explicitly.
 * Source: https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html and
 * https://docs.aws.amazon.com/efs/latest/ug/encryption-in-transit.html (enforcing TLS with aws:SecureTransport).
 */
export function efsPolicy(fileSystemArn: string, accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyWithoutTls",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "*",
        Resource: fileSystemArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "AccountClientsThroughMountTargets",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        Resource: fileSystemArn,
        Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
      },
    ],
  });
}

/**
 * Amazon EFS:
 *
 * - encrypted at rest with the site key (`kmsKeyId`); General Purpose performance, Elastic throughput;
 *   Regional (data in every zone of the region) on every site: One Zone file systems are not offered for
 *   the shared tier;
 * - a mount target in each private-tier subnet (one per zone of the site), behind a security group of its
 *   own that admits NFS (2049/tcp) from the private tier's security group only, and nothing else;
 * - a file system policy denying requests without TLS and anonymous access (see {@link efsPolicy});
 *   clients mount with `-o tls,iam` (amazon-efs-utils);
 * - automatic daily backups by AWS Backup (BackupPolicy ENABLED, the default backup vault; the platform's
 *   own vault and plan come with the backup component);
 * - lifecycle: files unread for 30 days move to Infrequent Access, back to Standard on first access;
 * - an access point `/data` owned by the configured POSIX user and group, which every client goes through
 *   as that user;
 * - a CloudWatch alarm on PercentIOLimit above 95% (the General Purpose I/O limit) to the site's high
 *   severity targets; replication overwrite protection on.
 */
export function fileStore(
  name: string,
  ctx: SiteContext<"aws">,
  inputs: FileStoreBuildInputs<"aws">,
): FileStoreOutputs {
  const { settings, keys, network, monitoring, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const env = ctx.stack.environment;
  const label = fitName("awsName", [env, ctx.role, "files"]);

  const fileSystem = new FileSystem(
    `${name}-efs`,
    {
      creationToken: label,
      encrypted: true,
      kmsKeyId: keys.keyArn,
      performanceMode: "generalPurpose",
      throughputMode: "elastic",
      lifecyclePolicies: [
        { transitionToIa: "AFTER_30_DAYS" },
        { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" },
      ],
      protection: { replicationOverwrite: "ENABLED" },
    },
    statefulOptions(ctx, opts),
  );
  new BackupPolicy(
    `${name}-backup`,
    { fileSystemId: fileSystem.id, backupPolicy: { status: "ENABLED" } },
    opts,
  );

  const group = new SecurityGroup(
    `${name}-sg`,
    {
      vpcId: network.networkId,
      description: "EFS mount targets: NFS from the private tier only",
      revokeRulesOnDelete: true,
    },
    opts,
  );
  new SecurityGroupIngressRule(
    `${name}-sg-nfs-in`,
    {
      securityGroupId: group.id,
      description: "NFS from the private tier",
      ipProtocol: "tcp",
      fromPort: nfsPort,
      toPort: nfsPort,
      referencedSecurityGroupId: network.trafficRules.private,
    },
    opts,
  );
  const mountTargets = network.subnets.private.map(
    (subnet, i) =>
      new MountTarget(
        `${name}-mount-${i}`,
        { fileSystemId: fileSystem.id, subnetId: subnet.id, securityGroups: [group.id] },
        opts,
      ),
  );

  new FileSystemPolicy(
    `${name}-policy`,
    {
      fileSystemId: fileSystem.id,
      policy: pulumi
        .all([fileSystem.arn, siteAccountId(ctx)])
        .apply(([arn, account]) => efsPolicy(arn, account)),
      bypassPolicyLockoutSafetyCheck: false,
    },
    opts,
  );

  const accessPoint = new AccessPoint(
    `${name}-access-point`,
    {
      fileSystemId: fileSystem.id,
      posixUser: { uid: settings.uid, gid: settings.gid },
      rootDirectory: {
        path: "/data",
        creationInfo: { ownerUid: settings.uid, ownerGid: settings.gid, permissions: "0750" },
      },
    },
    opts,
  );

  if (monitoring) {
    new MetricAlarm(
      `${name}-io-limit-alarm`,
      {
        name: fitName("awsName", [label, "io-limit"]),
        alarmDescription: "[high] File system above 95% of its I/O limit for 15 minutes",
        namespace: "AWS/EFS",
        metricName: "PercentIOLimit",
        dimensions: { FileSystemId: fileSystem.id },
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 95,
        treatMissingData: "missing",
        alarmActions: monitoring.alertTargets.high,
        okActions: monitoring.alertTargets.high,
      },
      opts,
    );
    const efs = (metricName: string, stat: "Maximum" | "Sum" | "Average") => ({
      namespace: "AWS/EFS",
      metricName,
      dimensions: { FileSystemId: fileSystem.id },
      stat,
    });
    monitoring.dashboard.add(
      {
        cloud: "aws",
        section: "fileStorage",
        title: "I/O limit used",
        unit: "Percent",
        thresholds: { warning: 95 },
        metric: efs("PercentIOLimit", "Maximum"),
      },
      {
        cloud: "aws",
        section: "fileStorage",
        title: "Client connections",
        unit: "Count",
        metric: efs("ClientConnections", "Sum"),
      },
      {
        cloud: "aws",
        section: "fileStorage",
        title: "Stored bytes",
        unit: "Bytes",
        metric: efs("StorageBytes", "Average"),
      },
    );
  }

  return {
    fileSystemId: fileSystem.id,
    backupResourceId: fileSystem.arn,
    mountTarget: pulumi
      .all([fileSystem.dnsName, accessPoint.id, ...mountTargets.map((m) => m.id)])
      .apply(([dns, ap]) => `${dns}:/ (access point ${ap})`),
    nfsVersion: "4.1",
    highAvailability: true,
    // AWS Backup takes EFS file systems (the site's backup plan selects it by ARN).
    vaultedBackup: true,
  };
}
