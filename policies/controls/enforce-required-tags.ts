import { defineControl } from "../lib/define";
import { UNKNOWN, get, isUnknownValue, jsonDocument, peek, plain, record } from "../lib/props";
import { taggableCatalog as catalog, tagPropertyOf } from "../lib/tags";
import type { CheckContext, Cloud, ResourceCheck } from "../lib/types";

/** Tags the provider adds to every resource (AWS defaultTags.tags, GCP defaultLabels). */
function providerDefaults(ctx: CheckContext): Record<string, unknown> {
  const props = ctx.subject.provider?.props;
  if (!props) return {};
  const aws = jsonDocument(peek(props, "defaultTags"));
  const gcp = jsonDocument(peek(props, "defaultLabels"));
  return { ...record(record(aws)["tags"]), ...record(gcp) };
}

function present(v: unknown): boolean {
  return v === UNKNOWN || isUnknownValue(v) || (typeof v === "string" && v.trim() !== "");
}

function missingTags(props: Record<string, unknown>, property: string, ctx: CheckContext): string[] {
  const own = record(get(props, property));
  const defaults = providerDefaults(ctx);
  return ctx.settings.requiredTags.filter((t) => !present(peek(own, t)) && !present(defaults[t]));
}

function checkFor(property: string): ResourceCheck {
  return (props, ctx) => {
    const missing = missingTags(props, property, ctx);
    return missing.length === 0 ? [] : [`missing required ${property}: ${missing.join(", ")}`];
  };
}

/**
 * Catalog entries per cloud. GCP has further entries for types whose resource labels are elsewhere:
 * `userLabels` (monitoring types, where `labels` is configuration) and `settings.userLabels` (Cloud SQL).
 */
const entriesOf: Record<string, readonly string[]> = {
  aws: ["aws"],
  azure: ["azure"],
  gcp: ["gcp", "gcpUserLabels", "gcpSqlSettings"],
};

function byCloud(cloud: Cloud): Record<string, ResourceCheck> {
  const out: Record<string, ResourceCheck> = {};
  for (const key of entriesOf[cloud] ?? []) {
    const entry = catalog[key];
    if (!entry) continue;
    const check = checkFor(entry.property);
    for (const t of entry.types) out[t] = check;
  }
  return out;
}

/** Sets a dotted path, copying the objects on the way (so nested settings keep their other keys). */
function setPath(props: Record<string, unknown>, path: string, value: unknown): void {
  const [head, ...rest] = path.split(".");
  if (rest.length === 0) {
    props[head!] = value;
    return;
  }
  const inner = record(plain(get(props, head!)));
  setPath(inner, rest.join("."), value);
  props[head!] = inner;
}

export const enforceRequiredTags = defineControl({
  id: "enforce-required-tags",
  title: "Every taggable resource carries the required tags",
  severity: "medium",
  category: "governance",
  kind: "security",
  enforcement: "remediate",
  rationale:
    "Ownership, environment, cost centre and data classification tags are how an asset inventory (PCI DSS 12.5.1, ISO 27001 A.5.9) is kept and how data-classification rules (residency, encryption) find the resources they apply to (A.5.12, A.5.13).",
  remediation: [
    "Apply the required tags (setting requiredTags; default environment, owner, cost-center, data-classification, managed-by, site-role) to every resource: AWS and Azure `tags`, GCP `labels`, `userLabels` on monitoring alert policies, notification channels, services, SLOs and uptime checks (their `labels` is configuration), `settings.userLabels` on Cloud SQL instances (provider defaultTags/defaultLabels count).",
    'Run with enforcement level "remediate" to add the tags that have a configured default (tagDefaults, and environment from the pack settings); the rest stay violations.',
  ],
  frameworks: {
    soc2: ["CC2.1", "CC6.1"],
    iso27001: ["A.5.9", "A.5.12", "A.5.13"],
    pciDss: ["12.5.1"],
    gdpr: ["Art. 30"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: [
    "Kubernetes objects are not checked: their labels follow the app.kubernetes.io conventions, not cloud cost tags.",
    "GDPR Art. 30 (records of processing) is served by the data-classification tag only; the mapping is indirect.",
  ],
  resources: { aws: byCloud("aws"), azure: byCloud("azure"), gcp: byCloud("gcp") },
  remediate: (props, ctx) => {
    const property = tagPropertyOf(ctx.subject.type);
    if (!property) return false;
    const missing = missingTags(props, property, ctx);
    const values: Record<string, string> = {
      environment: ctx.settings.environment,
      ...ctx.settings.tagDefaults,
    };
    const fixable = missing.filter((t) => values[t] !== undefined);
    if (fixable.length === 0) return false;
    const current = record(plain(get(props, property)));
    setPath(props, property, { ...current, ...Object.fromEntries(fixable.map((t) => [t, values[t]!])) });
    return true;
  },
});
