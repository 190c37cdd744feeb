/**
 * enforce-recovery-objectives: a production two-site stack whose deployed copy schedules and lag alarms
 * deliver its declared RPO/RTO, and whose secondary receives replicated data. One rejecting and one
 * accepting stack (at least) per receiving cloud.
 */
import * as assert from "node:assert/strict";
import { controlCases } from "./cases";
import type { TestResource } from "./harness";
import {
  declareAndSwitchMinutes,
  lagMetricDelaySeconds,
  rateMinutes,
  switchMinutes,
} from "../../policies/controls/enforce-recovery-objectives";
import {
  baseRtoMinutes,
  interconnectMechanism,
  objectReplicationMechanism,
  databaseReplicationMechanism,
  type RecoveryPair,
} from "../../components/recovery";
import { lagMetricDelaySeconds as modelDelays, replicationMechanisms } from "../../components/replication";

const tags = (role: string) => ({ tags: { "site-role": role } });
const r = (type: string, name: string, props: Record<string, unknown>, role?: string): TestResource => ({
  type,
  name,
  props,
  ...(role ? { provider: { type: `pulumi:providers:${type.split(":")[0]}`, name: role } } : {}),
});
const objectives = { recovery: { rpoMinutes: 60, rtoMinutes: 240 } };

// Sites: an AWS primary (VPC, RDS) and a secondary per cloud.
const awsPrimary = [
  r("aws:ec2/vpc:Vpc", "p-vpc", tags("primary")),
  r("aws:rds/instance:Instance", "p-db", tags("primary")),
  r(
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "p-slot-lag",
    {
      namespace: "AWS/RDS",
      metricName: "OldestReplicationSlotLag",
      threshold: 1024 ** 3,
      ...tags("primary"),
    },
    "primary",
  ),
];
const gcpPrimary = [
  r("gcp:compute/network:Network", "p-net", {}, "primary"),
  r("gcp:sql/databaseInstance:DatabaseInstance", "p-db", {
    settings: { userLabels: { "site-role": "primary" } },
  }),
];

// Into GCP: Storage Transfer Service + DMS continuous job + replica_lag alert.
const gcpSecondary = (repeatInterval: string, lagAlert = true): TestResource[] => [
  r("gcp:compute/network:Network", "s-net", {}, "secondary"),
  r("gcp:storage/bucket:Bucket", "s-bucket", { labels: { "site-role": "secondary" } }, "secondary"),
  r("gcp:storage/transferJob:TransferJob", "s-transfer", { schedule: { repeatInterval } }, "secondary"),
  r("gcp:databasemigrationservice/migrationJob:MigrationJob", "s-job", { type: "CONTINUOUS" }, "secondary"),
  ...(lagAlert
    ? [
        r(
          "gcp:monitoring/alertPolicy:AlertPolicy",
          "s-lag",
          {
            conditions: [
              {
                conditionThreshold: {
                  filter:
                    'resource.type = "cloudsql_database" AND metric.type = "cloudsql.googleapis.com/database/replication/replica_lag"',
                  thresholdValue: 300,
                  duration: "300s",
                },
              },
            ],
          },
          "secondary",
        ),
      ]
    : []),
];

// Into AWS: DataSync + DMS CDC task + CDCLatencyTarget alarm.
const awsSecondary = (scheduleExpression: string, threshold = 300): TestResource[] => [
  r("aws:ec2/vpc:Vpc", "s-vpc", tags("secondary")),
  r("aws:s3/bucketV2:BucketV2", "s-bucket", tags("secondary")),
  r("aws:rds/instance:Instance", "s-db", tags("secondary")),
  r("aws:datasync/task:Task", "s-task", { schedule: { scheduleExpression }, ...tags("secondary") }),
  r("aws:dms/replicationTask:ReplicationTask", "s-cdc", {
    migrationType: "full-load-and-cdc",
    ...tags("secondary"),
  }),
  r("aws:cloudwatch/metricAlarm:MetricAlarm", "s-lag", {
    namespace: "AWS/DMS",
    metricName: "CDCLatencyTarget",
    threshold,
    period: 60,
    evaluationPeriods: 5,
    ...tags("secondary"),
  }),
];

// Into Azure: Data Factory schedule trigger + copy pipeline + online migration.
const azureSecondary = (interval: number, timeout = "0.00:45:00"): TestResource[] => [
  r("azure-native:network:VirtualNetwork", "s-vnet", tags("secondary")),
  r("azure-native:storage:StorageAccount", "s-account", tags("secondary")),
  r(
    "azure-native:datafactory:Pipeline",
    "s-pipeline",
    { pipelineName: "replicate-objects", activities: [{ type: "Copy", policy: { timeout } }] },
    "secondary",
  ),
  r(
    "azure-native:datafactory:Trigger",
    "s-trigger",
    {
      properties: {
        type: "ScheduleTrigger",
        recurrence: { frequency: "Minute", interval },
        pipelines: [{ pipelineReference: { referenceName: "replicate-objects" } }],
      },
    },
    "secondary",
  ),
  r("azure-native:dbforpostgresql:Migration", "s-migration", {
    migrationMode: "Online",
    ...tags("secondary"),
  }),
];

describe("recovery objectives control", () => {
  controlCases("enforce-recovery-objectives", [
    {
      cloud: "gcp",
      expect: "accept",
      title: "into GCP: hourly transfer (RPO 120) and a replica_lag alert (RPO 14) within rpoMinutes 120",
      stack: [...awsPrimary, ...gcpSecondary("3600s")],
      settings: { recovery: { rpoMinutes: 120, rtoMinutes: 240 } },
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "into GCP: an hourly transfer delivers 120 minutes, above rpoMinutes 60 (both numbers named)",
      stack: [...awsPrimary, ...gcpSecondary("3600s")],
      settings: objectives,
      on: "s-transfer",
      match: /RPO of 120 minutes .* above the declared rpoMinutes 60/,
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "into GCP: a continuous job without a lag alert has an unbounded RPO",
      stack: [...awsPrimary, ...gcpSecondary("3600s", false)],
      settings: { recovery: { rpoMinutes: 120, rtoMinutes: 240 } },
      on: "s-job",
      match: /no time-based lag alarm/,
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "into AWS: DataSync every 15 minutes (RPO 30), CDC lag alarm at 300 s (RPO 11)",
      stack: [...gcpPrimary, ...awsSecondary("rate(15 minutes)")],
      settings: objectives,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "into AWS: a CDC lag alarm at 3600 s delivers 66 minutes, above rpoMinutes 60",
      stack: [...gcpPrimary, ...awsSecondary("rate(15 minutes)", 3600)],
      settings: objectives,
      on: "s-cdc",
      match: /RPO of 66 minutes/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "into AWS: a secondary that receives no data (no copy, no replication)",
      stack: [...gcpPrimary, ...awsSecondary("rate(15 minutes)").slice(0, 3)],
      settings: objectives,
      match: /receives no (scheduled copy|continuous replication)/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "into AWS: an RTO below the failover's declare/switch + mechanisms",
      stack: [...gcpPrimary, ...awsSecondary("rate(15 minutes)")],
      settings: { recovery: { rpoMinutes: 60, rtoMinutes: 20 } },
      match: /failover takes 30 minutes .* above the declared rtoMinutes 20/,
    },
    {
      cloud: "azure",
      expect: "accept",
      title: "into Azure: trigger every 15 minutes + 45-minute copy timeout (RPO 60), source slot-lag alarm",
      stack: [...awsPrimary, ...azureSecondary(15)],
      settings: objectives,
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "into Azure: trigger every 60 minutes + 45-minute timeout delivers 105 minutes",
      stack: [...awsPrimary, ...azureSecondary(60)],
      settings: objectives,
      on: "s-trigger",
      match: /RPO of 105 minutes/,
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "into Azure: an online migration whose source has no slot-lag alarm",
      stack: [...gcpPrimary, ...azureSecondary(15)],
      settings: objectives,
      on: "s-migration",
      match: /no lag alarm/,
    },
    {
      cloud: "azure",
      expect: "accept",
      title: "without declared objectives (a profile config) nothing is checked",
      stack: [...gcpPrimary, ...azureSecondary(60)],
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "outside production",
      stack: [...gcpPrimary, ...awsSecondary("rate(15 minutes)").slice(0, 3)],
      settings: { ...objectives, environment: "dev" },
    },
  ]);

  it("reads DataSync rate expressions", () => {
    assert.equal(rateMinutes("rate(1 hour)"), 60);
    assert.equal(rateMinutes("rate(15 minutes)"), 15);
    assert.equal(rateMinutes("rate(2 days)"), 2880);
    assert.equal(rateMinutes("cron(0 * * * ? *)"), undefined);
  });

  it("uses the recovery model's switch times and metric delays (the policy imports no program code)", () => {
    const pair: RecoveryPair = {
      environment: "prod",
      production: true,
      primary: { role: "primary", cloud: "aws", region: "eu-central-1", addressSpace: "10.0.0.0/16" },
      secondary: { role: "secondary", cloud: "gcp", region: "europe-west1", addressSpace: "10.1.0.0/16" },
    };
    assert.equal(declareAndSwitchMinutes, baseRtoMinutes);
    assert.equal(switchMinutes.interconnect, interconnectMechanism(pair)!.rtoMinutes);
    assert.equal(switchMinutes.objects, objectReplicationMechanism(pair)!.rtoMinutes);
    assert.equal(switchMinutes.database, databaseReplicationMechanism(pair)!.rtoMinutes);
    assert.deepEqual(lagMetricDelaySeconds, modelDelays);
  });

  it("agrees with the model's RPO of each built mechanism (scheduled: interval + one run)", () => {
    assert.equal(replicationMechanisms.objects.gcp.rpoMinutes, 2 * 60);
    assert.equal(replicationMechanisms.objects.aws.rpoMinutes, 2 * rateMinutes("rate(1 hour)")!);
    assert.equal(replicationMechanisms.objects.azure.rpoMinutes, 15 + 45);
    // Continuous: threshold 300 s + window 300 s + metric delay.
    assert.equal(replicationMechanisms.database.aws.rpoMinutes, Math.ceil((300 + 300 + 60) / 60));
    assert.equal(replicationMechanisms.database.gcp.rpoMinutes, Math.ceil((300 + 300 + 210) / 60));
    assert.equal(replicationMechanisms.database.azure.rpoBasis.alarmed, false);
  });
});
