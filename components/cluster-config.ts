/**
 * Kubernetes cluster settings of a site and the catalog they are checked against: plain data and the zod
 * schema of the stack's `cluster` setting, with no Pulumi or provider import (components/config.ts imports
 * it; components/cluster.ts builds on it).
 */
import { z } from "zod";
import { cidrSyntaxProblem } from "./cidr";
import type { Cloud } from "./regions";

/**
 * The Kubernetes minor versions each managed service supports in standard support, newest last, and the
 * default a new cluster gets. Each cloud's implementation cites its source next to its entry; a version
 * leaves this list when the service ends its standard support.
 */
export interface KubernetesVersionCatalog {
  readonly supported: readonly string[];
  readonly default: string;
}

export const kubernetesVersions: Readonly<Record<Cloud, KubernetesVersionCatalog>> = {
  // https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
  aws: { supported: ["1.32", "1.33", "1.34"], default: "1.33" },
  // https://learn.microsoft.com/azure/aks/supported-kubernetes-versions
  azure: { supported: ["1.32", "1.33", "1.34"], default: "1.33" },
  // https://cloud.google.com/kubernetes-engine/docs/release-notes (REGULAR channel)
  gcp: { supported: ["1.32", "1.33", "1.34"], default: "1.33" },
};

/** A Kubernetes namespace name: an RFC 1123 label (lowercase alphanumerics and '-', at most 63). */
const namespaceName = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    "a namespace name (RFC 1123 label: lowercase letters, digits and '-', at most 63 characters)",
  );

/** Any IPv4 CIDR: the public endpoint's allow list names public addresses (operators, CI runners). */
const cidr = z.string().superRefine((value, ctx) => {
  const problem = cidrSyntaxProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
});

/** The stack's `cluster` settings of a site; every field has a compliant default. */
export const clusterConfigSchema = z
  .strictObject({
    /** Kubernetes minor version (`1.33`), one of the cloud's supported versions (default: the catalog's). */
    version: z
      .string()
      .regex(/^1\.\d{2}$/, "a Kubernetes minor version such as 1.33")
      .optional(),
    /** The general node pool, spread over the site's zones (autoscaled between min and max nodes). */
    nodes: z
      .strictObject({
        /** Fewest nodes (default: 3 in production, 1 otherwise). */
        min: z.number().int().min(1).max(100).optional(),
        /** Most nodes (default: 6 in production, 3 otherwise). */
        max: z.number().int().min(1).max(1000).optional(),
        /** Instance type / VM size / machine type (default: the implementation's). */
        machineType: z
          .string()
          .regex(/^[A-Za-z0-9._-]{1,64}$/, "an instance type, VM size or machine type")
          .optional(),
      })
      .refine((n) => n.min === undefined || n.max === undefined || n.min <= n.max, {
        message: "expected nodes.min to be at most nodes.max",
        path: ["min"],
      })
      .optional(),
    /** A spot/preemptible pool for interruptible work (non-production only), up to `max` nodes. */
    spot: z.strictObject({ max: z.number().int().min(1).max(1000) }).optional(),
    /**
     * Outside production only: public CIDRs allowed to reach the API server's public endpoint (default:
     * none, the endpoint is private). Production control planes are always private.
     */
    authorizedCidrs: z.array(cidr).max(20).optional(),
    /** Application namespaces the baseline creates (default `["apps"]`); the system namespace is added. */
    namespaces: z.array(namespaceName).min(1).max(20).optional(),
  })
  .optional();

export type ClusterConfig = NonNullable<z.infer<typeof clusterConfigSchema>>;
