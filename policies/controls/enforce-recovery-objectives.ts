import { finding, known, tagsOf } from "../lib/checks";
import { defineControl } from "../lib/define";
import { UNKNOWN, get, list, lower, num, str } from "../lib/props";
import { cloudOf, type Finding, type StackContext, type Subject } from "../lib/types";

/**
 * The RPO and RTO a production two-site stack can deliver, read from what it deploys, against the
 * objectives it declares (`settings.recovery`, derived from the stack's `platform:recovery`).
 *
 * RPO of a scheduled copy: its interval plus one run (the copy activity's timeout where the job declares
 * one, else one more interval: a run still going when the next is due delays it). RPO of a continuous
 * (CDC) replication: the lag alarm's threshold, plus the window it must be exceeded for, plus the lag
 * metric's publication delay; without a time-based lag alarm the RPO is unbounded, unless the receiving
 * service publishes no lag metric at all (Azure's migration service), where a source-side alarm on the
 * WAL retained for the slot is required instead (bytes, not time: stated as uncertain).
 * RTO: declaring the disaster and switching DNS, plus each deployed mechanism's switch-over.
 */

/** Minutes to declare the disaster and switch DNS (records at 60 s TTL); the runbook's fixed part. */
export const declareAndSwitchMinutes = 15;
/** Switch-over minutes per mechanism kind (the runbook's promotion steps, components/recovery.ts). */
export const switchMinutes = { interconnect: 5, objects: 5, database: 10 } as const;
/**
 * Delay between a lag sample and an alarm that can see it (seconds): CloudWatch one-minute metrics; Cloud
 * SQL's replica_lag is sampled every 60 s and visible up to 210 s later
 * (https://cloud.google.com/monitoring/api/metrics_gcp_c#gcp-cloudsql).
 */
export const lagMetricDelaySeconds = { aws: 60, gcp: 210 } as const;

const vpnTypes = [
  "aws:ec2/vpnConnection:VpnConnection",
  "azure-native:network:VirtualNetworkGatewayConnection",
  "gcp:compute/vPNTunnel:VPNTunnel",
];

/** The site a resource belongs to: its site-role tag, else its provider's name (`primary`, `secondary`). */
function roleOf(s: Subject): string | undefined {
  const tag = lower(tagsOf(s)["site-role"]);
  if (tag === "primary" || tag === "secondary") return tag;
  const provider = lower(s.provider?.name);
  return provider === "primary" || provider === "secondary" ? provider : undefined;
}

/** `3600s` → 60 (minutes); undefined when not a duration in seconds. */
function durationMinutes(value: unknown): number | undefined {
  const m = /^(\d+(?:\.\d+)?)s$/.exec(str(value) ?? "");
  return m ? Number(m[1]) / 60 : undefined;
}

/** `d.hh:mm:ss` (Data Factory timeouts) → minutes. */
function timespanMinutes(value: unknown): number | undefined {
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(str(value) ?? "");
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 1440 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 60;
}

/** EventBridge-style `rate(N unit)` (DataSync schedules) → minutes; undefined for cron or anything else. */
export function rateMinutes(expression: unknown): number | undefined {
  const m = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(str(expression) ?? "");
  if (!m) return undefined;
  const unit = m[2]!.startsWith("minute") ? 1 : m[2]!.startsWith("hour") ? 60 : 1440;
  return Number(m[1]) * unit;
}

const recurrenceUnit: Record<string, number> = { minute: 1, hour: 60, day: 1440, week: 10080 };

/** A deployed mechanism as this control measures it. */
interface Measured {
  readonly subject: Subject;
  readonly kind: "objects" | "database";
  /** Undefined: no time bound (reported separately). */
  readonly rpoMinutes?: number;
  readonly basis: string;
}

function objectCopies(subjects: readonly Subject[], out: Finding[]): Measured[] {
  const measured: Measured[] = [];
  const pipelines = subjects.filter((s) => s.type === "azure-native:datafactory:Pipeline");
  for (const s of subjects) {
    if (roleOf(s) !== "secondary") continue;
    if (s.type === "gcp:storage/transferJob:TransferJob") {
      if (["disabled", "deleted"].includes(lower(get(s.props, "status")))) continue;
      const every = durationMinutes(get(s.props, "schedule.repeatInterval"));
      if (every === undefined) {
        out.push(
          finding(s, "the transfer job has no schedule.repeatInterval: it copies once, not on a schedule"),
        );
        continue;
      }
      measured.push({
        subject: s,
        kind: "objects",
        rpoMinutes: 2 * every,
        basis: `repeatInterval ${every} min plus one run of up to the interval`,
      });
    } else if (s.type === "aws:datasync/task:Task") {
      const expr = get(s.props, "schedule.scheduleExpression");
      const every = rateMinutes(expr);
      if (every === undefined) {
        out.push(
          finding(
            s,
            `the task's schedule (${str(expr) ?? "none"}) is not a rate(...) expression: its RPO cannot be read`,
          ),
        );
        continue;
      }
      measured.push({
        subject: s,
        kind: "objects",
        rpoMinutes: 2 * every,
        basis: `${str(expr)} plus one run of up to the interval`,
      });
    } else if (
      s.type === "azure-native:datafactory:Trigger" &&
      lower(get(s.props, "properties.type")) === "scheduletrigger"
    ) {
      const unit = recurrenceUnit[lower(get(s.props, "properties.recurrence.frequency"))];
      const interval = num(get(s.props, "properties.recurrence.interval")) ?? 1;
      if (unit === undefined) {
        out.push(finding(s, "the schedule trigger's recurrence frequency cannot be read"));
        continue;
      }
      const every = unit * interval;
      const names = list(get(s.props, "properties.pipelines")).map((p) =>
        str(get(p, "pipelineReference.referenceName")),
      );
      const timeouts = pipelines
        .filter((p) => names.includes(str(get(p.props, "pipelineName"))))
        .flatMap((p) =>
          list(get(p.props, "activities")).map((a) => timespanMinutes(get(a, "policy.timeout"))),
        )
        .filter((n): n is number => n !== undefined);
      const run = timeouts.length > 0 ? Math.max(...timeouts) : every;
      measured.push({
        subject: s,
        kind: "objects",
        rpoMinutes: Math.ceil(every + run),
        basis: `trigger every ${every} min plus ${timeouts.length > 0 ? `the copy activity timeout (${run} min)` : "one run of up to the interval"}`,
      });
    }
  }
  return measured;
}

function isTimeLagAlarm(s: Subject): "aws" | "gcp" | undefined {
  if (s.type === "aws:cloudwatch/metricAlarm:MetricAlarm") {
    const metric = str(get(s.props, "metricName")) ?? "";
    return str(get(s.props, "namespace")) === "AWS/DMS" && /^CDCLatency(Target|Source)$/.test(metric)
      ? "aws"
      : undefined;
  }
  if (s.type === "gcp:monitoring/alertPolicy:AlertPolicy") {
    return list(get(s.props, "conditions")).some((c) =>
      /database\/replication\/replica_lag/.test(str(get(c, "conditionThreshold.filter")) ?? ""),
    )
      ? "gcp"
      : undefined;
  }
  return undefined;
}

function isSourceByteLagAlarm(s: Subject): boolean {
  if (s.type === "aws:cloudwatch/metricAlarm:MetricAlarm") {
    return str(get(s.props, "metricName")) === "OldestReplicationSlotLag";
  }
  if (s.type === "gcp:monitoring/alertPolicy:AlertPolicy") {
    return list(get(s.props, "conditions")).some((c) =>
      /postgresql\/replication\/replica_byte_lag/.test(str(get(c, "conditionThreshold.filter")) ?? ""),
    );
  }
  return false;
}

/** The RPO a time-based lag alarm enforces (minutes), from its threshold, window and metric delay. */
function alarmRpo(s: Subject, cloud: "aws" | "gcp"): { minutes: number; basis: string } | undefined {
  if (cloud === "aws") {
    const threshold = num(get(s.props, "threshold"));
    const period = num(get(s.props, "period")) ?? 60;
    const periods = num(get(s.props, "evaluationPeriods")) ?? 1;
    if (threshold === undefined) return undefined;
    const seconds = threshold + period * periods + lagMetricDelaySeconds.aws;
    return {
      minutes: Math.ceil(seconds / 60),
      basis: `lag alarm above ${threshold} s for ${periods} x ${period} s, plus ${lagMetricDelaySeconds.aws} s metric delay`,
    };
  }
  const conditions = list(get(s.props, "conditions"));
  const c = conditions.find((x) =>
    /database\/replication\/replica_lag/.test(str(get(x, "conditionThreshold.filter")) ?? ""),
  );
  const threshold = num(get(c, "conditionThreshold.thresholdValue"));
  const window = durationMinutes(get(c, "conditionThreshold.duration")) ?? 0;
  if (threshold === undefined) return undefined;
  const seconds = threshold + window * 60 + lagMetricDelaySeconds.gcp;
  return {
    minutes: Math.ceil(seconds / 60),
    basis: `replica_lag alert above ${threshold} s for ${window * 60} s, plus ${lagMetricDelaySeconds.gcp} s metric delay`,
  };
}

const databaseJobTypes: Record<string, (p: Record<string, unknown>) => boolean> = {
  "aws:dms/replicationTask:ReplicationTask": (p) => /cdc/.test(lower(get(p, "migrationType"))),
  "gcp:databasemigrationservice/migrationJob:MigrationJob": (p) => lower(get(p, "type")) === "continuous",
  "azure-native:dbforpostgresql:Migration": (p) => lower(get(p, "migrationMode")) === "online",
};

function databaseReplications(subjects: readonly Subject[], out: Finding[]): Measured[] {
  const measured: Measured[] = [];
  const secondary = subjects.filter((s) => roleOf(s) === "secondary");
  const primary = subjects.filter((s) => roleOf(s) === "primary");
  for (const s of secondary) {
    const isJob = databaseJobTypes[s.type];
    if (!isJob || !isJob(s.props)) continue;
    const cloud = cloudOf(s.type);
    if (cloud === "azure") {
      // The migration service publishes no lag metric: the source must alarm on the slot's retained WAL.
      if (!primary.some(isSourceByteLagAlarm)) {
        out.push(
          finding(
            s,
            "the online migration has no lag alarm: Azure's migration service publishes no lag metric, and the source site has no alarm on the WAL retained for the replication slot (RDS OldestReplicationSlotLag, Cloud SQL replica_byte_lag)",
          ),
        );
      }
      measured.push({ subject: s, kind: "database", basis: "source slot lag alarmed in bytes, not time" });
      continue;
    }
    const alarms = secondary
      .filter((a) => isTimeLagAlarm(a) === cloud)
      .map((a) => alarmRpo(a, cloud as "aws" | "gcp"))
      .filter((r): r is { minutes: number; basis: string } => r !== undefined);
    if (alarms.length === 0) {
      out.push(
        finding(
          s,
          "the continuous replication has no time-based lag alarm in the secondary site's monitoring: its RPO is unbounded",
        ),
      );
      continue;
    }
    const best = alarms.reduce((a, b) => (a.minutes <= b.minutes ? a : b));
    measured.push({ subject: s, kind: "database", rpoMinutes: best.minutes, basis: best.basis });
  }
  return measured;
}

function check(subjects: readonly Subject[], ctx: StackContext): Finding[] {
  const objectives = ctx.settings.recovery;
  // Without declared objectives (a profile config rather than one derived from the stack) there is
  // nothing to check against; the program's config schema requires them in production with a secondary.
  if (!objectives) return [];
  const sited = subjects.filter((s) => {
    const c = cloudOf(s.type);
    return c !== undefined && c !== "kubernetes";
  });
  const secondarySite = sited.filter((s) => roleOf(s) === "secondary");
  if (!sited.some((s) => roleOf(s) === "primary") || secondarySite.length === 0) return [];

  const out: Finding[] = [];
  const result = known(ctx, () => {
    const objects = objectCopies(sited, out);
    const databases = databaseReplications(sited, out);
    return { objects, databases };
  });
  if (result === UNKNOWN) return out;
  const { objects, databases } = result;

  const storeTypes = /^(aws:s3\/bucket|gcp:storage\/bucket:Bucket|azure-native:storage:StorageAccount)/;
  const databaseTypes =
    /^(aws:rds\/(instance|cluster):|gcp:sql\/databaseInstance:|azure-native:dbforpostgresql:Server$)/;
  const anchor = (re: RegExp) =>
    secondarySite.find((s) => re.test(s.type) && !/log/i.test(s.name)) ??
    secondarySite.find((s) => re.test(s.type)) ??
    secondarySite[0]!;
  if (objects.length === 0) {
    out.push(
      finding(
        anchor(storeTypes),
        "the secondary site's object store receives no scheduled copy of the primary's objects (no transfer job, DataSync task or Data Factory schedule trigger into it): losing the primary loses every object",
      ),
    );
  }
  if (databases.length === 0) {
    out.push(
      finding(
        anchor(databaseTypes),
        "the secondary site's database receives no continuous replication of the primary's (no DMS CDC task, continuous migration job or online migration into it): losing the primary loses every row",
      ),
    );
  }
  for (const m of [...objects, ...databases]) {
    if (m.rpoMinutes !== undefined && m.rpoMinutes > objectives.rpoMinutes) {
      out.push(
        finding(
          m.subject,
          `delivers an RPO of ${m.rpoMinutes} minutes (${m.basis}), above the declared rpoMinutes ${objectives.rpoMinutes}`,
        ),
      );
    }
  }
  const vpn = sited.some((s) => vpnTypes.includes(s.type));
  const rto =
    declareAndSwitchMinutes +
    (vpn ? switchMinutes.interconnect : 0) +
    (objects.length > 0 ? switchMinutes.objects : 0) +
    (databases.length > 0 ? switchMinutes.database : 0);
  if (rto > objectives.rtoMinutes) {
    out.push({
      ...finding(
        secondarySite[0]!,
        `the failover takes ${rto} minutes (${declareAndSwitchMinutes} to declare and switch DNS${vpn ? ` + interconnect ${switchMinutes.interconnect}` : ""}${objects.length > 0 ? ` + objects ${switchMinutes.objects}` : ""}${databases.length > 0 ? ` + database ${switchMinutes.database}` : ""}), above the declared rtoMinutes ${objectives.rtoMinutes}`,
      ),
      urn: "",
    });
  }
  return out;
}

export const enforceRecoveryObjectives = defineControl({
  id: "enforce-recovery-objectives",
  title: "A production two-site stack replicates its data to the secondary within its declared RPO and RTO",
  severity: "high",
  category: "resilience",
  kind: "resilience",
  productionOnly: true,
  rationale:
    "Declared recovery objectives are a promise to the business; a copy schedule slower than the RPO, a continuous replication nobody alarms on, or a secondary site that receives no data breaks it silently until the day the primary is lost (SOC 2 A1.2, A1.3; ISO/IEC 27001 A.5.30, A.8.13, A.8.14; GDPR Art. 32(1)(c)).",
  remediation: [
    "Replicate the primary's objects into the secondary's store on a schedule (GCP Storage Transfer Service, AWS DataSync, Azure Data Factory) whose interval plus one run is within rpoMinutes.",
    "Replicate the primary's PostgreSQL continuously into the secondary (DMS CDC task, Database Migration Service continuous job, Azure online migration) with a time-based lag alarm whose threshold plus window is within rpoMinutes; into Azure, alarm on the source's replication slot lag.",
    "Declare objectives the deployed mechanisms meet (platform:recovery rpoMinutes, rtoMinutes); the gate derives the pack's recovery setting from them (npm run policy-config -- --stack <name> for pulumi preview).",
  ],
  frameworks: {
    soc2: ["A1.2", "A1.3"],
    iso27001: ["A.5.30", "A.8.13", "A.8.14"],
    gdpr: ["Art. 32(1)(c)"],
  },
  uncertain: [
    "Runs only when the policy config carries the stack's recovery objectives (settings.recovery); a generic profile config has none, and the control then checks nothing.",
    "Into Azure the database RPO is not alarm-bounded in time: the migration service publishes no lag metric, and the source's slot-lag alarm is in bytes; the control requires that alarm but cannot compare it with rpoMinutes.",
    "Switch-over times per mechanism are the runbook's estimates (components/recovery.ts), not measured; drills verify them.",
    "PCI DSS v4.0 has no recovery-objective requirement; 12.10.1 (incident response) is the closest and is not mapped.",
  ],
  resources: {},
  stack: check,
  stackTypes: {
    aws: [
      "aws:datasync/task:Task",
      "aws:dms/replicationTask:ReplicationTask",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "aws:ec2/vpnConnection:VpnConnection",
    ],
    azure: [
      "azure-native:datafactory:Trigger",
      "azure-native:datafactory:Pipeline",
      "azure-native:dbforpostgresql:Migration",
      "azure-native:network:VirtualNetworkGatewayConnection",
    ],
    gcp: [
      "gcp:storage/transferJob:TransferJob",
      "gcp:databasemigrationservice/migrationJob:MigrationJob",
      "gcp:monitoring/alertPolicy:AlertPolicy",
      "gcp:compute/vPNTunnel:VPNTunnel",
    ],
  },
});
