import { strict as assert } from "node:assert";
import { X509Certificate } from "node:crypto";
import type { Plan, PlanResource } from "../tools/harness";
import { secretSig, sigKey } from "../tools/harness";
import { planOf } from "./helpers";
import {
  mechanismsFor,
  objectReplicationGap,
  replicationLagAlarmSeconds,
  replicationMechanisms,
  replicationSteps,
  rotationPeriod,
} from "../components/replication";
import { azurePostgresRootCas } from "../providers/azure/replication";
import { nameProblem } from "../components/naming";
import type { Cloud } from "../components/regions";

/** The stacks with a secondary site, by ordered pair (source -> target). */
const pairs: { pair: string; stack: string; file?: string }[] = [
  { pair: "aws -> azure", stack: "prod" },
  { pair: "gcp -> aws", stack: "prodrep", file: "Pulumi.replication-prod-gcp-aws.yaml" },
  { pair: "azure -> gcp", stack: "prodrep", file: "Pulumi.replication-prod-azure-gcp.yaml" },
  { pair: "gcp -> azure", stack: "prod-gcp", file: "Pulumi.prod-gcp.yaml" },
  { pair: "gcp -> aws (dev)", stack: "dev" },
  { pair: "aws -> gcp", stack: "prodrep", file: "Pulumi.replication-prod-aws-gcp.yaml" },
  { pair: "azure -> aws", stack: "prodrep", file: "Pulumi.replication-prod-azure-aws.yaml" },
];

const underReplication = (plan: Plan): PlanResource[] =>
  plan.resources.filter((r) => r.custom && r.urn.includes("$platform:replication:Replication$"));

/** `<cloud>` and site role of the provider a resource is created with. */
function providerOf(r: PlanResource): { cloud: string; name: string } | undefined {
  const m = /pulumi:providers:([a-z-]+)::([a-z-]+)::/.exec(r.provider);
  return m ? { cloud: m[1]!, name: m[2]! } : undefined;
}

/** Every leaf of `value` whose key looks like a credential, with its path. */
function credentialLeaves(value: unknown, path = ""): { path: string; value: unknown }[] {
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[sigKey] === secretSig) return [];
    return Object.entries(obj).flatMap(([k, v]) => credentialLeaves(v, `${path}.${k}`));
  }
  const key = path.split(".").pop() ?? "";
  // A Key Vault secret's value.
  if (path === ".properties.value") return [{ path, value }];
  return /^(password|passwordWo|secretKey|secretAccessKey|secretString|secretData|sasToken|targetServerPassword|sourceServerPassword)$/i.test(
    key,
  )
    ? [{ path, value }]
    : [];
}

describe("cross-cloud replication", () => {
  describe("each pair plans object and database replication on both sides", () => {
    const expected: Record<string, { source: string[]; target: string[] }> = {
      "aws -> azure": {
        source: [
          "aws:iam/accessKey:AccessKey",
          "aws:secretsmanager/secret:Secret",
          "aws:cloudwatch/metricAlarm:MetricAlarm",
        ],
        target: [
          "azure-native:datafactory:Factory",
          "azure-native:datafactory:Pipeline",
          "azure-native:datafactory:Trigger",
          "azure-native:dbforpostgresql:Migration",
        ],
      },
      "gcp -> aws": {
        source: ["gcp:storage/hmacKey:HmacKey", "gcp:sql/user:User"],
        target: [
          "aws:datasync/task:Task",
          "aws:dms/replicationInstance:ReplicationInstance",
          "aws:dms/replicationTask:ReplicationTask",
        ],
      },
      "azure -> gcp": {
        source: ["azure-native:managedidentity:FederatedIdentityCredential", "azure-native:keyvault:Secret"],
        target: [
          "gcp:storage/transferJob:TransferJob",
          "gcp:databasemigrationservice/migrationJob:MigrationJob",
        ],
      },
      "gcp -> azure": {
        source: ["gcp:storage/hmacKey:HmacKey", "gcp:sql/user:User"],
        target: ["azure-native:datafactory:Pipeline", "azure-native:dbforpostgresql:Migration"],
      },
      "aws -> gcp": {
        source: ["aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:secretsmanager/secret:Secret"],
        target: [
          "gcp:storage/transferJob:TransferJob",
          "gcp:databasemigrationservice/migrationJob:MigrationJob",
        ],
      },
      "azure -> aws": {
        source: ["azure-native:keyvault:Secret"],
        target: ["aws:dms/replicationTask:ReplicationTask", "aws:dms/certificate:Certificate"],
      },
      "gcp -> aws (dev)": {
        source: ["gcp:storage/hmacKey:HmacKey"],
        target: ["aws:datasync/task:Task", "aws:dms/replicationTask:ReplicationTask"],
      },
    };
    for (const { pair, stack, file } of pairs) {
      it(pair, async () => {
        const plan = await planOf(stack, file);
        const mine = underReplication(plan);
        const [src = "", , dst = ""] = pair.split(" ");
        const cloudKey = (c: string) => (c === "azure" ? "azure-native" : c);
        for (const type of expected[pair]!.source) {
          const found = mine.filter((r) => r.type === type && providerOf(r)?.name === "primary");
          assert.ok(found.length > 0, `${pair}: no ${type} on the primary (${src}) provider`);
          assert.equal(providerOf(found[0]!)?.cloud, cloudKey(src));
        }
        for (const type of expected[pair]!.target) {
          const found = mine.filter((r) => r.type === type && providerOf(r)?.name === "secondary");
          assert.ok(found.length > 0, `${pair}: no ${type} on the secondary (${dst}) provider`);
          assert.equal(providerOf(found[0]!)?.cloud, cloudKey(dst));
        }
      });
    }
  });

  it("credentials appear only as secrets in every pair's plan", async () => {
    for (const { pair, stack, file } of pairs) {
      const plan = await planOf(stack, file);
      const clear = underReplication(plan).flatMap((r) =>
        credentialLeaves(r.inputs).map((l) => `${pair} ${r.type} ${r.name}${l.path}`),
      );
      assert.deepEqual(clear, []);
    }
  });

  it("custom resources of the component use a site's explicit provider (never a default one)", async () => {
    for (const { stack, file } of pairs) {
      const plan = await planOf(stack, file);
      for (const r of underReplication(plan)) {
        const p = providerOf(r);
        assert.ok(
          p && ["primary", "secondary", "replication-random"].includes(p.name),
          `${r.type} ${r.name}: ${r.provider}`,
        );
      }
    }
  });

  it("the DMS replication instance is private, encrypted and in the data tier; endpoints require TLS", async () => {
    const plan = await planOf("prodrep", "Pulumi.replication-prod-gcp-aws.yaml");
    const instance = underReplication(plan).find(
      (r) => r.type === "aws:dms/replicationInstance:ReplicationInstance",
    )!;
    assert.equal(instance.inputs.publiclyAccessible, false);
    assert.ok(instance.inputs.kmsKeyArn);
    assert.equal(instance.inputs.multiAz, true);
    for (const e of underReplication(plan).filter((r) => r.type === "aws:dms/endpoint:Endpoint")) {
      assert.ok(
        ["require", "verify-full"].includes(String(e.inputs.sslMode)),
        `${e.name}: ${String(e.inputs.sslMode)}`,
      );
    }
    const alarm = underReplication(plan).find((r) => r.name === "replication-db-lag-alarm")!;
    assert.equal(alarm.inputs.metricName, "CDCLatencyTarget");
    assert.equal(alarm.inputs.threshold, replicationLagAlarmSeconds);
  });

  it("Storage Transfer Service reads Azure with a federated identity and logs failures", async () => {
    const plan = await planOf("prodrep", "Pulumi.replication-prod-azure-gcp.yaml");
    const job = underReplication(plan).find((r) => r.type === "gcp:storage/transferJob:TransferJob")!;
    const spec = job.inputs.transferSpec as Record<string, Record<string, unknown>>;
    assert.ok(spec.azureBlobStorageDataSource?.federatedIdentityConfig);
    assert.equal(spec.azureBlobStorageDataSource?.azureCredentials, undefined);
    assert.equal((job.inputs.schedule as Record<string, unknown>).repeatInterval, "3600s");
    assert.ok(
      ((job.inputs.loggingConfig as Record<string, unknown>).logActionStates as string[]).includes("FAILED"),
    );
    const federation = underReplication(plan).find(
      (r) => r.type === "azure-native:managedidentity:FederatedIdentityCredential",
    )!;
    assert.equal(federation.inputs.issuer, "https://accounts.google.com");
    assert.deepEqual(federation.inputs.audiences, ["api://AzureADTokenExchange"]);
    // The Azure source's server is verified with public root CAs.
    const profile = underReplication(plan).find((r) => r.name === "replication-db-source-profile")!;
    assert.equal(profile.inputs.postgresql && typeof profile.inputs.postgresql, "object");
  });

  it("Data Factory runs in a managed virtual network with secrets from Key Vault", async () => {
    const plan = await planOf("prod");
    const mine = underReplication(plan);
    const factory = mine.find((r) => r.type === "azure-native:datafactory:Factory")!;
    assert.equal(factory.inputs.publicNetworkAccess, "Disabled");
    assert.ok((factory.inputs.encryption as Record<string, unknown>).keyName);
    const runtime = mine.find((r) => r.type === "azure-native:datafactory:IntegrationRuntime")!;
    assert.ok((runtime.inputs.properties as Record<string, unknown>).managedVirtualNetwork);
    const source = mine.find((r) => r.name === "replication-objects-adf-ls-source")!;
    const props = source.inputs.properties as Record<string, Record<string, unknown>>;
    assert.equal(props.secretAccessKey?.type, "AzureKeyVaultSecret");
    const trigger = mine.find((r) => r.type === "azure-native:datafactory:Trigger")!;
    const recurrence = (trigger.inputs.properties as Record<string, Record<string, unknown>>).recurrence!;
    assert.equal(recurrence.interval, replicationMechanisms.objects.azure.intervalMinutes);
  });

  it("logical decoding is on for every cloud's database (the source of CDC)", async () => {
    const prod = await planOf("prod");
    const pg = prod.resources.find((r) => r.type === "aws:rds/parameterGroup:ParameterGroup")!;
    assert.ok(
      (pg.inputs.parameters as { name: string; value: string }[]).some(
        (p) => p.name === "rds.logical_replication" && p.value === "1",
      ),
    );
    const walLevel = prod.resources.find(
      (r) =>
        r.type === "azure-native:dbforpostgresql:Configuration" && r.inputs.configurationName === "wal_level",
    );
    assert.equal(walLevel?.inputs.value, "logical");
    const dev = await planOf("dev");
    const sql = dev.resources.find((r) => r.type === "gcp:sql/databaseInstance:DatabaseInstance")!;
    const flags = (sql.inputs.settings as { databaseFlags: { name: string; value: string }[] }).databaseFlags;
    assert.ok(flags.some((f) => f.name === "cloudsql.logical_decoding" && f.value === "on"));
  });

  describe("mechanisms and helpers", () => {
    it("every receiving cloud has an object and a database mechanism with a documented RPO", () => {
      for (const cloud of ["aws", "azure", "gcp"] as Cloud[]) {
        for (const m of mechanismsFor(cloud)) {
          assert.ok(m.rpoMinutes > 0 && m.rpoMinutes >= m.intervalMinutes, `${cloud} ${m.concern}`);
          assert.ok(m.intervalMinutes >= m.minimumIntervalMinutes, `${cloud} ${m.concern}`);
          assert.match(m.source, /^https:\/\//);
        }
      }
    });

    it("rotationPeriod changes every 90 days and is stable within a period", () => {
      assert.equal(rotationPeriod(new Date("2026-01-01T00:00:00Z")), "2026-p1");
      assert.equal(rotationPeriod(new Date("2026-03-31T23:59:59Z")), "2026-p1");
      assert.equal(rotationPeriod(new Date("2026-04-01T00:00:00Z")), "2026-p2");
      assert.equal(rotationPeriod(new Date("2026-12-31T12:00:00Z")), "2026-p5");
    });

    it("the S3 source is read through a role Google's transfer agent assumes (no key)", async () => {
      const plan = await planOf("prodrep", "Pulumi.replication-prod-aws-gcp.yaml");
      const mine = underReplication(plan);
      assert.equal(mine.filter((r) => r.type === "aws:iam/accessKey:AccessKey").length, 0);
      const role = mine.find((r) => r.name === "replication-objects-reader-role")!;
      const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as {
        Statement: { Principal: { Federated: string }; Action: string; Condition: unknown }[];
      };
      assert.equal(trust.Statement[0]!.Principal.Federated, "accounts.google.com");
      assert.equal(trust.Statement[0]!.Action, "sts:AssumeRoleWithWebIdentity");
      assert.deepEqual(trust.Statement[0]!.Condition, {
        StringEquals: { "accounts.google.com:sub": "104857600000000000001" },
      });
      const job = mine.find((r) => r.type === "gcp:storage/transferJob:TransferJob")!;
      const spec = job.inputs.transferSpec as Record<string, Record<string, unknown>>;
      assert.ok(spec.awsS3DataSource?.roleArn);
      assert.equal(spec.awsS3DataSource?.awsAccessKey, undefined);
    });

    it("azure -> aws builds no object replication and says why", async () => {
      const plan = await planOf("prodrep", "Pulumi.replication-prod-azure-aws.yaml");
      const mine = underReplication(plan);
      assert.equal(mine.filter((r) => r.type.startsWith("aws:datasync/")).length, 0);
      const endpoint = mine.find((r) => r.name === "replication-db-source")!;
      assert.equal(endpoint.inputs.sslMode, "verify-full");
    });

    it("names the one-time steps of each pair (managed private endpoint approval, role bootstrap, STS reachability)", () => {
      assert.ok(
        replicationSteps("aws", "azure", true).some((s) => /private endpoints .* start the trigger/.test(s)),
      );
      assert.ok(replicationSteps("aws", "azure", true).some((s) => /rds_replication/.test(s)));
      assert.ok(replicationSteps("azure", "gcp", true).some((s) => /ip_restrictions/.test(s)));
      assert.ok(!replicationSteps("azure", "gcp", false).some((s) => /ip_restrictions/.test(s)));
      assert.deepEqual(replicationSteps("gcp", "aws", false).length, 1);
    });

    it("only azure -> aws lacks object replication, with the reason", () => {
      const clouds: Cloud[] = ["aws", "azure", "gcp"];
      const gaps = clouds.flatMap((s) =>
        clouds.filter((t) => t !== s && objectReplicationGap(s, t)).map((t) => `${s}->${t}`),
      );
      assert.deepEqual(gaps, ["azure->aws"]);
      assert.match(objectReplicationGap("azure", "aws")!, /SAS/);
    });

    it("the Azure PostgreSQL root CAs come from Node's store (two certificates)", () => {
      const pems =
        azurePostgresRootCas().match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
      assert.equal(pems.length, 2);
      for (const pem of pems) assert.ok(new X509Certificate(pem).ca);
    });

    it("Data Factory names fit their rules for the longest environment", () => {
      assert.equal(
        nameProblem("azureDataFactory", "adf-averyveryverylongenvironmentname-secondary-abc123"),
        undefined,
      );
      assert.ok(nameProblem("azureDataFactory", "-adf"));
    });
  });
});
