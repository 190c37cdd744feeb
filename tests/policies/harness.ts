/**
 * Drives the real policy pack the way the Pulumi engine does: starts `dist/policies/index.js` (the pack's
 * own gRPC analyzer server, as `pulumi preview --policy-pack` starts it), configures it with the config a
 * CLI would send, and sends AnalyzeRequest / AnalyzeStackRequest / Remediate messages built from plain
 * resource objects. Property values go through protobuf Structs, so secrets, unknown values and the
 * server's own deserialisation and enforcement-level resolution all apply.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import type { EnforcementLevel, PolicyPackArgs } from "@pulumi/policy";
import { policies, policies as packPolicies, policyPackName } from "../../policies/pack";
import { reconcilePolicyConfig, type PolicyInfo } from "../../policies/lib/cli-config";

export interface TestProvider {
  readonly type: string;
  readonly name: string;
  readonly props?: Record<string, unknown>;
}

export interface TestResource {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly urn?: string;
  readonly protect?: boolean;
  readonly provider?: TestProvider;
  readonly parent?: string;
  /** Property name -> URNs (or names of other resources in the same stack) it depends on. */
  readonly propertyDependencies?: Record<string, string[]>;
  readonly dependencies?: string[];
}

export interface Diagnostic {
  readonly policyName: string;
  readonly message: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly urn: string;
}

export const stackName = "test";
export const projectName = "platform";

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:${stackName}::${projectName}::${type}::${name}`;
}

/** Marks a value as a Pulumi secret, as the engine sends it. */
export function secret(value: unknown): Record<string, unknown> {
  return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

/** The engine's unknown value (what a computed output is during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const levelNames: Record<number, EnforcementLevel> = {
  0: "advisory",
  1: "mandatory",
  2: "disabled",
  3: "remediate",
};
const levelValues: Record<EnforcementLevel, number> = {
  advisory: 0,
  mandatory: 1,
  disabled: 2,
  remediate: 3,
};

function options(protect: boolean, parent?: string): analyzerPb.AnalyzerResourceOptions {
  const o = new analyzerPb.AnalyzerResourceOptions();
  o.setProtect(protect);
  if (parent) o.setParent(parent);
  return o;
}

function providerOf(p: TestProvider): analyzerPb.AnalyzerProviderResource {
  const pr = new analyzerPb.AnalyzerProviderResource();
  pr.setType(p.type);
  pr.setName(p.name);
  pr.setUrn(urnOf(p.type, p.name));
  pr.setProperties(Struct.fromJavaScript((p.props ?? {}) as Record<string, never>));
  return pr;
}

function structOf(props: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(props)) as Record<string, never>);
}

function diagnosticsOf(resp: analyzerPb.AnalyzeResponse): Diagnostic[] {
  return resp.getDiagnosticsList().map((d) => ({
    policyName: d.getPolicyname(),
    message: d.getMessage(),
    enforcementLevel: levelNames[d.getEnforcementlevel()] ?? "advisory",
    urn: d.getUrn(),
  }));
}

/** How requests reach the pack: over gRPC to its own process, or to the same handlers called in this process. */
interface Transport {
  configure(req: analyzerPb.ConfigureAnalyzerRequest): Promise<void>;
  analyze(req: analyzerPb.AnalyzeRequest): Promise<analyzerPb.AnalyzeResponse>;
  analyzeStack(req: analyzerPb.AnalyzeStackRequest): Promise<analyzerPb.AnalyzeResponse>;
  remediate(req: analyzerPb.AnalyzeRequest): Promise<analyzerPb.RemediateResponse>;
  close(): void;
}

function grpcTransport(child: ChildProcessWithoutNullStreams, port: number): Transport {
  const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    configure: (req) =>
      new Promise<void>((resolve, reject) => client.configure(req, (e) => (e ? reject(e) : resolve()))),
    analyze: (req) =>
      new Promise((resolve, reject) => client.analyze(req, (e, res) => (e ? reject(e) : resolve(res)))),
    analyzeStack: (req) =>
      new Promise((resolve, reject) => client.analyzeStack(req, (e, res) => (e ? reject(e) : resolve(res)))),
    remediate: (req) =>
      new Promise((resolve, reject) => client.remediate(req, (e, res) => (e ? reject(e) : resolve(res)))),
    close: () => {
      client.close();
      child.kill();
    },
  };
}

type Policy = NonNullable<PolicyPackArgs["policies"]>[number];
type RpcHandler = (call: { request: unknown }, callback: (e: unknown, res?: unknown) => void) => unknown;
type MakeRpc = (
  name: string,
  version: string,
  level: EnforcementLevel,
  policies: readonly Policy[],
) => RpcHandler;
interface ServerModule {
  makeAnalyzeRpcFun: MakeRpc;
  makeAnalyzeStackRpcFun: MakeRpc;
  makeRemediateRpcFun: MakeRpc;
}

function callRpc<T>(handler: RpcHandler, request: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    void handler({ request }, (e, res) => (e ? reject(e as Error) : resolve(res as T)));
  });
}

/**
 * The pack's own analyzer handlers (`@pulumi/policy`'s server: protobuf deserialisation, unknown-value proxies,
 * enforcement-level resolution, "can't run during preview" results), called in this process instead of over
 * gRPC. The one piece the server keeps private is the configuration it stores on `Configure`: this transport
 * keeps it here and hands each policy its level and `getConfig()` result exactly as the server would. Used by
 * mutation testing (a mutant must run in the process that activates it) and by fast test runs.
 */
function inProcessTransport(policies: readonly Policy[]): Transport {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const server = require("@pulumi/policy/server") as ServerModule;
  const packLevel: EnforcementLevel = "mandatory";
  let handlers: { analyze: RpcHandler; analyzeStack: RpcHandler; remediate: RpcHandler } | undefined;
  const build = (
    config: Record<string, Record<string, unknown> & { enforcementLevel: EnforcementLevel }>,
  ) => {
    const configured = policies.map((p): Policy => {
      const c = config[p.name];
      // Unconfigured: the server hands out `{}` (its own stored config stays empty in this process).
      if (!c) return p;
      const { enforcementLevel, ...properties } = c;
      const withConfig = <A extends { getConfig: unknown }>(args: A): A => ({
        ...args,
        getConfig: () => properties,
      });
      const q = { ...p, enforcementLevel } as Record<string, unknown>;
      const r = p as unknown as Record<string, ((...a: unknown[]) => unknown) | undefined>;
      if (typeof r["validateResource"] === "function") {
        const f = r["validateResource"];
        q["validateResource"] = (args: { getConfig: unknown }, report: unknown) =>
          f(withConfig(args), report);
      }
      if (typeof r["validateStack"] === "function") {
        const f = r["validateStack"];
        q["validateStack"] = (args: { getConfig: unknown }, report: unknown) => f(withConfig(args), report);
      }
      if (typeof r["remediateResource"] === "function") {
        const f = r["remediateResource"];
        q["remediateResource"] = (args: { getConfig: unknown }) => f(withConfig(args));
      }
      return q as unknown as Policy;
    });
    handlers = {
      analyze: server.makeAnalyzeRpcFun(policyPackName, "0.0.1", packLevel, configured),
      analyzeStack: server.makeAnalyzeStackRpcFun(policyPackName, "0.0.1", packLevel, configured),
      remediate: server.makeRemediateRpcFun(policyPackName, "0.0.1", packLevel, configured),
    };
  };
  build({});
  return {
    configure: (req) => {
      const config: Record<string, Record<string, unknown> & { enforcementLevel: EnforcementLevel }> = {};
      for (const [k, v] of req.getPolicyconfigMap().entries()) {
        const props = (v.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>;
        config[k] = { ...props, enforcementLevel: levelNames[v.getEnforcementlevel()] ?? "advisory" };
      }
      build(config);
      return Promise.resolve();
    },
    analyze: (req) => callRpc(handlers!.analyze, req),
    analyzeStack: (req) => callRpc(handlers!.analyzeStack, req),
    remediate: (req) => callRpc(handlers!.remediate, req),
    close: () => undefined,
  };
}

export class PackUnderTest {
  private constructor(private readonly transport: Transport) {}

  /** Starts a compiled pack's server (the compliance pack unless `entry` names another) and connects to it. */
  static async start(
    entry: string = path.resolve(__dirname, "../../policies/index.js"),
  ): Promise<PackUnderTest> {
    const child = spawn(process.execPath, [entry], { stdio: ["pipe", "pipe", "pipe"] });
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout.on("data", (b: Buffer) => {
        out += b.toString();
        const m = /^(\d+)\s*$/m.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.stderr.on("data", (b: Buffer) => (err += b.toString()));
      child.on("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${err}`)));
      setTimeout(() => reject(new Error(`policy pack did not print a port: ${out} ${err}`)), 30000);
    });
    return new PackUnderTest(grpcTransport(child, port));
  }

  /**
   * The same pack without a process: the policies (this program's, unless given, e.g. those of a mutated
   * copy) served by `@pulumi/policy`'s own analyzer handlers in this process. Same requests, same responses.
   */
  static inProcess(policies: PolicyPackArgs["policies"] = packPolicies): PackUnderTest {
    return new PackUnderTest(inProcessTransport(policies));
  }

  stop(): void {
    this.transport.close();
  }

  /** Sends `Configure` with exactly the per-policy config given (no defaults added). */
  async configureRaw(
    config: Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>,
  ): Promise<void> {
    const req = new analyzerPb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, c] of Object.entries(config)) {
      const pc = new analyzerPb.PolicyConfig();
      pc.setEnforcementlevel(levelValues[c.enforcementLevel] as analyzerPb.EnforcementLevel);
      pc.setProperties(structOf(c.properties));
      map.set(name, pc);
    }
    await this.transport.configure(req);
  }

  /** Configures the pack as `pulumi preview --policy-pack-config <file>` would with this file content. */
  async configure(fileJson: unknown = {}): Promise<void> {
    await this.configureRaw(reconcilePolicyConfig(policyInfos(), fileJson, "mandatory"));
  }

  private request(r: TestResource): analyzerPb.AnalyzeRequest {
    const req = new analyzerPb.AnalyzeRequest();
    req.setType(r.type);
    req.setName(r.name);
    req.setUrn(r.urn ?? urnOf(r.type, r.name));
    req.setProperties(structOf(r.props));
    req.setOptions(options(r.protect ?? false, r.parent));
    if (r.provider) req.setProvider(providerOf(r.provider));
    return req;
  }

  async analyze(r: TestResource): Promise<Diagnostic[]> {
    return diagnosticsOf(await this.transport.analyze(this.request(r)));
  }

  async analyzeStack(resources: readonly TestResource[]): Promise<Diagnostic[]> {
    const req = new analyzerPb.AnalyzeStackRequest();
    const byName = new Map(resources.map((r) => [r.name, r.urn ?? urnOf(r.type, r.name)]));
    const resolve = (x: string) => byName.get(x) ?? x;
    req.setResourcesList(
      resources.map((r) => {
        const ar = new analyzerPb.AnalyzerResource();
        ar.setType(r.type);
        ar.setName(r.name);
        ar.setUrn(r.urn ?? urnOf(r.type, r.name));
        ar.setProperties(structOf(r.props));
        ar.setOptions(options(r.protect ?? false, r.parent ? resolve(r.parent) : undefined));
        if (r.provider) ar.setProvider(providerOf(r.provider));
        if (r.parent) ar.setParent(resolve(r.parent));
        const deps = new Set<string>((r.dependencies ?? []).map(resolve));
        const pd = ar.getPropertydependenciesMap();
        for (const [k, v] of Object.entries(r.propertyDependencies ?? {})) {
          const d = new analyzerPb.AnalyzerPropertyDependencies();
          d.setUrnsList(v.map(resolve));
          pd.set(k, d);
          v.forEach((x) => deps.add(resolve(x)));
        }
        ar.setDependenciesList([...deps]);
        return ar;
      }),
    );
    return diagnosticsOf(await this.transport.analyzeStack(req));
  }

  /** Runs the remediations; returns the remediated properties of each policy that changed something. */
  async remediate(
    r: TestResource,
  ): Promise<{ policyName: string; properties: Record<string, unknown> | undefined; diagnostic: string }[]> {
    const resp = await this.transport.remediate(this.request(r));
    return resp.getRemediationsList().map((x) => ({
      policyName: x.getPolicyname(),
      properties: x.getProperties()?.toJavaScript() as Record<string, unknown> | undefined,
      diagnostic: x.getDiagnostic(),
    }));
  }
}

export function policyInfos(): PolicyInfo[] {
  return policies.map((p) => ({
    name: p.name,
    ...(p.enforcementLevel ? { enforcementLevel: p.enforcementLevel } : {}),
    ...(p.configSchema ? { configSchema: p.configSchema } : {}),
  }));
}

let shared: Promise<PackUnderTest> | undefined;

/**
 * `POLICY_PACK_IN_PROCESS=1` runs the policy tests against the pack's handlers in the test process (what
 * mutation testing needs); otherwise they start the pack's server as `pulumi preview --policy-pack` does.
 */
export function inProcessRequested(): boolean {
  return process.env["POLICY_PACK_IN_PROCESS"] === "1";
}

/** One pack server for the whole test run (started on first use, stopped by the root hook in coverage.test). */
export function pack(): Promise<PackUnderTest> {
  shared ??= inProcessRequested() ? Promise.resolve(PackUnderTest.inProcess()) : PackUnderTest.start();
  return shared;
}

export async function stopPack(): Promise<void> {
  if (shared) (await shared).stop();
  shared = undefined;
}
