/**
 * What AWS refuses only when `pulumi up` runs, checked on the plans of the repository's stacks and of
 * two AWS fixtures (the longest environment name in production in Canada; a 16-character environment
 * with consecutive and trailing hyphens on a one-zone site):
 *
 * - zone coverage: RDS DB subnet groups cover at least two Availability Zones;
 * - ordering: every consumer of an IAM role waits for the role's policies;
 * - alarms: every alarm on a log-based metric watches a log group something writes to;
 * - names: every name fits its resource type's rules (checked against the rules, not the helper);
 * - residency: replicas and replicated backups go to the site's replica region.
 */
import { strict as assert } from "node:assert";
import { fitName, nameProblem, nameRules } from "../components/naming";
import { NetworkArgumentError, planNetwork } from "../components/network";
import { parseStackConfig, siteReplicaRegion, type SiteConfigOf } from "../components/config";
import type { SiteContext } from "../components/context";
import { siteTierRequests, subnetShapes } from "../components/subnets";
import type { Plan, PlanResource } from "../tools/harness";
import { byType, planOf, siteOf } from "./helpers";

type Json = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** The AWS plans under test: [label, stack, fixture file]. */
const stacks: [string, string, string | undefined][] = [
  ["dev", "dev", undefined],
  ["prod", "prod", undefined],
  ["aws-names-prod", "aws-names-prod", "Pulumi.aws-names-prod.yaml"],
  ["aws-names-dev", "aws-names-dev", "Pulumi.aws-names-dev.yaml"],
];

/** Whether `value` is `target` or holds it at any depth (a role ARN in a nested block, e.g. `s3Config`). */
const mentions = (value: unknown, target: unknown): boolean =>
  value === target ||
  (typeof value === "object" && value !== null && Object.values(value).some((v) => mentions(v, target)));

const awsResources = (plan: Plan): PlanResource[] => plan.resources.filter((r) => r.type.startsWith("aws:"));

describe("AWS deployability", function () {
  this.timeout(120_000);
  const plans = new Map<string, Plan>();
  before(async () => {
    for (const [label, stack, file] of stacks) plans.set(label, await planOf(stack, file));
  });
  const each = (fn: (plan: Plan, label: string) => void) => {
    for (const [label] of stacks) fn(plans.get(label)!, label);
  };

  describe("zone coverage (DBSubnetGroupDoesNotCoverEnoughAZs)", () => {
    it("reserves data subnets in two zones on a one-zone AWS site, and only there", () => {
      const aws = siteTierRequests(subnetShapes.aws, "10.0.0.0/16", 1);
      assert.deepEqual(
        aws.map((t) => [t.name, t.used]),
        [
          ["public", 1],
          ["private", 1],
          ["data", 2],
        ],
      );
      assert.equal(siteTierRequests(subnetShapes.aws, "10.0.0.0/16", 3)[2]!.used, 3);
      const parsed = parseStackConfig({
        environment: "dev",
        production: false,
        owner: "o",
        costCenter: "c",
        dataClassification: "internal",
        frameworks: ["soc2"],
        alertContacts: [{ name: "a", email: "a@example.com", minSeverity: "high" }],
        primary: {
          cloud: "aws",
          region: "eu-west-1",
          accountId: "111111111111",
          addressSpace: "10.0.0.0/16",
          zones: 2,
        },
      });
      assert.ok(parsed.ok);
      const site = parsed.config.primary as SiteConfigOf<"aws">;
      const ctx = {
        cloud: "aws",
        role: "primary",
        stack: parsed.config,
        site,
        production: false,
        replicaRegion: siteReplicaRegion(site),
        zones: ["eu-west-1a"],
      } as unknown as SiteContext<"aws">;
      const plan = planNetwork(ctx, { zones: ["eu-west-1b"] });
      assert.deepEqual(
        plan.subnets.filter((s) => s.tier === "data").map((s) => s.zone),
        ["eu-west-1b", "eu-west-1a"],
        "the site's zone first, then the region's next one",
      );
      assert.deepEqual(
        plan.subnets.filter((s) => s.tier === "private").map((s) => s.zone),
        ["eu-west-1b"],
      );
      // CloudWatch Logs takes only its fixed retention periods.
      assert.throws(
        () => planNetwork(ctx, { flowLogRetentionDays: 100 }),
        (e: unknown) =>
          e instanceof NetworkArgumentError &&
          /flowLogRetentionDays: expected a CloudWatch Logs/.test(e.message),
      );
      assert.equal(planNetwork(ctx, { flowLogRetentionDays: 400 }).flowLogRetentionDays, 400);
    });

    it("gives every RDS DB subnet group subnets in at least two Availability Zones", () => {
      each((plan, label) => {
        const subnets = new Map(byType(plan, "aws:ec2/subnet:Subnet").map((s) => [s.id, s]));
        const groups = byType(plan, "aws:rds/subnetGroup:SubnetGroup");
        assert.ok(groups.length > 0, label);
        for (const group of groups) {
          const zones = new Set(
            (group.inputs.subnetIds as string[]).map((id) => str(subnets.get(id)?.inputs.availabilityZone)),
          );
          assert.ok(zones.size >= 2, `${label} ${group.name}: zones ${[...zones].join(", ")}`);
        }
      });
    });

    it("pins a single-AZ instance to the site's first zone and leaves Multi-AZ placement to RDS", () => {
      const dev = byType(plans.get("dev")!, "aws:rds/instance:Instance")[0]!;
      assert.equal(dev.inputs.multiAz, false);
      assert.equal(dev.inputs.availabilityZone, "eu-west-1a");
      const prod = byType(plans.get("prod")!, "aws:rds/instance:Instance").find(
        (r) => r.inputs.replicateSourceDb === undefined,
      )!;
      assert.equal(prod.inputs.multiAz, true);
      assert.equal(prod.inputs.availabilityZone, undefined);
    });
  });

  describe("ordering (IAM is eventually consistent)", () => {
    /** AWS DMS's account-wide service roles, found by name: the resource types DMS creates with each. */
    const serviceRoles: Record<string, string[]> = {
      "dms-vpc-role": [
        "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup",
        "aws:dms/replicationInstance:ReplicationInstance",
      ],
      "dms-cloudwatch-logs-role": ["aws:dms/replicationTask:ReplicationTask"],
    };
    it("makes every consumer of an IAM role depend on all of the role's policies", () => {
      each((plan, label) => {
        const roles = byType(plan, "aws:iam/role:Role");
        const grants = [
          ...byType(plan, "aws:iam/rolePolicy:RolePolicy"),
          ...byType(plan, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"),
        ];
        let consumers = 0;
        for (const role of roles) {
          const mine = grants.filter((g) => g.inputs.role === role.id || g.inputs.role === role.outputs.name);
          assert.ok(mine.length > 0, `${label} ${role.name} has no policy`);
          // A service role AWS finds by its fixed name is taken by no resource's input: its users are
          // the resources of the types the service creates with it.
          const byName = serviceRoles[str(role.inputs.name)] ?? [];
          const users = awsResources(plan).filter(
            (r) =>
              (r.type !== "aws:iam/role:Role" && mentions(r.inputs, role.outputs.arn)) ||
              byName.includes(r.type),
          );
          assert.ok(users.length > 0, `${label} ${role.name} is used by nothing`);
          for (const user of users) {
            consumers++;
            for (const grant of mine) {
              assert.ok(
                user.dependencies.includes(grant.urn),
                `${label}: ${user.name} does not wait for ${grant.name}`,
              );
            }
          }
        }
        assert.ok(consumers >= 2, `${label}: flow log and RDS at least`);
      });
    });
  });

  describe("alarms that can fire", () => {
    it("watches only log groups something writes to (RDS log exports, flow logs, DataSync tasks)", () => {
      each((plan, label) => {
        const written = new Set<string>();
        for (const db of byType(plan, "aws:rds/instance:Instance")) {
          for (const type of db.inputs.enabledCloudwatchLogsExports as string[]) {
            written.add(`/aws/rds/instance/${str(db.inputs.identifier)}/${type}`);
          }
        }
        const groups = byType(plan, "aws:cloudwatch/logGroup:LogGroup");
        for (const flow of byType(plan, "aws:ec2/flowLog:FlowLog")) {
          const group = groups.find((g) => g.outputs.arn === flow.inputs.logDestination);
          written.add(str(group?.inputs.name));
        }
        // An Enhanced mode DataSync task logs to /aws/datasync, the group it names (none if it logs nothing).
        for (const task of byType(plan, "aws:datasync/task:Task")) {
          const group = groups.find((g) => g.outputs.arn === task.inputs.cloudwatchLogGroupArn);
          if (str((task.inputs.options as Json | undefined)?.logLevel) !== "OFF") {
            written.add(str(group?.inputs.name));
          }
        }
        const filters = byType(plan, "aws:cloudwatch/logMetricFilter:LogMetricFilter");
        for (const filter of filters) {
          assert.ok(
            written.has(str(filter.inputs.logGroupName)),
            `${label} ${filter.name} watches ${str(filter.inputs.logGroupName)}, which nothing writes to`,
          );
        }
        const alarms = byType(plan, "aws:cloudwatch/metricAlarm:MetricAlarm");
        // An alarm's metric is the service's own (namespace AWS/...), directly or in every metric of its
        // metric-math queries (the cache alarms), or a custom one a metric filter must produce.
        const namespaces = (a: (typeof alarms)[number]): string[] =>
          a.inputs.metricQueries === undefined
            ? [str(a.inputs.namespace)]
            : (a.inputs.metricQueries as Json[])
                .map((q) => q.metric as Json | undefined)
                .filter((m): m is Json => m !== undefined)
                .map((m) => str(m.namespace));
        const custom = alarms.filter((a) => !namespaces(a).every((n) => n.startsWith("AWS/")));
        assert.ok(custom.length >= 2, `${label}: the PostgreSQL error alarms`);
        for (const alarm of custom) {
          const fed = filters.some((f) => {
            const t = f.inputs.metricTransformation as Json;
            return t.name === alarm.inputs.metricName && t.namespace === alarm.inputs.namespace;
          });
          assert.ok(fed, `${label} ${alarm.name}: no metric filter produces its metric`);
        }
      });
    });

    it("escalates sustained PostgreSQL errors from the high topic to the critical topic", () => {
      const prod = plans.get("prod")!;
      const topic = (severity: string) =>
        byType(prod, "aws:sns/topic:Topic").find((t) => t.name === `primary-monitoring-${severity}`)!.outputs
          .arn;
      const alarm = (name: string) =>
        byType(prod, "aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.name === name)!;
      const first = alarm("primary-database-log-errors-alarm");
      const sustained = alarm("primary-database-log-errors-sustained-alarm");
      assert.deepEqual(first.inputs.alarmActions, [topic("high")]);
      assert.deepEqual(sustained.inputs.alarmActions, [topic("critical")]);
      assert.ok((sustained.inputs.evaluationPeriods as number) > (first.inputs.evaluationPeriods as number));
    });
  });

  describe("names fit every type's rules, for the longest and the oddest environment names", () => {
    /** Checks a name against AWS's documented rules for its type (independently of the helper). */
    const logGroupOk = (n: string) => /^[A-Za-z0-9_/.#-]{1,512}$/.test(n);
    const checks: Record<string, (r: PlanResource) => [string, string | undefined][]> = {
      "aws:rds/instance:Instance": (r) => [
        ["identifier", nameProblem("rdsIdentifier", str(r.inputs.identifier))],
        // Read replicas take no final snapshot (RDS: SkipFinalSnapshot must be true for a read replica).
        ...(r.inputs.replicateSourceDb === undefined
          ? [
              [
                "finalSnapshotIdentifier",
                nameProblem("rdsIdentifier", str(r.inputs.finalSnapshotIdentifier)),
              ] as [string, string | undefined],
            ]
          : []),
      ],
      "aws:rds/subnetGroup:SubnetGroup": (r) => [
        ["name", nameProblem("rdsIdentifier", str(r.inputs.name))],
        ["name", str(r.inputs.name) === "default" ? "reserved" : undefined],
      ],
      "aws:rds/parameterGroup:ParameterGroup": (r) => [
        ["name", nameProblem("rdsIdentifier", str(r.inputs.name))],
      ],
      "aws:iam/role:Role": (r) => [["name", nameProblem("iamRole", str(r.inputs.name))]],
      "aws:iam/rolePolicy:RolePolicy": (r) => [["name", nameProblem("iamRole", str(r.inputs.name))]],
      "aws:kms/alias:Alias": (r) => {
        const n = str(r.inputs.name);
        return [
          ["name", n.startsWith("alias/") ? undefined : "must start with alias/"],
          ["name", n.startsWith("alias/aws/") ? "alias/aws/ is reserved" : undefined],
          ["name", /^alias\/[A-Za-z0-9/_-]{1,250}$/.test(n) ? undefined : "characters or length"],
        ];
      },
      "aws:sns/topic:Topic": (r) => [["name", nameProblem("awsName", str(r.inputs.name))]],
      "aws:cloudwatch/metricAlarm:MetricAlarm": (r) => [["name", nameProblem("awsName", str(r.inputs.name))]],
      "aws:cloudwatch/logMetricFilter:LogMetricFilter": (r) => [
        ["name", nameProblem("awsName", str(r.inputs.name))],
      ],
      "aws:cloudwatch/logGroup:LogGroup": (r) => [
        ["name", logGroupOk(str(r.inputs.name)) ? undefined : "characters or length"],
      ],
      "aws:s3/bucket:Bucket": (r) => [["bucket", nameProblem("s3Bucket", str(r.inputs.bucket))]],
    };

    it("names every resource of a named type explicitly, within its type's rules", () => {
      for (const label of ["aws-names-prod", "aws-names-dev", "prod", "dev"]) {
        const plan = plans.get(label)!;
        const checked = new Set<string>();
        for (const r of awsResources(plan)) {
          const check = checks[r.type];
          if (!check) continue;
          checked.add(r.type);
          for (const [field, problem] of check(r)) {
            assert.equal(problem, undefined, `${label} ${r.name}.${field} '${str(r.inputs[field])}'`);
          }
        }
        const expected = Object.keys(checks);
        for (const type of expected) assert.ok(checked.has(type), `${label}: no ${type} checked`);
      }
    });

    it("uses the whole 16-character environment, and collapses `a--b` rather than passing it on", () => {
      const prod = plans.get("aws-names-prod")!;
      const db = byType(prod, "aws:rds/instance:Instance")[0]!;
      assert.equal(db.inputs.identifier, "abcdefghijklmnop-secondary-pg");
      const dev = plans.get("aws-names-dev")!;
      const devDb = byType(dev, "aws:rds/instance:Instance")[0]!;
      assert.equal(devDb.inputs.identifier, "a-bcdefghijklm-primary-pg");
      assert.equal(
        byType(dev, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.name === "primary-monitoring-logs")!
          .inputs.name,
        "/platform/a-bcdefghijklm/primary",
      );
      // RDS writes its logs to /aws/rds/instance/<identifier>/<type>: the groups must match the identifier.
      for (const type of devDb.inputs.enabledCloudwatchLogsExports as string[]) {
        assert.ok(
          byType(dev, "aws:cloudwatch/logGroup:LogGroup").some(
            (g) => g.inputs.name === `/aws/rds/instance/a-bcdefghijklm-primary-pg/${type}`,
          ),
          type,
        );
      }
    });

    it("gives the final snapshot the site's random suffix, so a re-created stack does not collide", () => {
      each((plan, label) => {
        for (const db of byType(plan, "aws:rds/instance:Instance")) {
          if (db.inputs.replicateSourceDb !== undefined) {
            assert.equal(db.inputs.skipFinalSnapshot, true, "a read replica takes no final snapshot");
            continue;
          }
          const site = siteOf(plan, db)!;
          const suffix = plan.resources.find(
            (r) => r.type === "random:index/randomString:RandomString" && r.name === `${site}-suffix`,
          )!.outputs.result;
          assert.ok(
            str(db.inputs.finalSnapshotIdentifier).endsWith(`-${str(suffix)}`),
            `${label} ${str(db.inputs.finalSnapshotIdentifier)}`,
          );
        }
      });
    });

    it("keeps S3 bucket names off the prefixes S3 reserves", () => {
      const name = fitName("s3Bucket", ["sthree-prod", "primary", "data"], "abc123");
      assert.equal(nameProblem("s3Bucket", name), undefined, name);
      assert.ok(!name.startsWith("sthree-"));
      assert.ok(!fitName("s3Bucket", ["amzn-s3-demo-x", "primary"]).startsWith("amzn-s3-demo-"));
      assert.equal(nameProblem("s3Bucket", "sthree-abc"), "the prefix 'sthree-' is reserved");
      assert.ok(nameRules.s3Bucket.reservedPrefixes.includes("xn--"));
    });
  });

  describe("geo-redundancy stays in the jurisdiction", () => {
    it("replicates S3 and RDS automated backups of a Canadian site to ca-west-1, not to the US", () => {
      const plan = plans.get("aws-names-prod")!;
      const provider = (name: string) =>
        plan.resources.find((r) => r.type === "pulumi:providers:aws" && r.name === name)!;
      assert.equal(provider("secondary-storage-replica").inputs.region, "ca-west-1");
      assert.equal(provider("secondary-database-replica").inputs.region, "ca-west-1");
      for (const p of [provider("secondary-storage-replica"), provider("secondary-database-replica")]) {
        const ids = p.inputs.allowedAccountIds; // provider inputs travel JSON-encoded
        assert.deepEqual(typeof ids === "string" ? JSON.parse(ids) : ids, ["444444444444"]);
      }
    });

    it("replicates production automated backups with a key of the replica region and the same retention", () => {
      for (const label of ["prod", "aws-names-prod"]) {
        const plan = plans.get(label)!;
        const [replication] = byType(
          plan,
          "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
        );
        assert.ok(replication, `${label}: no backup replication`);
        const db = byType(plan, "aws:rds/instance:Instance")[0]!;
        assert.equal(replication.inputs.sourceDbInstanceArn, db.outputs.arn);
        assert.equal(replication.inputs.retentionPeriod, db.inputs.backupRetentionPeriod);
        assert.match(replication.provider, /::(primary|secondary)-database-replica::/);
        const key = byType(plan, "aws:kms/key:Key").find(
          (k) => k.outputs.arn === replication.inputs.kmsKeyId,
        );
        assert.ok(key, `${label}: the replica key`);
        assert.equal(key.provider, replication.provider, "the key is in the destination region");
        assert.equal(key.inputs.enableKeyRotation, true);
        assert.equal(replication.protect, true);
      }
      for (const label of ["dev", "aws-names-dev"]) {
        assert.equal(
          byType(
            plans.get(label)!,
            "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
          ).length,
          0,
          `${label}: not outside production`,
        );
      }
    });
  });
});
