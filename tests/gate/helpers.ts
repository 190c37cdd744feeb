/** Shared helpers for the gate's tests: the fixture pack, a small program, and plan → preview/export. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";
import { Bucket } from "@pulumi/aws/s3/bucket";
import { Instance } from "@pulumi/aws/rds/instance";
import { Key } from "@pulumi/aws/kms/key";
import { Queue } from "@pulumi/aws/sqs/queue";
import { repoRoot } from "../../tools/paths";
import { evaluate, type Evaluation } from "../../tools/gate/evaluate";
import type { Finding, GateInput, GateResource } from "../../tools/gate/model";
import type { PolicyConfig } from "../../tools/gate/policy-config";
import { secretSig, sigKey, unknownValue } from "../../tools/gate/wire";

export const root = repoRoot();
export const fixturePackDir = path.join(root, "tests/gate/fixtures/pack");
export const fixturePackProgram = path.join(root, "dist/tests/gate/fixtures/pack");
export const previewFixture = path.join(root, "tests/gate/fixtures/preview-public-bucket.json");
export const cli = path.join(root, "dist/tools/gate/cli.js");

export function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "gate-test-"));
}

export function evaluateWithFixture(input: GateInput, policyConfig: PolicyConfig = {}): Promise<Evaluation> {
  return evaluate(input, {
    packDir: fixturePackDir,
    program: fixturePackProgram,
    policyConfig,
    policyConfigFile: "(test)",
  });
}

/** A small program: one explicit provider, a public bucket, an unencrypted database with a secret, a key, a queue. */
export async function smallProgram(): Promise<void> {
  const provider = new Provider("eu", { region: "eu-west-1" });
  const opts = { provider };
  const key = new Key("data-key", { enableKeyRotation: false, description: "data" }, opts);
  const bucket = new Bucket("assets", { acl: "public-read", tags: { owner: "web" } }, opts);
  new Instance(
    "orders",
    {
      engine: "postgres",
      instanceClass: "db.t4g.micro",
      allocatedStorage: 20,
      password: pulumi.secret("hunter2"),
      storageEncrypted: false,
      kmsKeyId: key.arn,
      tags: { bucket: bucket.bucket },
    },
    opts,
  );
  new Queue("jobs", {}, opts);
}

interface PlanLike {
  readonly resources: readonly {
    urn: string;
    type: string;
    custom: boolean;
    parent: string;
    provider: string;
    id: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    protect: boolean;
  }[];
}

/** Replaces the harness's bare secret signature with what another document prints for a secret. */
function mapSecrets(value: unknown, secret: () => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapSecrets(v, secret));
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[sigKey] === secretSig) return secret();
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, mapSecrets(v, secret)]));
  }
  return value;
}

/** What `pulumi preview --json` prints for this plan (every resource created; provider ids unknown). */
export function planToPreview(plan: PlanLike): unknown {
  const providerRef = (ref: string) => (ref ? `${ref.slice(0, ref.lastIndexOf("::"))}::${unknownValue}` : "");
  return {
    config: {},
    steps: plan.resources.map((r) => ({
      op: "create",
      urn: r.urn,
      ...(r.provider ? { provider: providerRef(r.provider) } : {}),
      newState: {
        urn: r.urn,
        custom: r.custom,
        type: r.type,
        inputs: {
          ...(mapSecrets(r.inputs, () => "[secret]") as object),
          ...(r.custom ? { __defaults: [] } : {}),
        },
        outputs: mapSecrets({ ...r.inputs, ...r.outputs }, () => "[secret]"),
        parent: r.parent,
        provider: providerRef(r.provider),
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
        ...(r.protect ? { protect: true } : {}),
      },
    })),
    diagnostics: [],
    duration: 1,
    changeSummary: { create: plan.resources.length },
  };
}

/** What `pulumi stack export` prints after deploying this plan. */
export function planToStackExport(plan: PlanLike): unknown {
  const secret = () => ({ [sigKey]: secretSig, ciphertext: "v1:AAAA" });
  return {
    version: 3,
    deployment: {
      manifest: { time: "2026-01-01T00:00:00Z", magic: "x", version: "v3.200.0" },
      secrets_providers: { type: "passphrase", state: {} },
      resources: plan.resources.map((r) => ({
        urn: r.urn,
        custom: r.custom,
        ...(r.id ? { id: r.id } : {}),
        type: r.type,
        inputs: mapSecrets(r.inputs, secret),
        outputs: mapSecrets({ ...r.inputs, ...r.outputs }, secret),
        ...(r.parent ? { parent: r.parent } : {}),
        ...(r.provider ? { provider: r.provider } : {}),
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
        ...(r.protect ? { protect: true } : {}),
      })),
    },
  };
}

/** A comparable summary of findings. */
export function findingKeys(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.kind}|${f.control}|${f.enforcement}|${f.urn}|${f.message}`).sort();
}

export function gateResource(partial: Partial<GateResource> & { urn: string; type: string }): GateResource {
  return {
    name: partial.urn.split("::").pop()!,
    custom: true,
    parent: "",
    provider: "",
    inputs: {},
    state: {},
    dependencies: [],
    propertyDependencies: {},
    protect: false,
    ignoreChanges: [],
    deleteBeforeReplace: undefined,
    additionalSecretOutputs: [],
    aliases: [],
    customTimeouts: { create: 0, update: 0, delete: 0 },
    ...partial,
  };
}

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: string[], cwd = root): CliRun {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same settings under every policy of the fixture pack, as the real pack expects. */
export function fixtureConfig(settings: Record<string, unknown>): Record<string, unknown> {
  const names = [
    "fixture-no-public-bucket",
    "fixture-encrypt-database",
    "fixture-key-rotation",
    "report-waived-findings",
    "report-unused-waivers",
  ];
  return Object.fromEntries(names.map((n) => [n, settings]));
}
