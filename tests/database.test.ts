import { strict as assert } from "node:assert";
import { DatabaseArgsError, resolveDatabaseSettings } from "../components/database";
import type { Plan } from "../tools/harness";
import { cloudSqlBackupLocation } from "../providers/gcp/database";
import { componentQueries, planOf } from "./helpers";

const { under, countsOf, one } = componentQueries("database");

type Json = Record<string, unknown>;

describe("database settings", () => {
  it("defaults: 35-day PITR, HA, geo backups and deletion protection in production; 7 days elsewhere", () => {
    const prod = resolveDatabaseSettings({}, true);
    assert.deepEqual(
      [
        prod.backupRetentionDays,
        prod.highAvailability,
        prod.geoRedundantBackup,
        prod.deletionProtection,
        prod.size,
      ],
      [35, true, true, true, "medium"],
    );
    const dev = resolveDatabaseSettings({}, false);
    assert.deepEqual(
      [dev.backupRetentionDays, dev.highAvailability, dev.deletionProtection],
      [7, false, false],
    );
  });

  it("rejects fewer than 7 backup days, HA off in production and bad names", () => {
    assert.throws(
      () => resolveDatabaseSettings({ backupRetentionDays: 3 }, false),
      (e: unknown) =>
        e instanceof DatabaseArgsError &&
        /backupRetentionDays must be a whole number from 7 to 35/.test(e.message),
    );
    assert.throws(
      () => resolveDatabaseSettings({ highAvailability: false }, true),
      /highAvailability cannot be false in production/,
    );
    assert.throws(() => resolveDatabaseSettings({ databaseName: "App-DB" }, false), /databaseName/);
    assert.throws(() => resolveDatabaseSettings({ storageGb: 10 }, false), /storageGb/);
  });
});

describe("database on AWS (RDS PostgreSQL)", () => {
  let prod: Plan;
  let dev: Plan;
  before(async () => {
    prod = await planOf("prod");
    dev = await planOf("dev");
  });

  it("creates the instance with its subnet group, TLS parameter group, log groups, monitoring role and alarms; backups replicated in production", () => {
    const expected = {
      "aws:rds/subnetGroup:SubnetGroup": 1,
      "aws:rds/parameterGroup:ParameterGroup": 1,
      "aws:cloudwatch/logGroup:LogGroup": 2,
      "aws:iam/role:Role": 1,
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 1,
      "aws:rds/instance:Instance": 1,
      // CPU, free storage, PostgreSQL errors and their escalation (fed by the log metric filter).
      "aws:cloudwatch/logMetricFilter:LogMetricFilter": 1,
      "aws:cloudwatch/metricAlarm:MetricAlarm": 4,
    };
    // Production: automated backups replicated to the replica region, with its provider and key.
    assert.deepEqual(countsOf(prod, "primary"), {
      ...expected,
      "pulumi:providers:aws": 1,
      "aws:kms/key:Key": 1,
      "aws:kms/alias:Alias": 1,
      "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": 1,
    });
    assert.deepEqual(countsOf(dev, "secondary"), expected);
  });

  it("is private, encrypted with the site key, TLS-only, IAM-authenticated, with an RDS-managed password", () => {
    for (const [plan, role] of [
      [prod, "primary"],
      [dev, "secondary"],
    ] as const) {
      const db = one(plan, role, "aws:rds/instance:Instance").inputs;
      const keyArn = plan.resources.find((r) => r.name === `${role}-keys-key`)!.outputs.arn;
      assert.equal(db.publiclyAccessible, false);
      assert.equal(db.storageEncrypted, true);
      assert.equal(db.kmsKeyId, keyArn);
      assert.equal(db.performanceInsightsKmsKeyId, keyArn);
      assert.equal(db.manageMasterUserPassword, true);
      assert.equal(db.password, undefined, "no password input at all");
      assert.equal(db.iamDatabaseAuthenticationEnabled, true);
      assert.deepEqual(db.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
      const dataSubnets = plan.resources.filter(
        (r) =>
          r.type === "aws:ec2/subnet:Subnet" && r.name.includes(`${role}-network`) && r.name.includes("data"),
      );
      const group = one(plan, role, "aws:rds/subnetGroup:SubnetGroup");
      assert.ok(dataSubnets.length > 0, "the network has data subnets");
      assert.deepEqual([...(group.inputs.subnetIds as string[])].sort(), dataSubnets.map((s) => s.id).sort());
      const params = one(plan, role, "aws:rds/parameterGroup:ParameterGroup").inputs.parameters as Json[];
      const value = (n: string) => params.find((p) => p.name === n)?.value;
      assert.equal(value("rds.force_ssl"), "1");
      assert.equal(value("ssl_min_protocol_version"), "TLSv1.2");
    }
  });

  it("production: Multi-AZ, 35-day backups, deletion protection and protect; dev: single-AZ, 7 days", () => {
    const p = one(prod, "primary", "aws:rds/instance:Instance");
    assert.deepEqual(
      [p.inputs.multiAz, p.inputs.backupRetentionPeriod, p.inputs.deletionProtection, p.protect],
      [true, 35, true, true],
    );
    const d = one(dev, "secondary", "aws:rds/instance:Instance");
    assert.deepEqual(
      [d.inputs.multiAz, d.inputs.backupRetentionPeriod, d.inputs.deletionProtection, d.protect],
      [false, 7, false, false],
    );
  });
});

describe("database on Azure (PostgreSQL flexible server)", () => {
  let prod: Plan;
  let dev: Plan;
  before(async () => {
    prod = await planOf("prod");
    dev = await planOf("data-dev-azure", "Pulumi.data-dev-azure.yaml");
  });

  it("creates the server, its Entra administrator identity, TLS and logging parameters, database, diagnostics and alerts", () => {
    const server = {
      "azure-native:dbforpostgresql:Server": 1,
      "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra": 1,
      // TLS (2), logging (3), wal_level=logical for cross-cloud replication (1).
      "azure-native:dbforpostgresql:Configuration": 6,
      "azure-native:dbforpostgresql:Database": 1,
      "azure-native:monitor:MetricAlert": 2,
    };
    assert.deepEqual(countsOf(dev, "primary"), {
      ...server,
      "azure-native:managedidentity:UserAssignedIdentity": 1,
      "azure-native:monitor:DiagnosticSetting": 1,
    });
    // Production adds the geo-backup key in the paired region: vault (audited, private endpoint), key,
    // identity and its role on the vault.
    assert.deepEqual(countsOf(prod, "secondary"), {
      ...server,
      "azure-native:managedidentity:UserAssignedIdentity": 2,
      "azure-native:monitor:DiagnosticSetting": 2,
      "azure-native:keyvault:Vault": 1,
      "azure-native:keyvault:Key": 1,
      "azure-native:authorization:RoleAssignment": 1,
      "azure-native:network:PrivateEndpoint": 1,
      "azure-native:network:PrivateDnsZoneGroup": 1,
    });
  });

  it("has no password at all: Entra authentication only, the administrator is the dedicated identity", () => {
    for (const [plan, role] of [
      [prod, "secondary"],
      [dev, "primary"],
    ] as const) {
      const server = one(plan, role, "azure-native:dbforpostgresql:Server");
      assert.equal(server.inputs.administratorLoginPassword, undefined);
      assert.equal(server.inputs.administratorLogin, undefined);
      assert.deepEqual(server.inputs.authConfig, {
        activeDirectoryAuth: "Enabled",
        passwordAuth: "Disabled",
        tenantId: JSON.parse(plan.config[`platform:${role}`]!).tenantId,
      });
      const admin = one(plan, role, "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra");
      const identity = one(
        plan,
        role,
        "azure-native:managedidentity:UserAssignedIdentity",
        `${role}-database-admin-identity`,
      );
      assert.equal(admin.inputs.objectId, identity.outputs.principalId);
      assert.equal(admin.inputs.principalType, "ServicePrincipal");
      // The server itself has no password (the replication component's role passwords are not the database's).
      assert.equal(
        plan.resources.filter(
          (r) =>
            r.type === "random:index/randomPassword:RandomPassword" && r.name.startsWith(`${role}-database-`),
        ).length,
        0,
      );
    }
  });

  it("is private on the delegated subnet with the CMK and TLS 1.2; zone-redundant HA and 35 days in production", () => {
    const server = one(prod, "secondary", "azure-native:dbforpostgresql:Server");
    const i = server.inputs;
    assert.equal((i.network as Json).publicNetworkAccess, "Disabled");
    assert.match((i.network as Json).delegatedSubnetResourceId as string, /\/subnets\//);
    assert.match(
      (i.network as Json).privateDnsZoneArmResourceId as string,
      /privateDnsZones\/.*postgres\.database\.azure\.com$/,
    );
    const keyUri = prod.resources.find((r) => r.name === "secondary-keys-key")!.outputs.keyUri;
    assert.deepEqual((i.dataEncryption as Json).primaryKeyURI, keyUri);
    assert.deepEqual(i.highAvailability, { mode: "ZoneRedundant", standbyAvailabilityZone: "2" });
    assert.equal((i.backup as Json).backupRetentionDays, 35);
    assert.equal((i.backup as Json).geoRedundantBackup, "Enabled");
    assert.equal(server.protect, true);
    const configs = under(prod, "secondary", "azure-native:dbforpostgresql:Configuration");
    const value = (n: string) => configs.find((c) => c.inputs.configurationName === n)?.inputs.value;
    assert.equal(value("require_secure_transport"), "on");
    assert.equal(value("ssl_min_protocol_version"), "TLSv1.2");
    const devServer = one(dev, "primary", "azure-native:dbforpostgresql:Server");
    assert.equal((devServer.inputs.highAvailability as Json).mode, "Disabled");
    assert.deepEqual(devServer.inputs.sku, { name: "Standard_B2s", tier: "Burstable" });
  });
});

describe("database on GCP (Cloud SQL PostgreSQL)", () => {
  let prod: Plan;
  let dev: Plan;
  before(async () => {
    prod = await planOf("data-prod-gcp-aws", "Pulumi.data-prod-gcp-aws.yaml");
    dev = await planOf("dev");
  });

  it("creates the service agent and its key grant, the instance, the database and two alert policies", () => {
    const expected = {
      "gcp:projects/serviceIdentity:ServiceIdentity": 1,
      "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": 1,
      "gcp:sql/databaseInstance:DatabaseInstance": 1,
      "gcp:sql/database:Database": 1,
      "gcp:monitoring/alertPolicy:AlertPolicy": 2,
    };
    assert.deepEqual(countsOf(prod, "primary"), expected);
    assert.deepEqual(countsOf(dev, "primary"), expected);
  });

  it("has no public IP, requires TLS, uses the CMK and IAM auth with no password anywhere", () => {
    for (const plan of [prod, dev]) {
      const instance = one(plan, "primary", "gcp:sql/databaseInstance:DatabaseInstance");
      const settings = instance.inputs.settings as Json;
      const ip = settings.ipConfiguration as Json;
      assert.equal(ip.ipv4Enabled, false);
      assert.equal(ip.sslMode, "ENCRYPTED_ONLY");
      assert.match(ip.privateNetwork as string, /\/global\/networks\//);
      assert.equal(instance.inputs.rootPassword, undefined);
      const siteKey = plan.resources.find((r) => r.name === "primary-keys-key")!;
      assert.equal(instance.inputs.encryptionKeyName, siteKey.id);
      const grant = one(plan, "primary", "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember");
      assert.match(grant.inputs.member as string, /@gcp-sa-cloud-sql\.iam\.gserviceaccount\.com$/);
      assert.ok(instance.dependencies.includes(grant.urn), "the instance waits for the key grant");
      const flags = settings.databaseFlags as Json[];
      assert.ok(flags.some((f) => f.name === "cloudsql.iam_authentication" && f.value === "on"));
      const backup = settings.backupConfiguration as Json;
      assert.equal(backup.enabled, true);
      assert.equal(backup.pointInTimeRecoveryEnabled, true);
    }
  });

  it("keeps backups in the jurisdiction: the replica region in production, the instance's region in dev", () => {
    // prodgcp: europe-west4, whose same-jurisdiction pair is europe-west1; dev: europe-west1 alone.
    const p = one(prod, "primary", "gcp:sql/databaseInstance:DatabaseInstance");
    assert.equal(((p.inputs.settings as Json).backupConfiguration as Json).location, "europe-west1");
    const d = one(dev, "primary", "gcp:sql/databaseInstance:DatabaseInstance");
    assert.equal(((d.inputs.settings as Json).backupConfiguration as Json).location, "europe-west1");
    // Without a location Cloud SQL picks the nearest multi-region (`us` for Querétaro): never left unset.
    const mexico = { site: { region: "northamerica-south1" }, replicaRegion: undefined } as never;
    assert.equal(cloudSqlBackupLocation(mexico, false), "northamerica-south1");
    assert.throws(() => cloudSqlBackupLocation(mexico, true), /geoRedundantBackup: expected a replicaRegion/);
    const toronto = { site: { region: "northamerica-northeast2" }, replicaRegion: "northamerica-northeast1" };
    assert.equal(cloudSqlBackupLocation(toronto as never, true), "northamerica-northeast1");
  });

  it("production: REGIONAL, 35 backups, deletion protection and protect; dev: ZONAL", () => {
    const p = one(prod, "primary", "gcp:sql/databaseInstance:DatabaseInstance");
    const ps = p.inputs.settings as Json;
    assert.equal(ps.availabilityType, "REGIONAL");
    assert.equal(((ps.backupConfiguration as Json).backupRetentionSettings as Json).retainedBackups, 35);
    assert.equal(p.inputs.deletionProtection, true);
    assert.equal(p.protect, true);
    const d = one(dev, "primary", "gcp:sql/databaseInstance:DatabaseInstance");
    assert.equal((d.inputs.settings as Json).availabilityType, "ZONAL");
    assert.equal(d.protect, false);
  });
});
