import { strict as assert } from "node:assert";
import { DatabaseArgsError, resolveDatabaseSettings } from "../components/database";
import type { Plan } from "../tools/harness";
import { cloudSqlBackupLocation } from "../providers/gcp/database";
import { componentQueries, planOf } from "./helpers";
import { replicaZone } from "../components/context";
import { parseStackConfig } from "../components/config";

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
      // The generated master password (its own random provider) and the secret that holds it.
      "pulumi:providers:random": 1,
      "random:index/randomPassword:RandomPassword": 1,
      "aws:secretsmanager/secret:Secret": 1,
      "aws:secretsmanager/secretVersion:SecretVersion": 1,
    };
    // Production: automated backups replicated to the replica region, with its provider and key; a read
    // replica (its log groups and lag alarm); RDS Proxy with its security group and rules, role and policy,
    // default target group and target.
    assert.deepEqual(countsOf(prod, "primary"), {
      ...expected,
      "pulumi:providers:aws": 1,
      "aws:kms/key:Key": 1,
      "aws:kms/alias:Alias": 1,
      "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": 1,
      "aws:rds/instance:Instance": 2,
      "aws:cloudwatch/logGroup:LogGroup": 4,
      "aws:cloudwatch/metricAlarm:MetricAlarm": 5,
      "aws:ec2/securityGroup:SecurityGroup": 1,
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 2,
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 1,
      "aws:iam/role:Role": 2,
      "aws:iam/rolePolicy:RolePolicy": 1,
      "aws:rds/proxy:Proxy": 1,
      "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": 1,
      "aws:rds/proxyTarget:ProxyTarget": 1,
    });
    assert.deepEqual(countsOf(dev, "secondary"), expected);
  });

  it("is private, encrypted with the site key, TLS-only, IAM-authenticated, with a generated write-only password", () => {
    for (const [plan, role] of [
      [prod, "primary"],
      [dev, "secondary"],
    ] as const) {
      const db = one(plan, role, "aws:rds/instance:Instance", `${role}-database-instance`).inputs;
      const keyArn = plan.resources.find((r) => r.name === `${role}-keys-key`)!.outputs.arn;
      assert.equal(db.publiclyAccessible, false);
      assert.equal(db.storageEncrypted, true);
      assert.equal(db.kmsKeyId, keyArn);
      assert.equal(db.performanceInsightsKmsKeyId, keyArn);
      // RDS cannot manage the password of a read replica's source: a generated one, write-only.
      assert.equal(db.manageMasterUserPassword, undefined);
      assert.equal(db.password, undefined, "no stored password input");
      assert.ok(db.passwordWo !== undefined && db.passwordWoVersion === 1);
      const version = one(plan, role, "aws:secretsmanager/secretVersion:SecretVersion").inputs;
      assert.equal(version.secretString, undefined, "the secret's value is write-only too");
      assert.equal(one(plan, role, "aws:secretsmanager/secret:Secret").inputs.kmsKeyId, keyArn);
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
    const p = one(prod, "primary", "aws:rds/instance:Instance", "primary-database-instance");
    assert.deepEqual(
      [p.inputs.multiAz, p.inputs.backupRetentionPeriod, p.inputs.deletionProtection, p.protect],
      [true, 35, true, true],
    );
    const d = one(dev, "secondary", "aws:rds/instance:Instance", "secondary-database-instance");
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
    // ... and a read replica (its TLS and logging parameters, diagnostics and lag alert), Query Store (2)
    // and PgBouncer (1) parameters on the primary.
    assert.deepEqual(countsOf(prod, "secondary"), {
      ...server,
      "azure-native:dbforpostgresql:Server": 2,
      "azure-native:dbforpostgresql:Configuration": 14,
      "azure-native:monitor:MetricAlert": 3,
      "azure-native:managedidentity:UserAssignedIdentity": 2,
      "azure-native:monitor:DiagnosticSetting": 3,
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
      const server = one(plan, role, "azure-native:dbforpostgresql:Server", `${role}-database-server`);
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
    const server = one(prod, "secondary", "azure-native:dbforpostgresql:Server", "secondary-database-server");
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
    // Production adds a read replica.
    assert.deepEqual(countsOf(prod, "primary"), {
      ...expected,
      "gcp:sql/databaseInstance:DatabaseInstance": 2,
    });
    assert.deepEqual(countsOf(dev, "primary"), expected);
  });

  it("has no public IP, requires TLS, uses the CMK and IAM auth with no password anywhere", () => {
    for (const plan of [prod, dev]) {
      const instance = one(
        plan,
        "primary",
        "gcp:sql/databaseInstance:DatabaseInstance",
        "primary-database-instance",
      );
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
    const p = one(prod, "primary", "gcp:sql/databaseInstance:DatabaseInstance", "primary-database-instance");
    assert.equal(((p.inputs.settings as Json).backupConfiguration as Json).location, "europe-west1");
    const d = one(dev, "primary", "gcp:sql/databaseInstance:DatabaseInstance", "primary-database-instance");
    assert.equal(((d.inputs.settings as Json).backupConfiguration as Json).location, "europe-west1");
    // Without a location Cloud SQL picks the nearest multi-region (`us` for Querétaro): never left unset.
    const mexico = { site: { region: "northamerica-south1" }, replicaRegion: undefined } as never;
    assert.equal(cloudSqlBackupLocation(mexico, false), "northamerica-south1");
    assert.throws(() => cloudSqlBackupLocation(mexico, true), /geoRedundantBackup: expected a replicaRegion/);
    const toronto = { site: { region: "northamerica-northeast2" }, replicaRegion: "northamerica-northeast1" };
    assert.equal(cloudSqlBackupLocation(toronto as never, true), "northamerica-northeast1");
  });

  it("production: REGIONAL, 35 backups, deletion protection and protect; dev: ZONAL", () => {
    const p = one(prod, "primary", "gcp:sql/databaseInstance:DatabaseInstance", "primary-database-instance");
    const ps = p.inputs.settings as Json;
    assert.equal(ps.availabilityType, "REGIONAL");
    assert.equal(((ps.backupConfiguration as Json).backupRetentionSettings as Json).retainedBackups, 35);
    assert.equal(p.inputs.deletionProtection, true);
    assert.equal(p.protect, true);
    const d = one(dev, "primary", "gcp:sql/databaseInstance:DatabaseInstance", "primary-database-instance");
    assert.equal((d.inputs.settings as Json).availabilityType, "ZONAL");
    assert.equal(d.protect, false);
  });
});

describe("database read replicas and connection pooling", () => {
  it("defaults: one replica and pooling in production, neither elsewhere; production cannot turn them off", () => {
    const prod = resolveDatabaseSettings({}, true);
    assert.deepEqual([prod.readReplicas, prod.connectionPooling], [1, true]);
    const dev = resolveDatabaseSettings({}, false);
    assert.deepEqual([dev.readReplicas, dev.connectionPooling], [0, false]);
    assert.throws(
      () => resolveDatabaseSettings({ readReplicas: 0 }, true),
      /readReplicas must be at least 1/,
    );
    assert.throws(() => resolveDatabaseSettings({ connectionPooling: false }, true), /connectionPooling/);
    assert.throws(() => resolveDatabaseSettings({ readReplicas: 6 }, false), /readReplicas must be a whole/);
  });

  it("places replicas in the site's zones after the writer's, last first; lets the cloud choose on one zone", () => {
    assert.equal(replicaZone(["a", "b", "c"], 0), "c");
    assert.equal(replicaZone(["a", "b", "c"], 1), "b");
    assert.equal(replicaZone(["a", "b", "c"], 2), "c");
    assert.equal(replicaZone(["a", "b"], 0), "b");
    assert.equal(replicaZone(["a"], 0), undefined);
  });

  it("config: platform:database is validated with the setting, what was expected and what was found", () => {
    const base = {
      environment: "dev",
      owner: "team",
      costCenter: "cc-1",
      dataClassification: "internal",
      frameworks: ["soc2"],
      alertContacts: [{ name: "on-call", email: "oncall@example.com" }],
      primary: {
        cloud: "azure",
        region: "westeurope",
        subscriptionId: "00000000-0000-4000-8000-000000000001",
        tenantId: "00000000-0000-4000-8000-0000000000aa",
        addressSpace: "10.1.0.0/16",
      },
    };
    const problems = (database: unknown, extra: Record<string, unknown> = {}) => {
      const r = parseStackConfig({ ...base, ...extra, database });
      return r.ok ? [] : r.problems;
    };
    assert.deepEqual(problems({ readReplicas: 0, connectionPooling: false }), []);
    assert.deepEqual(problems({ readReplicas: 1 }), [
      {
        path: "platform:database.readReplicas",
        message:
          "expected 0 or nothing: an Azure site outside production runs a Burstable flexible server, which has no read replicas, found 1",
      },
    ]);
    assert.match(problems({ connectionPooling: true })[0]!.message, /no built-in PgBouncer, found true/);
    assert.match(problems({ readReplicas: 9 })[0]!.message, /expected at most 5, found number 9/);
    assert.match(problems({ replicas: 1 })[0]!.message, /unknown key 'replicas'/);
    const prodProblems = problems({ readReplicas: 0, connectionPooling: false }, { production: true });
    assert.ok(
      prodProblems.some(
        (p) => p.path === "platform:database.readReplicas" && /at least 1 because production/.test(p.message),
      ),
    );
    assert.ok(prodProblems.some((p) => p.path === "platform:database.connectionPooling"));
  });

  describe("in the production plans", () => {
    let prod: Plan;
    let gcpProd: Plan;
    before(async () => {
      prod = await planOf("prod");
      gcpProd = await planOf("data-prod-gcp-aws", "Pulumi.data-prod-gcp-aws.yaml");
    });

    it("AWS: an encrypted, private replica in another zone with Performance Insights on the site key", () => {
      const keyArn = prod.resources.find((r) => r.name === "primary-keys-key")!.outputs.arn;
      const writer = one(prod, "primary", "aws:rds/instance:Instance", "primary-database-instance");
      const r = one(prod, "primary", "aws:rds/instance:Instance", "primary-database-replica-1").inputs;
      assert.equal(r.replicateSourceDb, writer.inputs.identifier);
      assert.deepEqual(
        [r.storageEncrypted, r.kmsKeyId, r.performanceInsightsKmsKeyId, r.publiclyAccessible],
        [true, keyArn, keyArn, false],
      );
      assert.equal(r.parameterGroupName, writer.inputs.parameterGroupName);
      assert.equal(r.availabilityZone, "us-east-1c");
      assert.equal(r.monitoringInterval, 60);
      assert.equal(r.deletionProtection, true);
      for (const k of ["username", "dbName", "passwordWo", "manageMasterUserPassword"])
        assert.equal(r[k], undefined, k);
    });

    it("AWS: RDS Proxy requires TLS and IAM, reads the master secret through a least-privilege role", () => {
      const proxy = one(prod, "primary", "aws:rds/proxy:Proxy").inputs;
      const secret = one(prod, "primary", "aws:secretsmanager/secret:Secret");
      assert.equal(proxy.requireTls, true);
      assert.equal(proxy.engineFamily, "POSTGRESQL");
      const auths = proxy.auths as Json[];
      assert.equal(auths.length, 1);
      assert.deepEqual([auths[0]!.iamAuth, auths[0]!.authScheme], ["REQUIRED", "SECRETS"]);
      assert.equal(auths[0]!.secretArn, secret.outputs.arn);
      const policy = JSON.parse(
        one(prod, "primary", "aws:iam/rolePolicy:RolePolicy").inputs.policy as string,
      );
      assert.deepEqual(policy.Statement[0].Resource, [secret.outputs.arn]);
      assert.ok(!JSON.stringify(policy).includes('"*"'), "no wildcard");
      const target = one(prod, "primary", "aws:rds/proxyTarget:ProxyTarget").inputs;
      assert.equal(target.dbInstanceIdentifier, "prod-primary-pg");
      const sg = one(prod, "primary", "aws:ec2/securityGroup:SecurityGroup");
      assert.deepEqual(proxy.vpcSecurityGroupIds, [sg.id]);
    });

    it("Azure: a replica of the server with the site key, PgBouncer on 6432 and Query Store", () => {
      const server = one(
        prod,
        "secondary",
        "azure-native:dbforpostgresql:Server",
        "secondary-database-server",
      );
      const r = one(prod, "secondary", "azure-native:dbforpostgresql:Server", "secondary-database-replica-1");
      assert.equal(r.inputs.createMode, "Replica");
      assert.equal(r.inputs.sourceServerResourceId, server.id);
      assert.deepEqual(
        (r.inputs.dataEncryption as Json).primaryKeyURI,
        (server.inputs.dataEncryption as Json).primaryKeyURI,
      );
      assert.equal((r.inputs.network as Json).publicNetworkAccess, "Disabled");
      assert.equal(r.inputs.availabilityZone, "3");
      assert.equal(r.protect, true);
      const configs = under(prod, "secondary", "azure-native:dbforpostgresql:Configuration");
      const on = (server: string, n: string) =>
        configs.find((c) => c.inputs.configurationName === n && c.inputs.serverName === server)?.inputs.value;
      const name = server.inputs.serverName as string;
      assert.equal(on(name, "pgbouncer.enabled"), "true");
      assert.equal(on(name, "pg_qs.query_capture_mode"), "top");
      assert.equal(on(name, "pgms_wait_sampling.query_capture_mode"), "all");
      assert.equal(on(r.inputs.serverName as string, "require_secure_transport"), "on");
      const nsg = prod.resources.find((x) => x.name === "secondary-network-nsg-data")!;
      const rules = nsg.inputs.securityRules as Json[];
      const dataPorts = rules.find((x) => x.name === "allow-data-ports-from-private")!;
      assert.ok((dataPorts.destinationPortRanges as string[]).includes("6432"));
    });

    it("GCP: a private, CMEK, zonal replica without backups; no pooler (Enterprise edition)", () => {
      const primary = one(
        gcpProd,
        "primary",
        "gcp:sql/databaseInstance:DatabaseInstance",
        "primary-database-instance",
      );
      const r = one(
        gcpProd,
        "primary",
        "gcp:sql/databaseInstance:DatabaseInstance",
        "primary-database-replica-1",
      );
      assert.equal(r.inputs.masterInstanceName, primary.inputs.name);
      assert.equal(r.inputs.encryptionKeyName, primary.inputs.encryptionKeyName);
      const settings = r.inputs.settings as Json;
      assert.equal((settings.ipConfiguration as Json).ipv4Enabled, false);
      assert.equal((settings.backupConfiguration as Json).enabled, false);
      assert.notEqual(
        (settings.locationPreference as Json).zone,
        ((primary.inputs.settings as Json).locationPreference as Json).zone,
      );
      assert.equal((settings.insightsConfig as Json).queryInsightsEnabled, true);
      assert.equal(settings.connectionPoolConfigs, undefined);
    });

    it("outputs: writer, reader and pooler endpoints per site", () => {
      const sites = prod.outputs!.sites as Record<string, Json>;
      const aws = (sites.primary!.database as Json).endpoints as Record<string, Json | null>;
      assert.match(aws.writer!.host as string, /^prod-primary-pg\./);
      assert.match(aws.reader!.host as string, /^prod-primary-pg-replica-1\./);
      assert.match(aws.pooler!.host as string, /\.proxy-/);
      const azure = (sites.secondary!.database as Json).endpoints as Record<string, Json | null>;
      assert.equal(azure.pooler!.port, 6432);
      assert.equal(azure.pooler!.host, azure.writer!.host);
      const gcp = ((gcpProd.outputs!.sites as Record<string, Json>).primary!.database as Json)
        .endpoints as Json;
      assert.equal(gcp.pooler, null);
    });
  });
});
