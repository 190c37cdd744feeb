/**
 * Generates, from the controls' code: policies/catalog.json and catalog.md (the control catalog),
 * policies/config/<env>.json (policy pack config for the CLI and the offline gate), config/schema.json
 * (JSON schema of those files) and data/taggable-types.json (from the installed SDKs).
 *
 *   npm run catalog            write the files
 *   npm run catalog -- --check exit 1 when a checked-in file is stale
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as prettier from "prettier";
import { environments, policyConfigDocument } from "../config/environments";
import { unusedWaiversPolicy, waivedFindingsPolicy } from "../findings";
import { controls, policies, policyPackName } from "../pack";
import { settingsSchema } from "../lib/settings";
import { clouds, defaultEnforcement, frameworkIds, type Cloud, type Control } from "../lib/types";
import { taggableCatalog } from "./taggable";

export const repoRoot = path.resolve(__dirname, "../../..");
const policiesDir = path.join(repoRoot, "policies");

const frameworkNames: Record<string, string> = {
  soc2: "SOC 2 (2017 TSC)",
  iso27001: "ISO/IEC 27001:2022 Annex A",
  pciDss: "PCI DSS v4.0.1",
  gdpr: "GDPR",
  lfpdppp: "LFPDPPP (2025)",
  cis: "CIS Benchmarks",
};

export function resourceTypesOf(control: Control): Record<Cloud, string[]> {
  const out = {} as Record<Cloud, string[]>;
  for (const cloud of clouds) {
    const types = new Set([
      ...Object.keys(control.resources[cloud] ?? {}),
      ...(control.stackTypes?.[cloud] ?? []),
    ]);
    out[cloud] = [...types].sort();
  }
  return out;
}

export function enforcementIn(env: string, control: Control): string {
  return environments[env]?.enforcement(control) ?? defaultEnforcement(control);
}

export function catalogObject() {
  return {
    policyPack: policyPackName,
    generatedBy: "npm run catalog (policies/tools/catalog.ts)",
    frameworks: frameworkNames,
    controls: controls.map((c) => ({
      id: c.id,
      title: c.title,
      severity: c.severity,
      category: c.category,
      kind: c.kind,
      enforcement: defaultEnforcement(c),
      enforcementByEnvironment: Object.fromEntries(
        Object.keys(environments).map((env) => [env, enforcementIn(env, c)]),
      ),
      productionOnly: c.productionOnly === true,
      rationale: c.rationale,
      remediation: [...c.remediation],
      frameworks: Object.fromEntries(frameworkIds.map((f) => [f, [...c.frameworks[f]]])),
      uncertain: [...c.uncertain],
      resourceTypes: resourceTypesOf(c),
      stackLevel: c.stack !== undefined,
    })),
    reportingPolicies: [
      {
        id: waivedFindingsPolicy,
        enforcement: "advisory",
        description: "one advisory violation per finding suppressed by a valid waiver",
      },
      {
        id: unusedWaiversPolicy,
        enforcement: "advisory",
        description: "one advisory violation per waiver that matches no finding",
      },
    ],
  };
}

function typesCell(types: readonly string[]): string {
  if (types.length === 0) return "";
  if (types.includes("*")) return "all";
  return String(types.length);
}

export function catalogMarkdown(): string {
  const lines: string[] = [];
  lines.push("# Control catalog", "");
  lines.push(
    `Generated from the controls' code by \`npm run catalog\`; do not edit. Policy pack \`${policyPackName}\`, ${controls.length} controls.`,
    "",
  );
  lines.push(
    "Frameworks: " + frameworkIds.map((f) => `\`${f}\` = ${frameworkNames[f]}`).join("; ") + ".",
    "",
  );
  lines.push(
    "| Control | Severity | Category | Enforcement (dev / prod) | Stack | AWS | Azure | GCP | K8s | Frameworks |",
  );
  lines.push("|---|---|---|---|---|---|---|---|---|---|");
  for (const c of controls) {
    const types = resourceTypesOf(c);
    const fw = frameworkIds.filter((f) => c.frameworks[f].length > 0).join(", ");
    lines.push(
      `| [\`${c.id}\`](#${c.id}) | ${c.severity} | ${c.category} | ${enforcementIn("dev", c)} / ${enforcementIn("prod", c)}${c.productionOnly ? " (prod only)" : ""} | ${c.stack ? "yes" : ""} | ${typesCell(types.aws)} | ${typesCell(types.azure)} | ${typesCell(types.gcp)} | ${typesCell(types.kubernetes)} | ${fw} |`,
    );
  }
  lines.push(
    "",
    "Cloud columns give the number of resource types checked (`all`: every resource of that cloud).",
    "",
  );
  for (const c of controls) {
    lines.push(
      `## ${c.id}`,
      "",
      `**${c.title}** — severity ${c.severity}, ${c.category}, default enforcement ${defaultEnforcement(c)}${c.productionOnly ? ", production only" : ""}${c.stack ? ", stack-level" : ""}.`,
      "",
    );
    lines.push(c.rationale, "", "Mappings:", "");
    for (const f of frameworkIds)
      lines.push(`- ${frameworkNames[f]}: ${c.frameworks[f].length > 0 ? c.frameworks[f].join("; ") : "—"}`);
    if (c.uncertain.length > 0) {
      lines.push("", "Mapping notes:", "");
      for (const u of c.uncertain) lines.push(`- ${u}`);
    }
    lines.push("", "Remediation:", "");
    for (const r of c.remediation) lines.push(`- ${r}`);
    lines.push("", "Resource types:", "");
    const types = resourceTypesOf(c);
    for (const cloud of clouds) {
      const t = types[cloud];
      if (t.length === 0) continue;
      const shown =
        t.length > 25
          ? `${t.length} types (every taggable type, see policies/data/taggable-types.json)`
          : t.map((x) => `\`${x}\``).join(", ");
      lines.push(`- ${cloud}: ${shown}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** The --policy-pack-config file of an environment profile. */
export function environmentConfig(env: string): Record<string, unknown> {
  return policyConfigDocument(environments[env]!, policies, controls, defaultEnforcement);
}

/** JSON schema of a policy config file of this pack. */
export function configFileSchema(): Record<string, unknown> {
  const levels = ["advisory", "mandatory", "remediate", "disabled"];
  const entry = {
    oneOf: [
      { type: "string", enum: levels },
      {
        type: "object",
        additionalProperties: false,
        properties: { enforcementLevel: { type: "string", enum: levels }, ...settingsSchema.properties },
      },
    ],
  };
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: `Policy config of the ${policyPackName} policy pack (pulumi --policy-pack-config)`,
    type: "object",
    additionalProperties: false,
    definitions: { policyConfig: entry },
    properties: Object.fromEntries([
      ["all", { type: "object", properties: { enforcementLevel: { type: "string", enum: levels } } }],
      ...policies.map((p) => [p.name, { $ref: "#/definitions/policyConfig" }]),
    ]),
  };
}

async function pretty(file: string, text: string): Promise<string> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, filepath: file });
}

/** Every generated file: path -> content. */
export async function render(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const add = async (rel: string, text: string) => {
    const file = path.join(policiesDir, rel);
    files.set(file, await pretty(file, text));
  };
  await add("catalog.json", JSON.stringify(catalogObject(), null, 2));
  await add("catalog.md", catalogMarkdown());
  for (const env of Object.keys(environments))
    await add(`config/${env}.json`, JSON.stringify(environmentConfig(env), null, 2));
  await add("config/schema.json", JSON.stringify(configFileSchema(), null, 2));
  await add("data/taggable-types.json", taggableCatalog(repoRoot));
  return files;
}

export async function stale(): Promise<string[]> {
  const out: string[] = [];
  for (const [file, text] of await render()) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    if (current !== text) out.push(path.relative(repoRoot, file));
  }
  return out;
}

async function main(): Promise<void> {
  if (process.argv.includes("--check")) {
    const s = await stale();
    if (s.length > 0) {
      console.error(`stale generated files (run npm run catalog):\n  ${s.join("\n  ")}`);
      process.exit(1);
    }
    console.log("catalog, configs and taggable types are current");
    return;
  }
  for (const [file, text] of await render()) fs.writeFileSync(file, text);
  console.log(
    `wrote catalog (${controls.length} controls), ${Object.keys(environments).length} environment configs, schema and taggable types`,
  );
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
