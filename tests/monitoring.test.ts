import { strict as assert } from "node:assert";
import {
  MonitoringArgsError,
  logRetentionChoices,
  logRetentionLimits,
  resolveMonitoringSettings,
  severitiesFrom,
} from "../components/monitoring";
import type { Plan } from "../tools/harness";
import { componentQueries, planOf } from "./helpers";

const { under, countsOf } = componentQueries("monitoring");

type Json = Record<string, unknown>;

describe("monitoring settings", () => {
  const contacts = [
    { name: "on-call", email: "oncall@example.com", minSeverity: "high" as const },
    { name: "security", email: "sec@example.com", minSeverity: "critical" as const },
  ];

  it("routes each contact every severity at or above its minimum", () => {
    assert.deepEqual(severitiesFrom("high"), ["critical", "high"]);
    assert.deepEqual(severitiesFrom("low"), ["critical", "high", "medium", "low"]);
    const s = resolveMonitoringSettings({}, { alertContacts: contacts, production: true });
    assert.deepEqual(s.routedSeverities, ["critical", "high"]);
    assert.deepEqual(
      s.recipients.map((r) => [r.email, r.severities]),
      [
        ["oncall@example.com", ["critical", "high"]],
        ["sec@example.com", ["critical"]],
      ],
    );
    assert.equal(s.logRetentionDays, 365);
    assert.equal(
      resolveMonitoringSettings({}, { alertContacts: contacts, production: false }).logRetentionDays,
      90,
    );
  });

  it("rejects retention a cloud cannot keep, and less than a year in production", () => {
    assert.throws(
      () =>
        resolveMonitoringSettings({ logRetentionDays: 100 }, { alertContacts: contacts, production: false }),
      (e: unknown) => e instanceof MonitoringArgsError && /logRetentionDays must be one of/.test(e.message),
    );
    assert.throws(
      () =>
        resolveMonitoringSettings({ logRetentionDays: 180 }, { alertContacts: contacts, production: true }),
      /at least 365 in production/,
    );
  });

  it("gives no cloud a retention its log store refuses: Log Analytics keeps at most 730 days", () => {
    const stack = { alertContacts: contacts, production: true };
    assert.throws(
      () => resolveMonitoringSettings({ logRetentionDays: 731 }, stack, "azure"),
      (e: unknown) =>
        e instanceof MonitoringArgsError &&
        /logRetentionDays must be a whole number of days from 30 to 730 .* on azure, got 731/.test(e.message),
    );
    assert.equal(resolveMonitoringSettings({ logRetentionDays: 730 }, stack, "azure").logRetentionDays, 730);
    assert.equal(resolveMonitoringSettings({ logRetentionDays: 731 }, stack, "aws").logRetentionDays, 731);
    assert.throws(
      () => resolveMonitoringSettings({ logRetentionDays: 730 }, stack, "aws"),
      /logRetentionDays must be one of CloudWatch Logs' retention periods .* on aws, got 730/,
    );
    assert.equal(resolveMonitoringSettings({ logRetentionDays: 3650 }, stack, "gcp").logRetentionDays, 3650);
    // The portable choices fit every cloud.
    for (const days of logRetentionChoices) {
      for (const cloud of ["aws", "azure", "gcp"] as const) {
        assert.ok(logRetentionLimits[cloud].accepts(days), `${days} on ${cloud}`);
      }
    }
    assert.throws(() => resolveMonitoringSettings({ logRetentionDays: 731 }, stack), /must be one of/);
  });
});

describe("monitoring on AWS", () => {
  let prod: Plan;
  let dev: Plan;
  before(async () => {
    prod = await planOf("prod");
    dev = await planOf("dev");
  });

  it("creates a KMS log group, encrypted severity topics with subscriptions by minSeverity, and a delivery alarm", () => {
    // No alarm on the workload log group: nothing writes to it until workloads exist, so it could never
    // fire. The error alarms watch the PostgreSQL log (tests/aws-deployable.test.ts).
    assert.deepEqual(countsOf(prod, "primary"), {
      "aws:cloudwatch/logGroup:LogGroup": 1,
      "aws:kms/key:Key": 1,
      "aws:kms/alias:Alias": 1,
      "aws:sns/topic:Topic": 2,
      "aws:sns/topicSubscription:TopicSubscription": 3,
      "aws:cloudwatch/metricAlarm:MetricAlarm": 1,
    });
    const subs = under(prod, "primary", "aws:sns/topicSubscription:TopicSubscription")
      .map((s) => s.name)
      .sort();
    assert.deepEqual(subs, [
      "primary-monitoring-critical-platform-oncall-example-com",
      "primary-monitoring-critical-security-example-com",
      "primary-monitoring-high-platform-oncall-example-com",
    ]);
  });

  it("keeps logs a year in production (90 days in dev) under the site key; topics use the alerts key", () => {
    const group = under(prod, "primary", "aws:cloudwatch/logGroup:LogGroup")[0]!;
    const siteKey = prod.resources.find((r) => r.name === "primary-keys-key")!;
    assert.equal(group.inputs.kmsKeyId, siteKey.outputs.arn);
    assert.equal(group.inputs.retentionInDays, 365);
    assert.equal(group.protect, true);
    assert.equal(under(dev, "secondary", "aws:cloudwatch/logGroup:LogGroup")[0]!.inputs.retentionInDays, 90);
    const alertsKey = under(prod, "primary", "aws:kms/key:Key")[0]!;
    const policy = JSON.parse(alertsKey.inputs.policy as string) as { Statement: Json[] };
    const publishers = policy.Statement.find((s) => s.Sid === "AlarmAndEventPublishers")!;
    assert.ok((publishers.Principal as { Service: string[] }).Service.includes("cloudwatch.amazonaws.com"));
    for (const topic of under(prod, "primary", "aws:sns/topic:Topic")) {
      assert.equal(topic.inputs.kmsMasterKeyId, alertsKey.outputs.arn);
    }
  });
});

describe("monitoring on Azure", () => {
  let prod: Plan;
  let dev: Plan;
  before(async () => {
    prod = await planOf("prod");
    dev = await planOf("data-dev-azure", "Pulumi.data-dev-azure.yaml");
  });

  it("creates a workspace, Key Vault audit diagnostics, action groups per routed severity and two alerts", () => {
    assert.deepEqual(countsOf(prod, "secondary"), {
      "azure-native:operationalinsights:Workspace": 1,
      "azure-native:monitor:DiagnosticSetting": 1,
      "azure-native:monitor:ActionGroup": 2,
      "azure-native:monitor:ActivityLogAlert": 2,
    });
    // The dev fixture's contact takes medium and above: three action groups.
    assert.equal(under(dev, "primary", "azure-native:monitor:ActionGroup").length, 3);
  });

  it("keeps logs a year in production with local auth off, and routes the critical alert to the critical group", () => {
    const ws = under(prod, "secondary", "azure-native:operationalinsights:Workspace")[0]!;
    assert.equal(ws.inputs.retentionInDays, 365);
    assert.equal((ws.inputs.features as Json).disableLocalAuth, true);
    const critical = under(prod, "secondary", "azure-native:monitor:ActionGroup").find((g) =>
      g.name.endsWith("-critical"),
    )!;
    assert.deepEqual((critical.inputs.emailReceivers as Json[]).map((r) => r.emailAddress).sort(), [
      "platform-oncall@example.com",
      "security@example.com",
    ]);
    const vaultAlert = under(prod, "secondary", "azure-native:monitor:ActivityLogAlert").find((a) =>
      a.name.endsWith("key-vault-deleted"),
    )!;
    assert.deepEqual((vaultAlert.inputs.actions as Json).actionGroups, [{ actionGroupId: critical.id }]);
  });
});

describe("monitoring on GCP", () => {
  let dev: Plan;
  let prod: Plan;
  before(async () => {
    dev = await planOf("dev");
    prod = await planOf("data-prod-gcp-aws", "Pulumi.data-prod-gcp-aws.yaml");
  });

  it("creates a CMEK log bucket, a sink, its _Default exclusion, a channel per contact and two log alerts", () => {
    assert.deepEqual(countsOf(prod, "primary"), {
      "gcp:logging/projectBucketConfig:ProjectBucketConfig": 1,
      "gcp:logging/projectSink:ProjectSink": 1,
      "gcp:logging/projectExclusion:ProjectExclusion": 1,
      "gcp:monitoring/notificationChannel:NotificationChannel": 2,
      "gcp:monitoring/alertPolicy:AlertPolicy": 2,
    });
  });

  it("stores what the sink routes once: the _Default sink excludes exactly the sink's filter", () => {
    for (const plan of [dev, prod]) {
      const [sink] = under(plan, "primary", "gcp:logging/projectSink:ProjectSink");
      const [exclusion] = under(plan, "primary", "gcp:logging/projectExclusion:ProjectExclusion");
      assert.ok(sink && exclusion, "a sink and an exclusion on the _Default sink");
      assert.equal(exclusion.inputs.filter, sink.inputs.filter);
      assert.equal(exclusion.inputs.disabled ?? false, false);
      assert.equal(exclusion.inputs.project, sink.inputs.project);
      assert.ok(exclusion.dependencies.includes(sink.urn), "the exclusion waits for the sink");
    }
  });

  it("encrypts and locks the production log bucket, and notifies only the recipients of each severity", () => {
    const bucket = under(prod, "primary", "gcp:logging/projectBucketConfig:ProjectBucketConfig")[0]!;
    const siteKey = prod.resources.find((r) => r.name === "primary-keys-key")!;
    assert.deepEqual(bucket.inputs.cmekSettings, { kmsKeyName: siteKey.id });
    // The one Cloud Logging key grant of the site (in SiteKeys) is created before the bucket.
    const grant = prod.resources.find((r) => r.name === "primary-keys-logging-key-access")!;
    assert.equal(grant.inputs.cryptoKeyId, siteKey.id);
    assert.equal(grant.inputs.role, "roles/cloudkms.cryptoKeyEncrypterDecrypter");
    assert.ok(bucket.dependencies.includes(grant.urn), "the log bucket waits for the key grant");
    assert.equal(bucket.inputs.retentionDays, 365);
    assert.equal(bucket.inputs.locked, true);
    assert.equal(
      under(dev, "primary", "gcp:logging/projectBucketConfig:ProjectBucketConfig")[0]!.inputs.locked,
      false,
    );
    const channels = under(prod, "primary", "gcp:monitoring/notificationChannel:NotificationChannel");
    const oncall = channels.find((c) => c.name.includes("platform-oncall"))!;
    const iam = under(prod, "primary", "gcp:monitoring/alertPolicy:AlertPolicy").find((p) =>
      p.name.endsWith("iam-policy-change"),
    )!;
    assert.equal(iam.inputs.severity, "ERROR");
    assert.deepEqual(iam.inputs.notificationChannels, [oncall.id]);
    const destroy = under(prod, "primary", "gcp:monitoring/alertPolicy:AlertPolicy").find((p) =>
      p.name.endsWith("key-destruction"),
    )!;
    assert.equal(destroy.inputs.severity, "CRITICAL");
    assert.equal((destroy.inputs.notificationChannels as string[]).length, 2);
  });
});
