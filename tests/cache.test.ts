import { strict as assert } from "node:assert";
import { CacheArgsError, cacheCatalog, resolveCacheSettings } from "../components/cache";
import { cacheConfigSchema } from "../components/cache-catalog";
import type { Plan } from "../tools/harness";
import { memberAzs, memberClusterIds } from "../providers/aws/cache";
import { componentQueries, planOf } from "./helpers";

const { countsOf, one } = componentQueries("cache");
type Json = Record<string, unknown>;

describe("cache settings", () => {
  it("defaults from the catalog: replicas and 7-day snapshots in production, one node elsewhere", () => {
    const prod = resolveCacheSettings({}, "aws", true, 3);
    assert.deepEqual(
      [
        prod.engine,
        prod.engineVersion,
        prod.nodeType,
        prod.replicas,
        prod.automaticFailover,
        prod.snapshotRetentionDays,
      ],
      ["valkey", "8.0", cacheCatalog.aws.sizes.medium, 2, true, 7],
    );
    const dev = resolveCacheSettings({}, "gcp", false, 1);
    assert.deepEqual(
      [dev.engineVersion, dev.nodeType, dev.replicas, dev.automaticFailover],
      ["REDIS_7_2", "1", 0, false],
    );
    // Azure Managed Redis: high availability is one replica per shard.
    assert.equal(resolveCacheSettings({}, "azure", true, 3).replicas, 1);
  });

  it("rejects what a cloud does not offer and what production forbids, naming the argument", () => {
    const cases: [Parameters<typeof resolveCacheSettings>, RegExp][] = [
      [[{ version: "8" }, "gcp", false, 1], /version '8' is not offered on gcp/],
      [[{ replicas: 0 }, "aws", true, 3], /replicas must be at least 1 in production/],
      [[{ replicas: 1 }, "aws", false, 1], /need at least 2 zones/],
      [[{ size: "small", replicas: 1 }, "gcp", false, 1], /read replicas need nodes of at least 5 GB/],
      [[{ replicas: 2 }, "azure", true, 3], /replicas must be a whole number from 0 to 1 on azure/],
      [[{ snapshotRetentionDays: 3 }, "aws", true, 3], /at least 7 in production/],
      [[{ snapshotRetentionDays: 40 }, "aws", false, 1], /from 1 to 35/],
    ];
    for (const [args, message] of cases) {
      assert.throws(
        () => resolveCacheSettings(...args),
        (e: unknown) => e instanceof CacheArgsError && message.test(e.message),
        String(message),
      );
    }
  });

  it("the stack schema rejects unknown keys and out-of-range values", () => {
    assert.equal(cacheConfigSchema.safeParse({ size: "medium", replicas: 1 }).success, true);
    assert.equal(cacheConfigSchema.safeParse({ sise: "medium" }).success, false);
    assert.equal(cacheConfigSchema.safeParse({ snapshotRetentionDays: 36 }).success, false);
    assert.equal(cacheConfigSchema.safeParse({ version: "6" }).success, false);
  });

  it("ElastiCache member clusters and zones: primary in the first zone, replicas round-robin", () => {
    assert.deepEqual(memberClusterIds("prod-primary-cache", 3), [
      "prod-primary-cache-001",
      "prod-primary-cache-002",
      "prod-primary-cache-003",
    ]);
    assert.deepEqual(memberAzs(["a", "b"], 3), ["a", "b", "a"]);
  });
});

describe("cache on every cloud", () => {
  let prod: Plan;
  let dev: Plan;
  let prodGcp: Plan;
  before(async () => {
    prod = await planOf("prod");
    dev = await planOf("dev");
    prodGcp = await planOf("prod-gcp", "Pulumi.prod-gcp.yaml");
  });

  it("AWS: Multi-AZ Valkey replication group with TLS, a generated AUTH token in a site-key secret, the site key, snapshots, logs and alarms", () => {
    const expected = {
      "pulumi:providers:random": 1,
      "random:index/randomPassword:RandomPassword": 1,
      "aws:secretsmanager/secret:Secret": 1,
      "aws:secretsmanager/secretVersion:SecretVersion": 1,
      "aws:elasticache/subnetGroup:SubnetGroup": 1,
      "aws:elasticache/parameterGroup:ParameterGroup": 1,
      "aws:elasticache/replicationGroup:ReplicationGroup": 1,
      "aws:cloudwatch/metricAlarm:MetricAlarm": 3,
    };
    assert.deepEqual(countsOf(prod, "primary"), expected);
    assert.deepEqual(countsOf(dev, "secondary"), {
      ...expected,
      "aws:cloudwatch/metricAlarm:MetricAlarm": 2,
    });
    const keyArn = prod.resources.find((r) => r.name === "primary-keys-key")!.outputs.arn;
    const g = one(prod, "primary", "aws:elasticache/replicationGroup:ReplicationGroup");
    assert.deepEqual(
      [
        g.inputs.engine,
        g.inputs.transitEncryptionEnabled,
        g.inputs.atRestEncryptionEnabled,
        g.inputs.kmsKeyId,
      ],
      ["valkey", true, true, keyArn],
    );
    assert.deepEqual(
      [g.inputs.numCacheClusters, g.inputs.automaticFailoverEnabled, g.inputs.multiAzEnabled, g.protect],
      [3, true, true, true],
    );
    assert.equal(new Set(g.inputs.preferredCacheClusterAzs as string[]).size, 3, "nodes in three zones");
    assert.equal(g.inputs.snapshotRetentionLimit, 7);
    assert.ok(g.inputs.authToken !== undefined, "an AUTH token is set");
    const sg = prod.resources.find((r) => r.name === "primary-network-sg-data");
    if (sg) assert.deepEqual(g.inputs.securityGroupIds, [sg.id]);
    const logs = g.inputs.logDeliveryConfigurations as Json[];
    assert.deepEqual(logs.map((l) => l.logType).sort(), ["engine-log", "slow-log"]);
    assert.ok(
      logs.every((l) => l.destination === "/platform/prod/primary"),
      JSON.stringify(logs),
    );
    const secret = one(prod, "primary", "aws:secretsmanager/secret:Secret");
    assert.equal(secret.inputs.kmsKeyId, keyArn);
    const d = one(dev, "secondary", "aws:elasticache/replicationGroup:ReplicationGroup");
    assert.deepEqual([d.inputs.numCacheClusters, d.inputs.automaticFailoverEnabled], [1, false]);
  });

  it("Azure: Managed Redis with the site key, HA, TLS 1.2, no public access, Entra only, a private endpoint and alerts", () => {
    assert.deepEqual(countsOf(prod, "secondary"), {
      "azure-native:redisenterprise:RedisEnterprise": 1,
      "azure-native:redisenterprise:Database": 1,
      "azure-native:network:PrivateEndpoint": 1,
      "azure-native:network:PrivateDnsZoneGroup": 1,
      "azure-native:monitor:DiagnosticSetting": 2,
      "azure-native:monitor:MetricAlert": 2,
    });
    const c = one(prod, "secondary", "azure-native:redisenterprise:RedisEnterprise");
    const key = prod.resources.find(
      (r) => r.type === "azure-native:keyvault:Key" && r.name.startsWith("secondary-keys"),
    )!;
    const cmk = (c.inputs.encryption as Json).customerManagedKeyEncryption as Json;
    assert.equal(cmk.keyEncryptionKeyUrl, key.outputs.keyUriWithVersion);
    assert.deepEqual(
      [c.inputs.publicNetworkAccess, c.inputs.minimumTlsVersion, c.inputs.highAvailability, c.protect],
      ["Disabled", "1.2", "Enabled", true],
    );
    const db = one(prod, "secondary", "azure-native:redisenterprise:Database");
    assert.deepEqual(
      [
        db.inputs.clientProtocol,
        db.inputs.accessKeysAuthentication,
        (db.inputs.persistence as Json).rdbEnabled,
      ],
      ["Encrypted", "Disabled", true],
    );
    const pe = one(prod, "secondary", "azure-native:network:PrivateEndpoint");
    const conn = (pe.inputs.privateLinkServiceConnections as Json[])[0]!;
    assert.deepEqual(conn.groupIds, ["redisEnterprise"]);
    const zone = prod.resources.find(
      (r) =>
        r.type === "azure-native:privatedns:PrivateZone" &&
        r.inputs.privateZoneName === "privatelink.redis.azure.net",
    );
    assert.ok(zone, "the network links the Azure Managed Redis private DNS zone");
  });

  it("GCP: Memorystore with CMEK after the agent's grant, TLS, AUTH, PSA; Standard Tier with read replicas in production", () => {
    assert.deepEqual(countsOf(dev, "primary"), {
      "gcp:projects/serviceIdentity:ServiceIdentity": 1,
      "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": 1,
      "gcp:redis/instance:Instance": 1,
      "gcp:monitoring/alertPolicy:AlertPolicy": 2,
    });
    const p = one(prodGcp, "primary", "gcp:redis/instance:Instance");
    const grant = one(prodGcp, "primary", "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember");
    assert.ok(p.dependencies.includes(grant.urn), "the instance waits for the key grant");
    assert.deepEqual(
      [p.inputs.tier, p.inputs.readReplicasMode, p.inputs.replicaCount, p.inputs.memorySizeGb],
      ["STANDARD_HA", "READ_REPLICAS_ENABLED", 2, 5],
    );
    assert.deepEqual(
      [
        p.inputs.transitEncryptionMode,
        p.inputs.authEnabled,
        p.inputs.connectMode,
        p.inputs.customerManagedKey,
      ],
      ["SERVER_AUTHENTICATION", true, "PRIVATE_SERVICE_ACCESS", grant.inputs.cryptoKeyId],
    );
    assert.notEqual(p.inputs.locationId, p.inputs.alternativeLocationId);
    assert.equal((p.inputs.persistenceConfig as Json).persistenceMode, "RDB");
    assert.equal(countsOf(prodGcp, "primary")["gcp:monitoring/alertPolicy:AlertPolicy"], 3);
    const d = one(dev, "primary", "gcp:redis/instance:Instance");
    assert.deepEqual([d.inputs.tier, d.inputs.readReplicasMode], ["BASIC", undefined]);
  });
});
