/**
 * The stack config, as one typed object, validated once at start-up.
 *
 * A stack (`Pulumi.<stack>.yaml`) sets keys in the `platform:` namespace. `parseStackConfig` checks all of
 * them against one zod schema and reports every problem at once, each with its config path, what was
 * expected and what was found. `index.ts` stops before registering any resource when there is one.
 */
import { z } from "zod";
import { type Cloud, clouds, dualRegionOf, regionInfo, regions, replicaRegionOf } from "./regions";
import { cidrsOverlap, parseCidr } from "./cidr";
import { AllocationError, allocateSubnets, siteTierRequests, subnetShapes } from "./subnets";
import { objectiveProblems, recoveryPlan } from "./recovery";
import { cacheConfigSchema } from "./cache-catalog";
import { fileStorageConfigSchema } from "./filestore-config";
import { clusterConfigSchema } from "./cluster-config";
import { edgeConfigSchema } from "./ingress-config";
import { acmCertificateArnPattern, cdnConfigSchema, dnsConfigSchema } from "./edge-config";

/** The Pulumi config namespace of this project (`name` in Pulumi.yaml). */
export const configNamespace = "platform";

export const frameworks = ["soc2", "iso27001", "pci-dss", "gdpr", "lfpdppp"] as const;
export type Framework = (typeof frameworks)[number];

export const dataClassifications = ["public", "internal", "confidential", "restricted"] as const;
export type DataClassification = (typeof dataClassifications)[number];

export const severities = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof severities)[number];

export const siteRoles = ["primary", "secondary"] as const;
export type SiteRole = (typeof siteRoles)[number];

/**
 * Tag and label values must be valid on every cloud at once. GCP labels are the strictest: lowercase
 * letters, digits, `_` and `-`, at most 63 characters, starting with a letter or digit.
 */
const labelValue = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    "a lowercase label value (a-z, 0-9, '_' or '-', at most 63 characters)",
  );
const labelKey = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,62}$/, "a lowercase label key (starts with a-z; a-z, 0-9, '_' or '-')");

const ipv4Cidr = z.string().superRefine((value, ctx) => {
  const problem = parseCidr(value).problem;
  if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
});

const siteCommon = {
  /** Cloud region, e.g. `us-east-1`, `westeurope`, `europe-west1`. */
  region: z.string().min(1),
  /** The site's private IPv4 address space; must not overlap the other site's (they get connected). */
  addressSpace: ipv4Cidr,
  /**
   * Availability zones to spread zonal resources over (default: 3 in production; otherwise 1, or 2 on AWS,
   * where EKS and ALB need subnets in two zones: see {@link awsMinimumZones}).
   */
  zones: z.number().int().min(1).max(6).optional(),
  /**
   * Where this site's replicas and geo-redundant backups go (same cloud). Default: the region's pair in
   * the same jurisdiction (components/regions.ts). Required in production where the region has none
   * (for example Mexico, Brazil, the UK on some clouds): setting it is the explicit decision that data
   * may leave the jurisdiction.
   */
  replicaRegion: z.string().min(1).optional(),
  /** Cache settings (components/cache.ts; engine and size from components/cache-catalog.ts); all optional. */
  cache: cacheConfigSchema.optional(),
  /** Shared NFS file storage settings (components/filestore.ts); all optional. */
  fileStorage: fileStorageConfigSchema.optional(),
  /** Kubernetes cluster settings (components/cluster.ts; versions from components/cluster-config.ts); all optional. */
  cluster: clusterConfigSchema,
};

/** Retention periods CloudWatch Logs accepts (AWS flow-log retention must be one of them). */
export const cloudWatchRetentionDays = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Optional network settings of a site (components/network.ts; defaults there). */
const networkCommon = {
  /** Internet egress of the private tier: none, one NAT (`single`) or one per zone (`perZone`). */
  egress: z.enum(["none", "single", "perZone"]).optional(),
  /** Per-tier subnet prefix lengths (per zone where subnets are zonal). */
  tiers: z
    .strictObject({
      public: z.strictObject({ prefixLength: z.number().int().min(16).max(28) }).optional(),
      private: z.strictObject({ prefixLength: z.number().int().min(16).max(28) }).optional(),
      data: z.strictObject({ prefixLength: z.number().int().min(16).max(28) }).optional(),
    })
    .optional(),
};
const awsNetwork = z.strictObject({
  ...networkCommon,
  /** Days flow logs are kept (default 365 in production, 90 otherwise). */
  flowLogRetentionDays: z
    .number()
    .int()
    .refine(
      (d) => (cloudWatchRetentionDays as readonly number[]).includes(d),
      `a CloudWatch Logs retention period (${cloudWatchRetentionDays.join(", ")})`,
    )
    .optional(),
  /** Interface endpoint services, e.g. ssm, ssmmessages, ec2messages, kms, logs (default: none). */
  interfaceEndpoints: z
    .array(z.string().regex(/^[a-z0-9.-]+$/, "an AWS service name such as ssm"))
    .optional(),
});
const azureNetwork = z.strictObject({
  ...networkCommon,
  /** Days flow logs are kept; Network Watcher keeps at most 365. */
  flowLogRetentionDays: z.number().int().min(1).max(365).optional(),
  /** The region's Network Watcher (default: NetworkWatcherRG / NetworkWatcher_<region>, created by Azure). */
  networkWatcher: z.strictObject({ resourceGroup: z.string().min(1), name: z.string().min(1) }).optional(),
});
const gcpNetwork = z.strictObject({
  ...networkCommon,
  /** Days flow logs are kept in their log bucket (Cloud Logging allows 1 to 3650). */
  flowLogRetentionDays: z.number().int().min(1).max(3650).optional(),
});

const awsSite = z.strictObject({
  cloud: z.literal("aws"),
  ...siteCommon,
  /** Network settings (egress, tier sizes, flow-log retention); all optional. */
  network: awsNetwork.optional(),
  /** The AWS account the site must deploy into; the provider refuses credentials for any other. */
  accountId: z
    .string({
      error: "a 12-digit AWS account id (required: the provider refuses credentials of any other account)",
    })
    .regex(/^\d{12}$/, "a 12-digit AWS account id (quote it in YAML)"),
});

const azureSite = z.strictObject({
  cloud: z.literal("azure"),
  ...siteCommon,
  /** Network settings (egress, tier sizes, flow-log retention); all optional. */
  network: azureNetwork.optional(),
  /**
   * Storage settings. `lockImmutability`: lock the version-level WORM policies of the site's storage
   * accounts (production). Azure creates them Unlocked and refuses `Locked` at creation: set it to true
   * after the first `pulumi up`; the next `pulumi up` locks them, irreversibly.
   */
  storage: z.strictObject({ lockImmutability: z.boolean().optional() }).optional(),
  /** Azure subscription the site deploys into. */
  subscriptionId: z.uuid("an Azure subscription id (a UUID)"),
  /** Microsoft Entra tenant of the subscription (Key Vault needs it). */
  tenantId: z.uuid("an Azure tenant id (a UUID)"),
});

const gcpSite = z.strictObject({
  cloud: z.literal("gcp"),
  ...siteCommon,
  /** Network settings (egress, tier sizes, flow-log retention); all optional. */
  network: gcpNetwork.optional(),
  /** Google Cloud project id the site deploys into. */
  project: z
    .string()
    .regex(
      /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
      "a GCP project id (6-30 characters: lowercase letters, digits and '-', starting with a letter)",
    ),
});

const siteSchema = z.discriminatedUnion("cloud", [awsSite, azureSite, gcpSite]).superRefine((site, ctx) => {
  // The subnet layout must fit the address space (components/subnets.ts reserves every zone slot).
  if (parseCidr(site.addressSpace).problem) return; // reported by the addressSpace schema
  const prefixLengths = {
    public: site.network?.tiers?.public?.prefixLength,
    private: site.network?.tiers?.private?.prefixLength,
    data: site.network?.tiers?.data?.prefixLength,
  };
  try {
    allocateSubnets(
      site.addressSpace,
      siteTierRequests(subnetShapes[site.cloud], site.addressSpace, 1, prefixLengths),
    );
  } catch (err) {
    if (!(err instanceof AllocationError)) throw err;
    ctx.addIssue({
      code: "custom",
      path: ["addressSpace"],
      message: `expected an address space that fits the subnet tiers: ${err.message}`,
      input: site.addressSpace,
    });
  }
});

/** An `https://` URL (alert webhooks and synthetic checks call only HTTPS endpoints). */
const httpsUrl = (what: string) =>
  z
    .url({ protocol: /^https$/, error: `an https:// URL (${what})` })
    .refine((u) => !/\s/.test(u), `an https:// URL (${what})`);

const alertContact = z.strictObject({
  /** Who is paged or mailed. */
  name: z.string().min(1),
  email: z.email("an email address"),
  /** Lowest severity this contact receives (default: high). */
  minSeverity: z.enum(severities).default("high"),
  /**
   * An HTTPS endpoint that receives the same alerts as JSON (SNS HTTPS subscription, action group webhook
   * receiver with the common alert schema, Cloud Monitoring webhook channel). Not a secret: use an endpoint
   * that authenticates the caller by other means (a token in the URL belongs in `onCall`).
   */
  webhook: httpsUrl("the contact's alert webhook").optional(),
});

/** On-call services the platform pages (severities at or above `minSeverity`). */
export const onCallServices = ["pagerduty"] as const;

/**
 * `platform:onCall`: the on-call service paged for the most severe alerts. The integration key is a
 * secret: set it with `pulumi config set --secret --path platform:onCall.integrationKey <key>` (the
 * program refuses a key stored in clear). Escalation of unacknowledged pages is the service's escalation
 * policy (managed as code when `pagerDuty` is set: components/oncall.ts).
 */
export const onCallConfigSchema = z.strictObject({
  /** The on-call service. */
  service: z.enum(onCallServices).default("pagerduty"),
  /**
   * Integration key of the PagerDuty service alerts page (its CloudWatch / Azure / GCP integration), a
   * Pulumi secret (an offline plan without the passphrase sees the placeholder "[secret]").
   */
  integrationKey: z.string().regex(/^\S+$/, "a PagerDuty integration key (no spaces)"),
  /** Lowest severity that pages (default: critical). */
  minSeverity: z.enum(severities).default("critical"),
});
export type OnCallConfig = z.infer<typeof onCallConfigSchema>;

/**
 * `platform:synthetics`: the public endpoint every site checks from outside (CloudWatch Synthetics
 * canary, Application Insights standard web test, Cloud Monitoring uptime check). Without it a site has no
 * synthetic check (the program warns).
 */
export const syntheticsConfigSchema = z.strictObject({
  /** The endpoint checked, e.g. `https://app.example.com/healthz`. */
  url: httpsUrl("the endpoint the synthetic checks call"),
  /** Minutes between checks (5, 10 or 15: a frequency every cloud offers; default 5). */
  intervalMinutes: z.union([z.literal(5), z.literal(10), z.literal(15)]).default(5),
  /** HTTP status the endpoint answers when healthy (default 200). */
  expectedStatus: z.number().int().min(200).max(399).default(200),
});
export type SyntheticsConfig = z.infer<typeof syntheticsConfigSchema>;

/**
 * Most budget notifications one budget may carry on every cloud: an Azure consumption budget takes at
 * most 5 (AWS Budgets 10, GCP billing budgets more), so actual + forecast thresholds stay within 5.
 * Sources: https://learn.microsoft.com/rest/api/consumption/budgets/create-or-update (notifications:
 * "maximum of 5 thresholds"), https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Notification.html.
 */
export const maxBudgetNotifications = 5;

const thresholdPercent = z
  .number("a percentage of the budget amount (a number such as 80)")
  .gt(0, "a percentage greater than 0")
  .max(1000, "a percentage of at most 1000");

/**
 * The stack's monthly budget, per site: every site gets a budget of `amount` in `currency` with
 * notifications to its alert routing at each threshold (percent of the amount) of actual and forecast
 * spend. GCP sites need the Cloud Billing account the project is charged to (a billing budget belongs to
 * the billing account, not to the project).
 */
export const budgetConfigSchema = z
  .strictObject({
    /** Monthly amount per site, in `currency`. */
    amount: z.number("a monthly amount (a number such as 500)").positive("an amount greater than 0"),
    /** ISO 4217 currency of the amount: the billing currency of the account (AWS Budgets accepts USD only). */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "an ISO 4217 currency code such as USD")
      .default("USD"),
    /** Percentages of the amount at which actual spend notifies (default 50, 80, 100). */
    actualThresholds: z.array(thresholdPercent).min(1).default([50, 80, 100]),
    /** Percentages of the amount at which forecast spend notifies (default 100). */
    forecastThresholds: z.array(thresholdPercent).default([100]),
    /**
     * The Cloud Billing account GCP sites are charged to (`XXXXXX-XXXXXX-XXXXXX`): required when a
     * site is on GCP (billing budgets belong to the billing account).
     */
    gcpBillingAccount: z
      .string()
      .regex(
        /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/,
        "a Cloud Billing account id (XXXXXX-XXXXXX-XXXXXX, uppercase hexadecimal)",
      )
      .optional(),
  })
  .superRefine((budget, ctx) => {
    const count = budget.actualThresholds.length + budget.forecastThresholds.length;
    if (count > maxBudgetNotifications) {
      ctx.addIssue({
        code: "custom",
        path: ["forecastThresholds"],
        message: `expected at most ${maxBudgetNotifications} thresholds in actualThresholds and forecastThresholds together (an Azure consumption budget takes at most ${maxBudgetNotifications} notifications)`,
        input: count,
      });
    }
    for (const key of ["actualThresholds", "forecastThresholds"] as const) {
      const list = budget[key];
      if (new Set(list).size !== list.length) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "expected each threshold once",
          input: list,
        });
      }
    }
  });

export type BudgetConfig = z.infer<typeof budgetConfigSchema>;

/** Tags every taggable resource must carry; the program adds environment, managed-by and site-role. */
const reservedTagKeys = [
  "environment",
  "owner",
  "cost-center",
  "data-classification",
  "managed-by",
  "site-role",
];

/** Most read replicas every cloud accepts per server (Azure flexible server: 5). */
export const maxReadReplicas = 5;

/**
 * The optional `platform:database` settings (components/database.ts), applied to the database of every
 * site of the stack. Defaults: production 1 read replica and connection pooling on; otherwise neither.
 */
const databaseConfigSchema = z.strictObject({
  /** Read replicas in other zones of the site (0-5; default 1 in production, 0 otherwise). */
  readReplicas: z.number().int().min(0).max(maxReadReplicas).optional(),
  /** A connection pooler in front of the writer (default: on in production). */
  connectionPooling: z.boolean().optional(),
});
export type DatabaseConfig = z.infer<typeof databaseConfigSchema>;

export const stackConfigSchema = z.strictObject({
  /** Environment name, e.g. `dev`, `staging`, `prod`; becomes the `environment` tag. */
  environment: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,15}$/, "a short lowercase environment name such as dev or prod"),
  /** Production stacks get a secondary site, HA, deletion protection and HSM-backed keys. */
  production: z.boolean().default(false),
  /** Team that owns the stack (tag `owner`). */
  owner: labelValue,
  /** Cost center charged for the stack (tag `cost-center`). */
  costCenter: labelValue,
  /** Highest classification of data the stack holds (tag `data-classification`). */
  dataClassification: z.enum(dataClassifications),
  /** Compliance frameworks in scope for this stack. */
  frameworks: z
    .array(z.enum(frameworks))
    .min(1)
    .refine((list) => new Set(list).size === list.length, "each framework once"),
  /** Who receives alerts, and from which severity up. */
  alertContacts: z.array(alertContact).min(1),
  /** The primary site: cloud, region, address space and the cloud's identity. */
  primary: siteSchema,
  /** The secondary (failover) site; required in production, on a different cloud than primary. */
  secondary: siteSchema.optional(),
  /** Extra tags/labels for every taggable resource (cannot override the required ones). */
  tags: z.record(labelKey, labelValue).default({}),
  /** Database read replicas and connection pooling on every site (defaults per environment). */
  database: databaseConfigSchema.optional(),
  /**
   * Backups as a service (components/backup.ts): how long each site's backup vault keeps the daily
   * recovery points of the database (and storage) and the ceiling the vault lock allows. Defaults per
   * environment: 35 days in production, 7 otherwise; the lock's ceiling 365 days.
   */
  backup: z
    .strictObject({
      /** Days each daily recovery point (and its copy) is kept; the vault's minimum enforced retention. */
      retentionDays: z.number().int().min(7).max(3650).optional(),
      /** Longest retention the vault lock allows (AWS Vault Lock maxRetentionDays); at least retentionDays. */
      maxRetentionDays: z.number().int().min(7).max(36500).optional(),
    })
    .optional(),
  /**
   * Monthly budget per site with actual and forecast notifications (required in production; see
   * {@link budgetConfigSchema}). Without it a non-production stack has no budget (the program warns).
   */
  budget: budgetConfigSchema.optional(),
  /** The on-call service paged for the most severe alerts (see {@link onCallConfigSchema}). */
  onCall: onCallConfigSchema.optional(),
  /** The public endpoint every site checks from outside (see {@link syntheticsConfigSchema}). */
  synthetics: syntheticsConfigSchema.optional(),
  /**
   * Recovery objectives (required in production with a secondary site): the most data the stack may
   * lose and the longest failover, in minutes. Checked against the mechanisms (components/recovery.ts).
   */
  recovery: z
    .strictObject({
      rpoMinutes: z.number().int().min(1).max(10080),
      rtoMinutes: z.number().int().min(1).max(10080),
    })
    .optional(),
  /**
   * The platform's public entry (components/ingress-config.ts): host name, health check path, rate limit
   * and the certificate source per cloud. Without it no site builds an ingress.
   */
  edge: edgeConfigSchema.optional(),
  /** A CDN in front of each site's object store (components/cdn.ts); without it no site has a CDN. */
  cdn: cdnConfigSchema.optional(),
  /**
   * The health-checked DNS failover record between the sites (components/traffic-failover.ts); needs a
   * secondary site. Named `dns` so that it does not collide with the ingress's `platform:edge`.
   */
  dns: dnsConfigSchema.optional(),
});

/** Production backups are kept at least this many days (PCI DSS and SOC 2 evidence windows). */
export const backupProductionMinDays = 35;
/** Default ceiling of the backup vault lock (days). */
export const backupDefaultMaxDays = 365;

/** The site's replica region (see `replicaRegionOf`), undefined where it has none (non-production). */
export function siteReplicaRegion(site: SiteConfig): string | undefined {
  return replicaRegionOf(site.cloud, site.region, site.replicaRegion).region;
}

export type StackConfig = z.infer<typeof stackConfigSchema>;
export type SiteConfig = StackConfig["primary"];
export type SiteConfigOf<C extends Cloud> = Extract<SiteConfig, { cloud: C }>;

/** One problem in a stack config. */
export interface ConfigProblem {
  /** Config path, e.g. `platform:primary.region`. */
  readonly path: string;
  /** What was expected and what was found. */
  readonly message: string;
}

/** Thrown (as a Pulumi RunError by index.ts) when a stack config is invalid. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** Longest piece of a found value echoed in a message (a 10 MB value is not printed whole). */
const maxEcho = 80;

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") {
    const printable = value.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "?");
    return printable.length > maxEcho
      ? `'${printable.slice(0, maxEcho)}…' (${value.length} characters)`
      : `'${printable}'`;
  }
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

function configPath(path: readonly PropertyKey[]): string {
  let out = configNamespace;
  path.forEach((part, i) => {
    if (typeof part === "number") out += `[${part}]`;
    else out += `${i === 0 ? ":" : "."}${String(part)}`;
  });
  return out;
}

function toProblem(issue: z.core.$ZodIssue): ConfigProblem {
  const found = `found ${describe(issue.input)}`;
  switch (issue.code) {
    case "invalid_union":
      if ("discriminator" in issue && issue.discriminator === "cloud") {
        const input = issue.input as { cloud?: unknown } | undefined;
        return {
          path: configPath(issue.path),
          message: `expected one of ${clouds.join(", ")}, found ${describe(input?.cloud)}`,
        };
      }
      return { path: configPath(issue.path), message: `expected a site object, ${found}` };
    case "invalid_type":
      // A schema's own message (it says what the value is for) beats the bare type name.
      if (!issue.message.startsWith("Invalid input"))
        return { path: configPath(issue.path), message: `expected ${issue.message}, ${found}` };
      return { path: configPath(issue.path), message: `expected ${issue.expected}, ${found}` };
    case "invalid_value":
      return {
        path: configPath(issue.path),
        message: `expected one of ${issue.values.map(String).join(", ")}, ${found}`,
      };
    case "unrecognized_keys":
      return {
        path: configPath(issue.path.length === 0 ? [] : issue.path),
        message: `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}`,
      };
    case "too_small":
      return {
        path: configPath(issue.path),
        message: `expected ${issue.origin === "array" ? "at least" : issue.inclusive === false ? "a value greater than" : "a value of at least"} ${String(issue.minimum)}${issue.origin === "array" ? " entries" : ""}, ${found}`,
      };
    case "too_big":
      return {
        path: configPath(issue.path),
        message: `expected at most ${String(issue.maximum)}, ${found}`,
      };
    case "invalid_key": {
      // A record key that fails its schema: say what a key must be, not zod's "Invalid key in record".
      const inner = issue.issues[0]?.message ?? "a valid key";
      const expected = inner.startsWith("expected ") ? inner : `expected ${inner}`;
      return { path: configPath(issue.path), message: `${expected} as key, found ${describe(issue.input)}` };
    }
    case "invalid_format":
    case "custom":
    default: {
      const expected = issue.message.startsWith("expected ") ? issue.message : `expected ${issue.message}`;
      return { path: configPath(issue.path), message: `${expected}, ${found}` };
    }
  }
}

function isCloud(value: unknown): value is Cloud {
  return typeof value === "string" && (clouds as readonly string[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Rules that span keys. They run on the raw input, so that they are reported together with field
 * problems elsewhere (a schema refinement would only run once every field is valid).
 */
function crossKeyProblems(raw: Record<string, unknown>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const primary = isRecord(raw.primary) ? raw.primary : undefined;
  const secondary = isRecord(raw.secondary) ? raw.secondary : undefined;
  for (const [role, site] of [
    ["primary", primary],
    ["secondary", secondary],
  ] as const) {
    if (!site || !isCloud(site.cloud) || typeof site.region !== "string") continue;
    const info = regionInfo(site.cloud, site.region);
    if (!info) {
      problems.push({
        path: configPath([role, "region"]),
        message: `expected a region of ${site.cloud} (${Object.keys(regions[site.cloud]).join(", ")}), found '${site.region}'`,
      });
    } else {
      if (typeof site.zones === "number" && site.zones > Math.max(info.zones.length, 1)) {
        problems.push({
          path: configPath([role, "zones"]),
          message: `expected at most ${Math.max(info.zones.length, 1)} zones (what ${site.region} offers), found ${site.zones}`,
        });
      }
      if (site.cloud === "aws" && typeof site.zones === "number" && site.zones < awsMinimumZones.zones) {
        problems.push({
          path: configPath([role, "zones"]),
          message: `expected at least ${awsMinimumZones.zones} zones on an aws site (${awsMinimumZones.reason}; ${awsMinimumZones.sources.join(", ")}), found ${site.zones}`,
        });
      }
      if (raw.production === true) {
        // Production is highly available inside the region: zone-redundant databases, NAT and storage.
        if (info.zones.length < 2) {
          problems.push({
            path: configPath([role, "region"]),
            message: `expected a region with at least 2 availability zones because production is true (zone-redundant HA), found '${site.region}' (${info.zones.length} zones)`,
          });
        } else if (typeof site.zones === "number" && site.zones < 2) {
          problems.push({
            path: configPath([role, "zones"]),
            message: `expected at least 2 zones because production is true (zone-redundant HA), found ${site.zones}`,
          });
        }
      }
      const storage = isRecord(site.storage) ? site.storage : undefined;
      if (storage?.lockImmutability === true && raw.production !== true) {
        // Only production storage is immutable (WORM): there is no policy to lock elsewhere.
        problems.push({
          path: configPath([role, "storage", "lockImmutability"]),
          message:
            "expected false or nothing: only production storage has an immutability policy to lock, found true",
        });
      }
      const configured = typeof site.replicaRegion === "string" ? site.replicaRegion : undefined;
      if (raw.production === true || configured !== undefined) {
        const replica = replicaRegionOf(site.cloud, site.region, configured);
        if (replica.problem !== undefined) {
          problems.push({ path: configPath([role, "replicaRegion"]), message: replica.problem });
        } else if (
          raw.production === true &&
          site.cloud === "gcp" &&
          dualRegionOf(site.region, replica.region) === undefined
        ) {
          // Production object storage is geo-redundant; on GCP that is a configurable dual-region, which
          // Cloud Storage offers only for two regions of the same multi-region (US, EU).
          problems.push({
            path: configPath([role, "region"]),
            message: `expected a GCP region where Cloud Storage offers a dual-region with the replica region (pairs within US or EU: components/regions.ts dualRegionContinents) because production is true, found '${site.region}' with replica ${replica.region}`,
          });
        }
      }
    }
  }
  const backup = isRecord(raw.backup) ? raw.backup : undefined;
  if (backup && typeof backup.retentionDays === "number") {
    const floor = raw.production === true ? backupProductionMinDays : 7;
    if (backup.retentionDays < floor) {
      problems.push({
        path: configPath(["backup", "retentionDays"]),
        message: `expected at least ${floor} days because production is ${String(raw.production === true)}, found ${backup.retentionDays}`,
      });
    }
    const ceiling =
      typeof backup.maxRetentionDays === "number" ? backup.maxRetentionDays : backupDefaultMaxDays;
    if (backup.retentionDays > ceiling) {
      problems.push({
        path: configPath(["backup", "maxRetentionDays"]),
        message: `expected at least backup.retentionDays (${backup.retentionDays}): the vault lock refuses recovery points kept longer than its maximum, found ${typeof backup.maxRetentionDays === "number" ? backup.maxRetentionDays : `nothing (default ${backupDefaultMaxDays})`}`,
      });
    }
  }
  problems.push(...databaseProblems(raw, [primary, secondary]));
  problems.push(...edgeProblems(raw, [primary, secondary]));
  if (raw.production === true && raw.secondary === undefined) {
    problems.push({
      path: configPath(["secondary"]),
      message: "expected a secondary site on another cloud because production is true, found nothing",
    });
  }
  if (raw.production === true && raw.secondary !== undefined && raw.recovery === undefined) {
    problems.push({
      path: configPath(["recovery"]),
      message:
        "expected recovery objectives { rpoMinutes, rtoMinutes } because production is true with a secondary site, found nothing",
    });
  }
  const edge = isRecord(raw.edge) ? raw.edge : undefined;
  const edgeAzure = edge && isRecord(edge.azure) ? edge.azure : undefined;
  if (edge && [primary, secondary].some((site) => site?.cloud === "azure") && !edgeAzure?.certificate) {
    problems.push({
      path: configPath(["edge", "azure", "certificate"]),
      message:
        "expected { keyVaultId, secretName } of the certificate in a Key Vault because a site is on azure (Application Gateway has no managed certificates; its listener loads the certificate from Key Vault), found nothing",
    });
  }
  if (raw.production === true && raw.budget === undefined) {
    problems.push({
      path: configPath(["budget"]),
      message:
        "expected a budget { amount, currency, actualThresholds, forecastThresholds } because production is true, found nothing",
    });
  }
  const budget = isRecord(raw.budget) ? raw.budget : undefined;
  const gcpRole = [primary, secondary].some((site) => site?.cloud === "gcp");
  if (budget && gcpRole && budget.gcpBillingAccount === undefined) {
    problems.push({
      path: configPath(["budget", "gcpBillingAccount"]),
      message:
        "expected the Cloud Billing account id (XXXXXX-XXXXXX-XXXXXX) because a site is on gcp (billing budgets belong to the billing account), found nothing",
    });
  }
  if (primary && secondary && typeof secondary.cloud === "string" && secondary.cloud === primary.cloud) {
    problems.push({
      path: configPath(["secondary", "cloud"]),
      message: `expected a cloud other than the primary's (${secondary.cloud}), found '${secondary.cloud}'`,
    });
  }
  if (
    primary &&
    secondary &&
    typeof primary.addressSpace === "string" &&
    typeof secondary.addressSpace === "string" &&
    cidrsOverlap(primary.addressSpace, secondary.addressSpace)
  ) {
    problems.push({
      path: configPath(["secondary", "addressSpace"]),
      message: `expected an address space that does not overlap primary.addressSpace (${primary.addressSpace}), found '${secondary.addressSpace}'`,
    });
  }
  if (Array.isArray(raw.alertContacts)) {
    // Contacts become resources named by the slug of their e-mail: two that slug alike would collide.
    const seen = new Map<string, number>();
    const names = new Map<string, number>();
    raw.alertContacts.forEach((contact, i) => {
      if (!isRecord(contact)) return;
      if (typeof contact.name === "string") {
        const firstName = names.get(contact.name.toLowerCase());
        if (firstName === undefined) names.set(contact.name.toLowerCase(), i);
        else
          problems.push({
            path: configPath(["alertContacts", i, "name"]),
            message: `expected a name distinct from alertContacts[${firstName}].name (Azure action-group receivers are named by it), found ${describe(contact.name)}`,
          });
      }
      if (typeof contact.email !== "string") return;
      const slug = contactSlug(contact.email);
      const first = seen.get(slug);
      if (first === undefined) seen.set(slug, i);
      else
        problems.push({
          path: configPath(["alertContacts", i, "email"]),
          message: `expected an e-mail address distinct from alertContacts[${first}].email once lowercased with '.', '_' and '+' read as '-' (both become '${slug}'), found ${describe(contact.email)}`,
        });
    });
  }
  if (isRecord(raw.tags)) {
    for (const key of Object.keys(raw.tags)) {
      if (reservedTagKeys.includes(key)) {
        problems.push({
          path: configPath(["tags", key]),
          message: `expected a tag key other than the required ones (${reservedTagKeys.join(", ")}), found '${key}'`,
        });
      }
    }
  }
  return problems;
}

/**
 * `platform:database` against the environment and the sites' clouds: production keeps at least one read
 * replica and its pooler; the non-production Azure database is Burstable, which offers neither read
 * replicas nor the built-in PgBouncer (learn.microsoft.com/azure/postgresql/flexible-server/concepts-pgbouncer:
 * "supported on General Purpose and Memory Optimized compute tiers"; concepts-read-replicas).
 */
function databaseProblems(
  raw: Record<string, unknown>,
  sites: readonly (Record<string, unknown> | undefined)[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const database = isRecord(raw.database) ? raw.database : undefined;
  if (!database) return problems;
  const replicas = typeof database.readReplicas === "number" ? database.readReplicas : undefined;
  const pooling = typeof database.connectionPooling === "boolean" ? database.connectionPooling : undefined;
  if (raw.production === true) {
    if (replicas === 0)
      problems.push({
        path: configPath(["database", "readReplicas"]),
        message:
          "expected at least 1 because production is true (reads survive a zone and scale out), found 0",
      });
    if (pooling === false)
      problems.push({
        path: configPath(["database", "connectionPooling"]),
        message: "expected true or nothing because production is true, found false",
      });
  } else if (sites.some((site) => site?.cloud === "azure")) {
    if (replicas !== undefined && replicas > 0)
      problems.push({
        path: configPath(["database", "readReplicas"]),
        message: `expected 0 or nothing: an Azure site outside production runs a Burstable flexible server, which has no read replicas, found ${replicas}`,
      });
    if (pooling === true)
      problems.push({
        path: configPath(["database", "connectionPooling"]),
        message:
          "expected false or nothing: an Azure site outside production runs a Burstable flexible server, which has no built-in PgBouncer, found true",
      });
  }
  return problems;
}

/**
 * Turns the raw config map (Pulumi's `runtime.allConfig()`: `"platform:key"` to string) into the
 * object the schema reads. Object, list and boolean values arrive as JSON text; other scalars stay text.
 */
export function rawConfigObject(all: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const prefix = `${configNamespace}:`;
  for (const [key, text] of Object.entries(all)) {
    if (!key.startsWith(prefix)) continue;
    const trimmed = text.trim();
    let value: unknown = text;
    if (/^[[{]/.test(trimmed) || trimmed === "true" || trimmed === "false") {
      try {
        value = JSON.parse(trimmed);
      } catch {
        value = text;
      }
    }
    // defineProperty: `platform:__proto__` must be an own (unknown) key, not the object's prototype.
    Object.defineProperty(out, key.slice(prefix.length), {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Validates the raw config object; returns the typed config or every problem found. */
export function parseStackConfig(
  raw: Record<string, unknown>,
  secretKeys?: ReadonlySet<string>,
): { ok: true; config: StackConfig } | { ok: false; problems: ConfigProblem[] } {
  const result = stackConfigSchema.safeParse(raw, { reportInput: true });
  const problems = [...(result.success ? [] : result.error.issues.map(toProblem)), ...crossKeyProblems(raw)];
  if (secretKeys && isRecord(raw.onCall) && !secretKeys.has(`${configNamespace}:onCall`)) {
    problems.push({
      path: configPath(["onCall", "integrationKey"]),
      message: `expected a secret (pulumi config set --secret --path ${configNamespace}:onCall.integrationKey <key>), found a value stored in clear`,
    });
  }
  if (result.success && problems.length === 0) {
    // Objectives the mechanisms built for this pair cannot meet (once the pair itself is valid).
    const plan = recoveryPlan(result.data);
    for (const p of plan ? objectiveProblems(plan) : []) {
      problems.push({ path: configPath(["recovery", p.key]), message: p.message });
    }
  }
  if (result.success && problems.length === 0) return { ok: true, config: result.data };
  return { ok: false, problems };
}

/** The resource-name slug of an alert contact's e-mail (components/monitoring.ts names contacts by it). */
export function contactSlug(email: string): string {
  return email
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * AWS sites span at least two Availability Zones: the site's EKS cluster needs subnets in two zones
 * (CreateCluster refuses fewer), and so does an Application Load Balancer (CreateLoadBalancer).
 */
export const awsMinimumZones = {
  zones: 2,
  reason:
    "the site's EKS cluster and Application Load Balancer need subnets in at least two Availability Zones",
  sources: [
    "https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html",
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
  ],
} as const;

/**
 * The zone count a site uses: configured, else 3 in production (or what the region has), else 1 (2 on
 * AWS: {@link awsMinimumZones}).
 */
export function siteZoneCount(site: SiteConfig, production: boolean): number {
  const available = regionInfo(site.cloud, site.region)?.zones.length ?? 1;
  const nonProduction = site.cloud === "aws" ? Math.min(awsMinimumZones.zones, Math.max(available, 1)) : 1;
  return site.zones ?? (production ? Math.min(3, Math.max(available, 1)) : nonProduction);
}

/** The zones a site uses, in order: the region's first `siteZoneCount` zones. */
export function siteZones(site: SiteConfig, production: boolean): string[] {
  return (regionInfo(site.cloud, site.region)?.zones ?? []).slice(0, siteZoneCount(site, production));
}

/** `platform:cdn` and `platform:dns` against the sites they serve. */
function edgeProblems(
  raw: Record<string, unknown>,
  sites: readonly (Record<string, unknown> | undefined)[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const present = sites.filter((s): s is Record<string, unknown> => s !== undefined);
  const cdn = isRecord(raw.cdn) ? raw.cdn : undefined;
  const awsSite = present.find((s) => s.cloud === "aws");
  if (cdn && awsSite) {
    const arn = typeof cdn.awsCertificateArn === "string" ? cdn.awsCertificateArn : undefined;
    if (arn === undefined) {
      problems.push({
        path: configPath(["cdn", "awsCertificateArn"]),
        message:
          "expected an ACM certificate ARN in us-east-1 because a site is on AWS (CloudFront serves a custom hostname with TLS 1.2 minimum only with an ACM certificate from us-east-1), found nothing",
      });
    } else {
      const account = acmCertificateArnPattern.exec(arn)?.[1];
      if (account !== undefined && account !== awsSite.accountId) {
        problems.push({
          path: configPath(["cdn", "awsCertificateArn"]),
          message: `expected a certificate of the AWS site's account ${String(awsSite.accountId)} (CloudFront cannot use another account's certificate), found account ${account}`,
        });
      }
    }
  }
  const dns = isRecord(raw.dns) ? raw.dns : undefined;
  if (dns) {
    if (raw.secondary === undefined) {
      problems.push({
        path: configPath(["dns"]),
        message:
          "expected a secondary site: the failover record fails over from the primary to the secondary, found only a primary",
      });
    }
    const knownClouds = present.every((s) => (clouds as readonly unknown[]).includes(s.cloud));
    if (typeof dns.cloud === "string" && knownClouds && !present.some((s) => s.cloud === dns.cloud)) {
      problems.push({
        path: configPath(["dns", "cloud"]),
        message: `expected the cloud of one of the stack's sites (${present.map((s) => String(s.cloud)).join(", ")}: its provider manages the zone), found '${dns.cloud}'`,
      });
    }
    // The record fails over between the sites' ingresses: they exist only with platform:edge, and their
    // certificates name edge.hostname, so the failover record must be that name (or TLS fails after failover).
    const edge = isRecord(raw.edge) ? raw.edge : undefined;
    if (!edge) {
      problems.push({
        path: configPath(["edge"]),
        message:
          "expected platform:edge because platform:dns is set (the failover record points at each site's ingress, which platform:edge builds), found nothing",
      });
    } else if (typeof dns.zone === "string" && typeof edge.hostname === "string") {
      const fqdn = `${typeof dns.hostname === "string" ? dns.hostname : "app"}.${dns.zone}`;
      if (fqdn !== edge.hostname) {
        problems.push({
          path: configPath(["dns", "hostname"]),
          message: `expected the failover record to be the ingress's certificate name ${edge.hostname} (platform:edge.hostname), found ${fqdn}`,
        });
      }
    }
  }
  return problems;
}
