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

/**
 * The Site (role name) a resource belongs to, following parents. A resource of a stack-level component
 * that joins the sites (the interconnect, replication) belongs to the site whose provider it uses.
 * Undefined when it has neither.
 */
export function siteOf(plan: Plan, resource: PlanResource): string | undefined {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  let current: PlanResource | undefined = resource;
  while (current) {
    if (current.type === "platform:site:Site") return current.name;
    current = byUrn.get(current.parent);
  }
  if (joiningComponentOf(plan, resource) && resource.provider) {
    const providerUrn = resource.provider.slice(0, resource.provider.lastIndexOf("::"));
    const name = providerUrn.split("::").pop();
    if (name === "primary" || name === "secondary") return name;
  }
  return undefined;
}

/**
 * The stack-level component joining the sites (a `platform:` component directly under the stack that
 * is not a Site, e.g. `platform:network:Interconnect`) a resource is part of; undefined otherwise.
 */
export function joiningComponentOf(plan: Plan, resource: PlanResource): PlanResource | undefined {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  let current: PlanResource | undefined = resource;
  while (current) {
    const parent = byUrn.get(current.parent);
    if (parent?.type === "pulumi:pulumi:Stack") {
      return current.type.startsWith("platform:") && current.type !== "platform:site:Site"
        ? current
        : undefined;
    }
    current = parent;
  }
  return undefined;
}

/** The stacks every program-level test runs: the repository's and the fixtures covering other shapes. */
export const stacks: { name: string; file?: string }[] = [
  { name: "dev" },
  { name: "prod" },
  { name: "prod-gcp", file: fixture("Pulumi.prod-gcp.yaml") },
];

/** The plan of a repository stack, or of a fixture stack file under tests/fixtures (cached). */
export function planOf(stack: string, fixtureFile?: string): Promise<Plan> {
  return planFor(stack, fixtureFile ? fixture(fixtureFile) : undefined);
}

/**
 * Helpers over the resources one component of one site created (their names start with
 * `<role>-<component>-`): `under` (of a type), `countsOf` (per type) and `one` (exactly one of a type).
 */
export function componentQueries(component: string) {
  const mine = (r: PlanResource, role: string) => r.name.startsWith(`${role}-${component}-`);
  const under = (plan: Plan, role: string, type: string): PlanResource[] =>
    plan.resources.filter((r) => r.type === type && mine(r, role));
  return {
    under,
    countsOf(plan: Plan, role: string): Record<string, number> {
      const out: Record<string, number> = {};
      for (const r of plan.resources.filter((x) => x.custom && mine(x, role)))
        out[r.type] = (out[r.type] ?? 0) + 1;
      return out;
    },
    one(plan: Plan, role: string, type: string, name?: string): PlanResource {
      const found = under(plan, role, type).filter((r) => name === undefined || r.name === name);
      if (found.length !== 1) {
        throw new Error(
          `expected one ${type}${name ? ` named ${name}` : ""} on ${role}, found ${found.length}`,
        );
      }
      return found[0]!;
    },
  };
}
