import { strict as assert } from "node:assert";
import { FileStoreArgsError, resolveFileStoreSettings } from "../components/filestore";
import { fileStorageConfigSchema } from "../components/filestore-config";
import type { Plan } from "../tools/harness";
import { efsPolicy } from "../providers/aws/filestore";
import { componentQueries, planOf } from "./helpers";

const { countsOf, one } = componentQueries("files");
type Json = Record<string, unknown>;

describe("file storage settings", () => {
  it("defaults: 1 TiB, REGIONAL Filestore and zone redundancy in production, BASIC_HDD elsewhere", () => {
    const prod = resolveFileStoreSettings({}, "gcp", true, 3);
    assert.deepEqual(
      [prod.capacityGb, prod.gcpTier, prod.zoneRedundant, prod.deletionProtection, prod.uid, prod.gid],
      [1024, "REGIONAL", true, true, 1000, 1000],
    );
    const dev = resolveFileStoreSettings({}, "gcp", false, 1);
    assert.deepEqual([dev.gcpTier, dev.zoneRedundant, dev.deletionProtection], ["BASIC_HDD", false, false]);
    // Below 1 TiB outside production: REGIONAL is the only tier that small.
    assert.equal(resolveFileStoreSettings({ capacityGb: 200 }, "gcp", false, 1).gcpTier, "REGIONAL");
  });

  it("rejects capacities below the tier minimum and non-HA tiers in production, naming the setting", () => {
    const cases: [Parameters<typeof resolveFileStoreSettings>, RegExp][] = [
      [[{ gcpTier: "BASIC_SSD", capacityGb: 1024 }, "gcp", false, 1], /below the BASIC_SSD minimum of 2560/],
      [[{ gcpTier: "BASIC_HDD" }, "gcp", true, 3], /gcpTier must be REGIONAL or ENTERPRISE in production/],
      [[{ capacityGb: 50 }, "azure", false, 1], /capacityGb must be a whole number from 100/],
    ];
    for (const [args, message] of cases) {
      assert.throws(
        () => resolveFileStoreSettings(...args),
        (e: unknown) => e instanceof FileStoreArgsError && message.test(e.message),
        String(message),
      );
    }
    // The Filestore tier is only checked on GCP sites.
    assert.doesNotThrow(() => resolveFileStoreSettings({ gcpTier: "BASIC_HDD" }, "aws", true, 3));
  });

  it("the stack schema rejects unknown keys and out-of-range values", () => {
    assert.equal(
      fileStorageConfigSchema.safeParse({ capacityGb: 2048, gcpTier: "ENTERPRISE" }).success,
      true,
    );
    assert.equal(fileStorageConfigSchema.safeParse({ capacity: 2048 }).success, false);
    assert.equal(fileStorageConfigSchema.safeParse({ gcpTier: "HIGH_SCALE_SSD" }).success, false);
    assert.equal(fileStorageConfigSchema.safeParse({ capacityGb: 99 }).success, false);
  });

  it("the EFS policy denies requests without TLS and allows only the account's principals through mount targets", () => {
    const doc = JSON.parse(efsPolicy("arn:fs", "111111111111")) as { Statement: Json[] };
    const [deny, allow] = doc.Statement;
    assert.deepEqual(deny!.Condition, { Bool: { "aws:SecureTransport": "false" } });
    assert.equal(deny!.Effect, "Deny");
    assert.deepEqual(allow!.Principal, { AWS: "arn:aws:iam::111111111111:root" });
    assert.deepEqual(allow!.Condition, { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } });
    assert.ok(!(allow!.Action as string[]).includes("elasticfilesystem:ClientRootAccess"));
  });
});

describe("file storage on every cloud", () => {
  let prod: Plan;
  let dev: Plan;
  let prodGcp: Plan;
  before(async () => {
    prod = await planOf("prod");
    dev = await planOf("dev");
    prodGcp = await planOf("prod-gcp", "Pulumi.prod-gcp.yaml");
  });

  it("AWS: EFS with the site key, a mount target per private subnet behind an NFS-only group, backups, TLS-only policy, access point, alarm", () => {
    assert.deepEqual(countsOf(prod, "primary"), {
      "aws:efs/fileSystem:FileSystem": 1,
      "aws:efs/backupPolicy:BackupPolicy": 1,
      "aws:ec2/securityGroup:SecurityGroup": 1,
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1,
      "aws:efs/mountTarget:MountTarget": 3,
      "aws:efs/fileSystemPolicy:FileSystemPolicy": 1,
      "aws:efs/accessPoint:AccessPoint": 1,
      "aws:cloudwatch/metricAlarm:MetricAlarm": 1,
    });
    assert.equal(countsOf(dev, "secondary")["aws:efs/mountTarget:MountTarget"], 2); // one per zone (AWS sites span 2)
    const keyArn = prod.resources.find((r) => r.name === "primary-keys-key")!.outputs.arn;
    const fs = one(prod, "primary", "aws:efs/fileSystem:FileSystem");
    assert.deepEqual([fs.inputs.encrypted, fs.inputs.kmsKeyId, fs.protect], [true, keyArn, true]);
    const privateSubnets = prod.resources
      .filter(
        (r) => r.type === "aws:ec2/subnet:Subnet" && r.name.startsWith("primary-network-subnet-private"),
      )
      .map((r) => r.id)
      .sort();
    const mounts = componentQueries("files").under(prod, "primary", "aws:efs/mountTarget:MountTarget");
    assert.deepEqual(mounts.map((m) => m.inputs.subnetId).sort(), privateSubnets);
    const rule = one(prod, "primary", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    const privateSg = prod.resources.find((r) => r.name === "primary-network-sg-private")!.id;
    assert.deepEqual(
      [rule.inputs.fromPort, rule.inputs.toPort, rule.inputs.referencedSecurityGroupId, rule.inputs.cidrIpv4],
      [2049, 2049, privateSg, undefined],
    );
    const backup = one(prod, "primary", "aws:efs/backupPolicy:BackupPolicy");
    assert.deepEqual(backup.inputs.backupPolicy, { status: "ENABLED" });
    const ap = one(prod, "primary", "aws:efs/accessPoint:AccessPoint");
    assert.deepEqual(ap.inputs.posixUser, { uid: 1000, gid: 1000 });
    assert.equal((ap.inputs.rootDirectory as Json).path, "/data");
  });

  it("Azure: NFS 4.1 share on a private premium FileStorage account with the site key, no shared keys, a private endpoint, diagnostics and an alert", () => {
    assert.deepEqual(countsOf(prod, "secondary"), {
      "azure-native:storage:StorageAccount": 1,
      "azure-native:storage:FileServiceProperties": 1,
      "azure-native:storage:FileShare": 1,
      "azure-native:network:PrivateEndpoint": 1,
      "azure-native:network:PrivateDnsZoneGroup": 1,
      "azure-native:monitor:DiagnosticSetting": 1,
      "azure-native:monitor:MetricAlert": 1,
    });
    const a = one(prod, "secondary", "azure-native:storage:StorageAccount");
    assert.deepEqual(
      [
        a.inputs.kind,
        (a.inputs.sku as Json).name,
        a.inputs.enableHttpsTrafficOnly,
        a.inputs.allowSharedKeyAccess,
        a.inputs.publicNetworkAccess,
        (a.inputs.encryption as Json).keySource,
        a.protect,
      ],
      ["FileStorage", "Premium_ZRS", false, false, "Disabled", "Microsoft.Keyvault", true],
    );
    const share = one(prod, "secondary", "azure-native:storage:FileShare");
    assert.deepEqual(
      [share.inputs.enabledProtocols, share.inputs.rootSquash, share.inputs.shareQuota],
      ["NFS", "RootSquash", 1024],
    );
    const pe = one(prod, "secondary", "azure-native:network:PrivateEndpoint");
    assert.deepEqual((pe.inputs.privateLinkServiceConnections as Json[])[0]!.groupIds as string[], ["file"]);
    const zone = prod.resources.find(
      (r) =>
        r.type === "azure-native:privatedns:PrivateZone" &&
        r.inputs.privateZoneName === "privatelink.file.core.windows.net",
    );
    assert.ok(zone, "the network has the privatelink.file zone");
  });

  it("GCP: Filestore with the site key after the agent's grant, Private Service Access, exports for the private tier only, tier by environment", () => {
    assert.deepEqual(countsOf(dev, "primary"), {
      "gcp:projects/serviceIdentity:ServiceIdentity": 1,
      "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": 1,
      "gcp:filestore/instance:Instance": 1,
      "gcp:monitoring/alertPolicy:AlertPolicy": 1,
    });
    const d = one(dev, "primary", "gcp:filestore/instance:Instance");
    assert.deepEqual(
      [d.inputs.tier, d.inputs.protocol, d.inputs.deletionProtectionEnabled],
      ["BASIC_HDD", "NFS_V3", false],
    );
    assert.match(String(d.inputs.location), /^europe-west1-[a-z]$/);
    const p = one(prodGcp, "primary", "gcp:filestore/instance:Instance");
    assert.deepEqual(
      [p.inputs.tier, p.inputs.protocol, p.inputs.deletionProtectionEnabled, p.protect],
      ["REGIONAL", "NFS_V4_1", true, true],
    );
    const key = prodGcp.resources.find(
      (r) => r.type === "gcp:kms/cryptoKey:CryptoKey" && r.name.startsWith("primary-keys"),
    )!;
    assert.equal(p.inputs.kmsKeyName, key.id);
    const grant = one(prodGcp, "primary", "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember");
    assert.ok(p.dependencies.includes(grant.urn), "created after the Filestore agent's key grant");
    const net = (p.inputs.networks as Json[])[0]!;
    assert.equal(net.connectMode, "PRIVATE_SERVICE_ACCESS");
    const privateCidr = prodGcp.resources.find(
      (r) => r.type === "gcp:compute/subnetwork:Subnetwork" && r.name === "primary-network-subnet-private",
    )!.inputs.ipCidrRange;
    const exports = ((p.inputs.fileShares as Json).nfsExportOptions as Json[])[0]!;
    assert.deepEqual([exports.ipRanges, exports.squashMode], [[privateCidr], "ROOT_SQUASH"]);
  });
});
