import * as pulumi from "@pulumi/pulumi";
import { Bucket } from "@pulumi/gcp/storage/bucket";
import { getProjectServiceAccountOutput } from "@pulumi/gcp/storage/getProjectServiceAccount";
import { CryptoKeyIAMMember } from "@pulumi/gcp/kms/cryptoKeyIAMMember";
import { IAMAuditConfig } from "@pulumi/gcp/projects/iamauditConfig";
import { keyRingAndKey } from "./keys";
import { fitName, uniqueName } from "../../components/naming";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import { dualRegionOf } from "../../components/regions";
export { dualRegionContinents, dualRegionOf, type DualRegion } from "../../components/regions";
import type { StorageBuildInputs, StorageBuildOutputs } from "../../components/storage";

const secondsPerDay = 86_400;

/**
 * The site's Cloud Storage bucket: CMEK with the site key (or, for a dual-region bucket, a key of the
 * same rotation and protection level in the dual-region's KMS location), uniform bucket-level access,
 * public access prevention enforced, soft delete, lifecycle (NEARLINE, then ARCHIVE; noncurrent versions
 * deleted), and data-access audit logs for Cloud Storage (the recommended replacement for legacy usage
 * logs) so every read and write is logged.
 *
 * Geo-redundant (production by default): a configurable dual-region of the site's region and its
 * replica region (`ctx.replicaRegion`, same jurisdiction unless the stack says otherwise), where Cloud
 * Storage can pair them (see `dualRegionOf`); the data never leaves those two regions, unlike a
 * multi-region. Where no such pair exists (Montréal/Toronto, Querétaro, São Paulo, Santiago, London) the
 * bucket stays regional and the component reports `geoRedundant: false`: the documented alternative is
 * a second bucket in the replica region fed by Storage Transfer Service event-driven transfers, not built
 * here.
 *
 * Immutable (production): a locked retention policy (Bucket Lock: irreversible). Cloud Storage does not
 * allow a retention policy and Object Versioning on the same bucket, so the production bucket relies on
 * the locked retention plus soft delete for recovery, and other stacks on versioning.
 *
 * The dual-region key ring and key cannot be deleted (Cloud KMS), so the ring name carries the site's
 * random suffix: a re-created stack gets a new one.
 */
export function storage(
  name: string,
  ctx: SiteContext<"gcp">,
  inputs: StorageBuildInputs<"gcp">,
): StorageBuildOutputs<"gcp"> {
  const { settings, keys, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const project = ctx.site.project;
  const immutable = settings.immutableDays > 0;
  const dual = settings.geoRedundant ? dualRegionOf(ctx.site.region, ctx.replicaRegion) : undefined;

  let cryptoKeyId = keys.cryptoKeyId;
  if (dual) {
    const { key } = keyRingAndKey(
      name,
      {
        ringName: uniqueName("gcpKms", [ctx.stack.environment, ctx.role, "storage"], ctx.uniqueSuffix),
        keyName: fitName("gcpKms", [ctx.role, "storage-key"]),
        location: dual.kmsLocation,
        project,
        production: ctx.production,
      },
      opts,
    );
    cryptoKeyId = key.id;
  }

  // The Cloud Storage service agent encrypts and decrypts objects with the key.
  const agent = getProjectServiceAccountOutput({ project }, opts);
  const keyAccess = new CryptoKeyIAMMember(
    `${name}-agent-key-access`,
    {
      cryptoKeyId,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: pulumi.interpolate`serviceAccount:${agent.emailAddress}`,
    },
    opts,
  );

  const bucket = new Bucket(
    `${name}-bucket`,
    {
      name: uniqueName("gcsBucket", [ctx.stack.environment, ctx.role, "data"], ctx.uniqueSuffix),
      project,
      location: dual?.bucketLocation ?? ctx.site.region.toUpperCase(),
      ...(dual ? { customPlacementConfig: { dataLocations: [...dual.dataLocations] } } : {}),
      storageClass: "STANDARD",
      forceDestroy: false,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      encryption: { defaultKmsKeyName: cryptoKeyId },
      versioning: { enabled: !immutable },
      softDeletePolicy: { retentionDurationSeconds: settings.softDeleteDays * secondsPerDay },
      ...(immutable
        ? {
            retentionPolicy: {
              retentionPeriod: String(settings.immutableDays * secondsPerDay),
              isLocked: true,
            },
          }
        : {}),
      lifecycleRules: [
        {
          action: { type: "SetStorageClass", storageClass: "NEARLINE" },
          condition: { age: settings.coolAfterDays, matchesStorageClasses: ["STANDARD"], withState: "LIVE" },
        },
        {
          action: { type: "SetStorageClass", storageClass: "ARCHIVE" },
          condition: {
            age: settings.archiveAfterDays,
            matchesStorageClasses: ["NEARLINE"],
            withState: "LIVE",
          },
        },
        {
          action: { type: "Delete" },
          condition: { daysSinceNoncurrentTime: settings.noncurrentVersionDays, withState: "ARCHIVED" },
        },
        { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 7 } },
      ],
    },
    statefulOptions(ctx, { ...opts, dependsOn: [keyAccess] }),
  );

  const audit = new IAMAuditConfig(
    `${name}-data-access-logs`,
    {
      project,
      service: "storage.googleapis.com",
      auditLogConfigs: [{ logType: "ADMIN_READ" }, { logType: "DATA_READ" }, { logType: "DATA_WRITE" }],
    },
    opts,
  );

  // Cloud Storage metrics: https://cloud.google.com/monitoring/api/metrics_gcp_p_z#gcp-storage
  const gcs = (metricType: string, aligner: string) => ({
    metricType: `storage.googleapis.com/${metricType}`,
    resourceType: "gcs_bucket",
    resourceLabels: { bucket_name: bucket.name },
    aligner,
  });
  inputs.monitoring?.dashboard.add(
    {
      cloud: "gcp",
      section: "storage",
      title: "Data bucket size",
      unit: "Bytes",
      metric: gcs("storage/total_bytes", "ALIGN_MEAN"),
    },
    {
      cloud: "gcp",
      section: "storage",
      title: "Data bucket objects",
      unit: "Count",
      metric: gcs("storage/object_count", "ALIGN_MEAN"),
    },
    {
      cloud: "gcp",
      section: "storage",
      title: "Requests",
      unit: "Count",
      metric: gcs("api/request_count", "ALIGN_RATE"),
    },
  );
  return {
    storeId: bucket.id,
    storeName: bucket.name,
    endpoint: pulumi.interpolate`https://storage.googleapis.com/${bucket.name}`,
    accessLogDestination: pulumi.interpolate`projects/${audit.project}/logs/cloudaudit.googleapis.com%2Fdata_access`,
    immutable,
    geoRedundant: dual !== undefined,
    origin: { bucketName: bucket.name },
  };
}
