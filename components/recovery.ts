/**
 * The recovery model: what the stack replicates between its two sites, how often, what each mechanism
 * can deliver (RPO: worst-case data loss; RTO: time to switch to it), and the exact steps to promote
 * the secondary and fail back. Pure (no Pulumi, no cloud SDK): the config schema checks the declared
 * objectives against it, `tools/dr.ts` writes the runbook from it, and the program registers it in the
 * plan (the `platform:recovery:RecoveryObjectives` component) for the stack policy
 * `enforce-recovery-objectives`.
 *
 * Extending it: a mechanism is a `MechanismSpec`, a pure function from the pair of sites to a
 * `RecoveryMechanism` (or undefined where it does not apply). Append yours to `mechanismSpecs` below
 * (object replication, PostgreSQL CDC replication, ...): the schema, the runbook and the stack output
 * pick it up with no other change.
 */
import type { SiteRole, StackConfig } from "./config";
import type { Cloud } from "./regions";
import {
  databaseReplicationGap,
  objectReplicationGap,
  replicationLagAlarmSeconds,
  replicationMechanisms,
} from "./replication";

/** The declared objectives (`platform:recovery`). */
export interface RecoveryObjectives {
  /** Most data, in minutes, the stack may lose when the primary is lost. */
  readonly rpoMinutes: number;
  /** Longest time, in minutes, from declaring the disaster to serving from the secondary. */
  readonly rtoMinutes: number;
}

export interface RecoverySite {
  readonly role: SiteRole;
  readonly cloud: Cloud;
  readonly region: string;
  readonly addressSpace: string;
}

/** The two sites of a stack, as the mechanisms see them. */
export interface RecoveryPair {
  readonly environment: string;
  readonly production: boolean;
  readonly primary: RecoverySite;
  readonly secondary: RecoverySite;
}

/** One step of a procedure: what to do, and the CLI commands that do it (placeholders in <angle brackets>). */
export interface RecoveryStep {
  readonly title: string;
  readonly commands: readonly string[];
}

export type MechanismKind = "network" | "objects" | "database";

/** How often a mechanism copies: continuously (lag alarmed) or on a schedule. */
export type MechanismSchedule =
  | {
      readonly kind: "continuous";
      readonly lagAlarmMinutes: number;
      /** False where no alarm in time units watches the lag (only the source's retained-WAL alarm, in bytes). */
      readonly timeAlarmed: boolean;
    }
  | { readonly kind: "interval"; readonly everyMinutes: number }
  | { readonly kind: "none" };

export interface RecoveryMechanism {
  /** Stable id, e.g. `interconnect`, `object-replication`, `database-replication`. */
  readonly id: string;
  readonly kind: MechanismKind;
  readonly title: string;
  /** What is copied (empty for a path such as the interconnect). */
  readonly what: string;
  readonly from: SiteRole;
  readonly to: SiteRole;
  /** The managed services used, by cloud. */
  readonly services: string;
  readonly schedule: MechanismSchedule;
  /** Worst-case data loss this mechanism delivers (undefined: it copies no data). */
  readonly rpoMinutes?: number;
  /** Time to switch to this mechanism's copy during a failover. */
  readonly rtoMinutes: number;
  readonly promotion: readonly RecoveryStep[];
  readonly failback: readonly RecoveryStep[];
  readonly drill: readonly string[];
  /** Documentation the numbers come from. */
  readonly sources: readonly string[];
}

export type MechanismSpec = (pair: RecoveryPair) => RecoveryMechanism | undefined;

/** Fixed part of every failover: declaring the disaster and switching DNS (records at 60 s TTL). */
export const baseRtoMinutes = 15;

const vpnCheck: Record<Cloud, (env: string, role: SiteRole, region: string) => string[]> = {
  aws: (_env, _role, region) => [
    `aws ec2 describe-vpn-connections --region ${region} --filters Name=state,Values=available --query 'VpnConnections[].VgwTelemetry[].[OutsideIpAddress,Status,StatusMessage]' --output table`,
  ],
  azure: (env, role, region) => [
    `az network vpn-connection list --resource-group rg-${env}-${role}-${region} --query '[].{name:name,status:connectionStatus}' --output table`,
    `az network vnet-gateway list-bgp-peer-status --resource-group rg-${env}-${role}-${region} --name vgw-${env}-${role} --output table`,
  ],
  gcp: (env, role, region) => [
    `gcloud compute vpn-tunnels list --filter='name~^vpn-${env}-${role}-' --format='table(name,status,detailedStatus)'`,
    `gcloud compute routers get-status cr-${env}-${role}-vpn --region ${region} --format='table(result.bgpPeerStatus[].name,result.bgpPeerStatus[].status)'`,
  ],
};

/** The interconnect: no data of its own, but every replication runs over it. */
export const interconnectMechanism: MechanismSpec = (pair) => ({
  id: "interconnect",
  kind: "network",
  title: "Private interconnect (HA IPsec VPN with BGP)",
  what: "",
  from: "primary",
  to: "secondary",
  services: `${pair.primary.cloud} and ${pair.secondary.cloud} site-to-site VPN, BGP between the private and data tiers`,
  schedule: { kind: "none" },
  rtoMinutes: 5,
  promotion: [
    {
      title: `Check that the tunnels and BGP sessions are up on the ${pair.secondary.cloud} side (replication must have drained over them)`,
      commands: vpnCheck[pair.secondary.cloud](pair.environment, "secondary", pair.secondary.region),
    },
  ],
  failback: [
    {
      title: `Check the tunnels from the rebuilt primary (${pair.primary.cloud}) before reversing replication`,
      commands: vpnCheck[pair.primary.cloud](pair.environment, "primary", pair.primary.region),
    },
  ],
  drill: [
    "Take one tunnel down on each side (disable one connection) and confirm BGP fails over within 60 s with no replication error.",
  ],
  sources: [
    "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html",
    "https://learn.microsoft.com/azure/vpn-gateway/active-active-portal",
    "https://cloud.google.com/network-connectivity/docs/vpn/concepts/topologies",
  ],
});

/**
 * Every mechanism the stack builds, in failover order. Append specs here (see the module comment).
 */
/** Objects: the primary's data store copied into the secondary's on a schedule (components/replication.ts). */
export const objectReplicationMechanism: MechanismSpec = (pair) => {
  const m = replicationMechanisms.objects[pair.secondary.cloud];
  const gap = objectReplicationGap(pair.primary.cloud, pair.secondary.cloud);
  const stop: Record<Cloud, string> = {
    gcp: `gcloud transfer jobs update <transfer-job-name> --status=disabled`,
    aws: `aws datasync update-task --region ${pair.secondary.region} --task-arn <task-arn> --schedule '{"ScheduleExpression":"rate(1 hour)","Status":"DISABLED"}'`,
    azure: `az datafactory trigger stop --resource-group <resource-group> --factory-name <factory> --name every-15-minutes`,
  };
  return {
    id: "object-replication",
    kind: "objects",
    title: `Object replication into ${pair.secondary.cloud} (${m.service})`,
    what: gap
      ? `NOT REPLICATED for ${pair.primary.cloud} -> ${pair.secondary.cloud}: ${gap}`
      : `the primary's data store, copied into the secondary's store (${m.schedule}); RPO ${m.rpoMinutes} minutes: ${m.rpoBasis.text}`,
    from: "primary",
    to: "secondary",
    services: m.service,
    schedule: gap ? { kind: "none" } : { kind: "interval", everyMinutes: m.intervalMinutes },
    ...(gap ? {} : { rpoMinutes: m.rpoMinutes }),
    rtoMinutes: 5,
    promotion: [
      {
        title:
          "Stop the copy schedule so nothing overwrites the secondary store, then point applications at it (stack output sites.secondary.objectStore)",
        commands: [stop[pair.secondary.cloud]],
      },
    ],
    failback: [
      {
        title: `Copy back with the mechanism that receives into ${pair.primary.cloud}: deploy the stack with the sites' roles swapped, run one full copy, then swap back`,
        commands: ["pulumi preview --policy-pack policies", "pulumi up --policy-pack policies"],
      },
    ],
    drill: [
      `Write a marker object on the primary; confirm it reaches the secondary store within ${m.rpoMinutes} minutes.`,
    ],
    sources: [m.source],
  };
};

/** PostgreSQL: change-data-capture replication into the secondary's database (components/replication.ts). */
export const databaseReplicationMechanism: MechanismSpec = (pair) => {
  const m = replicationMechanisms.database[pair.secondary.cloud];
  const gap = databaseReplicationGap(pair.primary.cloud, pair.secondary.cloud);
  const promote: Record<Cloud, string> = {
    gcp: `gcloud database-migration migration-jobs promote <migration-job> --region ${pair.secondary.region}`,
    aws: `aws dms stop-replication-task --region ${pair.secondary.region} --replication-task-arn <task-arn>`,
    azure: `az postgres flexible-server migration update --resource-group <resource-group> --name <target-server> --migration-name <migration> --cutover`,
  };
  return {
    id: "database-replication",
    kind: "database",
    title: `PostgreSQL replication into ${pair.secondary.cloud} (${m.service})`,
    what: `the primary's PostgreSQL database, replicated continuously; RPO ${m.rpoMinutes} minutes: ${m.rpoBasis.text}${gap ? ` (before the first run: ${gap})` : ""}`,
    from: "primary",
    to: "secondary",
    services: m.service,
    schedule: {
      kind: "continuous",
      lagAlarmMinutes: replicationLagAlarmSeconds / 60,
      timeAlarmed: m.rpoBasis.alarmed,
    },
    rpoMinutes: m.rpoMinutes,
    rtoMinutes: 10,
    promotion: [
      {
        title:
          "Wait for the replication lag to drain (or accept the lag as data loss), then promote the secondary database and stop replication",
        commands: [promote[pair.secondary.cloud]],
      },
    ],
    failback: [
      {
        title: `Replicate back into the rebuilt primary (${pair.primary.cloud}) with the stack's roles swapped, then cut over in a maintenance window`,
        commands: ["pulumi up --policy-pack policies"],
      },
    ],
    drill: [
      "Insert a marker row on the primary; confirm it is readable on the secondary within the lag alarm threshold.",
    ],
    sources: [m.source],
  };
};

export const mechanismSpecs: MechanismSpec[] = [
  interconnectMechanism,
  objectReplicationMechanism,
  databaseReplicationMechanism,
];

/** The recovery plan of a stack with two sites. */
export interface RecoveryPlan {
  readonly pair: RecoveryPair;
  readonly objectives?: RecoveryObjectives;
  readonly mechanisms: readonly RecoveryMechanism[];
  /** The worst RPO of the data mechanisms; undefined when no mechanism copies data. */
  readonly achievableRpoMinutes?: number;
  /** `baseRtoMinutes` plus every mechanism's switch time (promotions run one after the other). */
  readonly achievableRtoMinutes: number;
}

/** The pair of sites of a config, undefined without a secondary. */
export function recoveryPair(config: StackConfig): RecoveryPair | undefined {
  if (!config.secondary) return undefined;
  const site = (role: SiteRole, s: StackConfig["primary"]): RecoverySite => ({
    role,
    cloud: s.cloud,
    region: s.region,
    addressSpace: s.addressSpace,
  });
  return {
    environment: config.environment,
    production: config.production,
    primary: site("primary", config.primary),
    secondary: site("secondary", config.secondary),
  };
}

export function recoveryPlan(
  config: StackConfig,
  specs: readonly MechanismSpec[] = mechanismSpecs,
): RecoveryPlan | undefined {
  const pair = recoveryPair(config);
  if (!pair) return undefined;
  const mechanisms = specs.map((spec) => spec(pair)).filter((m): m is RecoveryMechanism => m !== undefined);
  const rpos = mechanisms.map((m) => m.rpoMinutes).filter((n): n is number => n !== undefined);
  return {
    pair,
    ...(config.recovery ? { objectives: config.recovery } : {}),
    mechanisms,
    ...(rpos.length > 0 ? { achievableRpoMinutes: Math.max(...rpos) } : {}),
    achievableRtoMinutes: baseRtoMinutes + mechanisms.reduce((sum, m) => sum + m.rtoMinutes, 0),
  };
}

/** Objectives the built mechanisms cannot meet, each message naming both numbers. */
export function objectiveProblems(
  plan: RecoveryPlan,
): { key: "rpoMinutes" | "rtoMinutes"; message: string }[] {
  const out: { key: "rpoMinutes" | "rtoMinutes"; message: string }[] = [];
  const o = plan.objectives;
  if (!o) return out;
  for (const m of plan.mechanisms) {
    if (m.rpoMinutes !== undefined && m.rpoMinutes > o.rpoMinutes) {
      out.push({
        key: "rpoMinutes",
        message: `expected an RPO the mechanisms can meet: ${m.title} delivers ${m.rpoMinutes} minutes, found rpoMinutes ${o.rpoMinutes}`,
      });
    }
  }
  if (plan.achievableRtoMinutes > o.rtoMinutes) {
    out.push({
      key: "rtoMinutes",
      message: `expected an RTO the failover can meet: ${plan.achievableRtoMinutes} minutes (${baseRtoMinutes} to declare and switch DNS + ${plan.mechanisms.map((m) => `${m.id} ${m.rtoMinutes}`).join(" + ")}), found rtoMinutes ${o.rtoMinutes}`,
    });
  }
  return out;
}
