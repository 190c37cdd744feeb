/**
 * The three inputs of the gate, each turned into one normalized resource list:
 * - `--stack <name>`: run the program for that stack under the mock harness;
 * - `--preview <file>`: a `pulumi preview --json` document (each step's `newState`);
 * - `--state <file>`: a `pulumi stack export` document (what is deployed).
 * Bad input raises an `InputError` with a one-line message naming the file and the problem.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import type { GateInput, GateResource, Notice } from "./model";
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

/**
 * Operations of resources the program only reads (`.get()`, a `read` step): the engine stores them in
 * `reads`, not `news` (pkg/resource/deploy/step_executor.go), so no analyzer sees them
 * (step_generator.go: GenerateReadSteps analyzes nothing; AnalyzeResources ranges over `news`).
 */
const readOps = new Set(["read", "read-replacement", "read-discard"]);

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
  let reads = 0;
  let sames = 0;
  let created = 0;
  doc.steps.forEach((step: unknown, i: number) => {
    const where = `${file}: steps[${i}]`;
    if (!isObject(step)) throw new InputError(`${where}: not an object`);
    const op = typeof step.op === "string" ? step.op : "";
    if (goneOps.has(op)) return;
    if (!isObject(step.newState)) {
      throw new InputError(`${where}: missing "newState" (op "${op || "?"}")`);
    }
    if (readOps.has(op) || step.newState.external === true) {
      reads++;
      return;
    }
    if (op === "same") sames++;
    const raw = rawState(step.newState, `${where}.newState`);
    const isProvider = raw.type.startsWith("pulumi:providers:");
    if (!(isObject(raw.outputs) && Object.keys(raw.outputs).length > 0) && raw.custom && !isProvider)
      created++;
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
  const notices = previewNotices(doc, resources, { reads, sames, created });
  return {
    kind: "preview",
    origin: file,
    project,
    stack,
    config,
    configSecretKeys: Object.entries(config)
      .filter(([, v]) => v === "[secret]")
      .map(([k]) => k),
    resources,
    ...(notices.length > 0 ? { notices } : {}),
  };
}

/**
 * What a preview document cannot show the gate. `pulumi preview --json` prints only changed resources
 * unless `--show-sames` is given (pkg/backend/display/display.go shouldShow, json.go): the stack policies
 * then see a fragment, unchanged resources go unjudged, and a changed resource whose provider did not
 * change arrives with a provider reference the document does not contain (provider settings such as
 * default tags and region are then unknown to the policies).
 */
function previewNotices(
  doc: Json,
  resources: readonly GateResource[],
  counts: { reads: number; sames: number; created: number },
): Notice[] {
  const notices: Notice[] = [];
  const urns = new Set(resources.map((r) => r.urn));
  const missingProviders = new Set<string>();
  let withoutProvider = 0;
  for (const r of resources) {
    if (!r.provider) continue;
    const i = r.provider.lastIndexOf("::");
    const urn = i > 0 ? r.provider.slice(0, i) : r.provider;
    if (!urns.has(urn)) {
      missingProviders.add(urn);
      withoutProvider++;
    }
  }
  const summary = isObject(doc.changeSummary) ? doc.changeSummary : {};
  const same = typeof summary.same === "number" ? summary.same : 0;
  if ((same > 0 && counts.sames === 0) || missingProviders.size > 0) {
    const parts: string[] = [];
    if (same > 0 && counts.sames === 0)
      parts.push(`its changeSummary counts ${same} unchanged resource(s) but it has no "same" steps`);
    if (missingProviders.size > 0)
      parts.push(
        `${withoutProvider} resource(s) refer to ${missingProviders.size} provider(s) not in the document, so their provider settings (region, default tags) are unknown to the policies`,
      );
    notices.push({
      code: "partial-preview",
      message:
        `incomplete preview: ${parts.join("; ")}. Unchanged resources were not judged and stack policies saw only part of the stack; ` +
        "print the preview with `pulumi preview --json --show-sames`",
    });
  }
  if (counts.reads > 0) {
    notices.push({
      code: "read-resources",
      message: `${counts.reads} resource(s) the program only reads (read steps, external) were not judged, as under the CLI`,
    });
  }
  if (counts.created > 0) {
    notices.push({
      code: "stack-phase-inputs",
      message:
        `${counts.created} resource(s) have no outputs in the document (created by this preview): the stack policies judged their inputs; ` +
        "the engine passes the provider's preview outputs, where values the cloud computes are unknown",
    });
  }
  return notices;
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
  let external = 0;
  resourcesRaw.forEach((r: unknown, i: number) => {
    const where = `${file}: deployment.resources[${i}]`;
    if (!isObject(r)) throw new InputError(`${where}: not an object`);
    if (r.delete === true) return; // pending deletion of a replaced resource
    if (r.external === true) {
      external++; // read by the program, not managed by it: no analyzer sees it
      return;
    }
    resources.push(toGateResource(rawState(r, where), false));
  });
  if (resources.length === 0) throw new InputError(`${file}: the stack has no resources`);
  const { stack, project } = stackOfUrn(resources[0]!.urn);
  const notices: Notice[] = [
    {
      code: "state-config",
      message:
        "a stack export carries no stack config: policies that read PULUMI_CONFIG see none (the CLI passes the stack's config)",
    },
  ];
  if (external > 0) {
    notices.push({
      code: "read-resources",
      message: `${external} external resource(s) (read by the program, not managed) were not judged, as under the CLI`,
    });
  }
  return { kind: "state", origin: file, project, stack, config: {}, resources, notices };
}

/** Options of `loadStack`. */
export interface StackOptions {
  /** A stack config file instead of `Pulumi.<stack>.yaml`. */
  readonly configFile?: string;
  /** The program to run (tests); default the real entry point. */
  readonly program?: () => Promise<unknown>;
  /** The engine's first-preview view: outputs the cloud computes are unknown (harness option). */
  readonly previewUnknowns?: boolean;
}

/**
 * The stack tags the CLI knows for a project (pkg/backend/stack.go GetEnvironmentTagsForCurrentStack):
 * `pulumi:project`, `pulumi:runtime`, `pulumi:description` from Pulumi.yaml. Tags set on the stack in
 * its backend (`pulumi stack tag set`) and VCS tags are unknown offline.
 */
export function projectTags(root: string): Record<string, string> {
  const tags: Record<string, string> = {};
  try {
    const text = fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8");
    const doc = parseYaml(text) as Record<string, unknown>;
    if (typeof doc.name === "string") tags["pulumi:project"] = doc.name;
    const runtime =
      typeof doc.runtime === "string" ? doc.runtime : isObject(doc.runtime) ? doc.runtime.name : undefined;
    if (typeof runtime === "string") tags["pulumi:runtime"] = runtime;
    if (typeof doc.description === "string") tags["pulumi:description"] = doc.description;
  } catch {
    // no project file: no tags
  }
  return tags;
}

/** Runs the program for a stack under the mock harness and normalizes its plan. */
export async function loadStack(
  stack: string,
  root: string,
  configFileOrOptions?: string | StackOptions,
  program?: () => Promise<unknown>,
): Promise<GateInput> {
  const options: StackOptions =
    typeof configFileOrOptions === "object"
      ? configFileOrOptions
      : {
          ...(configFileOrOptions ? { configFile: configFileOrOptions } : {}),
          ...(program ? { program } : {}),
        };
  const configFile = options.configFile;
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
      ...(options.program ? { program: options.program } : {}),
      ...(options.previewUnknowns ? { previewUnknowns: true } : {}),
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
  const notices: Notice[] = [
    options.previewUnknowns
      ? {
          code: "first-preview",
          message:
            "judged as a first preview: values the cloud computes (ids, ARNs, other outputs) are unknown, so checks that need them are reported as the CLI reports them (can't run during preview)",
        }
      : {
          code: "mock-outputs",
          message:
            "values the cloud computes are the mock harness's stand-ins (a real first preview has them unknown; `--first-preview` judges that view)",
        },
    {
      code: "stack-tags",
      message:
        "stack tags: only those Pulumi.yaml gives (pulumi:project, pulumi:runtime, pulumi:description); tags set in the stack's backend are unknown offline",
    },
  ];
  return {
    kind: "stack",
    origin: `stack ${stack}`,
    project: plan.project,
    stack,
    config: plan.config,
    configSecretKeys: Object.entries(plan.config)
      .filter(([, v]) => v === "[secret]")
      .map(([k]) => k),
    tags: projectTags(root),
    resources,
    configFile: path.relative(root, file).split(path.sep).join("/"),
    notices,
  };
}
