/**
 * The three inputs of the gate, each turned into one normalized resource list:
 * - `--stack <name>`: run the program for that stack under the mock harness;
 * - `--preview <file>`: a `pulumi preview --json` document (each step's `newState`);
 * - `--state <file>`: a `pulumi stack export` document (what is deployed).
 * Bad input raises an `InputError` with a one-line message naming the file and the problem.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { GateInput, GateResource } from "./model";
import { checkDepth, checkDocumentSize, checkResourceState, stripBom } from "./limits";
import { toWireProps } from "./wire";

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function propertyDeps(value: unknown): Record<string, string[]> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strings(v)]));
}

/** The resource name is everything after the fourth `::` of the URN. */
export function nameFromUrn(urn: string): string {
  const parts = urn.split("::");
  return parts.length >= 4 ? parts.slice(3).join("::") : urn;
}

/** `urn:pulumi:<stack>::<project>::...` → stack and project. */
export function stackOfUrn(urn: string): { stack: string; project: string } {
  const parts = urn.split("::");
  const head = parts[0] ?? "";
  return { stack: head.replace(/^urn:pulumi:/, ""), project: parts[1] ?? "" };
}

const fail = (message: string): never => {
  throw new InputError(message);
};

function readJson(file: string, flag: string): unknown {
  let text: string;
  checkDocumentSize(file, fail);
  try {
    text = stripBom(fs.readFileSync(file, "utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      `${file}: cannot read ${flag} file (${code === "ENOENT" ? "no such file" : (code ?? "unreadable")})`,
    );
  }
  if (text.trim() === "") throw new InputError(`${file}: the file is empty; expected a JSON document`);
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch (err) {
    throw new InputError(`${file}: not valid JSON (${(err as Error).message.split("\n")[0]})`);
  }
  checkDepth(doc, file, fail);
  return doc;
}

/** Names the kind of a document we did not expect, so the message says which flag to use. */
function describeKind(doc: unknown): string {
  if (!isObject(doc)) return Array.isArray(doc) ? "a JSON array" : `a JSON ${typeof doc}`;
  if (isObject(doc.deployment)) return "a `pulumi stack export` document (use --state)";
  if (Array.isArray(doc.steps)) return "a `pulumi preview --json` document (use --preview)";
  if (Array.isArray(doc.resources) && typeof doc.stack === "string")
    return "an `npm run plan -- --json` document (use --stack, or convert it)";
  return `an object with keys ${Object.keys(doc).slice(0, 5).join(", ") || "(none)"}`;
}

interface RawResource {
  readonly urn: string;
  readonly type: string;
  readonly custom: boolean;
  readonly parent: string;
  readonly provider: string;
  readonly inputs: unknown;
  readonly outputs: unknown;
  readonly dependencies: unknown;
  readonly propertyDependencies: unknown;
  readonly protect: boolean;
  readonly ignoreChanges?: unknown;
  readonly deleteBeforeReplace?: boolean;
  readonly additionalSecretOutputs?: unknown;
  readonly aliases?: unknown;
  readonly customTimeouts?: unknown;
}

function timeouts(value: unknown): GateResource["customTimeouts"] {
  const t = isObject(value) ? value : {};
  const n = (v: unknown) => (typeof v === "number" ? v : 0);
  return { create: n(t.create), update: n(t.update), delete: n(t.delete) };
}

export function toGateResource(raw: RawResource, secretStrings: boolean): GateResource {
  const inputs = toWireProps(raw.inputs, secretStrings);
  const outputs = isObject(raw.outputs) && Object.keys(raw.outputs).length > 0 ? raw.outputs : undefined;
  return {
    urn: raw.urn,
    type: raw.type,
    name: nameFromUrn(raw.urn),
    custom: raw.custom,
    parent: raw.parent,
    provider: raw.provider,
    inputs,
    state: outputs ? toWireProps(outputs, secretStrings) : inputs,
    dependencies: strings(raw.dependencies),
    propertyDependencies: propertyDeps(raw.propertyDependencies),
    protect: raw.protect,
    ignoreChanges: strings(raw.ignoreChanges),
    deleteBeforeReplace: raw.deleteBeforeReplace,
    additionalSecretOutputs: strings(raw.additionalSecretOutputs),
    aliases: strings(raw.aliases),
    customTimeouts: timeouts(raw.customTimeouts),
  };
}

/** Reads one engine resource state (`newState` of a preview step, or a stack export resource). */
function rawState(state: Json, where: string): RawResource {
  const urn = state.urn;
  const type = state.type;
  if (typeof urn !== "string" || !urn.startsWith("urn:pulumi:")) {
    throw new InputError(`${where}: missing or invalid "urn"`);
  }
  checkResourceState(state, where, fail);
  if (typeof type !== "string" || type === "") throw new InputError(`${where}: missing "type" (${urn})`);
  return {
    urn,
    type,
    custom: state.custom === true,
    parent: typeof state.parent === "string" ? state.parent : "",
    provider: typeof state.provider === "string" ? state.provider : "",
    inputs: state.inputs,
    outputs: state.outputs,
    dependencies: state.dependencies,
    propertyDependencies: state.propertyDependencies,
    protect: state.protect === true,
    ignoreChanges: state.ignoreChanges,
    ...(typeof state.deleteBeforeReplace === "boolean"
      ? { deleteBeforeReplace: state.deleteBeforeReplace }
      : {}),
    additionalSecretOutputs: state.additionalSecretOutputs,
    aliases: state.aliases,
    customTimeouts: state.customTimeouts,
  };
}

/** Operations whose step describes a resource that will not exist afterwards. */
const goneOps = new Set([
  "delete",
  "delete-replaced",
  "discard",
  "discard-replaced",
  "remove-pending-replace",
]);

/** Reads a `pulumi preview --json` document. */
export function loadPreview(file: string): GateInput {
  const doc = readJson(file, "--preview");
  if (!isObject(doc) || !Array.isArray(doc.steps)) {
    throw new InputError(
      `${file}: not a \`pulumi preview --json\` document (expected an object with "steps"; found ${describeKind(doc)})`,
    );
  }
  const byUrn = new Map<string, GateResource>();
  doc.steps.forEach((step: unknown, i: number) => {
    const where = `${file}: steps[${i}]`;
    if (!isObject(step)) throw new InputError(`${where}: not an object`);
    const op = typeof step.op === "string" ? step.op : "";
    if (goneOps.has(op)) return;
    if (!isObject(step.newState)) {
      throw new InputError(`${where}: missing "newState" (op "${op || "?"}")`);
    }
    const raw = rawState(step.newState, `${where}.newState`);
    byUrn.set(raw.urn, toGateResource(raw, true));
  });
  const resources = [...byUrn.values()];
  if (resources.length === 0) {
    throw new InputError(`${file}: the preview has no resources to judge (no steps with a "newState")`);
  }
  const { stack, project } = stackOfUrn(resources[0]!.urn);
  const config: Record<string, string> = {};
  if (isObject(doc.config)) {
    for (const [k, v] of Object.entries(doc.config)) {
      config[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
  }
  return { kind: "preview", origin: file, project, stack, config, resources };
}

/** Reads a `pulumi stack export` document (deployment version 3; 1 and 2 have the same resource shape). */
export function loadState(file: string): GateInput {
  const doc = readJson(file, "--state");
  if (!isObject(doc) || !isObject(doc.deployment)) {
    throw new InputError(
      `${file}: not a \`pulumi stack export\` document (expected an object with "deployment"; found ${describeKind(doc)})`,
    );
  }
  const resourcesRaw = doc.deployment.resources;
  if (resourcesRaw === undefined || resourcesRaw === null) {
    throw new InputError(`${file}: the stack has no resources (deployment.resources is missing)`);
  }
  if (!Array.isArray(resourcesRaw)) throw new InputError(`${file}: deployment.resources is not a list`);
  const resources: GateResource[] = [];
  resourcesRaw.forEach((r: unknown, i: number) => {
    const where = `${file}: deployment.resources[${i}]`;
    if (!isObject(r)) throw new InputError(`${where}: not an object`);
    if (r.delete === true) return; // pending deletion of a replaced resource
    resources.push(toGateResource(rawState(r, where), false));
  });
  if (resources.length === 0) throw new InputError(`${file}: the stack has no resources`);
  const { stack, project } = stackOfUrn(resources[0]!.urn);
  return { kind: "state", origin: file, project, stack, config: {}, resources };
}

/** Runs the program for a stack under the mock harness and normalizes its plan. */
export async function loadStack(
  stack: string,
  root: string,
  configFile?: string,
  program?: () => Promise<unknown>,
): Promise<GateInput> {
  const { runProgram } = await import("../harness/index.js");
  const file = configFile ?? path.join(root, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    throw new InputError(`${file}: no stack config for '${stack}' (the file does not exist)`);
  }
  let result;
  try {
    result = await runProgram({
      stack,
      root,
      ...(configFile ? { configFile } : {}),
      ...(program ? { program } : {}),
    });
  } catch (err) {
    throw new InputError(`${file}: ${(err as Error).message.split("\n")[0]}`);
  }
  if (!result.ok) {
    throw new InputError(`stack '${stack}': the program failed under mocks: ${result.errors.join("; ")}`);
  }
  const { plan } = result;
  const resources = plan.resources.map((r) =>
    toGateResource(
      {
        ...r,
        outputs: r.custom ? { ...r.inputs, ...r.outputs } : r.outputs,
        // The harness always records false; the engine only marks the option defined when a program sets it.
        deleteBeforeReplace: r.deleteBeforeReplace ? true : undefined,
      },
      false,
    ),
  );
  return {
    kind: "stack",
    origin: `stack ${stack}`,
    project: plan.project,
    stack,
    config: plan.config,
    resources,
    configFile: path.relative(root, file).split(path.sep).join("/"),
  };
}
