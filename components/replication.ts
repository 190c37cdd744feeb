/**
 * Cross-cloud data replication: the primary site's object store and PostgreSQL database copied to the
 * secondary site on another cloud, so that losing the primary cloud loses at most one replication
 * interval of data (the RPO of each mechanism is in {@link replicationMechanisms}).
 *
 * A stack-level component (not a child of either site): it takes both sites. Each cloud implements the
 * two halves of each concern toward a peer described without naming the peer's cloud:
 *
 * - source half (`exportObjects`, `exportDatabase`): grants a reader identity (an OIDC subject, or a
 *   generated static credential where the receiving service accepts nothing else) read access to this
 *   site's store, and a dedicated replication role on this site's database;
 * - receiving half (`objectReader`, `receiveObjects`, `receiveDatabase`): the scheduled copy into this
 *   site's store (Storage Transfer Service, DataSync, Data Factory) and the change-data-capture job into
 *   this site's database (Database Migration Service, AWS DMS, Azure's migration service), with transfer
 *   logs and lag alarms in this site's monitoring.
 *
 * The peer is described by protocol (`s3`, `gcs`, `azure-blob`; PostgreSQL flavour) and endpoints, so three
 * implementations serve the six ordered pairs; the table of implementations is a mapped type over the
 * clouds (exhaustive at compile time) that `index.ts` hands to the component.
 *
 * Private connectivity between the sites' private and data tiers (the VPN interconnect) is assumed: the
 * database jobs connect to the peer's private address; object copies use the clouds' managed transfer
 * services over TLS (they have no path through a customer VPN, except where noted per mechanism).
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { SiteRole } from "./config";
import type { SiteContext } from "./context";
import type { DatabaseOutputs } from "./database";
import type { KeyHandles } from "./keys";
import type { MonitoringOutputs } from "./monitoring";
import type { NetworkOutputs, NetworkPlan } from "./network";
import type { Cloud } from "./regions";
import type { StorageOutputs } from "./storage";

/** The object-store protocols a receiving service reads from. */
export type ObjectProtocol = "s3" | "gcs" | "azure-blob";

/** The PostgreSQL flavour of a peer server (the receiving services tune their checks to it). */
export type PostgresFlavor = "rds" | "cloud-sql" | "flexible-server";

/** Everything a replication implementation needs from one site, narrowed to its cloud. */
export interface ReplicationSite<C extends Cloud> {
  readonly ctx: SiteContext<C>;
  readonly keys: KeyHandles[C];
  readonly network: NetworkOutputs<C>;
  /** The site's planned network (plain values: subnet blocks per tier). */
  readonly networkPlan: NetworkPlan;
  readonly monitoring: MonitoringOutputs;
  readonly storage: StorageOutputs;
  readonly database: DatabaseOutputs;
}

/** A site handle of any cloud, narrowable by `ctx.cloud`. */
export type AnyReplicationSite = { [C in Cloud]: ReplicationSite<C> }[Cloud];

/**
 * How a receiving transfer service authenticates to the peer's store:
 * - `oidc`: tokens issued by `issuer` for `subject` (a federated workload identity, no stored secret);
 * - `static-key`: the service accepts only a long-lived key pair (the source generates a dedicated,
 *   read-only principal and key, rotated by replacement every {@link credentialRotationDays} days).
 */
export type ObjectReader =
  | { readonly kind: "oidc"; readonly issuer: string; readonly subject: pulumi.Output<string> }
  | { readonly kind: "static-key" };

/** A read credential for a peer store. Secrets are Pulumi secrets. */
export type ObjectCredential =
  | { readonly kind: "web-identity-role"; readonly roleArn: pulumi.Output<string> }
  | {
      readonly kind: "federated-client";
      readonly clientId: pulumi.Output<string>;
      readonly tenantId: string;
    }
  | {
      readonly kind: "key-pair";
      readonly accessKeyId: pulumi.Output<string>;
      readonly secretAccessKey: pulumi.Output<string>;
    };

/** A peer object store, as the receiving service reaches it (the cloud is not named). */
export interface ObjectSource {
  readonly protocol: ObjectProtocol;
  /** Bucket name (s3, gcs) or container name (azure-blob). */
  readonly bucket: pulumi.Output<string>;
  /** Storage account name (azure-blob only). */
  readonly account?: pulumi.Output<string>;
  /** HTTPS endpoint of the service (`storage.googleapis.com`, the account's blob endpoint, S3's). */
  readonly endpoint: pulumi.Output<string>;
  /** Region of the store (the S3 region; informative elsewhere). */
  readonly region: string;
  readonly credential: ObjectCredential;
}

/** A peer PostgreSQL server, as the receiving CDC service reaches it over the interconnect. */
export interface DatabaseSource {
  readonly flavor: PostgresFlavor;
  /** Private host name or address of the server (reached through the interconnect). */
  readonly host: pulumi.Output<string>;
  readonly port: number;
  readonly databaseName: pulumi.Output<string>;
  /** The dedicated replication role. */
  readonly username: string;
  /** Its password: a generated Pulumi secret. */
  readonly password: pulumi.Output<string>;
  /** Address space of the peer site. */
  readonly addressSpace: string;
  /**
   * The peer's blocks where its database lives (its data tier, or GCP's Private Service Access range):
   * the receiving side's egress rules, matching what each network admits across sites
   * (components/cross-site.ts).
   */
  readonly prefixes: readonly string[];
  /**
   * PEM bundle of the CAs that sign the server's certificate, where they are public (the receiving side
   * then verifies the server's identity, not only encrypts); undefined where the CA is per instance or not
   * distributable offline (the receiving side still requires TLS).
   */
  readonly caCertificate?: string;
}

/** What a receiving half reports: the resources that matter to runbooks and RPO checks. */
export interface ReplicationResult {
  /** The service doing the copy. */
  readonly service: string;
  /** The cloud resource id/name of the job, task, pipeline or migration. */
  readonly jobId: pulumi.Output<string>;
  /** Where the transfer/replication logs go (target site). */
  readonly logDestination: pulumi.Output<string>;
}

/** Options every implementation call receives. */
export interface ReplicationCall {
  /** Parent of every resource (the Replication component). */
  readonly parent: pulumi.ComponentResource;
  /** A random provider (random resources need an explicit provider, like every other one). */
  readonly randomProvider: random.Provider;
  /** Stack environment name (resource names). */
  readonly environment: string;
  /** Role of the peer site (names and descriptions). */
  readonly peerRole: SiteRole;
}

/**
 * A generated PostgreSQL login password (a Pulumi secret): 32 characters from letters, digits and the
 * URL-safe specials `-_.~`, which every receiving service's connection string accepts unescaped.
 */
export function replicationPassword(name: string, call: ReplicationCall): random.RandomPassword {
  return new random.RandomPassword(
    name,
    {
      length: 32,
      special: true,
      overrideSpecial: "-_.~",
      minLower: 2,
      minUpper: 2,
      minNumeric: 2,
      minSpecial: 1,
    },
    { parent: call.parent, provider: call.randomProvider },
  );
}

/** One cloud's halves of object and database replication. */
export interface ReplicationImplementation<C extends Cloud> {
  /** Receiving half: how this cloud's transfer service authenticates to a peer store of `protocol`. */
  objectReader(
    name: string,
    target: ReplicationSite<C>,
    protocol: ObjectProtocol,
    call: ReplicationCall,
  ): ObjectReader;
  /** Source half: this site's store readable by `reader`. */
  exportObjects(
    name: string,
    source: ReplicationSite<C>,
    reader: ObjectReader,
    call: ReplicationCall,
  ): ObjectSource;
  /** Receiving half: the scheduled copy of `source` into this site's store. */
  receiveObjects(
    name: string,
    target: ReplicationSite<C>,
    source: ObjectSource,
    call: ReplicationCall,
  ): ReplicationResult;
  /** Source half: the replication role (generated credential) on this site's database. */
  exportDatabase(name: string, source: ReplicationSite<C>, call: ReplicationCall): DatabaseSource;
  /** Receiving half: continuous CDC replication of `source` into this site's database. */
  receiveDatabase(
    name: string,
    target: ReplicationSite<C>,
    source: DatabaseSource,
    call: ReplicationCall,
  ): ReplicationResult;
}

/** The implementations, one per cloud (a mapped type: a missing cloud does not compile). */
export type ReplicationImplementations = { readonly [C in Cloud]: ReplicationImplementation<C> };

/** Days after which generated static credentials are replaced (by `pulumi up`; see {@link rotationPeriod}). */
export const credentialRotationDays = 90;

/**
 * The rotation period a date falls in (`2026-p3`: the third 90-day period of 2026). Static credentials
 * carry it as their `replacementTrigger`: the first `pulumi up` of a new period creates a new key, updates
 * the secret that holds it, then deletes the old key.
 */
export function rotationPeriod(now: Date): string {
  const start = Date.UTC(now.getUTCFullYear(), 0, 1);
  const day = Math.floor((now.getTime() - start) / 86_400_000);
  return `${now.getUTCFullYear()}-p${Math.floor(day / credentialRotationDays) + 1}`;
}

/** Name of the replication role created on every source database. */
export const replicationRole = "replicator";

/** Replication lag (seconds) above which the target site's monitoring raises a high-severity alert. */
export const replicationLagAlarmSeconds = 300;

/**
 * How long the lag must stay above {@link replicationLagAlarmSeconds} before the lag alarm fires (seconds):
 * five one-minute periods on CloudWatch (DMS), a 300 s condition duration on Cloud Monitoring.
 */
export const replicationLagAlarmWindowSeconds = 300;

/**
 * WAL retained on the source for the peer's replication slot (bytes) above which the source site alarms:
 * the only lag signal where the receiving service has none (Azure's migration service).
 */
export const sourceLagAlarmBytes = 1024 ** 3;

/**
 * Delay between a lag sample and an alarm that can see it, per receiving cloud's lag metric (seconds):
 * CloudWatch's DMS task metrics are one-minute metrics; Cloud SQL's replica_lag is sampled every 60 s
 * and visible up to 210 s later (https://cloud.google.com/monitoring/api/metrics_gcp_c#gcp-cloudsql).
 */
export const lagMetricDelaySeconds: Readonly<Record<"aws" | "gcp", number>> = { aws: 60, gcp: 210 };

/**
 * The RPO a continuously replicating mechanism delivers while its lag alarm is silent (minutes): the lag
 * may be up to the threshold, plus the evaluation window during which it may grow unalarmed, plus the
 * metric's publication delay (the lag grows by at most one second per second).
 */
export function continuousRpoMinutes(metricDelaySeconds: number): number {
  return Math.ceil((replicationLagAlarmSeconds + replicationLagAlarmWindowSeconds + metricDelaySeconds) / 60);
}

/** The object-store protocol each cloud's store speaks. */
export const objectProtocolOf: Readonly<Record<Cloud, ObjectProtocol>> = {
  aws: "s3",
  gcp: "gcs",
  azure: "azure-blob",
};

/** One replication mechanism: what runs, how often, the RPO it can deliver, and the documentation. */
export interface ReplicationMechanism {
  readonly concern: "objects" | "database";
  /** Cloud receiving the copy. */
  readonly target: Cloud;
  readonly service: string;
  /** Human description of the schedule (or `continuous`). */
  readonly schedule: string;
  /** Schedule interval in minutes (0 for continuous CDC). */
  readonly intervalMinutes: number;
  /**
   * Worst-case data loss the mechanism is designed for, in minutes: the interval plus one run's duration
   * allowance for scheduled copies; the lag alarm threshold for continuous replication (beyond it, an
   * alert fires).
   */
  readonly rpoMinutes: number;
  /** The shortest interval the service accepts (why the RPO cannot be lower with this mechanism). */
  readonly minimumIntervalMinutes: number;
  /** Documentation of the schedule limit / lag metric. */
  readonly source: string;
  /**
   * How `rpoMinutes` follows from what is deployed, and whether an alarm enforces it (`alarmed` false: a
   * design figure no alarm in time units enforces; the runbook and the stack policy say so).
   */
  readonly rpoBasis: { readonly text: string; readonly alarmed: boolean };
  /** Sources the mechanism supports, by protocol or flavour (others are documented, not built). */
  readonly supports: readonly string[];
  readonly notes: string;
}

/**
 * The mechanisms per receiving cloud, for the runbook and the RPO checks (`rpoMinutes` of a stack must be
 * at least the largest RPO of the mechanisms its pair uses).
 */
export const replicationMechanisms: {
  readonly objects: Readonly<Record<Cloud, ReplicationMechanism>>;
  readonly database: Readonly<Record<Cloud, ReplicationMechanism>>;
} = {
  objects: {
    gcp: {
      concern: "objects",
      target: "gcp",
      service: "Storage Transfer Service (scheduled transfer job)",
      schedule: "every 1 hour",
      intervalMinutes: 60,
      rpoMinutes: 120,
      minimumIntervalMinutes: 60,
      source: "https://cloud.google.com/storage-transfer/docs/reference/rest/v1/transferJobs#Schedule",
      rpoBasis: {
        text: "repeatInterval (60 min) plus one run of up to the interval (a transfer still running when the next is due delays it); failed runs alert",
        alarmed: true,
      },
      supports: ["s3 (AWS role, AssumeRoleWithWebIdentity)", "azure-blob (federated identity)"],
      notes:
        "repeatInterval may not be less than 1 hour; event-driven transfers (S3 through SQS) would lower the RPO to minutes and are not built.",
    },
    aws: {
      concern: "objects",
      target: "aws",
      service: "AWS DataSync (Enhanced mode task, scheduled)",
      schedule: "rate(1 hour)",
      intervalMinutes: 60,
      rpoMinutes: 120,
      minimumIntervalMinutes: 60,
      source: "https://docs.aws.amazon.com/datasync/latest/userguide/task-scheduling.html",
      rpoBasis: {
        text: "rate(1 hour) plus one run of up to the interval (DataSync skips a scheduled execution while one is running); errors alert",
        alarmed: true,
      },
      supports: ["gcs (object storage location through the XML API, HMAC key)"],
      notes:
        "Enhanced mode reads Azure Blob without an agent but only with a SAS token; our storage accounts refuse shared-key (SAS) access, so azure-blob -> aws is documented, not built. Enhanced tasks log to /aws/datasync and need iam:CreateServiceLinkedRole for the deployer.",
    },
    azure: {
      concern: "objects",
      target: "azure",
      service: "Azure Data Factory (copy pipeline, schedule trigger)",
      schedule: "every 15 minutes, objects modified in the last 30 minutes (overlapping windows)",
      intervalMinutes: 15,
      rpoMinutes: 60,
      minimumIntervalMinutes: 15,
      source: "https://learn.microsoft.com/azure/data-factory/how-to-create-schedule-trigger",
      rpoBasis: {
        text: "trigger every 15 min plus the copy activity's 45-minute timeout (https://learn.microsoft.com/azure/data-factory/concepts-pipelines-activities#activity-policy); failed runs alert",
        alarmed: true,
      },
      supports: ["s3 (access key pair)", "gcs (HMAC key)"],
      notes:
        "15 minutes is our interval (a run of a large change set takes minutes; the copy activity times out at 45 minutes): RPO = interval + timeout. Triggers are created stopped and must be started once (runbook); the first full copy is a manual run with an open window.",
    },
  },
  database: {
    gcp: {
      concern: "database",
      target: "gcp",
      service: "Database Migration Service (continuous migration job)",
      schedule: "continuous (logical decoding, pglogical)",
      intervalMinutes: 0,
      rpoMinutes: continuousRpoMinutes(lagMetricDelaySeconds.gcp),
      minimumIntervalMinutes: 0,
      source: "https://cloud.google.com/sql/docs/postgres/replication/replication-lag",
      rpoBasis: {
        text: `replica_lag alarmed above ${replicationLagAlarmSeconds} s for ${replicationLagAlarmWindowSeconds} s, plus the metric's ${lagMetricDelaySeconds.gcp} s visibility delay (https://cloud.google.com/monitoring/api/metrics_gcp_c#gcp-cloudsql)`,
        alarmed: true,
      },
      supports: ["rds", "flexible-server", "cloud-sql"],
      notes: `The destination is demoted to a replica of the source; its replica_lag is alarmed above ${replicationLagAlarmSeconds} s in the target site's monitoring.`,
    },
    aws: {
      concern: "database",
      target: "aws",
      service: "AWS DMS (full load and CDC replication task)",
      schedule: "continuous (logical replication slot)",
      intervalMinutes: 0,
      rpoMinutes: continuousRpoMinutes(lagMetricDelaySeconds.aws),
      minimumIntervalMinutes: 0,
      source:
        "https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Monitoring.html#CHAP_Monitoring.Metrics.Task",
      rpoBasis: {
        text: `CDCLatencyTarget alarmed above ${replicationLagAlarmSeconds} s over ${replicationLagAlarmWindowSeconds / 60} one-minute periods, plus one period of metric delay (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation)`,
        alarmed: true,
      },
      supports: ["cloud-sql", "flexible-server", "rds"],
      notes: `CDCLatencyTarget alarmed above ${replicationLagAlarmSeconds} s in the target site's monitoring.`,
    },
    azure: {
      concern: "database",
      target: "azure",
      service: "Azure Database for PostgreSQL migration service (online migration)",
      schedule: "continuous until cutover (logical replication)",
      intervalMinutes: 0,
      // Not alarm-enforced (rpoBasis): the same figure as the slower alarmed continuous mechanism.
      rpoMinutes: continuousRpoMinutes(lagMetricDelaySeconds.gcp),
      minimumIntervalMinutes: 0,
      source:
        "https://learn.microsoft.com/azure/postgresql/migrate/migration-service/concepts-known-issues-migration-service",
      rpoBasis: {
        text: `a design figure no time alarm enforces: the migration service publishes no lag metric (https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-dbforpostgresql-flexibleservers-metrics lists none for migrations), and the source alarms on WAL retained for the slot above ${sourceLagAlarmBytes / 1024 ** 3} GiB (bytes, not time: at a low write rate a stalled replication stays unalarmed longer); check the migration's latency in drills (az postgres flexible-server migration show)`,
        alarmed: false,
      },
      supports: ["rds", "cloud-sql"],
      notes:
        "The service exposes no lag metric: the source's replication slot lag is alarmed in the source site's monitoring instead. SSL mode must be Require (VerifyFull is for single-server sources only).",
    },
  },
};

/** The mechanisms a pair uses (objects and database into `target`), for runbooks and RPO checks. */
export function mechanismsFor(target: Cloud): readonly ReplicationMechanism[] {
  return [replicationMechanisms.objects[target], replicationMechanisms.database[target]];
}

/** Why a pair's object replication is not built, or undefined when it is. */
export function objectReplicationGap(source: Cloud, target: Cloud): string | undefined {
  if (source === "azure" && target === "aws") {
    return "DataSync reads Azure Blob only with a SAS token (https://docs.aws.amazon.com/datasync/latest/userguide/creating-azure-blob-location.html), and the site's storage accounts refuse shared-key (SAS) access";
  }
  return undefined;
}

/**
 * What keeps a pair's database replication from being verified end to end, or undefined: the job is built
 * either way, and the gap is reported with the component's outputs (runbook input).
 */
export function databaseReplicationGap(source: Cloud, target: Cloud): string | undefined {
  const gaps: string[] = [];
  if (source === "aws" && target === "gcp") {
    gaps.push(
      "Database Migration Service verifies TLS only with the source's CA certificate, and the RDS regional CA bundle (https://truststore.pki.rds.amazonaws.com/) is not available offline: supply it as DatabaseSource.caCertificate, or the job connects without TLS and RDS (rds.force_ssl=1) refuses it",
    );
  }
  if (target === "gcp") {
    gaps.push(
      "Database Migration Service replicates with pglogical: the source needs pglogical in shared_preload_libraries (and azure.extensions on Azure) and a `postgres` database (https://cloud.google.com/database-migration/docs/postgres/configure-source-database); the existing Cloud SQL destination is demoted to a replica, its backups and PITR are suspended until promotion",
    );
  }
  if (source === "azure") {
    gaps.push(
      "the flexible server has password authentication disabled (Entra only); the replicator role's password login needs authConfig.passwordAuth Enabled on the source server",
    );
  }
  if (target === "azure") {
    gaps.push(
      "the migration service logs in to the target with a password: the target flexible server needs authConfig.passwordAuth Enabled and the replicator role created",
    );
  }
  return gaps.length > 0 ? gaps.join("; ") : undefined;
}

/**
 * One-time steps outside the program and apply-time conditions for a pair (runbook input): what must
 * happen after `pulumi up` for the copies to run, with the documentation each comes from.
 */
export function replicationSteps(source: Cloud, target: Cloud, production: boolean): string[] {
  const steps: string[] = [];
  if (source === "azure" && target === "gcp" && production) {
    steps.push(
      "Storage Transfer Service reaches the Azure storage account on its public endpoint: with publicNetworkAccess Disabled (production) admit its worker IP ranges (https://cloud.google.com/storage-transfer/docs/source-microsoft-azure#ip_restrictions) or route it privately (transferSpec.azureBlobStorageDataSource.privateNetworkService)",
    );
  }
  if (target === "gcp" && production) {
    steps.push(
      "the production bucket has a locked retention policy and no versioning: an object changed at the source before its copy's retention expires cannot be replaced (https://cloud.google.com/storage/docs/bucket-lock), so the transfer logs it FAILED and alerts; applications should write new keys rather than overwrite",
    );
  }
  if (target === "azure") {
    steps.push(
      "approve the Data Factory managed private endpoints (pe-blob, pe-vault) on the storage account and the Key Vault, then start the trigger: az datafactory trigger start --name every-15-minutes (https://learn.microsoft.com/azure/data-factory/managed-virtual-network-private-endpoint)",
      "run the pipeline once with windowStart 1970-01-01T00:00:00Z for the initial full copy",
    );
  }
  if (source === "aws" || source === "azure") {
    steps.push(
      `create the ${replicationRole} role on the source database from the generated secret: CREATE ROLE ${replicationRole} WITH LOGIN PASSWORD '<secret>'; then grant ${source === "aws" ? "rds_replication" : "REPLICATION"} and SELECT on the application schemas`,
    );
  }
  if (target === "aws") {
    steps.push(
      "the deployer needs iam:CreateServiceLinkedRole (DataSync Enhanced mode, DMS); dms-vpc-role and dms-cloudwatch-logs-role are account-wide names: import them where the account already has them",
    );
  }
  return steps;
}

/** Arguments of the stack-level replication component. */
export interface ReplicationArgs {
  /** The site whose data is copied. */
  readonly primary: AnyReplicationSite;
  /** The site receiving the copy (another cloud). */
  readonly secondary: AnyReplicationSite;
  /** The implementations table (from `providers/replication.ts`, handed over by `index.ts`). */
  readonly implementations: ReplicationImplementations;
  /** The random provider for generated credentials. */
  readonly randomProvider: random.Provider;
  /** Stack environment name. */
  readonly environment: string;
}

function dispatch<C extends Cloud>(impls: ReplicationImplementations, site: ReplicationSite<C>) {
  return { impl: impls[site.ctx.cloud] as ReplicationImplementation<C>, site };
}

/**
 * Object and database replication from the primary site to the secondary site. `objects` and
 * `database` describe what was built (undefined with the reason in `gaps` where the pair has no mechanism).
 */
export class Replication extends pulumi.ComponentResource {
  public readonly objects: ReplicationResult | undefined;
  public readonly database: ReplicationResult;
  public readonly mechanisms: readonly ReplicationMechanism[];
  public readonly gaps: readonly string[];
  /** One-time steps and apply-time conditions for this pair (see {@link replicationSteps}). */
  public readonly steps: readonly string[];

  constructor(name: string, args: ReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    const { primary, secondary, implementations } = args;
    if (primary.ctx.cloud === secondary.ctx.cloud) {
      throw new Error(
        `Replication: the secondary site must be on another cloud than the primary (both ${primary.ctx.cloud})`,
      );
    }
    super("platform:replication:Replication", name, {}, opts);
    const call: ReplicationCall = {
      parent: this,
      randomProvider: args.randomProvider,
      environment: args.environment,
      peerRole: primary.ctx.role,
    };
    const source = dispatch(implementations, primary as ReplicationSite<Cloud>);
    const target = dispatch(implementations, secondary as ReplicationSite<Cloud>);
    const gaps: string[] = [];

    const gap = objectReplicationGap(primary.ctx.cloud, secondary.ctx.cloud);
    if (gap === undefined) {
      const protocol = objectProtocolOf[primary.ctx.cloud];
      const reader = target.impl.objectReader(`${name}-objects`, target.site, protocol, call);
      const exported = source.impl.exportObjects(`${name}-objects`, source.site, reader, call);
      this.objects = target.impl.receiveObjects(`${name}-objects`, target.site, exported, call);
    } else {
      gaps.push(`objects ${primary.ctx.cloud} -> ${secondary.ctx.cloud}: ${gap}`);
    }
    const dbGap = databaseReplicationGap(primary.ctx.cloud, secondary.ctx.cloud);
    if (dbGap !== undefined) gaps.push(`database ${primary.ctx.cloud} -> ${secondary.ctx.cloud}: ${dbGap}`);
    const db = source.impl.exportDatabase(`${name}-db`, source.site, call);
    this.database = target.impl.receiveDatabase(`${name}-db`, target.site, db, call);
    this.mechanisms = mechanismsFor(secondary.ctx.cloud);
    this.gaps = gaps;
    this.steps = replicationSteps(primary.ctx.cloud, secondary.ctx.cloud, secondary.ctx.production);
    this.registerOutputs({
      objectsJob: this.objects?.jobId,
      databaseJob: this.database.jobId,
      gaps,
    });
  }
}
