import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { catalogPath, generate } from "../tools/generate-taggable";
import { root } from "./helpers";

function sources(dir: string, ext = ".ts"): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(ext) && !f.endsWith(".d.ts") && !f.includes("node_modules"))
    .map((f) => path.join(full, f));
}

/** Module specifiers of the import/require statements of a TypeScript source (type-only ones flagged). */
function imports(file: string): { spec: string; typeOnly: boolean }[] {
  const text = fs.readFileSync(file, "utf8");
  const out: { spec: string; typeOnly: boolean }[] = [];
  for (const m of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+"([^"]+)"/gms)) {
    out.push({ spec: m[2]!, typeOnly: Boolean(m[1]) });
  }
  for (const m of text.matchAll(/require\("([^"]+)"\)/g)) out.push({ spec: m[1]!, typeOnly: false });
  return out;
}

const cloudSdks: Record<string, string> = {
  aws: "@pulumi/aws",
  azure: "@pulumi/azure-native",
  gcp: "@pulumi/gcp",
};
const sdkOf = (spec: string) =>
  Object.values(cloudSdks).find((sdk) => spec === sdk || spec.startsWith(`${sdk}/`)) ??
  (spec.startsWith("@pulumi/kubernetes") ? "@pulumi/kubernetes" : undefined);

describe("layout rules (DESIGN.md)", () => {
  it("components/ imports no cloud SDK", () => {
    const offenders = sources("components").flatMap((f) =>
      imports(f)
        .filter((i) => sdkOf(i.spec))
        .map((i) => `${path.relative(root, f)}: ${i.spec}`),
    );
    assert.deepEqual(offenders, []);
  });

  it("providers/<cloud>/ imports only its own cloud's SDK, by submodule", () => {
    const offenders: string[] = [];
    for (const [cloud, sdk] of Object.entries(cloudSdks)) {
      for (const f of sources(path.join("providers", cloud))) {
        for (const i of imports(f)) {
          const used = sdkOf(i.spec);
          if (used && used !== sdk) offenders.push(`${path.relative(root, f)} imports ${i.spec}`);
          if (i.spec === sdk) offenders.push(`${path.relative(root, f)} imports the root of ${sdk}`);
        }
      }
    }
    assert.deepEqual(offenders, []);
  });

  it("providers/kubernetes/ imports only @pulumi/kubernetes (by submodule) and @pulumi/pulumi", () => {
    const files = sources(path.join("providers", "kubernetes"));
    assert.ok(files.length > 0, "providers/kubernetes has sources");
    const offenders = files.flatMap((f) =>
      imports(f)
        .filter(
          (i) =>
            !(i.spec === "@pulumi/pulumi" || i.spec.startsWith("@pulumi/kubernetes/")) &&
            !(i.spec.startsWith("./") && !i.spec.includes("..")),
        )
        .map((i) => `${path.relative(root, f)}: ${i.spec}`),
    );
    assert.deepEqual(offenders, []);
  });

  it("policies/ imports no program code", () => {
    const offenders = sources("policies").flatMap((f) =>
      imports(f)
        .filter(
          (i) => /(^|\/)\.\.\/(components|providers|tools|index)(\/|$)/.test(i.spec) || i.spec === "../index",
        )
        .map((i) => `${path.relative(root, f)}: ${i.spec}`),
    );
    assert.deepEqual(offenders, []);
  });

  it("has no runtime import cycle among the compiled program modules", () => {
    const dist = path.join(root, "dist");
    const files = ["index.js", ...sources("dist/components", ".js"), ...sources("dist/providers", ".js")].map(
      (f) => (path.isAbsolute(f) ? f : path.join(dist, f)),
    );
    const graph = new Map<string, string[]>();
    for (const f of files) {
      const deps = [...fs.readFileSync(f, "utf8").matchAll(/require\("(\.[^"]+)"\)/g)].map((m) => {
        const base = path.resolve(path.dirname(f), m[1]!);
        return fs.existsSync(`${base}.js`) ? `${base}.js` : path.join(base, "index.js");
      });
      graph.set(f, deps);
    }
    const state = new Map<string, "visiting" | "done">();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === "done") return;
      if (state.get(f) === "visiting") {
        cycles.push([...trail.slice(trail.indexOf(f)), f].map((x) => path.relative(dist, x)).join(" -> "));
        return;
      }
      state.set(f, "visiting");
      for (const d of graph.get(f) ?? []) visit(d, [...trail, f]);
      state.set(f, "done");
    };
    for (const f of graph.keys()) visit(f, []);
    assert.ok(graph.size > 10, "the compiled program was found");
    assert.deepEqual(cycles, []);
  });

  it("the taggable-types catalog matches the installed SDKs", () => {
    const current = fs.readFileSync(catalogPath(root), "utf8");
    assert.ok(
      current === generate(root),
      "components/taggable-types.json is stale: run npm run generate:taggable",
    );
    const parsed = JSON.parse(current) as Record<string, { types: Record<string, string> }>;
    assert.equal(parsed.aws!.types["aws:s3/bucket:Bucket"], "tags");
    assert.equal(
      parsed.aws!.types["aws:autoscaling/group:Group"],
      undefined,
      "list-shaped tags are left out",
    );
    assert.equal(parsed["azure-native"]!.types["azure-native:storage:StorageAccount"], "tags");
    assert.equal(parsed.gcp!.types["gcp:storage/bucket:Bucket"], "labels");
    assert.equal(
      parsed.gcp!.types["gcp:monitoring/notificationChannel:NotificationChannel"],
      "userLabels",
      "a notification channel's labels are its config",
    );
    assert.equal(parsed.gcp!.types["gcp:sql/databaseInstance:DatabaseInstance"], "settings.userLabels");
    assert.equal(parsed.gcp!.types["gcp:kms/keyRing:KeyRing"], undefined, "key rings take no labels");
  });
});
