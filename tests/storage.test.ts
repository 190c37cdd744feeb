import { strict as assert } from "node:assert";
import { resolveStorageSettings, StorageArgsError } from "../components/storage";
import type { Plan } from "../tools/harness";
import { dualRegionOf } from "../providers/gcp/storage";
import { componentQueries, planOf } from "./helpers";

const { under, countsOf, one } = componentQueries("storage");

/** Custom resources of `type` created under the Storage component of the site `role`. */

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => v as Json;

describe("storage settings", () => {
  it("defaults: WORM 30 days and geo-redundancy in production, neither elsewhere", () => {
    const prod = resolveStorageSettings({}, true);
    assert.equal(prod.immutableDays, 30);
    assert.equal(prod.geoRedundant, true);
    assert.equal(prod.accessLogDays, 365);
    const dev = resolveStorageSettings({}, false);
    assert.equal(dev.immutableDays, 0);
    assert.equal(dev.geoRedundant, false);
    assert.equal(dev.accessLogDays, 90);
  });

  it("rejects invalid combinations with a message naming the arguments", () => {
    assert.throws(
      () => resolveStorageSettings({ coolAfterDays: 60, archiveAfterDays: 90 }, false),
      (e: unknown) =>
        e instanceof StorageArgsError && /archiveAfterDays \(90\).*coolAfterDays \(60\)/.test(e.message),
    );
    assert.throws(
      () => resolveStorageSettings({ immutableDays: 120, noncurrentVersionDays: 90 }, false),
      /noncurrentVersionDays \(90\) must be at least immutableDays \(120\)/,
    );
    assert.throws(() => resolveStorageSettings({ accessLogDays: 90 }, true), /at least 365 in production/);
    assert.throws(() => resolveStorageSettings({ softDeleteDays: 1.5 }, false), /softDeleteDays/);
  });
});

describe("storage on AWS (S3)", () => {
  let dev: Plan;
  let prod: Plan;
  before(async () => {
    dev = await planOf("dev"); // AWS is the secondary site
    prod = await planOf("prod"); // AWS is the primary site
  });

  it("creates the data and access-log buckets with every S3 control, Object Lock only in production", () => {
    const base = {
      "aws:s3/bucket:Bucket": 2,
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 2,
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 2,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 2,
      "aws:s3/bucketVersioning:BucketVersioning": 2,
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 2,
      "aws:s3/bucketPolicy:BucketPolicy": 2,
      "aws:s3/bucketLogging:BucketLogging": 1,
    };
    assert.deepEqual(countsOf(dev, "secondary"), base);
    // Production: the same set again in the replica region (Object Lock on both data buckets), its own
    // provider and key, and the replication role, policy and rule.
    const double = Object.fromEntries(Object.entries(base).map(([type, n]) => [type, 2 * n]));
    assert.deepEqual(countsOf(prod, "primary"), {
      ...double,
      "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": 2,
      "pulumi:providers:aws": 1,
      "aws:kms/key:Key": 1,
      "aws:kms/alias:Alias": 1,
      "aws:iam/role:Role": 1,
      "aws:iam/rolePolicy:RolePolicy": 1,
      "aws:s3/bucketReplicationConfig:BucketReplicationConfig": 1,
    });
  });

  it("replicates the production data bucket to the paired region with its own key and a least-privilege role", () => {
    const replicaProvider = one(prod, "primary", "pulumi:providers:aws", "primary-storage-replica");
    assert.equal(replicaProvider.inputs.region, "us-west-2");
    const replicaKey = one(prod, "primary", "aws:kms/key:Key", "primary-storage-replica-key");
    assert.equal(replicaKey.inputs.enableKeyRotation, true);
    assert.match(replicaKey.provider, /::primary-storage-replica::/);
    const source = one(prod, "primary", "aws:s3/bucket:Bucket", "primary-storage-bucket");
    const replica = one(prod, "primary", "aws:s3/bucket:Bucket", "primary-storage-replica-bucket");
    assert.equal(replica.inputs.objectLockEnabled, true);
    const rule = one(
      prod,
      "primary",
      "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
      "primary-storage-replication-config",
    );
    assert.equal(rule.inputs.bucket, source.id);
    const [r] = rule.inputs.rules as Json[];
    assert.deepEqual(obj(r!.destination).bucket, replica.outputs.arn);
    assert.deepEqual(
      obj(obj(r!.destination).encryptionConfiguration).replicaKmsKeyId,
      replicaKey.outputs.arn,
    );
    assert.deepEqual(r!.deleteMarkerReplication, { status: "Enabled" });
    const policy = JSON.parse(
      String(
        one(prod, "primary", "aws:iam/rolePolicy:RolePolicy", "primary-storage-replication-policy").inputs
          .policy,
      ),
    ) as { Statement: Json[] };
    assert.ok(
      policy.Statement.every((st) => !String(st.Action).includes("*")),
      "no wildcard actions",
    );
    assert.equal(under(dev, "secondary", "aws:s3/bucketReplicationConfig:BucketReplicationConfig").length, 0);
  });

  it("encrypts the data bucket with the site KMS key and blocks all public access", () => {
    for (const [plan, role] of [
      [dev, "secondary"],
      [prod, "primary"],
    ] as const) {
      const keyArn = plan.resources.find((r) => r.name === `${role}-keys-key`)!.outputs.arn;
      const sse = one(
        plan,
        role,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        `${role}-storage-bucket-encryption`,
      );
      const rule = obj((sse.inputs.rules as Json[])[0]);
      assert.deepEqual(rule.applyServerSideEncryptionByDefault, {
        sseAlgorithm: "aws:kms",
        kmsMasterKeyId: keyArn,
      });
      for (const pab of under(plan, role, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")) {
        for (const flag of [
          "blockPublicAcls",
          "blockPublicPolicy",
          "ignorePublicAcls",
          "restrictPublicBuckets",
        ]) {
          assert.equal(pab.inputs[flag], true, `${pab.name}.${flag}`);
        }
      }
      for (const own of under(plan, role, "aws:s3/bucketOwnershipControls:BucketOwnershipControls")) {
        assert.deepEqual(own.inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
      }
    }
  });

  it("denies non-TLS and pre-1.2 TLS requests on both buckets", () => {
    for (const policy of under(prod, "primary", "aws:s3/bucketPolicy:BucketPolicy")) {
      const doc = JSON.parse(policy.inputs.policy as string) as { Statement: Json[] };
      const insecure = doc.Statement.find((s) => s.Sid === "DenyInsecureTransport");
      assert.ok(insecure, `${policy.name} has no DenyInsecureTransport`);
      assert.equal(insecure.Effect, "Deny");
      assert.deepEqual(insecure.Condition, { Bool: { "aws:SecureTransport": "false" } });
      const tls = doc.Statement.find((s) => s.Sid === "DenyOutdatedTls");
      assert.deepEqual(tls?.Condition, { NumericLessThan: { "s3:TlsVersion": "1.2" } });
    }
  });

  it("versions, tiers to Glacier, expires noncurrent versions and logs access to the log bucket", () => {
    const versioning = one(
      prod,
      "primary",
      "aws:s3/bucketVersioning:BucketVersioning",
      "primary-storage-bucket-versioning",
    );
    assert.deepEqual(versioning.inputs.versioningConfiguration, { status: "Enabled" });
    const lifecycle = one(
      prod,
      "primary",
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "primary-storage-bucket-lifecycle",
    );
    const rules = lifecycle.inputs.rules as Json[];
    const classes = rules.flatMap((r) =>
      ((r.transitions as Json[] | undefined) ?? []).map((t) => t.storageClass),
    );
    assert.deepEqual(classes, ["STANDARD_IA", "GLACIER"]);
    assert.ok(
      rules.some((r) => r.noncurrentVersionExpiration),
      "noncurrent versions expire",
    );
    const logging = one(
      prod,
      "primary",
      "aws:s3/bucketLogging:BucketLogging",
      "primary-storage-bucket-logging",
    );
    const logBucket = one(prod, "primary", "aws:s3/bucket:Bucket", "primary-storage-logs");
    assert.equal(logging.inputs.targetBucket, logBucket.id);
  });

  it("locks objects in COMPLIANCE mode for 30 days in production, and protects the buckets", () => {
    const bucket = one(prod, "primary", "aws:s3/bucket:Bucket", "primary-storage-bucket");
    assert.equal(bucket.inputs.objectLockEnabled, true);
    assert.equal(bucket.protect, true);
    for (const lock of under(
      prod,
      "primary",
      "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    )) {
      assert.deepEqual(obj(lock.inputs.rule).defaultRetention, { mode: "COMPLIANCE", days: 30 });
    }
    const devBucket = one(dev, "secondary", "aws:s3/bucket:Bucket", "secondary-storage-bucket");
    assert.equal(devBucket.inputs.objectLockEnabled, false);
    assert.equal(devBucket.protect, false);
  });
});

describe("storage on Azure (Blob Storage)", () => {
  let dev: Plan;
  let prod: Plan;
  before(async () => {
    dev = await planOf("data-dev-azure", "Pulumi.data-dev-azure.yaml");
    prod = await planOf("prod"); // Azure is the secondary site
  });

  it("creates one account, blob service, container, lifecycle policy, diagnostics and private endpoint", () => {
    const expected = {
      "azure-native:network:PrivateEndpoint": 1,
      "azure-native:network:PrivateDnsZoneGroup": 1,
      "azure-native:storage:StorageAccount": 1,
      "azure-native:storage:BlobServiceProperties": 1,
      "azure-native:storage:BlobContainer": 1,
      "azure-native:storage:ManagementPolicy": 1,
      "azure-native:monitor:DiagnosticSetting": 1,
    };
    assert.deepEqual(countsOf(dev, "primary"), expected);
    assert.deepEqual(countsOf(prod, "secondary"), expected);
  });

  it("requires TLS 1.2 and HTTPS, forbids anonymous and shared-key access, denies by default, uses the CMK", () => {
    for (const [plan, role] of [
      [dev, "primary"],
      [prod, "secondary"],
    ] as const) {
      const account = one(plan, role, "azure-native:storage:StorageAccount");
      const i = account.inputs;
      assert.equal(i.minimumTlsVersion, "TLS1_2");
      assert.equal(i.enableHttpsTrafficOnly, true);
      assert.equal(i.allowBlobPublicAccess, false);
      assert.equal(i.allowSharedKeyAccess, false);
      assert.equal(obj(i.networkRuleSet).defaultAction, "Deny");
      const encryption = obj(i.encryption);
      assert.equal(encryption.keySource, "Microsoft.Keyvault");
      assert.equal(encryption.requireInfrastructureEncryption, true);
      const identity = plan.resources.find((r) => r.name === `${role}-keys-identity`)!;
      assert.deepEqual(encryption.encryptionIdentity, { encryptionUserAssignedIdentity: identity.id });
      const container = one(plan, role, "azure-native:storage:BlobContainer");
      assert.equal(container.inputs.publicAccess, "None");
      const blob = one(plan, role, "azure-native:storage:BlobServiceProperties");
      assert.equal(blob.inputs.isVersioningEnabled, true);
      assert.equal(obj(blob.inputs.deleteRetentionPolicy).enabled, true);
    }
  });

  it("production: RA-GZRS, no public network access, version-level WORM created Unlocked, Cold tier instead of Archive", () => {
    const account = one(prod, "secondary", "azure-native:storage:StorageAccount");
    assert.deepEqual(account.inputs.sku, { name: "Standard_RAGZRS" });
    assert.equal(account.inputs.publicNetworkAccess, "Disabled");
    assert.deepEqual(account.inputs.immutableStorageWithVersioning, {
      enabled: true,
      immutabilityPolicy: {
        immutabilityPeriodSinceCreationInDays: 30,
        // Azure accepts only Disabled or Unlocked at creation; `storage.lockImmutability` locks it later.
        state: "Unlocked",
        allowProtectedAppendWrites: false,
      },
    });
    assert.equal(account.protect, true);
    const policy = one(prod, "secondary", "azure-native:storage:ManagementPolicy");
    const baseBlob = obj(
      obj(obj((obj(policy.inputs.policy).rules as Json[])[0]).definition).actions,
    ).baseBlob;
    assert.ok(
      obj(baseBlob).tierToCold && !obj(baseBlob).tierToArchive,
      "zone-redundant accounts cannot archive",
    );

    const devAccount = one(dev, "primary", "azure-native:storage:StorageAccount");
    assert.deepEqual(devAccount.inputs.sku, { name: "Standard_LRS" });
    assert.equal(devAccount.inputs.immutableStorageWithVersioning, undefined);
  });

  it("sends blob access logs to the site's Log Analytics workspace", () => {
    const workspace = prod.resources.find((r) => r.type === "azure-native:operationalinsights:Workspace")!;
    const diagnostics = one(prod, "secondary", "azure-native:monitor:DiagnosticSetting");
    assert.equal(diagnostics.inputs.workspaceId, workspace.id);
    assert.match(diagnostics.inputs.resourceUri as string, /\/blobServices\/default$/);
  });
});

describe("storage on GCP (Cloud Storage)", () => {
  let dev: Plan;
  let prod: Plan;
  before(async () => {
    dev = await planOf("dev"); // GCP is the primary site
    prod = await planOf("data-prod-gcp-aws", "Pulumi.data-prod-gcp-aws.yaml");
  });

  it("creates the bucket, the service agent's key grant and data-access audit logs; a multi-region key in production", () => {
    const base = {
      "gcp:storage/bucket:Bucket": 1,
      "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": 1,
      "gcp:projects/iAMAuditConfig:IAMAuditConfig": 1,
    };
    assert.deepEqual(countsOf(dev, "primary"), base);
    assert.deepEqual(countsOf(prod, "primary"), {
      ...base,
      "gcp:kms/keyRing:KeyRing": 1,
      "gcp:kms/cryptoKey:CryptoKey": 1,
    });
  });

  it("enforces uniform access and public access prevention, encrypts with a CMK the agent may use", () => {
    for (const plan of [dev, prod]) {
      const bucket = one(plan, "primary", "gcp:storage/bucket:Bucket");
      assert.equal(bucket.inputs.uniformBucketLevelAccess, true);
      assert.equal(bucket.inputs.publicAccessPrevention, "enforced");
      const grant = one(plan, "primary", "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember");
      assert.equal(grant.inputs.role, "roles/cloudkms.cryptoKeyEncrypterDecrypter");
      assert.match(
        grant.inputs.member as string,
        /^serviceAccount:service-\d+@gs-project-accounts\.iam\.gserviceaccount\.com$/,
      );
      assert.equal(obj(bucket.inputs.encryption).defaultKmsKeyName, grant.inputs.cryptoKeyId);
      assert.ok(bucket.dependencies.includes(grant.urn), "the bucket waits for the key grant");
    }
    const siteKey = dev.resources.find((r) => r.name === "primary-keys-key")!;
    assert.equal(
      obj(one(dev, "primary", "gcp:storage/bucket:Bucket").inputs.encryption).defaultKmsKeyName,
      siteKey.id,
    );
  });

  it("production: a dual-region of the site and its replica region with a key in 'europe', locked 30-day retention; dev: regional and versioned", () => {
    const bucket = one(prod, "primary", "gcp:storage/bucket:Bucket");
    // The data stays in europe-west4 and its replica region europe-west1, not anywhere in the EU.
    assert.equal(bucket.inputs.location, "EU");
    assert.deepEqual(bucket.inputs.customPlacementConfig, {
      dataLocations: ["EUROPE-WEST4", "EUROPE-WEST1"],
    });
    const suffix = prod.resources.find((r) => r.name === "primary-suffix")!.outputs.result as string;
    assert.match(
      one(prod, "primary", "gcp:kms/keyRing:KeyRing").inputs.name as string,
      new RegExp(`-${suffix}$`),
    );
    assert.deepEqual(bucket.inputs.retentionPolicy, { retentionPeriod: String(30 * 86400), isLocked: true });
    assert.equal(bucket.protect, true);
    const ring = one(prod, "primary", "gcp:kms/keyRing:KeyRing");
    assert.equal(ring.inputs.location, "europe");
    const key = one(prod, "primary", "gcp:kms/cryptoKey:CryptoKey");
    assert.equal(obj(key.inputs.versionTemplate).protectionLevel, "HSM");

    const devBucket = one(dev, "primary", "gcp:storage/bucket:Bucket");
    assert.equal(devBucket.inputs.location, "EUROPE-WEST1");
    assert.equal(devBucket.inputs.customPlacementConfig, undefined);
    assert.deepEqual(devBucket.inputs.versioning, { enabled: true });
    assert.equal(devBucket.inputs.retentionPolicy, undefined);
    const actions = (devBucket.inputs.lifecycleRules as Json[]).map((r) => obj(r.action));
    assert.deepEqual(
      actions.filter((a) => a.type === "SetStorageClass").map((a) => a.storageClass),
      ["NEARLINE", "ARCHIVE"],
    );
  });
});

describe("GCP geo-redundant buckets stay in the jurisdiction (configurable dual-regions)", () => {
  it("pairs two regions of the same multi-region and geography, with the multi-region's KMS location", () => {
    assert.deepEqual(dualRegionOf("europe-west1", "europe-west4"), {
      bucketLocation: "EU",
      dataLocations: ["EUROPE-WEST1", "EUROPE-WEST4"],
      kmsLocation: "europe",
    });
    assert.deepEqual(dualRegionOf("us-east4", "us-central1"), {
      bucketLocation: "US",
      dataLocations: ["US-EAST4", "US-CENTRAL1"],
      kmsLocation: "us",
    });
  });

  it("offers none across jurisdictions, where Cloud Storage has no pair, or without a replica region", () => {
    assert.equal(dualRegionOf("europe-west1", "us-central1"), undefined);
    assert.equal(dualRegionOf("europe-west2", "europe-west1"), undefined); // UK and EU
    assert.equal(dualRegionOf("northamerica-northeast1", "northamerica-northeast2"), undefined);
    assert.equal(dualRegionOf("northamerica-south1", "us-central1"), undefined);
    assert.equal(dualRegionOf("europe-west1", undefined), undefined);
    assert.equal(dualRegionOf("europe-west1", "europe-west1"), undefined);
  });
});
