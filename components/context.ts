/**
 * What a component needs to know about the site it is built on. Created once per site by `Site` and
 * handed to every component of that site; the cloud implementations receive it narrowed to their cloud.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { SiteConfigOf, SiteRole, StackConfig } from "./config";
import type { Cloud } from "./regions";

export interface SiteContext<C extends Cloud = Cloud> {
  /** The site's cloud (the discriminant). */
  readonly cloud: C;
  /** Primary or secondary. */
  readonly role: SiteRole;
  /** The whole validated stack config. */
  readonly stack: StackConfig;
  /** This site's config: region, address space and the cloud's identity (account, subscription, project). */
  readonly site: SiteConfigOf<C>;
  /** Production sizing and protection (from `platform:production`). */
  readonly production: boolean;
  /**
   * Where this site's replicas and geo-redundant backups go (same cloud): the configured
   * `replicaRegion`, else the region's pair in the same jurisdiction; undefined where there is none
   * (allowed only outside production: the config schema requires a destination in production).
   */
  readonly replicaRegion: string | undefined;
  /** The zones zonal resources are spread over, in order (adding one never renumbers the others). */
  readonly zones: readonly string[];
  /** The site's explicit provider; every custom resource of the site is created with it. */
  readonly provider: pulumi.ProviderResource;
  /**
   * A random, stable suffix (six lowercase letters and digits) for names that must be unique across a
   * cloud (S3 buckets, Key Vaults, storage accounts, Cloud SQL) or that the cloud keeps reserved after
   * deletion. Use it through `uniqueName` (components/naming.ts), never in a template string.
   */
  readonly uniqueSuffix: pulumi.Output<string>;
}

/** A site context of any cloud, narrowable by `cloud`. */
export type AnySiteContext = { [C in Cloud]: SiteContext<C> }[Cloud];

/** Resource options for stateful resources: `protect` in production (deletion needs an explicit unprotect). */
export function statefulOptions(
  ctx: { readonly production: boolean },
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResourceOptions {
  return ctx.production ? { ...opts, protect: true } : opts;
}

/**
 * The zone of read replica `index`: one of the site's zones after the first (where the writer is),
 * last first (with three zones the writer's standby is usually in the second), cycling; undefined on a
 * single-zone site (the cloud chooses).
 */
export function replicaZone(zones: readonly string[], index: number): string | undefined {
  const others = zones.slice(1);
  if (others.length === 0) return undefined;
  return others[others.length - 1 - (index % others.length)];
}

/** For exhaustive switches over a union: fails to compile when a case is missing. */
export function assertNever(value: never, what: string): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}
