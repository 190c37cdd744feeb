/**
 * The site's PostgreSQL database: a managed server (Amazon RDS for PostgreSQL, Azure Database for
 * PostgreSQL flexible server, Cloud SQL for PostgreSQL), compliant by default:
 *
 * - private only: placed on the network's data tier, no public endpoint, reachable from the private tier
 *   on 5432 only (the network's data-tier rules) and, on two-site stacks, from the other site's database
 *   blocks across the interconnect for replication (`crossSite`, components/cross-site.ts);
 * - encrypted at rest with the site's customer-managed key; TLS required, TLS 1.2 minimum;
 * - automated backups with point-in-time recovery, `backupRetentionDays` (35 in production, at least 7
 *   everywhere); geo-redundant backups in production where the cloud offers them (AWS: the automated
 *   backups, snapshots and transaction logs, replicated to the site's replica region, so point-in-time
 *   recovery works there too; Azure: to the region's fixed pair, the site's replica region, encrypted
 *   with a second key and identity there; Cloud SQL: backups stored in the replica region);
 * - high availability across zones in production (RDS Multi-AZ, zone-redundant HA, REGIONAL);
 * - deletion protection and Pulumi `protect` in production;
 * - no password in clear anywhere: the cloud manages the admin secret (RDS + Secrets Manager), or there
 *   is no password at all (Azure: Microsoft Entra authentication only, the administrator is a
 *   user-assigned identity; Cloud SQL IAM database authentication); IAM/Entra authentication is on;
 * - connection, disconnection and slow-statement logging; logs exported to the cloud's log service;
 * - alarms on CPU and free storage to the site's monitoring, when it is given;
 * - `readReplicas` read replicas (default 1 in production) in other zones of the site, encrypted with the
 *   site key, private, with the primary's parameters and monitoring; replicas have no backups or standby
 *   of their own (the primary's backups and HA cover the data; the clouds refuse or ignore them);
 * - a connection pooler (`connectionPooling`, default in production): RDS Proxy (IAM authentication and
 *   TLS required), the flexible server's built-in PgBouncer (port 6432), none on Cloud SQL Enterprise
 *   edition (Managed Connection Pooling needs Enterprise Plus:
 *   https://cloud.google.com/sql/docs/postgres/managed-connection-pooling#requirements);
 * - query performance insight everywhere: Performance Insights with the site key, Query Store, Query
 *   Insights.
 *
 * Cloud SQL specifics: the instance lives in Google's producer network, reached through Private Service
 * Access, where the data tier's tag rules do not apply; the network's egress rules let only the private
 * tier reach that range, on the data ports. Its backups always have an explicit location, the replica
 * region (same jurisdiction) with geo-redundant backups, else the instance's own region, because Cloud
 * SQL's default is the nearest multi-region.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "./regions";
import type { SiteContext } from "./context";
import type { KeyHandles, SiteKeys } from "./keys";
import { maxReadReplicas } from "./config";
import type { MonitoringOutputs } from "./monitoring";
import { implementationFor } from "../providers";

/** Abstract sizes, mapped to each cloud's instance classes by its implementation. */
export const databaseSizes = ["small", "medium", "large"] as const;
export type DatabaseSize = (typeof databaseSizes)[number];

/** PostgreSQL major versions every cloud offers. */
export const postgresVersions = ["15", "16", "17"] as const;
export type PostgresVersion = (typeof postgresVersions)[number];

/**
 * The cloud-specific private-access handles the database needs (a structural subset of the network's
 * `privateAccess`, so that this contract does not depend on the whole network contract).
 */
export interface DatabasePrivateAccess {
  /** AWS needs nothing beyond the data-tier subnets and security group. */
  aws: object;
  azure: {
    /** The site's resource group (private endpoints of the database's own resources). */
    readonly resourceGroupName: pulumi.Output<string>;
    /** The data subnet delegated to `Microsoft.DBforPostgreSQL/flexibleServers`. */
    readonly postgresSubnetId: pulumi.Output<string>;
    /** Subnet for private endpoints (the geo-backup key vault's). */
    readonly endpointsSubnetId: pulumi.Output<string>;
    /**
     * Private DNS zone ids linked to the network: the server uses `postgres`, the geo-backup key vault's
     * private endpoint `vault`.
     */
    readonly privateDnsZoneIds: {
      readonly postgres: pulumi.Output<string>;
      readonly vault: pulumi.Output<string>;
    };
  };
  gcp: {
    /** Self link of the VPC network (Cloud SQL `privateNetwork`). */
    readonly networkSelfLink: pulumi.Output<string>;
    /** The Private Service Access range (Cloud SQL `allocatedIpRange`). */
    readonly serviceRangeName: pulumi.Output<string>;
    /** The service networking connection: the instance is created after it. */
    readonly serviceConnectionId: pulumi.Output<string>;
  };
}

/** The parts of a site's network the database needs: implemented by `Network`. */
export interface DatabaseNetwork<C extends Cloud> {
  /** VPC id, VNet id or network self link (the AWS connection pooler's security group lives in it). */
  readonly networkId: pulumi.Output<string>;
  /** Subnet ids per tier; the database uses the `data` tier. */
  readonly subnetIds: { readonly data: readonly pulumi.Output<string>[] };
  /**
   * Traffic rule per tier; the database attaches to the `data` tier's (security group on AWS). The
   * `private` tier's is where applications connect from (the AWS connection pooler admits it).
   */
  readonly trafficRules: { readonly data: pulumi.Output<string>; readonly private: pulumi.Output<string> };
  /** Cloud-specific private access: delegated subnet and DNS zone (Azure), service networking (GCP). */
  readonly privateAccess: DatabasePrivateAccess[C];
}

/** What a user may tune; every field has a compliant default. */
export interface DatabaseArgs<C extends Cloud = Cloud> {
  /** The site's keys: storage, backups and performance data are encrypted with the site's key. */
  readonly keys: SiteKeys<C>;
  /** The site's network: the database lives on its data tier, privately. */
  readonly network: DatabaseNetwork<C>;
  /** The site's monitoring: CPU and storage alarms go to its alert targets. */
  readonly monitoring?: MonitoringOutputs;
  /** Instance size (default: `medium` in production, `small` otherwise). */
  readonly size?: DatabaseSize;
  /** PostgreSQL major version (default 16). */
  readonly version?: PostgresVersion;
  /** Allocated storage in GiB (default: 100 in production, 32 otherwise); grows automatically. */
  readonly storageGb?: number;
  /** Days automated backups (and point-in-time recovery) reach back (default 35 in production, 7 otherwise). */
  readonly backupRetentionDays?: number;
  /** A standby in another zone with automatic failover (default: production). */
  readonly highAvailability?: boolean;
  /** Name of the application database created on the server (default `app`). */
  readonly databaseName?: string;
  /** Read replicas in other zones of the site (default 1 in production, 0 otherwise; at most 5). */
  readonly readReplicas?: number;
  /** A connection pooler in front of the writer where the cloud offers one (default: production). */
  readonly connectionPooling?: boolean;
}

/** The settings an implementation receives: every default resolved and validated. */
export interface ResolvedDatabaseSettings {
  /** See {@link DatabaseArgs.size}. */
  readonly size: DatabaseSize;
  /** See {@link DatabaseArgs.version}. */
  readonly version: PostgresVersion;
  /** See {@link DatabaseArgs.storageGb}. */
  readonly storageGb: number;
  /** See {@link DatabaseArgs.backupRetentionDays}. */
  readonly backupRetentionDays: number;
  /** See {@link DatabaseArgs.highAvailability}. */
  readonly highAvailability: boolean;
  /** Backups copied to the paired/another region (production; Azure: the site's replica region). */
  readonly geoRedundantBackup: boolean;
  /** Deletion protection on the server (production). */
  readonly deletionProtection: boolean;
  /** See {@link DatabaseArgs.databaseName}. */
  readonly databaseName: string;
  /** Statements slower than this are logged (milliseconds). */
  readonly slowStatementMs: number;
  /** See {@link DatabaseArgs.readReplicas}. */
  readonly readReplicas: number;
  /** See {@link DatabaseArgs.connectionPooling}. */
  readonly connectionPooling: boolean;
}

/** What a cloud implementation of the database receives. */
export interface DatabaseBuildInputs<C extends Cloud> {
  /** Resolved settings. */
  readonly settings: ResolvedDatabaseSettings;
  /** The site's key handles on this cloud. */
  readonly keys: KeyHandles[C];
  /** The site's network (data tier). */
  readonly network: DatabaseNetwork<C>;
  /** The site's monitoring, when given. */
  readonly monitoring: MonitoringOutputs | undefined;
  /** The Database component: parent of every resource the implementation creates. */
  readonly parent: pulumi.ComponentResource;
}

/** Where applications connect: a private host name (or IP) and port, TLS required. */
export interface DatabaseEndpoint {
  readonly host: pulumi.Output<string>;
  readonly port: number;
}

/** The database's endpoints by purpose. */
export interface DatabaseEndpoints {
  /** The primary (reads and writes). */
  readonly writer: DatabaseEndpoint;
  /** The first read replica (read-only, asynchronous), when there is one. */
  readonly reader: DatabaseEndpoint | undefined;
  /** Every read replica, in order. */
  readonly readers: readonly DatabaseEndpoint[];
  /** The connection pooler in front of the writer, when the cloud offers one and it is on. */
  readonly pooler: DatabaseEndpoint | undefined;
}

/** What the database offers applications. */
export interface DatabaseOutputs {
  /** Cloud resource id of the server: RDS instance ARN, flexible server id, or Cloud SQL instance name. */
  readonly serverId: pulumi.Output<string>;
  /** Private host name (or private IP) applications connect to, TLS required. */
  readonly host: pulumi.Output<string>;
  /** PostgreSQL port. */
  readonly port: number;
  /** The application database's name. */
  readonly databaseName: pulumi.Output<string>;
  /**
   * Where the admin credential lives, never the credential itself: the Secrets Manager secret ARN, the
   * resource id of the Entra administrator identity (Azure), or `iam` when only IAM database
   * authentication is possible.
   */
  readonly adminCredentialRef: pulumi.Output<string>;
  /** Whether a standby in another zone takes over automatically. */
  readonly highAvailability: boolean;
  /** Days point-in-time recovery reaches back. */
  readonly backupRetentionDays: number;
  /** Writer, reader and pooler endpoints. */
  readonly endpoints: DatabaseEndpoints;
}

/** A problem with database arguments, naming the arguments involved. */
export class DatabaseArgsError extends Error {
  constructor(message: string) {
    super(`Database: ${message}`);
    this.name = "DatabaseArgsError";
  }
}

/** Resolves defaults and rejects invalid combinations (pure; unit-tested). */
export function resolveDatabaseSettings(
  args: Omit<DatabaseArgs, "keys" | "network" | "monitoring">,
  production: boolean,
): ResolvedDatabaseSettings {
  const size = args.size ?? (production ? "medium" : "small");
  if (!(databaseSizes as readonly string[]).includes(size)) {
    throw new DatabaseArgsError(`size must be one of ${databaseSizes.join(", ")}, got '${String(size)}'`);
  }
  const version = args.version ?? "16";
  if (!(postgresVersions as readonly string[]).includes(version)) {
    throw new DatabaseArgsError(
      `version must be one of ${postgresVersions.join(", ")}, got '${String(version)}'`,
    );
  }
  const storageGb = args.storageGb ?? (production ? 100 : 32);
  if (!Number.isInteger(storageGb) || storageGb < 32 || storageGb > 16384) {
    throw new DatabaseArgsError(`storageGb must be a whole number from 32 to 16384, got ${storageGb}`);
  }
  const backupRetentionDays = args.backupRetentionDays ?? (production ? 35 : 7);
  if (!Number.isInteger(backupRetentionDays) || backupRetentionDays < 7 || backupRetentionDays > 35) {
    throw new DatabaseArgsError(
      `backupRetentionDays must be a whole number from 7 to 35 (what every cloud's point-in-time recovery supports), got ${backupRetentionDays}`,
    );
  }
  const highAvailability = args.highAvailability ?? production;
  if (production && !highAvailability) {
    throw new DatabaseArgsError("highAvailability cannot be false in production");
  }
  const databaseName = args.databaseName ?? "app";
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(databaseName)) {
    throw new DatabaseArgsError(
      `databaseName must start with a lowercase letter and use a-z, 0-9 and '_' (at most 63), got '${databaseName}'`,
    );
  }
  const readReplicas = args.readReplicas ?? (production ? 1 : 0);
  if (!Number.isInteger(readReplicas) || readReplicas < 0 || readReplicas > maxReadReplicas) {
    throw new DatabaseArgsError(
      `readReplicas must be a whole number from 0 to ${maxReadReplicas}, got ${readReplicas}`,
    );
  }
  if (production && readReplicas < 1) {
    throw new DatabaseArgsError("readReplicas must be at least 1 in production");
  }
  const connectionPooling = args.connectionPooling ?? production;
  if (production && !connectionPooling) {
    throw new DatabaseArgsError("connectionPooling cannot be false in production");
  }
  return {
    size,
    version,
    storageGb,
    backupRetentionDays,
    highAvailability,
    geoRedundantBackup: production,
    deletionProtection: production,
    databaseName,
    slowStatementMs: 1000,
    readReplicas,
    connectionPooling,
  };
}

/** The site's PostgreSQL server, built by the site's cloud implementation. */
export class Database<C extends Cloud = Cloud> extends pulumi.ComponentResource implements DatabaseOutputs {
  public readonly serverId: pulumi.Output<string>;
  public readonly host: pulumi.Output<string>;
  public readonly port: number;
  public readonly databaseName: pulumi.Output<string>;
  public readonly adminCredentialRef: pulumi.Output<string>;
  public readonly highAvailability: boolean;
  public readonly backupRetentionDays: number;
  public readonly endpoints: DatabaseEndpoints;

  constructor(
    name: string,
    ctx: SiteContext<C>,
    args: DatabaseArgs<C>,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    // Validate before registering anything: a bad argument creates no resource.
    const settings = resolveDatabaseSettings(args, ctx.production);
    super("platform:database:PostgreSQL", name, {}, opts);
    const out = implementationFor(ctx).database(name, ctx, {
      settings,
      keys: args.keys.handles,
      network: args.network,
      monitoring: args.monitoring,
      parent: this,
    });
    this.serverId = out.serverId;
    this.host = out.host;
    this.port = out.port;
    this.databaseName = out.databaseName;
    this.adminCredentialRef = out.adminCredentialRef;
    this.highAvailability = out.highAvailability;
    this.backupRetentionDays = out.backupRetentionDays;
    this.endpoints = out.endpoints;
    this.registerOutputs({
      serverId: this.serverId,
      host: this.host,
      port: this.port,
      databaseName: this.databaseName,
      adminCredentialRef: this.adminCredentialRef,
      highAvailability: this.highAvailability,
      backupRetentionDays: this.backupRetentionDays,
      writer: this.endpoints.writer.host,
      readers: this.endpoints.readers.map((r) => r.host),
      ...(this.endpoints.pooler ? { pooler: this.endpoints.pooler.host } : {}),
    });
  }
}
