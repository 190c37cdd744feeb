/**
 * The site's L7 ingress at the edge: the internet-facing load balancer in front of the cluster's in-cluster
 * ingress, behind a WAF, compliant by default:
 *
 * - AWS: an internet-facing Application Load Balancer on the public tier (its security group admits
 *   80/443 from the internet and reaches only the private tier), invalid header fields dropped, deletion
 *   protection in production, access logs to a dedicated S3 bucket (SSE-S3: ALB log delivery supports no
 *   KMS keys); an HTTPS listener with an ACM certificate (DNS validation) and the TLS 1.3/1.2 policy
 *   `ELBSecurityPolicy-TLS13-1-2-2021-06`; an HTTP listener that only redirects (301) to HTTPS; a WAFv2
 *   web ACL (REGIONAL) with AWS managed rule groups in block mode and a rate-based rule, logging to a
 *   CloudWatch Logs group named `aws-waf-logs-...` encrypted with the site key. Shield Standard protects
 *   every ALB automatically; Shield Advanced is an account subscription (documented, not created).
 * - Azure: an Application Gateway WAF_v2 on the network's public subnet (dedicated to the gateway),
 *   zone-redundant in production, autoscaling, a Standard zone-redundant public IP, SSL policy
 *   `AppGwSslPolicy20220101S` (TLS 1.2 minimum, TLS 1.3 offered), HTTP redirected (301) to HTTPS, the
 *   listener certificate loaded from Key Vault by the gateway's user-assigned identity (granted before the
 *   gateway exists); a WAF policy in Prevention mode with Microsoft_DefaultRuleSet 2.1 and
 *   Microsoft_BotManagerRuleSet 1.1, request body inspection and a rate-limit rule; access and firewall
 *   logs to the site's Log Analytics workspace.
 * - GCP: a global external Application Load Balancer (EXTERNAL_MANAGED): a global address, a
 *   Google-managed certificate, an SSL policy (MODERN, TLS 1.2 minimum), a target HTTPS proxy and URL map,
 *   a second URL map + target HTTP proxy that only redirect (301) to HTTPS, a backend service with request
 *   logging (sample rate 1) and a Cloud Armor policy (preconfigured WAF rules in deny, Adaptive Protection,
 *   a throttle rule, default allow at the lowest priority).
 *
 * The backend is what the cluster's controller fills: an `ip` target group on the private tier (the AWS
 * Load Balancer Controller's TargetGroupBinding registers pods into it), an empty backend pool (AGIC or
 * the cluster's automation adds the in-cluster ingress's addresses), a backend service without backends
 * (GKE standalone NEGs of the in-cluster ingress are attached to it by name, e.g. by the autoneg
 * controller). Until then the edge answers 502/503: the stack builds the edge before the cluster exists.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "./regions";
import type { SiteContext } from "./context";
import type { KeyHandles, SiteKeys } from "./keys";
import type { MonitoringOutputs } from "./monitoring";
import type { NetworkSubnet, NetworkTier, PrivateAccessHandles } from "./network";
import type { EdgeConfig } from "./ingress-config";
import { hostnameProblems } from "./ingress-config";
import { implementationFor } from "../providers";

export { edgeConfigSchema, hostnameProblems, rateLimitWindowSeconds } from "./ingress-config";
export type { EdgeConfig } from "./ingress-config";

/** Defaults of the edge settings. */
export const ingressDefaults = {
  healthCheckPath: "/healthz",
  backendPort: 8443,
  rateLimit: 2000,
} as const;

/** The parts of a site's network the ingress needs: implemented by `Network`. */
export interface IngressNetwork<C extends Cloud> {
  readonly networkId: pulumi.Output<string>;
  /** Subnets per tier: the ingress lives on `public` and forwards to `private`. */
  readonly subnets: Readonly<Record<NetworkTier, readonly NetworkSubnet[]>>;
  readonly subnetIds: Readonly<Record<NetworkTier, pulumi.Output<string>[]>>;
  /** Security group ids (AWS), NSG ids (Azure), network tags (GCP). */
  readonly trafficRules: Readonly<Record<NetworkTier, pulumi.Output<string>>>;
  readonly privateAccess: PrivateAccessHandles[C];
}

export interface IngressArgs<C extends Cloud = Cloud> {
  /** The stack's public entry. */
  readonly edge: EdgeConfig;
  readonly keys: SiteKeys<C>;
  readonly network: IngressNetwork<C>;
  readonly monitoring?: MonitoringOutputs;
}

/** The settings an implementation receives: every default resolved and validated. */
export interface ResolvedIngressSettings {
  readonly hostname: string;
  readonly healthCheckPath: string;
  /** HTTPS port of the in-cluster ingress. */
  readonly backendPort: number;
  /** Requests per client IP per five minutes before the WAF blocks. */
  readonly rateLimit: number;
  /** Deletion protection (AWS ALB) and Pulumi `protect` on the load balancer (production). */
  readonly deletionProtection: boolean;
  /** Spread over the site's zones (Azure gateway zones; production). */
  readonly zones: readonly string[];
  /** Autoscaling bounds of the Azure gateway (production 2-10, otherwise 1-2). */
  readonly capacity: { readonly min: number; readonly max: number };
  /** Days access logs are kept (ALB log bucket lifecycle): 365 in production (PCI DSS 10.5.1), 90 otherwise. */
  readonly accessLogDays: number;
  readonly aws: { readonly hostedZoneId: string | undefined };
  readonly azure:
    | {
        readonly certificate: { readonly keyVaultId: string; readonly secretName: string };
        readonly ddosIpProtection: boolean;
      }
    | undefined;
}

export interface IngressBuildInputs<C extends Cloud> {
  readonly settings: ResolvedIngressSettings;
  readonly keys: KeyHandles[C];
  readonly network: IngressNetwork<C>;
  readonly monitoring: MonitoringOutputs | undefined;
  /** The Ingress component: parent of every resource the implementation creates. */
  readonly parent: pulumi.ComponentResource;
}

/** What the DNS failover and the cluster's controllers consume. */
export interface IngressOutputs {
  /** Where DNS points: the ALB's DNS name (AWS) or the public IPv4 address (Azure, GCP). */
  readonly publicEndpoint: pulumi.Output<string>;
  /** Whether `publicEndpoint` is an IPv4 address (A record) or a DNS name (CNAME / alias). */
  readonly publicEndpointKind: "ip" | "hostname";
  /** Path health checks probe over HTTPS on `hostname`. */
  readonly healthCheckPath: string;
  /** Id of the WAF policy: web ACL ARN, WAF policy id, Cloud Armor policy id. */
  readonly wafPolicyId: pulumi.Output<string>;
  /** The load balancer: ALB ARN, Application Gateway id, global forwarding rule id (HTTPS). */
  readonly loadBalancerId: pulumi.Output<string>;
  /**
   * What the cluster's controller registers the in-cluster ingress into: target group ARN, backend pool
   * id, backend service id.
   */
  readonly backendId: pulumi.Output<string>;
}

/** A problem with ingress arguments, naming the arguments involved. */
export class IngressArgsError extends Error {
  constructor(message: string) {
    super(`Ingress: ${message}`);
    this.name = "IngressArgsError";
  }
}

/** Resolves defaults and rejects invalid combinations (pure; unit-tested). */
export function resolveIngressSettings(
  edge: EdgeConfig,
  cloud: Cloud,
  production: boolean,
  zones: readonly string[],
): ResolvedIngressSettings {
  const problems = hostnameProblems(edge.hostname);
  if (problems.length > 0)
    throw new IngressArgsError(`edge.hostname '${edge.hostname}': ${problems.join("; ")}`);
  if (cloud === "azure" && !edge.azure?.certificate) {
    throw new IngressArgsError(
      "edge.azure.certificate is required on azure: Application Gateway loads its certificate from Key Vault",
    );
  }
  return {
    hostname: edge.hostname,
    healthCheckPath: edge.healthCheckPath ?? ingressDefaults.healthCheckPath,
    backendPort: edge.backendPort ?? ingressDefaults.backendPort,
    rateLimit: edge.rateLimit ?? ingressDefaults.rateLimit,
    deletionProtection: production,
    zones: production ? zones : [],
    capacity: production ? { min: 2, max: 10 } : { min: 1, max: 2 },
    accessLogDays: production ? 365 : 90,
    aws: { hostedZoneId: edge.aws?.hostedZoneId },
    azure: edge.azure?.certificate
      ? { certificate: edge.azure.certificate, ddosIpProtection: edge.azure.ddosIpProtection ?? false }
      : undefined,
  };
}

/** The site's edge ingress, built by the site's cloud implementation. */
export class Ingress<C extends Cloud = Cloud> extends pulumi.ComponentResource implements IngressOutputs {
  public readonly publicEndpoint: pulumi.Output<string>;
  public readonly publicEndpointKind: "ip" | "hostname";
  public readonly hostname: string;
  public readonly healthCheckPath: string;
  public readonly wafPolicyId: pulumi.Output<string>;
  public readonly loadBalancerId: pulumi.Output<string>;
  public readonly backendId: pulumi.Output<string>;

  constructor(
    name: string,
    ctx: SiteContext<C>,
    args: IngressArgs<C>,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    // Validate before registering anything: a bad argument creates no resource.
    const settings = resolveIngressSettings(args.edge, ctx.cloud, ctx.production, ctx.zones);
    super("platform:ingress:Ingress", name, {}, opts);
    const out = implementationFor(ctx).ingress(name, ctx, {
      settings,
      keys: args.keys.handles,
      network: args.network,
      monitoring: args.monitoring,
      parent: this,
    });
    this.publicEndpoint = out.publicEndpoint;
    this.publicEndpointKind = out.publicEndpointKind;
    this.hostname = settings.hostname;
    this.healthCheckPath = out.healthCheckPath;
    this.wafPolicyId = out.wafPolicyId;
    this.loadBalancerId = out.loadBalancerId;
    this.backendId = out.backendId;
    this.registerOutputs({
      publicEndpoint: this.publicEndpoint,
      publicEndpointKind: this.publicEndpointKind,
      hostname: this.hostname,
      healthCheckPath: this.healthCheckPath,
      wafPolicyId: this.wafPolicyId,
      loadBalancerId: this.loadBalancerId,
      backendId: this.backendId,
    });
  }
}
