/**
 * Operations (issue 13 items 4-6): the dashboard model and its three renderings, the synthetic checks,
 * alert routing beyond e-mail (webhooks, PagerDuty with a secret key), and the audit "every alarm can
 * fire": each alarm reads a metric or log that a resource of the same plan writes.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseStackConfig, rawConfigObject } from "../components/config";
import {
  DashboardModel,
  DashboardModelError,
  sectionTitles,
  type DashboardSection,
} from "../components/dashboard";
import { resolveMonitoringSettings } from "../components/monitoring";
import { resolveSyntheticsSettings } from "../components/synthetics";
import { canaryRuntimeVersion, canaryZipFile } from "../providers/aws/synthetics";
import { cloudWatchDashboardBody } from "../providers/aws/dashboard";
import { nameUuid, workbookContent } from "../providers/azure/dashboard";
import { cloudMonitoringDashboard } from "../providers/gcp/dashboard";
import { sigKey, type Plan, type PlanResource } from "../tools/harness";
import { planFor, root, siteOf } from "./helpers";
import { matrix } from "./matrix";

/** Stacks the plan-level tests read: every cloud as primary and secondary, with and without on-call. */
const stackNames = ["dev-aws-azure", "prod-gcp-azure", "prod-azure-aws", "dev-gcp"];
const stacks = stackNames.map((n) => {
  const s = matrix.find((m) => m.name === n);
  if (!s) throw new Error(`no matrix stack ${n}`);
  return s;
});
const planOfStack = (s: (typeof stacks)[number]) => planFor(s.name, s.file);

const dashboardTypes = [
  "aws:cloudwatch/dashboard:Dashboard",
  "azure-native:applicationinsights:Workbook",
  "gcp:monitoring/dashboard:Dashboard",
];

/** Metric alarms (not event or log-match alerts) per cloud. */
function isMetricAlarm(r: PlanResource): boolean {
  if (r.type === "aws:cloudwatch/metricAlarm:MetricAlarm") return true;
  if (r.type === "azure-native:monitor:MetricAlert") return true;
  if (r.type === "gcp:monitoring/alertPolicy:AlertPolicy") {
    const conditions = (r.inputs.conditions ?? []) as Record<string, unknown>[];
    return conditions.some((c) => c.conditionThreshold !== undefined);
  }
  return false;
}

/** The dashboard section of each site component that raises metric alarms. */
const sectionOfComponent: Record<string, DashboardSection> = {
  "platform:database:PostgreSQL": "database",
  "platform:cache:Cache": "cache",
  "platform:filestore:FileStore": "fileStorage",
  "platform:storage:ObjectStorage": "storage",
  "platform:backup:Backup": "backup",
  "platform:network:Network": "network",
  "platform:monitoring:Monitoring": "alerting",
  "platform:monitoring:Synthetics": "availability",
};

function componentOf(plan: Plan, r: PlanResource): PlanResource | undefined {
  const byUrn = new Map(plan.resources.map((x) => [x.urn, x]));
  let current = byUrn.get(r.parent);
  while (current) {
    if (current.type in sectionOfComponent) return current;
    current = byUrn.get(current.parent);
  }
  return undefined;
}

/** The dashboard text of a site (body, serialized data or JSON). */
function dashboardText(r: PlanResource): string {
  const body = r.inputs.dashboardBody ?? r.inputs.serializedData ?? r.inputs.dashboardJson;
  assert.equal(typeof body, "string", `${r.name}: rendered body`);
  return body as string;
}

/** Every string leaf of a value. */
function strings(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof value === "string") out.add(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => strings(v, out));
  return out;
}

/** The resource references of a rendered dashboard: dimension values, resource ids, resource labels. */
function references(type: string, text: string): string[] {
  const doc = JSON.parse(text) as Record<string, unknown>;
  if (type.startsWith("aws:")) {
    return (doc.widgets as { type: string; properties: { metrics?: string[][] } }[])
      .filter((w) => w.type === "metric")
      .flatMap((w) => w.properties.metrics!.flatMap((m) => m.slice(2).filter((_, i) => i % 2 === 1)))
      .filter((v) => !["StandardStorage", "AllStorageTypes"].includes(v));
  }
  if (type.startsWith("azure-native:")) {
    return (doc.items as { type: number; content: { resourceIds?: string[] } }[])
      .filter((i) => i.type === 10)
      .flatMap((i) => i.content.resourceIds!.map((id) => id.replace(/\/fileServices\/default$/, "")));
  }
  const tiles = (doc.mosaicLayout as { tiles: { widget: Record<string, unknown> }[] }).tiles;
  return tiles.flatMap((t) => {
    const filter = JSON.stringify(t.widget.xyChart ?? "");
    return [...filter.matchAll(/resource\.labels\.(\w+) = \\"([^\\]+)\\"/g)].map((m) =>
      m[1] === "database_id" ? m[2]!.split(":").pop()! : m[2]!,
    );
  });
}

describe("operations: dashboard model", () => {
  const panel = (title: string, section: DashboardSection = "database") => ({
    cloud: "aws" as const,
    section,
    title,
    unit: "Percent" as const,
    metric: {
      namespace: "AWS/RDS",
      metricName: "CPUUtilization",
      dimensions: { DBInstanceIdentifier: "x" },
      stat: "Average" as const,
    },
  });

  it("takes one-line contributions, orders them by section, and refuses duplicates, other clouds and late panels", () => {
    const model = new DashboardModel("aws");
    model.add(panel("Memory", "cache"), panel("CPU"));
    assert.deepEqual(
      model.panels.map((p) => p.section),
      ["database", "cache"],
    );
    assert.throws(() => model.add(panel("CPU")), DashboardModelError);
    assert.throws(() => model.add({ ...panel("Other"), cloud: "gcp" } as never), /a gcp panel on a aws site/);
    model.seal();
    assert.throws(() => model.add(panel("Late")), /after the dashboard was rendered/);
  });

  it("renders the same panels as CloudWatch widgets, workbook items and Cloud Monitoring tiles", () => {
    const body = cloudWatchDashboardBody("eu-west-1", [
      { ...panel("CPU"), thresholds: { warning: 80 } },
      panel("Connections"),
    ]);
    assert.deepEqual(
      body.widgets.map((w) => w.type),
      ["text", "metric", "metric"],
    );
    const cpu = body.widgets[1]!.properties as Record<string, unknown>;
    assert.deepEqual(cpu.metrics, [["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", "x"]]);
    assert.deepEqual(cpu.annotations, { horizontal: [{ label: "warning", value: 80, color: "#ff7f0e" }] });

    const wb = workbookContent("seed", [
      {
        cloud: "azure",
        section: "cache",
        title: "Memory",
        unit: "Percent",
        metric: {
          resourceId: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Cache/redisEnterprise/r",
          namespace: "Microsoft.Cache/redisEnterprise",
          metricName: "usedmemorypercentage",
          aggregation: "Maximum",
        },
      },
    ]);
    assert.equal(wb.version, "Notebook/1.0");
    const items = wb.items as { type: number; content: Record<string, unknown> }[];
    assert.deepEqual(
      items.map((i) => i.type),
      [1, 10],
    );
    assert.deepEqual(items[1]!.content.metrics, [
      {
        namespace: "microsoft.cache/redisenterprise",
        metric: "microsoft.cache/redisenterprise--usedmemorypercentage",
        aggregation: 3,
      },
    ]);
    assert.match(nameUuid("a", "b"), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(nameUuid("a", "b"), nameUuid("a", "b"));

    const gcp = cloudMonitoringDashboard("d", [
      {
        cloud: "gcp",
        section: "storage",
        title: "Size",
        unit: "Bytes",
        thresholds: { critical: 5, direction: "below" },
        metric: {
          metricType: "storage.googleapis.com/storage/total_bytes",
          resourceType: "gcs_bucket",
          resourceLabels: { bucket_name: "b" },
          aligner: "ALIGN_MEAN",
        },
      },
    ]);
    const tiles = (gcp.mosaicLayout as { tiles: { widget: Record<string, unknown> }[] }).tiles;
    assert.equal(tiles.length, 2);
    assert.match(JSON.stringify(tiles[1]!.widget), /resource.labels.bucket_name = \\"b\\"/);
    assert.match(JSON.stringify(tiles[1]!.widget), /"direction":"BELOW"/);
  });

  it("every site has one dashboard, every component that raises metric alarms has its section, every panel reads a resource the site builds", async () => {
    for (const stack of stacks) {
      const plan = await planOfStack(stack);
      const sites = plan.resources.filter((r) => r.type === "platform:site:Site").map((s) => s.name);
      for (const site of sites) {
        const mine = plan.resources.filter((r) => siteOf(plan, r) === site);
        const boards = mine.filter((r) => dashboardTypes.includes(r.type));
        assert.equal(boards.length, 1, `${stack.name} ${site}: one dashboard`);
        const board = boards[0]!;
        const text = dashboardText(board);
        if (board.type === "azure-native:applicationinsights:Workbook") {
          // Microsoft.Insights/workbooks: the resource name must be a GUID.
          assert.match(String(board.inputs.resourceName), /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/);
        }
        const alarmed = new Set(
          mine
            .filter(isMetricAlarm)
            .map((a) => componentOf(plan, a)?.type)
            .filter((t): t is string => t !== undefined),
        );
        assert.ok(alarmed.size >= 3, `${stack.name} ${site}: components with alarms found`);
        for (const component of alarmed) {
          const section = sectionOfComponent[component]!;
          assert.ok(
            text.includes(`## ${sectionTitles[section]}`),
            `${stack.name} ${site}: ${component} raises alarms but has no '${sectionTitles[section]}' panel`,
          );
        }
        for (const section of [
          "database",
          "cache",
          "storage",
          "fileStorage",
          "network",
          "availability",
        ] as const) {
          assert.ok(
            text.includes(`## ${sectionTitles[section]}`),
            `${stack.name} ${site}: ${section} panels`,
          );
        }
        const known = new Set<string>();
        for (const r of mine.filter((x) => x.custom && x !== board)) {
          strings(r.inputs, known);
          strings(r.outputs, known);
          if (r.id) known.add(r.id);
        }
        const refs = references(board.type, text);
        assert.ok(refs.length > 5, `${stack.name} ${site}: panels reference resources`);
        for (const ref of refs) {
          assert.ok(
            known.has(ref),
            `${stack.name} ${site}: a panel reads '${ref}', which no resource of the site has`,
          );
        }
      }
    }
  });
});

describe("operations: synthetic checks", () => {
  const contacts = [{ name: "on-call", email: "oncall@example.com", minSeverity: "high" as const }];

  it("resolves the endpoint and the severities, or nothing without the setting", () => {
    assert.equal(resolveSyntheticsSettings({ alertContacts: contacts }), undefined);
    const s = resolveSyntheticsSettings({
      alertContacts: contacts,
      synthetics: { url: "https://app.example.com/healthz?deep=1", intervalMinutes: 10, expectedStatus: 204 },
    })!;
    assert.deepEqual(
      [s.host, s.path, s.intervalMinutes, s.expectedStatus, s.degradedSeverity, s.downSeverity],
      ["app.example.com", "/healthz?deep=1", 10, 204, "high", "critical"],
    );
    const criticalOnly = resolveSyntheticsSettings({
      alertContacts: [{ ...contacts[0]!, minSeverity: "critical" }],
      synthetics: { url: "https://a.example.com/", intervalMinutes: 5, expectedStatus: 200 },
    })!;
    assert.equal(criticalOnly.degradedSeverity, "critical", "a severity nobody receives is never chosen");
  });

  it("refuses an endpoint that is not https, and an interval no cloud offers", () => {
    const base = rawConfigObject({
      "platform:environment": "dev",
      "platform:owner": "t",
      "platform:costCenter": "c",
      "platform:dataClassification": "internal",
      "platform:frameworks": '["soc2"]',
      "platform:alertContacts": '[{"name":"a","email":"a@example.com"}]',
      "platform:primary":
        '{"cloud":"gcp","region":"europe-west1","project":"p-dev-1","addressSpace":"10.20.0.0/16","zones":1}',
    });
    const bad = parseStackConfig({
      ...base,
      synthetics: { url: "http://app.example.com/", intervalMinutes: 7 },
    });
    assert.equal(bad.ok, false);
    const paths = bad.ok ? [] : bad.problems.map((p) => p.path);
    assert.ok(paths.includes("platform:synthetics.url"), paths.join(", "));
    assert.ok(paths.includes("platform:synthetics.intervalMinutes"), paths.join(", "));
    assert.equal(
      parseStackConfig({ ...base, synthetics: { url: "https://app.example.com/healthz" } }).ok,
      true,
    );
  });

  it("the canary zip holds providers/aws/canary/index.js, on a pinned Playwright runtime", () => {
    const zip = fs.readFileSync(path.join(root, canaryZipFile));
    const script = fs.readFileSync(path.join(root, "providers", "aws", "canary", "index.js"));
    assert.equal(zip.readUInt32LE(0), 0x04034b50, "a zip file");
    assert.equal(zip.readUInt16LE(8), 0, "stored, not deflated");
    const nameLength = zip.readUInt16LE(26);
    assert.equal(zip.subarray(30, 30 + nameLength).toString(), "index.js", "handler file at the zip root");
    const start = 30 + nameLength + zip.readUInt16LE(28);
    assert.ok(zip.subarray(start, start + script.length).equals(script), "the zip holds the current script");
    assert.match(canaryRuntimeVersion, /^syn-nodejs-playwright-\d+\.\d+$/);
  });

  it("every site of a stack with an endpoint checks it and alerts degraded and down by severity", async () => {
    const checks: Record<string, string> = {
      aws: "aws:synthetics/canary:Canary",
      azure: "azure-native:applicationinsights:WebTest",
      gcp: "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
    };
    for (const stack of stacks) {
      const plan = await planOfStack(stack);
      for (const site of plan.resources.filter((r) => r.type === "platform:site:Site")) {
        const cloud = (JSON.parse(plan.config[`platform:${site.name}`]!) as { cloud: string }).cloud;
        const mine = plan.resources.filter((r) => siteOf(plan, r) === site.name);
        const check = mine.filter((r) => r.type === checks[cloud]);
        assert.equal(check.length, 1, `${stack.name} ${site.name}: one ${checks[cloud]}`);
        const text = JSON.stringify(check[0]!.inputs);
        assert.ok(
          text.includes("app.example.com"),
          `${stack.name} ${site.name}: checks the configured endpoint`,
        );
        const alerts = mine.filter((r) => isMetricAlarm(r) && /synthetics-(degraded|down)/.test(r.name));
        assert.deepEqual(
          alerts.map((a) => a.name.replace(/.*synthetics-/, "")).sort(),
          ["degraded-alarm", "down-alarm"]
            .map((n) => (cloud === "aws" ? n : n.replace("alarm", "alert")))
            .sort(),
        );
        for (const a of alerts) {
          const targets = JSON.stringify(
            a.inputs.alarmActions ?? a.inputs.actions ?? a.inputs.notificationChannels,
          );
          assert.ok(targets.length > 4 && targets !== "[]", `${a.name} notifies someone`);
        }
        if (cloud === "aws") {
          const canary = check[0]!.inputs as Record<string, unknown>;
          assert.equal(canary.runtimeVersion, canaryRuntimeVersion);
          assert.deepEqual(canary.artifactConfig, {
            s3Encryption: {
              encryptionMode: "SSE_KMS",
              kmsKeyArn: (canary.artifactConfig as never)["s3Encryption"]["kmsKeyArn"],
            },
          });
          assert.ok((canary.name as string).length <= 21);
        }
        if (cloud === "azure") {
          const tags = check[0]!.inputs.tags as Record<string, string>;
          assert.ok(
            Object.entries(tags).some(([k, v]) => k.startsWith("hidden-link:") && v === "Resource"),
            "web test linked to its component",
          );
        }
      }
    }
  });
});

describe("operations: alert routing and escalation", () => {
  it("routes on-call severities to PagerDuty with the key kept secret, and webhooks per contact", async () => {
    const onCall = {
      service: "pagerduty" as const,
      integrationKey: "k".repeat(32),
      minSeverity: "high" as const,
    };
    const s = resolveMonitoringSettings(
      {},
      {
        alertContacts: [
          { name: "a", email: "a@example.com", minSeverity: "critical", webhook: "https://h.example.com/x" },
        ],
        production: false,
        onCall,
      },
    );
    assert.deepEqual(s.routedSeverities, ["critical", "high"], "the on-call service's severities are routed");
    assert.deepEqual(s.onCall?.severities, ["critical", "high"]);
    assert.equal(s.recipients[0]!.webhook, "https://h.example.com/x");

    for (const stack of stacks) {
      const plan = await planOfStack(stack);
      const production = stack.production;
      const text = JSON.stringify(plan.resources.map((r) => [r.inputs, r.outputs]));
      assert.ok(
        !text.includes("events.pagerduty.com/integration/"),
        `${stack.name}: no integration URL in clear`,
      );
      // A secret inside a list makes the engine hold the whole list as a secret (Azure webhook receivers).
      const isSecret = (v: unknown) => v !== null && typeof v === "object" && sigKey in (v as object);
      const pagers = plan.resources.flatMap((r) => {
        if (r.type === "aws:sns/topicSubscription:TopicSubscription" && /pagerduty$/.test(r.name))
          return [[r.name, r.inputs.endpoint] as const];
        if (
          r.type === "gcp:monitoring/notificationChannel:NotificationChannel" &&
          r.inputs.type === "pagerduty"
        )
          return [[r.name, r.inputs.sensitiveLabels] as const];
        if (r.type === "azure-native:monitor:ActionGroup") {
          const receivers = r.inputs.webhookReceivers;
          if (isSecret(receivers)) return [[r.name, receivers] as const];
          const pd = ((receivers ?? []) as { name: string; serviceUri: unknown }[]).find(
            (w) => w.name === "pagerduty",
          );
          return pd ? [[r.name, pd.serviceUri] as const] : [];
        }
        return [];
      });
      assert.equal(
        pagers.length > 0,
        production,
        `${stack.name}: PagerDuty routing only where onCall is set`,
      );
      for (const [name, value] of pagers) {
        assert.ok(isSecret(value), `${stack.name} ${name}: the integration key is a secret`);
      }
    }
    const hooked = await planOfStack(stacks[0]!);
    const hooks = hooked.resources.filter((r) => JSON.stringify(r.inputs).includes("hooks.example.com"));
    assert.ok(hooks.length >= 2, "contact webhooks reach both clouds of dev-aws-azure");
  });

  it("refuses an integration key stored in clear", () => {
    const raw = rawConfigObject(
      Object.fromEntries(
        Object.entries(
          JSON.parse(
            JSON.stringify({
              "platform:environment": "dev",
              "platform:owner": "t",
              "platform:costCenter": "c",
              "platform:dataClassification": "internal",
              "platform:frameworks": '["soc2"]',
              "platform:alertContacts": '[{"name":"a","email":"a@example.com"}]',
              "platform:primary":
                '{"cloud":"gcp","region":"europe-west1","project":"p-dev-1","addressSpace":"10.20.0.0/16","zones":1}',
              "platform:onCall": '{"integrationKey":"0123456789abcdef0123456789abcdef"}',
            }),
          ) as Record<string, string>,
        ),
      ),
    );
    const clear = parseStackConfig(raw, new Set());
    assert.equal(clear.ok, false);
    assert.match(
      clear.ok ? "" : clear.problems[0]!.message,
      /expected a secret .*--secret --path platform:onCall.integrationKey/,
    );
    assert.equal(parseStackConfig(raw, new Set(["platform:onCall"])).ok, true);
  });
});

/**
 * "Alarms that can actually fire": what writes each metric namespace / metric type / log an alarm reads.
 * An alarm whose writer is not in the plan could never fire.
 */
const awsNamespaceWriters: Record<string, string[]> = {
  "AWS/RDS": ["aws:rds/instance:Instance"],
  "AWS/ElastiCache": ["aws:elasticache/replicationGroup:ReplicationGroup"],
  "AWS/EFS": ["aws:efs/fileSystem:FileSystem"],
  "AWS/SNS": ["aws:sns/topic:Topic"],
  "AWS/DMS": ["aws:dms/replicationTask:ReplicationTask", "aws:dms/replicationConfig:ReplicationConfig"],
  CloudWatchSynthetics: ["aws:synthetics/canary:Canary"],
  "AWS/NATGateway": ["aws:ec2/natGateway:NatGateway"],
  "AWS/S3": ["aws:s3/bucket:Bucket"],
  "AWS/Backup": ["aws:backup/vault:Vault"],
  "AWS/EKS": ["aws:eks/cluster:Cluster"],
  "AWS/ApplicationELB": ["aws:lb/loadBalancer:LoadBalancer"],
  // Web ACL metrics are written for the resources the ACL is associated with.
  "AWS/WAFV2": ["aws:wafv2/webAclAssociation:WebAclAssociation"],
};
const gcpMetricWriters: Record<string, string[]> = {
  "cloudsql.googleapis.com/": ["gcp:sql/databaseInstance:DatabaseInstance"],
  "redis.googleapis.com/": ["gcp:redis/instance:Instance"],
  "file.googleapis.com/": ["gcp:filestore/instance:Instance"],
  "monitoring.googleapis.com/uptime_check/": ["gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig"],
  "kubernetes.io/": ["gcp:container/cluster:Cluster"],
};
/** Log-match alerts: the writer of the log each filter reads. */
const gcpLogWriters: [RegExp, string[]][] = [
  // Admin Activity audit logs are always written (cannot be disabled); the sink keeps them.
  [/protoPayload\.serviceName="cloudkms\.googleapis\.com"/, ["gcp:kms/cryptoKey:CryptoKey"]],
  [
    /protoPayload\.serviceName="cloudresourcemanager\.googleapis\.com"/,
    ["gcp:logging/projectSink:ProjectSink"],
  ],
  [/resource\.type="storage_transfer_job"/, ["gcp:storage/transferJob:TransferJob"]],
];

describe("operations: every alarm can fire", () => {
  it("each alarm reads a metric or log a resource of the plan writes", async () => {
    for (const stack of [...stacks, matrix.find((m) => m.name === "prod-aws-gcp")!]) {
      const plan = await planOfStack(stack);
      const types = new Set(plan.resources.map((r) => r.type));
      const ids = new Set(plan.resources.flatMap((r) => (r.id ? [r.id] : [])));
      const filters = plan.resources.filter(
        (r) => r.type === "aws:cloudwatch/logMetricFilter:LogMetricFilter",
      );
      const has = (writers: string[] | undefined, what: string, alarm: string) =>
        assert.ok(
          writers !== undefined && writers.some((t) => types.has(t)),
          `${stack.name} ${alarm}: nothing in the plan writes ${what}`,
        );
      for (const r of plan.resources) {
        if (r.type === "aws:cloudwatch/metricAlarm:MetricAlarm") {
          const queries = (
            (r.inputs.metricQueries ?? []) as { metric?: { namespace: string; metricName: string } }[]
          ).flatMap((q) => (q.metric ? [q.metric] : []));
          const metrics = r.inputs.namespace
            ? [{ namespace: r.inputs.namespace as string, metricName: r.inputs.metricName as string }]
            : queries;
          assert.ok(metrics.length > 0, `${r.name} reads a metric`);
          for (const m of metrics) {
            if (m.namespace.startsWith("Platform/")) {
              assert.ok(
                filters.some((f) => {
                  const t = f.inputs.metricTransformation as { namespace: string; name: string };
                  return t.namespace === m.namespace && t.name === m.metricName;
                }),
                `${stack.name} ${r.name}: no log metric filter writes ${m.namespace} ${m.metricName}`,
              );
            } else has(awsNamespaceWriters[m.namespace], m.namespace, r.name);
          }
        } else if (r.type === "azure-native:monitor:MetricAlert") {
          for (const scope of r.inputs.scopes as string[]) {
            const base = scope.replace(/\/fileServices\/default$/, "");
            assert.ok(ids.has(base), `${stack.name} ${r.name}: scope ${scope} is no resource of the plan`);
          }
        } else if (r.type === "gcp:monitoring/alertPolicy:AlertPolicy") {
          for (const c of r.inputs.conditions as Record<string, { filter: string }>[]) {
            if (c.conditionThreshold) {
              const type = /metric\.type\s*=\s*"([^"]+)"/.exec(c.conditionThreshold.filter)?.[1] ?? "";
              const prefix = Object.keys(gcpMetricWriters).find((p) => type.startsWith(p));
              has(prefix ? gcpMetricWriters[prefix] : undefined, type, r.name);
            } else if (c.conditionMatchedLog) {
              const writer = gcpLogWriters.find(([re]) => re.test(c.conditionMatchedLog!.filter));
              has(writer?.[1], c.conditionMatchedLog.filter, r.name);
            } else assert.fail(`${r.name}: an alert policy condition this audit does not know`);
          }
        }
      }
    }
  });
});
