/**
 * Runs the deployability pack (policies/deployability) over a plan of the mock harness, the way the
 * Pulumi CLI runs it under `pulumi preview --policy-pack policies/deployability`: the pack is started as
 * its own analyzer server (compiled, from dist/), every custom resource is sent to `Analyze` and the whole
 * stack to `AnalyzeStack`. Returns one finding per violation: rule, resource, message.
 *
 *   const findings = await deployabilityFindings(plan);          // one plan, starts and stops the pack
 *   const pack = await DeployabilityPack.start(); ... await pack.check(plan) ...; await pack.stop();
 *
 * `node dist/tools/deployability.js --stack prod [--config file]` prints the findings of a stack.
 */
import * as path from "node:path";
import { PolicyPackProcess, providerUrn, type Diagnostic } from "./gate/analyzer";
import { toGateResource } from "./gate/inputs";
import type { Enforcement, GateResource } from "./gate/model";
import type { Plan } from "./harness";
import { repoRoot } from "./paths";

export interface DeployabilityFinding {
  /** Rule id (policy name). */
  readonly rule: string;
  /** URN of the resource ("" for a stack-level result without one). */
  readonly urn: string;
  /** Resource type and name, from the URN. */
  readonly type: string;
  readonly name: string;
  /** The violation message, without the policy server's description prefix. */
  readonly message: string;
  readonly enforcement: Enforcement;
}

/** The plan's resources as the engine hands them to an analyzer (state = inputs plus computed outputs). */
export function planResources(plan: Plan): GateResource[] {
  return plan.resources.map((r) =>
    toGateResource(
      {
        ...r,
        outputs: r.custom ? { ...r.inputs, ...r.outputs } : r.outputs,
        deleteBeforeReplace: r.deleteBeforeReplace ? true : undefined,
      },
      false,
    ),
  );
}

const analyzed = (r: GateResource) =>
  r.custom && !r.type.startsWith("pulumi:providers:") && !r.type.startsWith("pulumi:pulumi:");

function typeAndName(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const qualified = parts[2] ?? "";
  return { type: qualified.split("$").pop() ?? qualified, name: parts.slice(3).join("::") };
}

/** A running deployability pack. */
export class DeployabilityPack {
  private constructor(private readonly process: PolicyPackProcess) {}

  static async start(root: string = repoRoot()): Promise<DeployabilityPack> {
    const packDir = path.join(root, "policies", "deployability");
    const process = await PolicyPackProcess.start({
      packDir,
      program: path.join(root, "dist", "policies", "deployability"),
      project: "platform",
      stack: "deployability",
      config: {},
      dryRun: true,
    });
    return new DeployabilityPack(process);
  }

  /** Every violation the pack reports for the plan (advisory "can't run during preview" results included). */
  async check(plan: Plan): Promise<DeployabilityFinding[]> {
    const resources = planResources(plan);
    const providers = new Map(
      resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => [r.urn, r]),
    );
    const queue = resources.filter(analyzed);
    const perResource = new Map<string, Diagnostic[]>();
    // A few calls in flight at once (as the gate does); results are kept in resource order.
    const worker = async () => {
      for (let r = queue.shift(); r; r = queue.shift()) {
        const result = await this.process.analyze(r, providers.get(providerUrn(r.provider)));
        const urn = r.urn;
        // A resource policy's diagnostic is about the analyzed resource (the server leaves its URN empty).
        perResource.set(
          urn,
          result.diagnostics.map((d) => (d.urn ? d : { ...d, urn })),
        );
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const diagnostics = resources.flatMap((r) => perResource.get(r.urn) ?? []);
    diagnostics.push(...(await this.process.analyzeStack(resources, providers)).diagnostics);
    return diagnostics.map((d) => ({
      rule: d.policy,
      urn: d.urn,
      ...typeAndName(d.urn),
      // The policy server prefixes each message with the policy's description and a newline.
      message: d.message
        .split("\n")
        .slice(d.message.includes("\n") ? 1 : 0)
        .join("\n"),
      enforcement: d.enforcement,
    }));
  }

  async stop(): Promise<void> {
    await this.process.stop();
  }
}

/** Runs the whole deployability pack against one plan. */
export async function deployabilityFindings(plan: Plan, root?: string): Promise<DeployabilityFinding[]> {
  const pack = await DeployabilityPack.start(root);
  try {
    return await pack.check(plan);
  } finally {
    await pack.stop();
  }
}

/** One line per finding: `[rule] type name: message`. */
export function formatFinding(f: DeployabilityFinding): string {
  return `[${f.rule}] ${f.type} ${f.name || "(stack)"}: ${f.message}`;
}

async function main(argv: readonly string[]): Promise<number> {
  const stackAt = argv.indexOf("--stack");
  const configAt = argv.indexOf("--config");
  const stack = stackAt >= 0 ? argv[stackAt + 1] : undefined;
  if (!stack) {
    process.stderr.write("usage: deployability --stack <name> [--config <Pulumi.<stack>.yaml>]\n");
    return 2;
  }
  const { runProgram } = await import("./harness/index.js");
  const configFile = configAt >= 0 ? argv[configAt + 1] : undefined;
  const result = await runProgram({ stack, ...(configFile ? { configFile: path.resolve(configFile) } : {}) });
  if (!result.ok) {
    process.stderr.write(`the program failed for stack ${stack}:\n${result.errors.join("\n")}\n`);
    return 2;
  }
  const findings = await deployabilityFindings(result.plan);
  for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
  const mandatory = findings.filter((f) => f.enforcement === "mandatory").length;
  process.stdout.write(
    `${findings.length} finding(s), ${mandatory} mandatory, ${result.plan.resources.length} resources\n`,
  );
  return mandatory > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
