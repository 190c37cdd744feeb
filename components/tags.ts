/**
 * Required tags and labels, applied to every taggable resource of every cloud by one stack transform.
 *
 * Which resource types can carry tags comes from `taggable-types.json`, generated from the installed
 * SDKs (tools/generate-taggable.ts): AWS and Azure resources take `tags`, GCP resources `labels` (or
 * `userLabels` where `labels` is configuration, and `settings.userLabels` on Cloud SQL).
 * Required tags win over anything a resource sets itself, so a component cannot drop or change them.
 */
import * as pulumi from "@pulumi/pulumi";
import taggable from "./taggable-types.json";
import type { SiteRole, StackConfig } from "./config";

interface TaggableCatalog {
  readonly [pkg: string]: { readonly sdkVersion: string; readonly types: Readonly<Record<string, string>> };
}

const catalog: TaggableCatalog = taggable;
const taggableByType = new Map<string, string>();
for (const { types } of Object.values(catalog)) {
  for (const [type, property] of Object.entries(types)) taggableByType.set(type, property);
}

/**
 * The tag property of a resource type (`tags`, `labels`, `userLabels`, or a nested path such as
 * `settings.userLabels` for Cloud SQL), or undefined when the type takes none.
 */
export function tagPropertyOf(type: string): string | undefined {
  return taggableByType.get(type) ?? kubernetesLabelsOf(type);
}

/**
 * Kubernetes objects carry the required tags as `metadata.labels` (kube-state-metrics, cost allocation and
 * `kubectl -l` read them there). Left out: Helm releases, YAML and Kustomize groups (no metadata of their
 * own) and server-side-apply patches and lists (they do not own the object's labels).
 */
function kubernetesLabelsOf(type: string): string | undefined {
  const [pkg, module = "", kind = ""] = type.split(":");
  if (pkg !== "kubernetes" || !module.includes("/")) return undefined;
  if (/^(helm\.sh|yaml|kustomize)\//.test(module) || /(Patch|List)$/.test(kind)) return undefined;
  return "metadata.labels";
}

/** A valid Kubernetes label value: at most 63 characters, alphanumerics, '-', '_' and '.', alphanumeric at both ends. */
const kubernetesLabelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/**
 * A tag value as a Kubernetes label value: the stack schema accepts a leading or trailing '-' or '_'
 * (valid cloud tags), Kubernetes refuses them, so they are trimmed (and the value cut to 63 characters).
 * Cloud tags keep the value as configured.
 */
export function kubernetesLabel(value: string): string {
  const trimmed = (v: string) => v.replace(/^[^A-Za-z0-9]+/, "").replace(/[^A-Za-z0-9]+$/, "");
  const label = trimmed(trimmed(value).slice(0, 63));
  return kubernetesLabelValue.test(label) ? label : "";
}

type Tags = Record<string, pulumi.Input<string>>;

/** Reads the tags at a (possibly one-level nested) property path of resource inputs. */
export function tagsAt(props: Record<string, unknown>, property: string): unknown {
  const [outer, inner] = property.split(".");
  const value = props[outer!];
  if (inner === undefined) return value;
  return value && typeof value === "object" ? (value as Record<string, unknown>)[inner] : undefined;
}

function mergeTags(current: unknown, required: Record<string, string>): pulumi.Output<Tags> {
  return pulumi.output((current ?? {}) as pulumi.Input<Tags>).apply((own) => ({ ...own, ...required }));
}

/** Returns props with the required tags merged in at `property` (one level of nesting supported). */
function withTags(props: pulumi.Inputs, property: string, required: Record<string, string>): pulumi.Inputs {
  const [outer, inner] = property.split(".") as [string, string | undefined];
  if (inner === undefined) return { ...props, [outer]: mergeTags(props[outer], required) };
  const container = pulumi
    .output((props[outer] ?? {}) as pulumi.Input<Record<string, unknown>>)
    .apply((c) => ({ ...c, [inner]: mergeTags(c[inner], required) }));
  return { ...props, [outer]: container };
}

/** Tags every taggable resource of the stack carries, before the site role is known. */
export function stackTags(config: StackConfig): Record<string, string> {
  return {
    ...config.tags,
    environment: config.environment,
    owner: config.owner,
    "cost-center": config.costCenter,
    "data-classification": config.dataClassification,
    "managed-by": "pulumi",
  };
}

/**
 * The site role of a provider, from its name (the URN's last part): sites name their provider by role
 * (`primary`) and any extra provider of the site `<role>-<purpose>` (`primary-storage-replica`).
 */
function roleOfProviderUrn(urn: string, roles: ReadonlyMap<string, SiteRole>): SiteRole | undefined {
  const name = urn.split("::")[3];
  if (name === undefined) return undefined;
  return roles.get(name) ?? roles.get(name.split("-")[0]!);
}

function urnOf(resource: pulumi.Resource): Promise<string> {
  return new Promise((resolve) => resource.urn.apply(resolve));
}

/**
 * The stack transform. `providerRoles` maps a site provider's resource name to the site's role; sites
 * register their provider there before creating anything on it.
 */
export function requiredTagsTransform(
  config: StackConfig,
  providerRoles: ReadonlyMap<string, SiteRole>,
): pulumi.ResourceTransform {
  const base = stackTags(config);
  return async (args) => {
    const property = args.custom ? tagPropertyOf(args.type) : undefined;
    if (!property) return undefined;
    const provider = args.opts.provider;
    const role = provider ? roleOfProviderUrn(await urnOf(provider), providerRoles) : undefined;
    const tags = role ? { ...base, "site-role": role } : base;
    const required =
      property === "metadata.labels"
        ? Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, kubernetesLabel(v)]))
        : tags;
    return { props: withTags(args.props, property, required), opts: args.opts };
  };
}

/** Registers the transform for every resource created after this call. Call it before any resource. */
export function registerRequiredTags(
  config: StackConfig,
  providerRoles: ReadonlyMap<string, SiteRole>,
): void {
  pulumi.runtime.registerResourceTransform(requiredTagsTransform(config, providerRoles));
}
