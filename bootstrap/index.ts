/**
 * The bootstrap program (its own Pulumi project, `bootstrap/Pulumi.yaml`): per environment, the
 * self-managed Pulumi state backend and the secrets-provider key on the platform stack's primary cloud
 * (components/state-backend.ts). Run it once per environment before the platform stack exists, with a
 * local backend (`pulumi login file://…`), then log the platform stack in to what it exports (README,
 * "State backend and secrets provider").
 *
 * Its only config is which platform stack it serves: `platform-bootstrap:platformConfig`, the path of the
 * platform stack file relative to the repository root (default `Pulumi.<this stack's name>.yaml`). That
 * file is validated with the platform's own schema, so the backend lands on the same cloud, region and
 * account as the stack's primary site, with the same required tags.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { parse as parseYaml } from "yaml";
import {
  ConfigError,
  parseStackConfig,
  rawConfigObject,
  siteReplicaRegion,
  siteZoneCount,
  type SiteRole,
  type StackConfig,
} from "../components/config";
import type { SiteContext } from "../components/context";
import { SiteKeys } from "../components/keys";
import { Monitoring } from "../components/monitoring";
import { Network } from "../components/network";
import { uniqueSuffixLength } from "../components/naming";
import { regionInfo, type Cloud } from "../components/regions";
import {
  backendStorageDefaults,
  StateBackend,
  stateStackConfig,
  type StateBackendImplementation,
} from "../components/state-backend";
import { Storage } from "../components/storage";
import { registerRequiredTags } from "../components/tags";
import { implementations } from "../providers";
import { stateBackendImplementations } from "../providers/state-backend";

export const bootstrapNamespace = "platform-bootstrap";

/** The repository root: the nearest folder above this module holding package.json. */
export function repositoryRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

function configText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A `secure:` value anywhere in the value (the program never needs one; it reads the placeholder). */
function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0]![0] === "secure") return "[secret]";
    return Object.fromEntries(entries.map(([k, v]) => [k, withoutSecrets(v)]));
  }
  return value;
}

/**
 * The platform stack's config as the platform program receives it: the platform project's declared
 * defaults (root Pulumi.yaml) overlaid with the stack file's values, scalars as text, objects as JSON.
 */
export function platformConfigMap(root: string, file: string): Record<string, string> {
  const project = parseYaml(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as {
    name: string;
    config?: Record<string, unknown>;
  };
  const fullKey = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
  const out: Record<string, string> = {};
  for (const [key, decl] of Object.entries(project.config ?? {})) {
    if (decl && typeof decl === "object" && !Array.isArray(decl)) {
      const d = decl as { value?: unknown; default?: unknown };
      const v = d.value ?? d.default;
      if (v !== undefined) out[fullKey(key)] = configText(v);
    } else out[fullKey(key)] = configText(decl);
  }
  const doc = parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
  for (const [key, value] of Object.entries(doc?.config ?? {})) {
    out[fullKey(key)] = configText(withoutSecrets(value));
  }
  return out;
}

/** Reads and validates the platform stack file; a `RunError` (no stack trace) names every problem. */
export function readPlatformConfig(root: string, file: string): StackConfig {
  if (!fs.existsSync(file)) {
    throw new pulumi.RunError(
      `${bootstrapNamespace}:platformConfig: the platform stack file ${file} does not exist`,
    );
  }
  const parsed = parseStackConfig(rawConfigObject(platformConfigMap(root, file)));
  if (!parsed.ok) {
    throw new pulumi.RunError(`${path.relative(root, file)}: ${new ConfigError(parsed.problems).message}`);
  }
  return parsed.config;
}

interface Built {
  readonly backend: StateBackend;
  readonly storage: Storage;
  readonly keys: SiteKeys<Cloud>;
}

/** The backend on one cloud: its key store, (Azure) the private network its store needs, the store, the secrets key. */
function build<C extends Cloud>(ctx: SiteContext<C>, implementation: StateBackendImplementation<C>): Built {
  const opts: pulumi.ComponentResourceOptions = { provider: ctx.provider };
  const keys = new SiteKeys("state-keys", ctx, opts);
  // Azure closes the account to public networks: its private endpoint needs the network (and the
  // network's flow logs need monitoring). AWS and Cloud Storage are reached through their public APIs.
  const monitoring =
    ctx.cloud === "azure" ? new Monitoring("state-monitoring", ctx, { keys }, opts) : undefined;
  const network =
    ctx.cloud === "azure" && monitoring
      ? new Network("state-network", ctx, { keys, monitoring, ...ctx.site.network }, opts)
      : undefined;
  const storage = new Storage(
    "state-storage",
    ctx,
    {
      keys,
      ...(monitoring ? { monitoring } : {}),
      ...(network ? { network } : {}),
      ...backendStorageDefaults,
      ...implementation.storageArgs(ctx),
    },
    opts,
  );
  const backend = new StateBackend(
    "state",
    ctx,
    { implementation, store: storage, keys: keys.handles },
    opts,
  );
  return { backend, storage, keys: keys as SiteKeys<Cloud> };
}

export async function main(): Promise<Record<string, unknown>> {
  const root = repositoryRoot();
  const bootstrapConfig = new pulumi.Config(bootstrapNamespace);
  const file = path.resolve(
    root,
    bootstrapConfig.get("platformConfig") ?? `Pulumi.${pulumi.getStack()}.yaml`,
  );
  const config = readPlatformConfig(root, file);
  const role: SiteRole = "primary";
  registerRequiredTags(config, new Map<string, SiteRole>([[role, role]]));

  const site = config.primary;
  const randomProvider = new random.Provider(`${role}-random`);
  const uniqueSuffix = new random.RandomString(
    "state-suffix",
    { length: uniqueSuffixLength, upper: false, special: false, numeric: true, lower: true },
    { provider: randomProvider },
  ).result;
  const common = {
    role,
    stack: stateStackConfig(config),
    production: config.production,
    zones: (regionInfo(site.cloud, site.region)?.zones ?? []).slice(
      0,
      siteZoneCount(site, config.production),
    ),
    uniqueSuffix,
    replicaRegion: siteReplicaRegion(site),
  };
  // The provider is named by role: the required-tags transform reads the site role from it.
  let built: Built;
  switch (site.cloud) {
    case "aws":
      built = build(
        { ...common, cloud: "aws", site, provider: implementations.aws.provider(role, site, {}) },
        stateBackendImplementations.aws,
      );
      break;
    case "azure":
      built = build(
        { ...common, cloud: "azure", site, provider: implementations.azure.provider(role, site, {}) },
        stateBackendImplementations.azure,
      );
      break;
    case "gcp":
      built = build(
        { ...common, cloud: "gcp", site, provider: implementations.gcp.provider(role, site, {}) },
        stateBackendImplementations.gcp,
      );
      break;
  }
  return {
    platformStack: path.relative(root, file).split(path.sep).join("/"),
    environment: config.environment,
    cloud: site.cloud,
    region: site.region,
    /** `pulumi login <loginUrl>` */
    loginUrl: built.backend.loginUrl,
    /** `pulumi stack init <org/stack> --secrets-provider <secretsProvider>` */
    secretsProvider: built.backend.secretsProvider,
    stateStore: built.storage.storeName,
    stateKeyId: built.keys.keyId,
    secretsKeyId: built.backend.secretsKeyId,
  };
}

export default main;
