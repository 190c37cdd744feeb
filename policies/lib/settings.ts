/**
 * The pack's settings: one object, the same under every policy's key in the policy config file (the
 * Pulumi policy protocol gives each policy only its own config, and the reporting policies need the whole
 * picture). Defaults are the strict choice; `environment` decides what "production" means.
 *
 * The JSON schema below is what the CLI validates each policy's config against; `parseSettings` checks
 * the same rules again inside the pack (the offline gate and older CLIs do not validate) and fails the
 * run with a message naming every problem.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { euEeaRegions } from "./regions";
import { frameworkIds, type FrameworkId } from "./types";

/** Roles a resource can have in a stack, read from the resources around it (lib/roles.ts). */
export const waiverRoles = ["access-log-target", "audit-trail-target"] as const;
export type WaiverRole = (typeof waiverRoles)[number];

/**
 * A waiver designates resources by what they are: a resource type pattern and/or a role in the stack
 * (`access-log-target`: a bucket that receives another bucket's access logs; `audit-trail-target`: a bucket a
 * CloudTrail trail delivers to), optionally narrowed by a
 * name or URN pattern. At least one of `resource`, `type`, `role` is given; all given must match.
 */
export interface Waiver {
  /** Control id (policy name). */
  readonly control: string;
  /** Resource URN, or a name pattern (`*` matches any run of characters); URN patterns also allowed. */
  readonly resource?: string;
  /** Resource type token or pattern, e.g. `aws:s3/bucket*`. */
  readonly type?: string;
  /** The resource's role in the stack. */
  readonly role?: WaiverRole;
  readonly reason: string;
  readonly approvedBy: string;
  /** Last day the waiver is valid, YYYY-MM-DD (UTC). */
  readonly expires: string;
}

/**
 * A stack's declared recovery objectives (minutes), derived from its config (`platform:recovery`) by the
 * gate (`tools/gate/stack-policy.ts`); `enforce-recovery-objectives` checks the deployed schedules and lag
 * alarms against them.
 */
export interface RecoverySettings {
  readonly rpoMinutes: number;
  readonly rtoMinutes: number;
}

export interface PackSettings {
  readonly environment: string;
  readonly productionEnvironments: readonly string[];
  readonly frameworks: readonly FrameworkId[];
  readonly requiredTags: readonly string[];
  readonly tagDefaults: Readonly<Record<string, string>>;
  readonly backupRetentionDays: number;
  readonly productionBackupRetentionDays: number;
  readonly logRetentionDays: number;
  readonly productionLogRetentionDays: number;
  readonly keyRotationDays: number;
  readonly keyDeletionWindowDays: number;
  readonly productionKeyDeletionWindowDays: number;
  readonly adminPorts: readonly number[];
  readonly dataPorts: readonly number[];
  readonly classificationTag: string;
  readonly allowedRegions: Readonly<Record<string, readonly string[]>>;
  readonly waivers: readonly Waiver[];
  /** Declared recovery objectives; unset when the stack declares none (or the config does not say). */
  readonly recovery?: RecoverySettings;
}

export const defaultSettings: PackSettings = {
  environment: "prod",
  productionEnvironments: ["prod", "production"],
  frameworks: ["soc2", "iso27001", "pciDss", "gdpr", "lfpdppp", "cis"],
  requiredTags: ["environment", "owner", "cost-center", "data-classification", "managed-by", "site-role"],
  tagDefaults: { "managed-by": "pulumi" },
  backupRetentionDays: 7,
  productionBackupRetentionDays: 35,
  logRetentionDays: 30,
  productionLogRetentionDays: 365,
  keyRotationDays: 365,
  keyDeletionWindowDays: 7,
  productionKeyDeletionWindowDays: 30,
  adminPorts: [22, 3389],
  dataPorts: [5432, 3306, 1433, 6379, 27017, 9200],
  classificationTag: "data-classification",
  allowedRegions: { personal: euEeaRegions, "personal-sensitive": euEeaRegions },
  waivers: [],
};

const stringArray = { type: "array", items: { type: "string" } } as const;
const portArray = { type: "array", items: { type: "integer", minimum: 0, maximum: 65535 } } as const;

/** JSON schema of the settings (per policy, as the Pulumi policy protocol expects). */
export const settingsSchema: PolicyConfigSchema = {
  properties: {
    environment: {
      type: "string",
      minLength: 1,
      default: defaultSettings.environment,
      description: "Environment the stack belongs to (e.g. dev, prod).",
    },
    productionEnvironments: {
      ...stringArray,
      default: [...defaultSettings.productionEnvironments],
      description: "Environments treated as production.",
    },
    frameworks: {
      type: "array",
      items: { type: "string", enum: [...frameworkIds, "pci-dss", "iso-27001", "soc-2"] },
      default: [...defaultSettings.frameworks],
      description: "Frameworks in scope: a control runs when it maps to at least one of them.",
    },
    requiredTags: {
      ...stringArray,
      default: [...defaultSettings.requiredTags],
      description: "Tags (labels on GCP) every taggable resource carries.",
    },
    tagDefaults: {
      type: "object",
      additionalProperties: { type: "string" },
      default: { ...defaultSettings.tagDefaults },
      description: "Values the remediation may add for missing tags.",
    },
    backupRetentionDays: { type: "integer", minimum: 1, default: defaultSettings.backupRetentionDays },
    productionBackupRetentionDays: {
      type: "integer",
      minimum: 1,
      default: defaultSettings.productionBackupRetentionDays,
    },
    logRetentionDays: { type: "integer", minimum: 1, default: defaultSettings.logRetentionDays },
    productionLogRetentionDays: {
      type: "integer",
      minimum: 1,
      default: defaultSettings.productionLogRetentionDays,
    },
    keyRotationDays: { type: "integer", minimum: 1, default: defaultSettings.keyRotationDays },
    keyDeletionWindowDays: {
      type: "integer",
      minimum: 7,
      maximum: 30,
      default: defaultSettings.keyDeletionWindowDays,
    },
    productionKeyDeletionWindowDays: {
      type: "integer",
      minimum: 7,
      maximum: 30,
      default: defaultSettings.productionKeyDeletionWindowDays,
    },
    adminPorts: { ...portArray, default: [...defaultSettings.adminPorts] },
    dataPorts: { ...portArray, default: [...defaultSettings.dataPorts] },
    classificationTag: { type: "string", minLength: 1, default: defaultSettings.classificationTag },
    allowedRegions: {
      type: "object",
      additionalProperties: stringArray,
      default: Object.fromEntries(
        Object.entries(defaultSettings.allowedRegions).map(([k, v]) => [k, [...v]]),
      ),
      description: "Data classification -> regions where resources with that classification may live.",
    },
    recovery: {
      type: "object",
      required: ["rpoMinutes", "rtoMinutes"],
      additionalProperties: false,
      properties: {
        rpoMinutes: { type: "integer", minimum: 1 },
        rtoMinutes: { type: "integer", minimum: 1 },
      },
      description:
        "Declared recovery objectives in minutes (the stack's platform:recovery); unset when the stack declares none.",
    },
    waivers: {
      type: "array",
      default: [],
      items: {
        type: "object",
        required: ["control", "reason", "approvedBy", "expires"],
        additionalProperties: false,
        properties: {
          control: { type: "string", minLength: 1 },
          resource: { type: "string", minLength: 1 },
          type: { type: "string", minLength: 1 },
          role: { type: "string", enum: [...waiverRoles] },
          reason: { type: "string", minLength: 1 },
          approvedBy: { type: "string", minLength: 1 },
          expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
        },
      },
    },
  },
};

const frameworkAliases: Record<string, FrameworkId> = {
  "pci-dss": "pciDss",
  "iso-27001": "iso27001",
  "soc-2": "soc2",
};

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}

function isPort(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 65535;
}

/** Validates raw policy config (what `getConfig()` returns); returns the settings or the list of problems. */
export function validateSettings(input: Record<string, unknown>): {
  settings?: PackSettings;
  errors: string[];
} {
  const errors: string[] = [];
  const known = new Set(Object.keys(settingsSchema.properties));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) errors.push(`unknown setting "${key}" (known: ${[...known].join(", ")})`);
  }
  const pick = <T>(key: keyof PackSettings, ok: (v: unknown) => boolean, expected: string): T => {
    const v = input[key];
    if (v === undefined) return defaultSettings[key] as T;
    if (!ok(v)) {
      errors.push(`${key}: expected ${expected}, found ${JSON.stringify(v)}`);
      return defaultSettings[key] as T;
    }
    return v as T;
  };
  const int =
    (min: number, max = Number.MAX_SAFE_INTEGER) =>
    (v: unknown) =>
      typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
  const nonEmpty = (v: unknown) => typeof v === "string" && v.length > 0;

  const rawFrameworks = pick<string[]>("frameworks", isStringArray, "an array of framework ids");
  const frameworks: FrameworkId[] = [];
  for (const f of rawFrameworks) {
    const id = (frameworkIds as readonly string[]).includes(f) ? (f as FrameworkId) : frameworkAliases[f];
    if (id) frameworks.push(id);
    else errors.push(`frameworks: unknown framework "${f}" (expected one of ${frameworkIds.join(", ")})`);
  }
  const waivers: Waiver[] = [];
  const rawWaivers = pick<unknown[]>("waivers", Array.isArray, "an array of waivers");
  rawWaivers.forEach((w, i) => {
    const o = (w ?? {}) as Record<string, unknown>;
    const required = ["control", "reason", "approvedBy", "expires"];
    const selectors = ["resource", "type", "role"];
    const fields = [...required, ...selectors];
    const missing = required.filter((k) => typeof o[k] !== "string" || (o[k] as string).trim() === "");
    if (missing.length > 0) {
      errors.push(`waivers[${i}]: missing or empty ${missing.join(", ")}`);
      return;
    }
    const given = selectors.filter((k) => o[k] !== undefined);
    if (given.length === 0) {
      errors.push(`waivers[${i}]: give at least one of resource, type, role (what the waiver applies to)`);
      return;
    }
    const badSelector = given.filter((k) => typeof o[k] !== "string" || (o[k] as string).trim() === "");
    if (badSelector.length > 0) {
      errors.push(`waivers[${i}]: ${badSelector.join(", ")} must be a non-empty string`);
      return;
    }
    if (o["role"] !== undefined && !(waiverRoles as readonly string[]).includes(o["role"] as string)) {
      errors.push(
        `waivers[${i}].role: expected one of ${waiverRoles.join(", ")}, found ${JSON.stringify(o["role"])}`,
      );
      return;
    }
    const expires = o["expires"] as string;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(expires) || Number.isNaN(Date.parse(`${expires}T00:00:00Z`))) {
      errors.push(`waivers[${i}].expires: expected a date YYYY-MM-DD, found ${JSON.stringify(expires)}`);
      return;
    }
    const extra = Object.keys(o).filter((k) => !fields.includes(k));
    if (extra.length > 0) errors.push(`waivers[${i}]: unknown field(s) ${extra.join(", ")}`);
    waivers.push({
      control: o["control"] as string,
      ...(o["resource"] !== undefined ? { resource: o["resource"] as string } : {}),
      ...(o["type"] !== undefined ? { type: o["type"] as string } : {}),
      ...(o["role"] !== undefined ? { role: o["role"] as WaiverRole } : {}),
      reason: o["reason"] as string,
      approvedBy: o["approvedBy"] as string,
      expires,
    });
  });
  const regionsMap = pick<Record<string, unknown>>(
    "allowedRegions",
    (v) => v !== null && typeof v === "object" && !Array.isArray(v) && Object.values(v).every(isStringArray),
    "an object of classification -> array of region names",
  );
  const tagDefaults = pick<Record<string, string>>(
    "tagDefaults",
    (v) =>
      v !== null &&
      typeof v === "object" &&
      !Array.isArray(v) &&
      Object.values(v).every((x) => typeof x === "string"),
    "an object of tag -> string value",
  );
  let recovery: RecoverySettings | undefined;
  if (input.recovery !== undefined) {
    const r = input.recovery as Record<string, unknown> | null;
    const ok =
      r !== null &&
      typeof r === "object" &&
      !Array.isArray(r) &&
      int(1)(r.rpoMinutes) &&
      int(1)(r.rtoMinutes) &&
      Object.keys(r).every((k) => k === "rpoMinutes" || k === "rtoMinutes");
    if (ok) recovery = { rpoMinutes: r.rpoMinutes as number, rtoMinutes: r.rtoMinutes as number };
    else
      errors.push(
        `recovery: expected { rpoMinutes, rtoMinutes } (integers >= 1), found ${JSON.stringify(input.recovery)}`,
      );
  }
  const settings: PackSettings = {
    ...(recovery ? { recovery } : {}),
    environment: pick("environment", nonEmpty, "a non-empty string"),
    productionEnvironments: pick("productionEnvironments", isStringArray, "an array of strings"),
    frameworks,
    requiredTags: pick("requiredTags", isStringArray, "an array of strings"),
    tagDefaults,
    backupRetentionDays: pick("backupRetentionDays", int(1), "an integer >= 1"),
    productionBackupRetentionDays: pick("productionBackupRetentionDays", int(1), "an integer >= 1"),
    logRetentionDays: pick("logRetentionDays", int(1), "an integer >= 1"),
    productionLogRetentionDays: pick("productionLogRetentionDays", int(1), "an integer >= 1"),
    keyRotationDays: pick("keyRotationDays", int(1), "an integer >= 1"),
    keyDeletionWindowDays: pick("keyDeletionWindowDays", int(7, 30), "an integer from 7 to 30"),
    productionKeyDeletionWindowDays: pick(
      "productionKeyDeletionWindowDays",
      int(7, 30),
      "an integer from 7 to 30",
    ),
    adminPorts: pick("adminPorts", (v) => Array.isArray(v) && v.every(isPort), "an array of ports (0-65535)"),
    dataPorts: pick("dataPorts", (v) => Array.isArray(v) && v.every(isPort), "an array of ports (0-65535)"),
    classificationTag: pick("classificationTag", nonEmpty, "a non-empty string"),
    allowedRegions: Object.fromEntries(
      Object.entries(regionsMap).map(([k, v]) => [
        k,
        (v as string[]).map((r) => r.toLowerCase().replace(/\s+/g, "")),
      ]),
    ),
    waivers,
  };
  return errors.length > 0 ? { errors } : { settings, errors };
}

/**
 * The policy server builds a new config object on every `getConfig()` (a shallow copy of what Configure
 * set), once per resource and policy. The last config each policy saw is kept with its settings, and a
 * call whose config is shallowly identical (same keys, each value the same primitive or the same object)
 * reuses them: a few comparisons instead of serializing the whole config (waivers, regions) on each call,
 * which dominated the analyze phase. Configure replaces the objects, so new config is parsed again.
 */
const lastSeen = new Map<string, { input: Record<string, unknown>; keys: number; settings: PackSettings }>();

function shallowEqual(a: Record<string, unknown>, b: Record<string, unknown>, bKeys: number): boolean {
  let n = 0;
  for (const k in a) {
    if (!Object.prototype.hasOwnProperty.call(a, k)) continue;
    n++;
    if (!Object.prototype.hasOwnProperty.call(b, k) || !Object.is(a[k], b[k])) return false;
  }
  return n === bKeys;
}

/** Parses a policy's config into settings; throws a message listing every problem when it is invalid. */
export function parseSettings(policyName: string, input: Record<string, unknown>): PackSettings {
  const last = lastSeen.get(policyName);
  if (last && shallowEqual(input, last.input, last.keys)) return last.settings;
  const { settings, errors } = validateSettings(input);
  if (!settings) {
    throw new Error(`invalid policy config for "${policyName}": ${errors.join("; ")}`);
  }
  if (lastSeen.size > 1000) lastSeen.clear();
  lastSeen.set(policyName, { input, keys: Object.keys(input).length, settings });
  return settings;
}

export function isProduction(settings: PackSettings): boolean {
  return settings.productionEnvironments.includes(settings.environment);
}
