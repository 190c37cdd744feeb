import * as pulumi from "@pulumi/pulumi";
import { Instance } from "@pulumi/gcp/filestore/instance";
import type { FileStoreBuildInputs, FileStoreOutputs } from "../../components/filestore";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import { fitName } from "../../components/naming";
import { grantKeyToServiceAgent } from "./keys";
import { metricAlert } from "./monitoring";

/** The file share's name (Filestore: up to 16 characters, a letter first, letters, digits, underscores). */
export const filestoreShareName = "data";

/** Tiers whose instances are regional (the others live in one zone). */
const regionalTiers = new Set(["REGIONAL", "ENTERPRISE"]);
/**
 * Tiers Backup and DR can back up into a backup vault ("enhanced backups": Zonal, Regional, Enterprise;
 * Basic tiers only have Filestore's standard backups, on demand, with no schedule):
 * https://cloud.google.com/filestore/docs/backups (standard and enhanced backups).
 */
export const backupDrFilestoreTiers: ReadonlySet<string> = new Set(["ZONAL", "REGIONAL", "ENTERPRISE"]);
/** Tiers that serve NFSv4.1 (Basic tiers serve NFSv3 only). */
const nfs41Tiers = new Set(["ZONAL", "REGIONAL", "ENTERPRISE"]);

/**
 * Filestore:
 *
 * - the tier from the settings (production: REGIONAL, replicated across the region's zones; otherwise by
 *   size, BASIC_HDD from 1 TiB), the capacity at least the tier's minimum (components/filestore.ts);
 * - CMEK with the site key (`kmsKeyName`, a key of the instance's region), after the Filestore service
 *   agent (`service-<project number>@cloud-filer.iam.gserviceaccount.com`) holds encrypt/decrypt on it;
 * - Private Service Access on the site's VPC when the network has it (`connectMode:
 *   PRIVATE_SERVICE_ACCESS`, the allocated range as `reservedIpRange`, created after the service
 *   networking connection), otherwise direct peering; the VPC's egress rules let only the private tier
 *   reach the NFS ports of the range;
 * - one NFS export: read-write for the private tier's ranges only, root squashed to the configured user;
 * - production: deletion protection;
 * - an alert when the share is more than 85% full.
 * Sources: https://cloud.google.com/filestore/docs/cmek, .../filestore/docs/private-service-access,
 * .../filestore/docs/nfs-export-options, .../filestore/docs/deletion-protection.
 */
export function fileStore(
  name: string,
  ctx: SiteContext<"gcp">,
  inputs: FileStoreBuildInputs<"gcp">,
): FileStoreOutputs {
  const { settings, keys, network, monitoring, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const project = ctx.site.project;
  const tier = settings.gcpTier;
  const instanceName = fitName("gcpFilestoreInstance", [ctx.stack.environment, ctx.role, "files"]);
  const regional = regionalTiers.has(tier);
  const location = regional ? ctx.site.region : (ctx.zones[0] ?? `${ctx.site.region}-a`);

  const keyAccess = grantKeyToServiceAgent(
    `${name}-filestore-agent`,
    project,
    "file.googleapis.com",
    keys.cryptoKeyId,
    opts,
  );

  const psa = network.privateAccess.serviceRangeName !== undefined;
  const connection = network.privateAccess.serviceConnectionId;
  const instance = new Instance(
    `${name}-instance`,
    {
      project,
      name: instanceName,
      location,
      tier,
      description: `${ctx.stack.environment} ${ctx.role} shared file storage`,
      protocol: nfs41Tiers.has(tier) ? "NFS_V4_1" : "NFS_V3",
      fileShares: {
        name: filestoreShareName,
        capacityGb: settings.capacityGb,
        nfsExportOptions: [
          {
            ipRanges: network.subnets.private.map((s) => s.cidr),
            accessMode: "READ_WRITE",
            squashMode: "ROOT_SQUASH",
            anonUid: settings.uid,
            anonGid: settings.gid,
          },
        ],
      },
      networks: [
        {
          // Through the service connection's id: the instance waits for the peering to exist.
          network: connection
            ? pulumi.all([network.privateAccess.networkSelfLink, connection]).apply(([selfLink]) => selfLink)
            : network.privateAccess.networkSelfLink,
          modes: ["MODE_IPV4"],
          connectMode: psa ? "PRIVATE_SERVICE_ACCESS" : "DIRECT_PEERING",
          ...(psa ? { reservedIpRange: network.privateAccess.serviceRangeName } : {}),
        },
      ],
      kmsKeyName: keys.cryptoKeyId,
      deletionProtectionEnabled: settings.deletionProtection,
      ...(settings.deletionProtection ? { deletionProtectionReason: "production shared file storage" } : {}),
    },
    statefulOptions(ctx, { ...opts, dependsOn: [keyAccess] }),
  );

  if (monitoring) {
    metricAlert(
      `${name}-capacity-alert`,
      {
        project,
        subject: instanceName,
        severity: "high",
        title: "File share more than 85% full",
        filter: pulumi.interpolate`resource.type = "filestore_instance" AND resource.labels.instance_name = "${instanceName}" AND metric.type = "file.googleapis.com/nfs/server/used_bytes_percent"`,
        threshold: 85,
        aligner: "ALIGN_MAX",
      },
      monitoring.alertTargets,
      { ...opts, dependsOn: [instance] },
    );
    // Filestore metrics: https://cloud.google.com/filestore/docs/monitoring-instances
    const nfs = (metricType: string, aligner: string) => ({
      metricType: `file.googleapis.com/nfs/server/${metricType}`,
      resourceType: "filestore_instance",
      resourceLabels: { instance_name: instanceName },
      aligner,
    });
    monitoring.dashboard.add(
      {
        cloud: "gcp",
        section: "fileStorage",
        title: "Share used",
        unit: "Percent",
        thresholds: { warning: 85 },
        metric: nfs("used_bytes_percent", "ALIGN_MAX"),
      },
      {
        cloud: "gcp",
        section: "fileStorage",
        title: "Read operations",
        unit: "Count",
        metric: nfs("read_ops_count", "ALIGN_RATE"),
      },
      {
        cloud: "gcp",
        section: "fileStorage",
        title: "Write operations",
        unit: "Count",
        metric: nfs("write_ops_count", "ALIGN_RATE"),
      },
    );
  }

  return {
    fileSystemId: instance.id,
    backupResourceId: instance.id,
    mountTarget: instance.networks.apply(
      (nets) => `${nets[0]?.ipAddresses?.[0] ?? ""}:/${filestoreShareName}`,
    ),
    nfsVersion: nfs41Tiers.has(tier) ? "4.1" : "3",
    highAvailability: regional,
    vaultedBackup: backupDrFilestoreTiers.has(tier),
  };
}
