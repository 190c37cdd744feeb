/**
 * Runs one stack of the fleet through the Pulumi Automation API (`@pulumi/pulumi/automation`): selects
 * the stack in this repository's project (a local program: the same `pulumi` CLI, backend and
 * secrets provider as `pulumi up` would use), attaches the policy packs with the stack's policy config,
 * and streams the engine's output line by line. Needs the Pulumi CLI on PATH and the cloud
 * credentials of the stack's sites (OIDC in CI), like `pulumi up` itself.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as Automation from "@pulumi/pulumi/automation";
import type { Operation, StackRunner } from "./fleet";

/** The policy packs every run attaches: compliance, and deployability where it exists. */
export function policyPacks(root: string): string[] {
  return ["policies", path.join("policies", "deployability")]
    .map((p) => path.join(root, p))
    .filter((p) => fs.existsSync(path.join(p, "PulumiPolicy.yaml")));
}

/** What the runner needs from outside: where the project is and each stack's policy config files. */
export interface AutomationOptions {
  readonly root: string;
  /** Policy config file per pack (same order as `policyPacks`), for one stack. */
  readonly policyConfigs: (stack: string) => Promise<string[]>;
  /** Loads the Automation API lazily: the module spawns the CLI, which tests never do. */
  readonly automation?: () => typeof Automation;
}

/** A `StackRunner` backed by the Automation API. */
export function automationRunner(options: AutomationOptions): StackRunner {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = options.automation ?? (() => require("@pulumi/pulumi/automation") as typeof Automation);
  return async (stackName: string, op: Operation, onOutput: (line: string) => void) => {
    const auto = load();
    const stack = await auto.LocalWorkspace.selectStack({ stackName, workDir: options.root });
    let partial = "";
    const stream = (text: string) => {
      partial += text;
      const lines = partial.split("\n");
      partial = lines.pop() ?? "";
      for (const l of lines) onOutput(l);
    };
    const common = {
      policyPacks: policyPacks(options.root),
      policyPackConfigs: await options.policyConfigs(stackName),
      onOutput: stream,
      color: "never" as const,
    };
    if (op === "preview") {
      const result = await stack.preview({ ...common, diff: false });
      if (partial) onOutput(partial);
      return { changes: { ...result.changeSummary } };
    }
    const result = await stack.up({ ...common, diff: false });
    if (partial) onOutput(partial);
    return { changes: { ...(result.summary.resourceChanges ?? {}) } };
  };
}
