/**
 * Every name the AWS implementation gives a resource, derived by the naming helper
 * (components/naming.ts) so that it fits its type's rules for the longest valid environment name
 * (16 characters, hyphens anywhere, `a--b` included):
 *
 * - RDS DB instance, parameter group, subnet group and final snapshot identifiers (`rdsIdentifier`:
 *   1-63, letter first, no `--`, no trailing hyphen; the final snapshot carries the site's random suffix,
 *   so a re-created stack never collides with the snapshot an earlier one left behind);
 * - IAM role and inline policy names (`iamRole`: 1-64; roles are unique per account, across regions);
 * - KMS alias names: `alias/` and an `awsName` (aliases are unique per account and region; never
 *   `alias/aws/`, which AWS reserves);
 * - SNS topics, CloudWatch alarms and metric filters (`awsName`, 128, well under their 256/255/512);
 * - CloudWatch log group names: `/`-separated segments, each an `awsName` (the service accepts
 *   `[A-Za-z0-9_/.#-]`, 1-512). RDS log export groups are fixed by RDS:
 *   `/aws/rds/instance/<identifier>/<log type>`.
 *
 * Names are per environment and site role, so two environments (or the two sites of one) never share
 * one in an account.
 */
import type * as pulumi from "@pulumi/pulumi";
import { fitName, uniqueName } from "../../components/naming";
import type { SiteContext } from "../../components/context";

/** The environment and role parts every name of a site starts with. */
function siteParts(ctx: SiteContext<"aws">): string[] {
  return [ctx.stack.environment, ctx.role];
}

/** An IAM role or inline policy name of the site for `purpose` (e.g. `vpc-flow-logs`). */
export function iamName(ctx: SiteContext<"aws">, purpose: string): string {
  return fitName("iamRole", [...siteParts(ctx), purpose]);
}

/** A KMS alias of the site for `purpose` (e.g. `site`, `alerts`, `storage-replica`). */
export function kmsAliasName(ctx: SiteContext<"aws">, purpose: string): string {
  return `alias/${fitName("awsName", [...siteParts(ctx), purpose])}`;
}

/** A generic AWS name (SNS topic, CloudWatch alarm, metric filter) of the site for `purpose`. */
export function awsName(ctx: SiteContext<"aws">, purpose: string): string {
  return fitName("awsName", [...siteParts(ctx), purpose]);
}

/** A CloudWatch Logs group of the site: `/platform/<env>/<role>[/<purpose>]`. */
export function logGroupName(ctx: SiteContext<"aws">, purpose?: string): string {
  const segments = ["platform", ...siteParts(ctx), ...(purpose ? [purpose] : [])];
  return `/${segments.map((s) => fitName("awsName", [s])).join("/")}`;
}

/** The RDS identifiers of the site's PostgreSQL server and its companions. */
export interface RdsNames {
  /** DB instance identifier. */
  readonly instance: string;
  /** DB subnet group name. */
  readonly subnetGroup: string;
  /** DB parameter group name (per engine family). */
  readonly parameterGroup: string;
  /** Final snapshot identifier: unique per deployment (the site's random suffix). */
  readonly finalSnapshot: pulumi.Output<string>;
  /** The log group RDS exports a log type to (the name RDS writes to; it cannot be chosen). */
  logGroup(type: string): string;
}

export function rdsNames(ctx: SiteContext<"aws">, family: string): RdsNames {
  const instance = fitName("rdsIdentifier", [...siteParts(ctx), "pg"]);
  return {
    instance,
    subnetGroup: fitName("rdsIdentifier", [instance, "data"]),
    parameterGroup: fitName("rdsIdentifier", [instance, family]),
    finalSnapshot: uniqueName("rdsIdentifier", [instance, "final"], ctx.uniqueSuffix),
    logGroup: (type) => `/aws/rds/instance/${instance}/${type}`,
  };
}

/** The site's EKS cluster name (`<env>-<role>-eks`). */
export function eksClusterName(ctx: SiteContext<"aws">): string {
  return fitName("eksName", [...siteParts(ctx), "eks"]);
}

/** A managed node group of the site's cluster for `purpose` (`general`, `spot`). */
export function eksNodeGroupName(ctx: SiteContext<"aws">, purpose: string): string {
  return fitName("eksName", [...siteParts(ctx), purpose]);
}

/**
 * The log group EKS writes control-plane logs to: `/aws/eks/<cluster-name>/cluster` (fixed by EKS; the
 * program creates it first, encrypted and with the site's retention).
 */
export function eksLogGroupName(clusterName: string): string {
  return `/aws/eks/${clusterName}/cluster`;
}

/** The site's ECR repository for `purpose` images: `<env>-<role>/<purpose>`. */
export function ecrRepositoryName(ctx: SiteContext<"aws">, purpose: string): string {
  return `${fitName("ecrRepository", siteParts(ctx))}/${fitName("ecrRepository", [purpose])}`;
}
