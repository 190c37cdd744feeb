import * as pulumi from "@pulumi/pulumi";
import { Bucket } from "@pulumi/gcp/storage/bucket";
import { getProjectServiceAccountOutput } from "@pulumi/gcp/storage/getProjectServiceAccount";
import { CryptoKeyIAMMember } from "@pulumi/gcp/kms/cryptoKeyIAMMember";
import { IAMAuditConfig } from "@pulumi/gcp/projects/iamauditConfig";
import { keyRingAndKey } from "./keys";
import { uniqueName } from "../../components/naming";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import { regionInfo } from "../../components/regions";
import type { StorageBuildInputs, StorageOutputs } from "../../components/storage";

const secondsPerDay = 86_400;

/**
 * The multi-region a region belongs to, for geo-redundant buckets: its bucket location and the
 * matching Cloud KMS location (a CMEK must live where the bucket lives). Regions outside the US and EU
 * multi-regions (London, Montréal, São Paulo, Querétaro...) have none: their buckets stay regional.
 */
export function multiRegionOf(region: string): { bucketLocation: string; kmsLocation: string } | undefined {
  const geography = regionInfo("gcp", region)?.geography;
  if (geography === "us") return { bucketLocation: "US", kmsLocation: "us" };
  if (geography === "eu") return { bucketLocation: "EU", kmsLocation: "europe" };
  return undefined;
}

/**
 * The site's Cloud Storage bucket: CMEK with the site key (or, for a multi-region bucket, a key of the
 * same rotation and protection level in the multi-region's KMS location), uniform bucket-level access,
 * public access prevention enforced, soft delete, lifecycle (NEARLINE, then ARCHIVE; noncurrent versions
 * deleted), and data-access audit logs for Cloud Storage (the recommended replacement for legacy usage
 * logs) so every read and write is logged.
 *
 * Production: the bucket lives in the region's multi-region (US or EU: geo-redundant, same data
 * residency) and has a locked retention policy (Bucket Lock: immutable, irreversible). Cloud Storage does
 * not allow a retention policy and Object Versioning on the same bucket, so the production bucket
 * relies on the locked retention plus soft delete for recovery, and other stacks on versioning.
 */
export function storage(
  name: string,
  ctx: SiteContext<"gcp">,
  inputs: StorageBuildInputs<"gcp">,
): StorageOutputs {
  const { settings, keys, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const project = ctx.site.project;
  const immutable = settings.immutableDays > 0;
  const multiRegion = settings.geoRedundant ? multiRegionOf(ctx.site.region) : undefined;

  let cryptoKeyId = keys.cryptoKeyId;
  if (multiRegion) {
    const { key } = keyRingAndKey(
      name,
      {
        ringName: `${ctx.stack.environment}-${ctx.role}-storage`,
        keyName: `${ctx.role}-storage-key`,
        location: multiRegion.kmsLocation,
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
      location: multiRegion?.bucketLocation ?? ctx.site.region.toUpperCase(),
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

  return {
    storeId: bucket.id,
    storeName: bucket.name,
    endpoint: pulumi.interpolate`https://storage.googleapis.com/${bucket.name}`,
    accessLogDestination: pulumi.interpolate`projects/${audit.project}/logs/cloudaudit.googleapis.com%2Fdata_access`,
    immutable,
    geoRedundant: multiRegion !== undefined,
  };
}
