/**
 * Required tags and labels, applied to every taggable resource of every cloud by one stack transform.
 *
 * Which resource types can carry tags comes from `taggable-types.json`, generated from the installed
 * SDKs (tools/generate-taggable.ts): AWS and Azure resources take `tags`, GCP resources `labels`.
 * Required tags win over anything a resource sets itself, so a component cannot drop or change them.
 */
import * as pulumi from "@pulumi/pulumi";
import taggable from "./taggable-types.json";
import type { SiteRole, StackConfig } from "./config";

interface TaggableCatalog {
  readonly [pkg: string]: {
    readonly property: string;
    readonly sdkVersion: string;
    readonly types: string[];
  };
}

const catalog = taggable as TaggableCatalog;
const taggableByType = new Map<string, string>();
for (const { property, types } of Object.values(catalog)) {
  for (const type of types) taggableByType.set(type, property);
}

/** The tag property (`tags` or `labels`) of a resource type, or undefined when it takes none. */
export function tagPropertyOf(type: string): string | undefined {
  return taggableByType.get(type);
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

/** The last `::`-separated part of a provider URN is the provider's name; sites name theirs by role. */
function roleOfProviderUrn(urn: string, roles: ReadonlyMap<string, SiteRole>): SiteRole | undefined {
  const name = urn.split("::")[3];
  return name === undefined ? undefined : roles.get(name);
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
    const required = role ? { ...base, "site-role": role } : base;
    const current: pulumi.Input<Record<string, pulumi.Input<string>>> | undefined = args.props[property];
    const merged = pulumi.output(current ?? {}).apply((own) => ({ ...own, ...required }));
    return { props: { ...args.props, [property]: merged }, opts: args.opts };
  };
}

/** Registers the transform for every resource created after this call. Call it before any resource. */
export function registerRequiredTags(
  config: StackConfig,
  providerRoles: ReadonlyMap<string, SiteRole>,
): void {
  pulumi.runtime.registerResourceTransform(requiredTagsTransform(config, providerRoles));
}
