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
import type { EnforcementLevel } from "@pulumi/policy";
import { policies } from "../../policies/pack";
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

export class PackUnderTest {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly client: analyzerGrpc.AnalyzerClient,
  ) {}

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
    const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new PackUnderTest(child, client);
  }

  stop(): void {
    this.client.close();
    this.child.kill();
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
    await new Promise<void>((resolve, reject) =>
      this.client.configure(req, (e) => (e ? reject(e) : resolve())),
    );
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
    const req = this.request(r);
    const resp = await new Promise<analyzerPb.AnalyzeResponse>((resolve, reject) =>
      this.client.analyze(req, (e, res) => (e ? reject(e) : resolve(res))),
    );
    return diagnosticsOf(resp);
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
    const resp = await new Promise<analyzerPb.AnalyzeResponse>((resolve, reject) =>
      this.client.analyzeStack(req, (e, res) => (e ? reject(e) : resolve(res))),
    );
    return diagnosticsOf(resp);
  }

  /** Runs the remediations; returns the remediated properties of each policy that changed something. */
  async remediate(
    r: TestResource,
  ): Promise<{ policyName: string; properties: Record<string, unknown> | undefined; diagnostic: string }[]> {
    const req = this.request(r);
    const resp = await new Promise<analyzerPb.RemediateResponse>((resolve, reject) =>
      this.client.remediate(req, (e, res) => (e ? reject(e) : resolve(res))),
    );
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

/** One pack server for the whole test run (started on first use, stopped by the root hook in coverage.test). */
export function pack(): Promise<PackUnderTest> {
  shared ??= PackUnderTest.start();
  return shared;
}

export async function stopPack(): Promise<void> {
  if (shared) (await shared).stop();
  shared = undefined;
}
