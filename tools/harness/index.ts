/**
 * The mock harness: runs the real program (index.ts) for a stack config file under
 * `pulumi.runtime.setMocks`, plays the engine's part (stack transforms, the default-provider ban,
 * realistic computed outputs, invokes answered by token) and records every registered resource with
 * what the engine would record: type, name, URN, parent, provider, inputs, dependencies and options.
 *
 * Product code, not test-only: `npm run plan` and the offline gate are built on it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { parse as parseYaml } from "yaml";
import { repoRoot } from "../paths";
import { computedOutputs, type Props, type ProviderSettings } from "./outputs";
import { invokeAnswers, UnknownInvokeError } from "./invokes";
import { scrubSecrets, secureValues } from "./secrets";

import { secretSig, sigKey, unknownValue } from "../pulumi-wire";

export { secretSig, sigKey, unknownValue } from "../pulumi-wire";
export { scrubSecrets } from "./secrets";

/** One resource as the engine sees it. */
export interface PlanResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Parent URN; "" for the stack itself. */
  readonly parent: string;
  /** Provider reference `<provider urn>::<provider id>`; "" for components and providers. */
  readonly provider: string;
  readonly custom: boolean;
  readonly id: string;
  /** Inputs after stack transforms. Secrets appear as `{ "<sigKey>": "<secretSig>" }`, never in clear. */
  readonly inputs: Props;
  /** Computed outputs the mocks returned (custom resources), secrets redacted the same way. */
  readonly outputs: Props;
  readonly dependencies: string[];
  readonly propertyDependencies: Record<string, string[]>;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
  readonly ignoreChanges: string[];
  readonly additionalSecretOutputs: string[];
}

export interface Plan {
  readonly project: string;
  readonly stack: string;
  /** The stack's config (secret values redacted). */
  readonly config: Record<string, string>;
  readonly resources: PlanResource[];
  /** The stack's outputs as the engine records them (secrets as the bare secret signature). */
  readonly outputs?: Record<string, unknown>;
}

export type RunResult =
  | { readonly ok: true; readonly plan: Plan; readonly stackOutputs: unknown }
  | { readonly ok: false; readonly plan: Plan; readonly errors: string[] };

export interface RunOptions {
  /** Stack name; its config is read from `Pulumi.<stack>.yaml` unless `configFile` is given. */
  readonly stack: string;
  /** A stack config file to use instead of `Pulumi.<stack>.yaml`. */
  readonly configFile?: string;
  /** Repository root (where Pulumi.yaml is). */
  readonly root?: string;
  /** The program to run; defaults to the real entry point (index.ts). */
  readonly program?: () => Promise<unknown>;
  /**
   * The engine's view of a first preview: what the cloud computes (ids, ARNs, outputs that are not
   * inputs) is unknown, so values derived from other resources of the stack are unknown too.
   */
  readonly previewUnknowns?: boolean;
}

interface StackConfigFile {
  readonly project: string;
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
  /** Decrypted secret values (never printed: `scrubSecrets` removes them from messages). */
  readonly secretValues: string[];
  readonly disabledDefaultProviders: string[];
}

/** Config values reach the program as Pulumi passes them: scalars as text, objects and lists as JSON. */
function configText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Reads Pulumi.yaml (project name, project-level config values and declared defaults) and a stack
 * config file, the way the CLI merges them. Secure values are secrets: decrypted where the passphrase is
 * given (./secrets.ts), else the placeholder "[secret]".
 */
export function loadStackConfig(root: string, stack: string, configFile?: string): StackConfigFile {
  const projectFile = path.join(root, "Pulumi.yaml");
  const project = parseYaml(fs.readFileSync(projectFile, "utf8")) as {
    name: string;
    config?: Record<string, unknown>;
  };
  const file = configFile ?? path.join(root, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    throw new Error(`no stack config for '${stack}': ${file} does not exist`);
  }
  let stackDoc: unknown;
  try {
    stackDoc = parseYaml(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file} is not valid YAML: ${(err as Error).message}`);
  }
  const stackConfig =
    stackDoc && typeof stackDoc === "object" && "config" in stackDoc
      ? ((stackDoc as { config?: Record<string, unknown> }).config ?? {})
      : {};
  const secure = secureValues(
    stackDoc && typeof stackDoc === "object"
      ? (stackDoc as { encryptionsalt?: unknown }).encryptionsalt
      : undefined,
  );
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const fullKey = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
  for (const [key, decl] of Object.entries(project.config ?? {})) {
    if (decl && typeof decl === "object" && !Array.isArray(decl)) {
      const d = decl as { value?: unknown; default?: unknown };
      if (d.value !== undefined) config[fullKey(key)] = configText(d.value);
      else if (d.default !== undefined) config[fullKey(key)] = configText(d.default);
    } else {
      config[fullKey(key)] = configText(decl);
    }
  }
  for (const [key, value] of Object.entries(stackConfig)) {
    // A `secure:` value (at any depth) makes the key secret; its ciphertext never reaches the program.
    const found = secure.read(value);
    config[fullKey(key)] = configText(found.secure ? found.value : value);
    if (found.secure) secretKeys.push(fullKey(key));
  }
  let disabled: string[] = [];
  try {
    const raw = config["pulumi:disable-default-providers"];
    disabled = raw ? (JSON.parse(raw) as string[]) : [];
  } catch {
    disabled = [];
  }
  return {
    project: project.name,
    config,
    secretKeys,
    secretValues: secure.plaintexts,
    disabledDefaultProviders: disabled,
  };
}

/** Replaces secret values by the bare secret signature, recursively. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[sigKey] === secretSig) return { [sigKey]: secretSig };
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, redactSecrets(v)]));
  }
  return value;
}

/** A value wrapped as a Pulumi secret (unchanged when it already is one). */
function asSecret(value: unknown): unknown {
  if (value && typeof value === "object" && (value as Record<string, unknown>)[sigKey] === secretSig)
    return value;
  return { [sigKey]: secretSig, value };
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getObject(): Struct | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getTransformsList(): unknown[];
}

type Callback = (err: Error | null, resp?: resproto.RegisterResourceResponse) => void;

interface MockMonitorInternals {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
  registerResourceOutputs(
    req: { getUrn(): string; getOutputs(): Struct | undefined },
    callback: (err: Error | null, res: unknown) => void,
  ): void;
  resources: Map<string, { urn: string; id: string | null; state: unknown }>;
}

/** Plays the engine: records registrations, applies stack transforms, answers with computed outputs. */
class Recorder {
  readonly resources: PlanResource[] = [];
  readonly errors: string[] = [];
  readonly transforms: pulumi.ResourceTransform[] = [];
  /** URNs registered so far: the engine refuses a second registration of one ("Duplicate resource URN"). */
  private readonly urns = new Set<string>();
  private readonly providers = new Map<string, ProviderSettings>();
  pending = 0;

  constructor(
    private readonly project: string,
    private readonly stack: string,
    private readonly disabledDefaults: readonly string[],
    private readonly previewUnknowns = false,
  ) {}

  private monitor: MockMonitorInternals | undefined;

  /** Takes over resource registration on the mock monitor `setMocks` created. */
  attach(monitor: MockMonitorInternals): void {
    this.monitor = monitor;
    monitor.registerResource = (req, cb) => this.register(req, cb);
    // The stack's outputs arrive as its registerResourceOutputs; keep them with secrets still marked.
    monitor.registerResourceOutputs = (req, cb) => {
      if (req.getUrn().split("::")[2] === "pulumi:pulumi:Stack") {
        const outputs = pulumi.runtime.deserializeProperties(req.getOutputs() ?? new Struct(), true);
        this.stackOutputs = redactSecrets(outputs) as Record<string, unknown>;
      }
      cb(null, {});
    };
  }

  /** The stack resource's outputs, once registered. */
  stackOutputs: Record<string, unknown> | undefined;

  private urnOf(parent: string, type: string, name: string): string {
    let qualified = type;
    if (parent) {
      const parentType = parent.split("::")[2]!;
      qualified = `${parentType}$${type}`;
    }
    return `urn:pulumi:${this.stack}::${this.project}::${qualified}::${name}`;
  }

  providerSettings(ref: string): ProviderSettings | undefined {
    const urn = ref.slice(0, ref.lastIndexOf("::"));
    return this.providers.get(urn);
  }

  readonly mocks: pulumi.runtime.Mocks = {
    newResource: () => {
      throw new Error("the harness registers resources itself");
    },
    call: (args) => {
      const answer = invokeAnswers[args.token];
      if (!answer) {
        const error = new UnknownInvokeError(args.token);
        this.errors.push(error.message);
        throw error;
      }
      return answer(
        args.inputs as Record<string, unknown>,
        args.provider ? this.providerSettings(args.provider) : undefined,
      );
    },
    registerTransform: (transform) => {
      this.transforms.push(transform);
    },
  };

  async register(req: RegisterRequest, callback: Callback): Promise<void> {
    this.pending++;
    const type = req.getType();
    const name = req.getName();
    const parent = req.getParent();
    const urn = this.urnOf(parent, type, name);
    try {
      const custom = req.getCustom();
      const providerRef = req.getProvider();
      const pkg = type.split(":")[0]!;
      const isProvider = type.startsWith("pulumi:providers:");
      if (this.urns.has(urn)) {
        throw new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
      }
      this.urns.add(urn);
      if (req.getTransformsList().length > 0) {
        throw new Error(`${urn}: per-resource transforms are not supported by the mock harness`);
      }
      if (
        custom &&
        !isProvider &&
        !providerRef &&
        (this.disabledDefaults.includes("*") || this.disabledDefaults.includes(pkg))
      ) {
        throw new Error(
          `Default provider for '${pkg}' disabled. '${urn}' must use an explicit provider ` +
            `(pulumi:disable-default-providers is set in Pulumi.yaml)`,
        );
      }
      let props = pulumi.runtime.deserializeProperties(
        req.getObject() ?? new Struct(),
        true,
      ) as pulumi.Inputs;
      const opts: pulumi.CustomResourceOptions = {
        ...(parent ? { parent: new pulumi.DependencyResource(parent) } : {}),
        ...(providerRef ? { provider: new pulumi.DependencyProviderResource(providerRef) } : {}),
        protect: req.getProtect() ?? false,
      };
      for (const transform of this.transforms) {
        const result = await transform({ type, name, custom, props, opts });
        if (result) props = result.props;
      }
      const inputs = (await pulumi.runtime.serializeProperties(`${type}::${name}`, props)) as Props;
      let id = "";
      let outputs: Props = {};
      if (isProvider) {
        const plain = redactSecrets(inputs) as Props;
        // Bridged providers send non-string settings as JSON text.
        const accounts: unknown =
          typeof plain.allowedAccountIds === "string"
            ? JSON.parse(plain.allowedAccountIds)
            : plain.allowedAccountIds;
        const firstAccount = Array.isArray(accounts) ? (accounts[0] as unknown) : undefined;
        this.providers.set(urn, {
          pkg: type.split(":")[2]!,
          region: (plain.region ?? plain.location) as string | undefined,
          accountId: typeof firstAccount === "string" ? firstAccount : undefined,
          subscriptionId: plain.subscriptionId as string | undefined,
          project: plain.project as string | undefined,
        });
        id = `provider-${name}`;
      } else if (custom) {
        const computed = computedOutputs(
          type,
          name,
          urn,
          inputs,
          providerRef ? this.providerSettings(providerRef) : undefined,
        );
        id = computed.id;
        outputs = computed.outputs;
        if (this.previewUnknowns) {
          // First preview: the provider knows the inputs; what the cloud computes is unknown.
          id = "";
          outputs = Object.fromEntries(
            Object.keys(outputs)
              .filter((k) => !(k in inputs))
              .map((k) => [k, unknownValue]),
          );
        }
      }
      // The engine marks the outputs named in additionalSecretOutputs as secret (echoed inputs included).
      for (const key of req.getAdditionalsecretoutputsList()) {
        const value = key in outputs ? outputs[key] : inputs[key];
        if (value !== undefined) outputs = { ...outputs, [key]: asSecret(value) };
      }
      const state = { ...inputs, ...outputs };
      const propertyDependencies: Record<string, string[]> = {};
      req.getPropertydependenciesMap().forEach((v, k) => {
        propertyDependencies[k] = v.getUrnsList();
      });
      this.resources.push({
        urn,
        type,
        name,
        parent,
        provider: providerRef,
        custom,
        id,
        inputs: redactSecrets(inputs) as Props,
        outputs: redactSecrets(outputs) as Props,
        dependencies: req.getDependenciesList(),
        propertyDependencies,
        protect: req.getProtect() ?? false,
        retainOnDelete: req.getRetainondelete() ?? false,
        deleteBeforeReplace: req.getDeletebeforereplace(),
        ignoreChanges: req.getIgnorechangesList(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      });
      this.monitor?.resources.set(urn, { urn, id, state });
      const response = new resproto.RegisterResourceResponse();
      response.setUrn(urn);
      response.setId(id);
      response.setObject(Struct.fromJavaScript(state as Parameters<typeof Struct.fromJavaScript>[0]));
      callback(null, response);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.errors.push(message);
      callback(err instanceof Error ? err : new Error(message));
    } finally {
      this.pending--;
    }
  }
}

interface RuntimeInternals {
  waitForRPCs?: () => Promise<void>;
  disconnectSync?: () => void;
}

let running = false;

/** Runs the program for one stack under mocks and returns what it registered. */
export async function runProgram(options: RunOptions): Promise<RunResult> {
  if (running) throw new Error("runProgram: one run at a time (the Pulumi runtime is process-global)");
  running = true;
  const root = options.root ?? repoRoot();
  const loaded = loadStackConfig(root, options.stack, options.configFile);
  const unhandled: string[] = [];
  const onUnhandled = (reason: unknown) => {
    unhandled.push(reason instanceof Error ? reason.message : String(reason));
  };
  process.on("unhandledRejection", onUnhandled);
  try {
    pulumi.runtime.setAllConfig(loaded.config, loaded.secretKeys);
    const rec = new Recorder(
      loaded.project,
      options.stack,
      loaded.disabledDefaultProviders,
      options.previewUnknowns === true,
    );
    await pulumi.runtime.setMocks(rec.mocks, loaded.project, options.stack, true);
    rec.attach(pulumi.runtime.getMonitor() as unknown as MockMonitorInternals);

    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = options.program ?? (require("../../index") as () => Promise<unknown>);
    let stackOutputs: unknown;
    const errors: string[] = [];
    try {
      stackOutputs = await pulumi.runtime.runInPulumiStack(program);
    } catch (err) {
      errors.push(err instanceof Error ? err.message : String(err));
    }
    // Wait until every registration the program started has been answered, as the language host does.
    const runtime = pulumi.runtime as unknown as RuntimeInternals;
    await runtime.waitForRPCs?.();
    while (rec.pending > 0) await new Promise((r) => setImmediate(r));
    runtime.disconnectSync?.();

    const config = Object.fromEntries(
      Object.entries(loaded.config).map(([k, v]) => [k, loaded.secretKeys.includes(k) ? "[secret]" : v]),
    );
    const plan: Plan = {
      project: loaded.project,
      stack: options.stack,
      config,
      resources: rec.resources,
      ...(rec.stackOutputs ? { outputs: rec.stackOutputs } : {}),
    };
    const allErrors = [...new Set([...errors, ...rec.errors, ...unhandled])].map((e) =>
      scrubSecrets(e, loaded.secretValues),
    );
    if (allErrors.length > 0) return { ok: false, plan, errors: allErrors };
    return { ok: true, plan, stackOutputs };
  } finally {
    process.off("unhandledRejection", onUnhandled);
    running = false;
  }
}
