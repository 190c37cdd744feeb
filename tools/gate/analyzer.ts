/**
 * Starts a policy pack the way the Pulumi CLI does and talks the analyzer protocol to it.
 *
 * The CLI's `pulumi-analyzer-policy` resolves `@pulumi/pulumi/cmd/run-policy-pack` from the pack
 * directory and runs it with node, with the pack directory as working directory and the arguments
 * `<engine address> <program>`; the pack's `new PolicyPack(...)` starts a gRPC server on 127.0.0.1 and
 * prints its port on stdout. We do the same, then call GetAnalyzerInfo, Configure, Analyze and
 * AnalyzeStack with the generated stubs from `@pulumi/pulumi/proto`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { Enforcement, GateResource } from "./model";
import { Redactor } from "./redact";

export class PackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PackError";
  }
}

export interface PackLaunch {
  /** The policy pack directory (with PulumiPolicy.yaml and package.json); the process's cwd. */
  readonly packDir: string;
  /** What to run: the pack directory itself (ts-node, as the CLI does) or its compiled JS directory. */
  readonly program: string;
  /** Environment the CLI gives the pack: PULUMI_CONFIG, PULUMI_PROJECT, PULUMI_STACK, PULUMI_DRY_RUN. */
  readonly project: string;
  readonly stack: string;
  readonly config: Readonly<Record<string, string>>;
  readonly dryRun: boolean;
  /** How long the pack may take to print its port (default 60 s, or GATE_PACK_START_TIMEOUT_MS). */
  readonly startTimeoutMs?: number;
}

/** Deadlines of the analyzer calls: a pack that hangs fails the gate with a message instead of holding it. */
export const callTimeoutMs = {
  info: 60_000,
  analyze: 120_000,
  analyzeStack: 30 * 60_000,
} as const;

// ---------------------------------------------------------------------------------------------------------
// Process hygiene: every pack this process started ends with it.

const live = new Set<ChildProcess>();
let handlersInstalled = false;

/** Ends a pack's process group (the pack and anything it started); never throws. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function killAll(signal: NodeJS.Signals): void {
  for (const child of live) killGroup(child, signal);
}

/**
 * On exit (normal, `process.exit`, uncaught error) the packs get SIGKILL; on SIGINT, SIGTERM or SIGHUP they
 * get the same signal, then the gate ends the way the signal would have ended it (re-raised once our
 * handler is gone). A gate killed outright is covered by the pack's lifeline (pack-guard.ts).
 */
function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", () => killAll("SIGKILL"));
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const handler = () => {
      killAll(signal);
      killAll("SIGKILL");
      process.removeListener(signal, handler);
      process.kill(process.pid, signal);
    };
    process.on(signal, handler);
  }
}

/** The packs this process has started and not yet stopped (for tests and diagnostics). */
export function livePackPids(): number[] {
  return [...live].map((c) => c.pid).filter((p): p is number => p !== undefined);
}

type JsonObject = Parameters<typeof Struct.fromJavaScript>[0];

const enforcementToWire: Record<Enforcement, analyzerpb.EnforcementLevel> = {
  advisory: analyzerpb.EnforcementLevel.ADVISORY,
  mandatory: analyzerpb.EnforcementLevel.MANDATORY,
  remediate: analyzerpb.EnforcementLevel.REMEDIATE,
  disabled: analyzerpb.EnforcementLevel.DISABLED,
};

export function enforcementFromWire(level: analyzerpb.EnforcementLevel): Enforcement {
  switch (level) {
    case analyzerpb.EnforcementLevel.MANDATORY:
      return "mandatory";
    case analyzerpb.EnforcementLevel.REMEDIATE:
      return "remediate";
    case analyzerpb.EnforcementLevel.DISABLED:
      return "disabled";
    default:
      return "advisory";
  }
}

export function severityFromWire(
  s: analyzerpb.PolicySeverity,
): "critical" | "high" | "medium" | "low" | undefined {
  switch (s) {
    case analyzerpb.PolicySeverity.POLICY_SEVERITY_CRITICAL:
      return "critical";
    case analyzerpb.PolicySeverity.POLICY_SEVERITY_HIGH:
      return "high";
    case analyzerpb.PolicySeverity.POLICY_SEVERITY_MEDIUM:
      return "medium";
    case analyzerpb.PolicySeverity.POLICY_SEVERITY_LOW:
      return "low";
    default:
      return undefined;
  }
}

export interface PolicyInfo {
  readonly name: string;
  readonly description: string;
  readonly enforcement: Enforcement;
  readonly stack: boolean;
  readonly severity?: "critical" | "high" | "medium" | "low";
  readonly remediation: string;
  readonly tags: string[];
  /** JSON schema properties of the policy's config (without enforcementLevel). */
  readonly configSchema?: { properties: Record<string, unknown>; required: string[] };
}

export interface AnalyzerInfo {
  readonly name: string;
  readonly version: string;
  readonly policies: PolicyInfo[];
  readonly initialConfig: Record<string, { enforcement?: Enforcement; properties: Record<string, unknown> }>;
}

export interface Diagnostic {
  readonly policy: string;
  readonly description: string;
  readonly message: string;
  readonly enforcement: Enforcement;
  readonly urn: string;
  readonly severity?: "critical" | "high" | "medium" | "low";
}

/** What `ConfigureStack` carries. */
export interface StackInfo {
  readonly stack: string;
  readonly project: string;
  readonly organization: string;
  readonly dryRun: boolean;
  readonly tags: Readonly<Record<string, string>>;
  readonly config: Readonly<Record<string, string>>;
  readonly configSecretKeys: readonly string[];
}

/** One remediation a policy made (new properties) or could not make (a diagnostic). */
export interface RemediationResult {
  readonly policy: string;
  readonly description: string;
  readonly properties?: Record<string, unknown>;
  readonly diagnostic: string;
}

export interface AnalyzeResult {
  readonly diagnostics: Diagnostic[];
  readonly notApplicable: { policy: string; reason: string }[];
}

/** A running policy pack and a client connected to it. */
export class PolicyPackProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: AnalyzerClient,
    readonly port: number,
    readonly startMs: number,
  ) {}

  static async start(launch: PackLaunch): Promise<PolicyPackProcess> {
    const started = Date.now();
    if (!fs.existsSync(path.join(launch.packDir, "package.json"))) {
      throw new PackError(`${launch.packDir}: not a policy pack directory (no package.json)`);
    }
    let runner: string;
    try {
      runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [launch.packDir] });
    } catch {
      throw new PackError(
        `${launch.packDir}: cannot find @pulumi/pulumi/cmd/run-policy-pack; are the pack's dependencies installed?`,
      );
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PULUMI_CONFIG: JSON.stringify(launch.config),
      PULUMI_NODEJS_PROJECT: launch.project,
      PULUMI_NODEJS_STACK: launch.stack,
      PULUMI_NODEJS_DRY_RUN: String(launch.dryRun),
      PULUMI_PROJECT: launch.project,
      PULUMI_STACK: launch.stack,
      PULUMI_DRY_RUN: String(launch.dryRun),
    };
    // The engine address is unused by policy packs; the CLI passes its own.
    // A larger young generation: the pack allocates short-lived objects per resource and policy, and
    // scavenges were a fifth of its time (measured: about 15 % less CPU at 20,000 resources).
    // GATE_PACK_NODE_ARGS: extra node options for the pack (e.g. --cpu-prof when profiling).
    const nodeArgs = [
      "--max-semi-space-size=64",
      ...(process.env.GATE_PACK_NODE_ARGS ?? "").split(" ").filter(Boolean),
    ];
    const guard = path.join(__dirname, "pack-guard.js");
    const guardArgs = fs.existsSync(guard) ? ["--require", guard] : [];
    installHandlers();
    // Its own process group (so the whole group can be ended), fd 3 its lifeline to this process.
    const child = spawn(
      process.execPath,
      [...guardArgs, ...nodeArgs, runner, "127.0.0.1:0", launch.program],
      {
        cwd: launch.packDir,
        env,
        stdio: ["ignore", "pipe", "pipe", "pipe"],
        detached: true,
      },
    );
    live.add(child);
    child.once("exit", () => live.delete(child));
    const envTimeout = Number(process.env.GATE_PACK_START_TIMEOUT_MS);
    const timeout = launch.startTimeoutMs ?? (envTimeout > 0 ? envTimeout : 60_000);
    let port: number;
    try {
      port = await readPort(child, timeout);
    } catch (err) {
      killGroup(child, "SIGKILL");
      throw err;
    }
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 400 * 1024 * 1024,
      "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    return new PolicyPackProcess(child, client, port, Date.now() - started);
  }

  private call<Req, Res>(
    method: (
      req: Req,
      md: grpc.Metadata,
      opts: Partial<grpc.CallOptions>,
      cb: (e: grpc.ServiceError | null, r: Res) => void,
    ) => grpc.ClientUnaryCall,
    req: Req,
    what: string,
    timeoutMs: number,
    redactor?: Redactor,
  ): Promise<Res> {
    return new Promise((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      method.call(this.client, req, new grpc.Metadata(), { deadline }, (err, res) => {
        if (!err) return resolve(res);
        const detail =
          err.code === grpc.status.DEADLINE_EXCEEDED
            ? `the policy pack did not answer within ${Math.round(timeoutMs / 1000)} s`
            : err.details || err.message;
        reject(new PackError(`${what}: ${redactor ? redactor.redact(detail) : detail}`));
      });
    });
  }

  async getAnalyzerInfo(): Promise<AnalyzerInfo> {
    const info = await this.call(
      this.client.getAnalyzerInfo,
      new Empty(),
      "GetAnalyzerInfo",
      callTimeoutMs.info,
    );
    const policies = info.getPoliciesList().map((p): PolicyInfo => {
      const schema = p.getConfigschema();
      const severity = severityFromWire(p.getSeverity());
      return {
        name: p.getName(),
        description: p.getDescription(),
        enforcement: enforcementFromWire(p.getEnforcementlevel()),
        stack: p.getPolicyType() === analyzerpb.PolicyType.POLICY_TYPE_STACK,
        ...(severity ? { severity } : {}),
        remediation: p.getRemediationSteps(),
        tags: p.getTagsList(),
        ...(schema
          ? {
              configSchema: {
                properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
                required: schema.getRequiredList(),
              },
            }
          : {}),
      };
    });
    const initialConfig: AnalyzerInfo["initialConfig"] = {};
    info.getInitialconfigMap().forEach((v, k) => {
      initialConfig[k] = {
        enforcement: enforcementFromWire(v.getEnforcementlevel()),
        properties: (v.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
      };
    });
    return { name: info.getName(), version: info.getVersion(), policies, initialConfig };
  }

  async configure(
    config: Record<string, { enforcement: Enforcement; properties: Record<string, unknown> }>,
  ): Promise<void> {
    if (Object.keys(config).length === 0) return; // the CLI skips Configure without config
    const req = new analyzerpb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, c] of Object.entries(config)) {
      const pc = new analyzerpb.PolicyConfig();
      pc.setEnforcementlevel(enforcementToWire[c.enforcement]);
      pc.setProperties(Struct.fromJavaScript(c.properties as JsonObject));
      map.set(name, pc);
    }
    await this.call(this.client.configure, req, "Configure", callTimeoutMs.info);
  }

  async analyze(r: GateResource, provider: GateResource | undefined): Promise<AnalyzeResult> {
    const req = new analyzerpb.AnalyzeRequest();
    req.setUrn(r.urn);
    req.setType(r.type);
    req.setName(r.name);
    req.setProperties(Struct.fromJavaScript(r.inputs as JsonObject));
    req.setOptions(resourceOptions(r));
    if (provider) req.setProvider(providerResource(provider));
    // Messages and errors come back with the secret values of the resource (and its provider) redacted.
    const redactor = Redactor.of([r, provider]);
    const res = await this.call(
      this.client.analyze,
      req,
      `Analyze(${r.urn})`,
      callTimeoutMs.analyze,
      redactor,
    );
    return toResult(res, redactor);
  }

  /**
   * `ConfigureStack`, as the CLI calls it right after starting a pack (pkg/resource/plugin/analyzer_plugin.go
   * NewPolicyAnalyzer): stack, project, organization, tags, config and its secret keys, dry run.
   */
  async configureStack(stack: StackInfo): Promise<void> {
    const req = new analyzerpb.AnalyzerStackConfigureRequest();
    req.setStack(stack.stack);
    req.setProject(stack.project);
    req.setOrganization(stack.organization);
    req.setDryRun(stack.dryRun);
    for (const [k, v] of Object.entries(stack.tags)) req.getTagsMap().set(k, v);
    for (const [k, v] of Object.entries(stack.config)) req.getConfigMap().set(k, v);
    req.setConfigSecretKeysList([...stack.configSecretKeys]);
    await this.call(this.client.configureStack, req, "ConfigureStack", callTimeoutMs.info);
  }

  /**
   * `Remediate` with a resource's inputs (the engine calls it before `Analyze`, in preview too:
   * pkg/resource/deploy/step_generator.go). Returns each remediation: new properties, or a diagnostic.
   */
  async remediate(
    r: GateResource,
    inputs: Readonly<Record<string, unknown>>,
    provider: GateResource | undefined,
  ): Promise<RemediationResult[]> {
    const req = new analyzerpb.AnalyzeRequest();
    req.setUrn(r.urn);
    req.setType(r.type);
    req.setName(r.name);
    req.setProperties(Struct.fromJavaScript(inputs as JsonObject));
    req.setOptions(resourceOptions(r));
    if (provider) req.setProvider(providerResource(provider));
    const res = await this.call(this.client.remediate, req, `Remediate(${r.urn})`, callTimeoutMs.analyze);
    return res.getRemediationsList().map((m) => ({
      policy: m.getPolicyname(),
      description: m.getDescription(),
      ...(m.hasProperties()
        ? { properties: m.getProperties()!.toJavaScript() as Record<string, unknown> }
        : {}),
      diagnostic: m.getDiagnostic(),
    }));
  }

  async analyzeStack(
    resources: readonly GateResource[],
    providers: Map<string, GateResource>,
  ): Promise<AnalyzeResult> {
    // One resource at a time is built as a message and encoded at once (field 1, length-delimited), so the
    // request never exists as 50,000 message objects at the same time; the bytes are the request's
    // encoding, which the generated serializer returns as is.
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (const r of resources) {
      const bytes = stackResource(r, providers).serializeBinary();
      const head = lengthPrefix(1, bytes.length);
      chunks.push(head, bytes);
      size += head.length + bytes.length;
    }
    const encoded = Buffer.concat(chunks, size);
    chunks.length = 0;
    const req = new analyzerpb.AnalyzeStackRequest();
    req.serializeBinary = () => encoded;
    const redactor = Redactor.of(resources);
    const res = await this.call(
      this.client.analyzeStack,
      req,
      "AnalyzeStack",
      callTimeoutMs.analyzeStack,
      redactor,
    );
    return toResult(res, redactor);
  }

  /** Closes the connection and stops the pack process. */
  async stop(): Promise<void> {
    this.client.close();
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      // SIGTERM to the group; SIGKILL if it has not exited within 5 s.
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      killGroup(child, "SIGTERM");
    });
  }

  /** The pack's process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }
}

/** One resource of an AnalyzeStack request. */
function stackResource(r: GateResource, providers: Map<string, GateResource>): analyzerpb.AnalyzerResource {
  const ar = new analyzerpb.AnalyzerResource();
  ar.setUrn(r.urn);
  ar.setType(r.type);
  ar.setName(r.name);
  ar.setProperties(Struct.fromJavaScript(r.state as JsonObject));
  ar.setOptions(resourceOptions(r));
  const provider = providers.get(providerUrn(r.provider));
  if (provider) ar.setProvider(providerResource(provider));
  ar.setParent(r.parent);
  ar.setDependenciesList([...r.dependencies]);
  const deps = ar.getPropertydependenciesMap();
  for (const [k, urns] of Object.entries(r.propertyDependencies)) {
    if (urns.length === 0) continue; // the engine skips properties without dependencies
    const pd = new analyzerpb.AnalyzerPropertyDependencies();
    pd.setUrnsList([...urns]);
    deps.set(k, pd);
  }
  return ar;
}

/** The key and length of a length-delimited protobuf field. */
function lengthPrefix(field: number, length: number): Uint8Array {
  const out: number[] = [];
  for (let v = (field << 3) | 2; ;) {
    if (v < 0x80) {
      out.push(v);
      break;
    }
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  for (let v = length; ;) {
    if (v < 0x80) {
      out.push(v);
      break;
    }
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  return Uint8Array.from(out);
}

export function providerUrn(ref: string): string {
  const i = ref.lastIndexOf("::");
  return i > 0 ? ref.slice(0, i) : ref;
}

function resourceOptions(r: GateResource): analyzerpb.AnalyzerResourceOptions {
  const o = new analyzerpb.AnalyzerResourceOptions();
  o.setProtect(r.protect);
  o.setIgnorechangesList([...r.ignoreChanges]);
  o.setDeletebeforereplace(r.deleteBeforeReplace ?? false);
  o.setDeletebeforereplacedefined(r.deleteBeforeReplace !== undefined);
  o.setAdditionalsecretoutputsList([...r.additionalSecretOutputs]);
  o.setAliasesList([...r.aliases]);
  const t = new analyzerpb.AnalyzerResourceOptions.CustomTimeouts();
  t.setCreate(r.customTimeouts.create);
  t.setUpdate(r.customTimeouts.update);
  t.setDelete(r.customTimeouts.delete);
  o.setCustomtimeouts(t);
  if (r.parent) o.setParent(r.parent);
  return o;
}

function providerResource(p: GateResource): analyzerpb.AnalyzerProviderResource {
  const pr = new analyzerpb.AnalyzerProviderResource();
  pr.setUrn(p.urn);
  pr.setType(p.type);
  pr.setName(p.name);
  pr.setProperties(Struct.fromJavaScript(p.inputs as JsonObject));
  return pr;
}

function toResult(res: analyzerpb.AnalyzeResponse, redactor: Redactor): AnalyzeResult {
  return {
    diagnostics: res.getDiagnosticsList().map((d) => {
      const severity = severityFromWire(d.getSeverity());
      return {
        policy: d.getPolicyname(),
        description: d.getDescription(),
        message: redactor.redact(d.getMessage()),
        enforcement: enforcementFromWire(d.getEnforcementlevel()),
        urn: d.getUrn(),
        ...(severity ? { severity } : {}),
      };
    }),
    notApplicable: res
      .getNotApplicableList()
      .map((n) => ({ policy: n.getPolicyName(), reason: n.getReason() })),
  };
}

function readPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const fail = (why: string) => {
      clearTimeout(timer);
      killGroup(child, "SIGKILL");
      const detail = err.trim().split("\n").filter(Boolean).slice(-5).join(" | ");
      reject(new PackError(`the policy pack ${why}${detail ? `: ${detail}` : ""}`));
    };
    const timer = setTimeout(
      () =>
        fail(
          `did not print its port within ${Math.round(timeoutMs / 100) / 10} s (GATE_PACK_START_TIMEOUT_MS sets the limit)`,
        ),
      timeoutMs,
    );
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n").find((l) => /^\d+\s*$/.test(l));
      if (line !== undefined && out.includes("\n")) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners("data");
        child.stdout?.resume();
        resolve(Number(line.trim()));
      }
    });
    child.once("exit", (code, signal) => fail(`exited before serving (code ${code ?? signal})`));
    child.once("error", (e) => fail(`could not start (${e.message})`));
  });
}
