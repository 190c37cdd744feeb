import * as path from "node:path";
import { runProgram, type Plan, type PlanResource } from "../tools/harness";
import { repoRoot } from "../tools/paths";

export const root = repoRoot();
export const fixture = (name: string): string => path.join(root, "tests", "fixtures", name);

const cache = new Map<string, Plan>();

/** Runs the real program for a stack (repository stack or a fixture file) once, and caches the plan. */
export async function planFor(stack: string, configFile?: string): Promise<Plan> {
  const key = `${stack}|${configFile ?? ""}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const result = await runProgram({ stack, ...(configFile ? { configFile } : {}) });
  if (!result.ok) throw new Error(`plan for ${stack} failed:\n${result.errors.join("\n")}`);
  cache.set(key, result.plan);
  return result.plan;
}

export const byType = (plan: Plan, type: string): PlanResource[] =>
  plan.resources.filter((r) => r.type === type);

/** The Site (role name) a resource belongs to, following parents; undefined when it has none. */
export function siteOf(plan: Plan, resource: PlanResource): string | undefined {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  let current: PlanResource | undefined = resource;
  while (current) {
    if (current.type === "platform:site:Site") return current.name;
    current = byUrn.get(current.parent);
  }
  return undefined;
}

/** The stacks every program-level test runs: the repository's and the fixtures covering other shapes. */
export const stacks: { name: string; file?: string }[] = [
  { name: "dev" },
  { name: "prod" },
  { name: "prod-gcp", file: fixture("Pulumi.prod-gcp.yaml") },
];
