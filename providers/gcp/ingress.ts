import type * as pulumi from "@pulumi/pulumi";
import { BackendService } from "@pulumi/gcp/compute/backendService";
import { Firewall } from "@pulumi/gcp/compute/firewall";
import { GlobalAddress } from "@pulumi/gcp/compute/globalAddress";
import { GlobalForwardingRule } from "@pulumi/gcp/compute/globalForwardingRule";
import { HealthCheck } from "@pulumi/gcp/compute/healthCheck";
import { ManagedSslCertificate } from "@pulumi/gcp/compute/managedSslCertificate";
import { SecurityPolicy } from "@pulumi/gcp/compute/securityPolicy";
import { SSLPolicy } from "@pulumi/gcp/compute/sslpolicy";
import { TargetHttpProxy } from "@pulumi/gcp/compute/targetHttpProxy";
import { TargetHttpsProxy } from "@pulumi/gcp/compute/targetHttpsProxy";
import { URLMap } from "@pulumi/gcp/compute/urlmap";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type { IngressBuildInputs, IngressOutputs } from "../../components/ingress";
import { rateLimitWindowSeconds } from "../../components/ingress-config";
import { fitName } from "../../components/naming";

/**
 * Cloud Armor preconfigured WAF rules (ModSecurity CRS 3.3 signatures) the policy denies, at sensitivity 1
 * (https://cloud.google.com/armor/docs/waf-rules).
 */
export const cloudArmorWafRules = [
  "sqli-v33-stable",
  "xss-v33-stable",
  "lfi-v33-stable",
  "rfi-v33-stable",
  "rce-v33-stable",
  "methodenforcement-v33-stable",
  "scannerdetection-v33-stable",
  "protocolattack-v33-stable",
  "sessionfixation-v33-stable",
] as const;

/** Where Google Front Ends and health checks connect from (https://cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges). */
export const googleFrontEndRanges = ["35.191.0.0/16", "130.211.0.0/22"];

/**
 * The L7 ingress on GCP (see components/ingress.ts for the intent):
 *
 * - a global external Application Load Balancer (`EXTERNAL_MANAGED`, the Envoy-based one): a global IPv4
 *   address, a Google-managed certificate for the host name (issued once the host name's A record points
 *   at the address: the DNS failover does that), an SSL policy with the MODERN profile and TLS 1.2 minimum
 *   (TLS 1.3 is always offered), a target HTTPS proxy and URL map to the backend service, and a second URL
 *   map + target HTTP proxy + forwarding rule on port 80 that only redirect (301) to HTTPS;
 * - the backend service (HTTPS to `backendPort`, health check on `healthCheckPath`, request logging at
 *   sample rate 1 to Cloud Logging) has no backends at creation: the in-cluster ingress's Service is
 *   exposed as GKE standalone zonal NEGs (`cloud.google.com/neg` annotation), and they are attached to this
 *   backend service by name (for example by the GKE autoneg controller's `controller.autoneg.dev/neg`
 *   annotation naming it). GKE creates the NEGs, so the stack cannot list them before the cluster runs;
 * - a firewall rule admitting the Google Front End / health check ranges to the private tier on
 *   `backendPort` only (the private tier otherwise admits only the public tier and itself);
 * - a Cloud Armor security policy on the backend service: the preconfigured WAF rules
 *   {@link cloudArmorWafRules} in deny(403), a throttle per client IP (`rateLimit` per five minutes, 429),
 *   Adaptive Protection (layer 7 DDoS defense) on, verbose logging, default allow at the lowest priority.
 *   Google Cloud Armor Standard protects every external load balancer against volumetric DDoS; Managed
 *   Protection Plus is a paid subscription (documented, not created).
 */
export function ingress(
  name: string,
  ctx: SiteContext<"gcp">,
  inputs: IngressBuildInputs<"gcp">,
): IngressOutputs {
  const { settings, network, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const project = ctx.site.project;
  const env = ctx.stack.environment;
  const role = ctx.role;
  const nameOf = (...parts: string[]) => fitName("gcpName", [env, role, ...parts]);

  const address = new GlobalAddress(
    `${name}-address`,
    { project, name: nameOf("edge"), addressType: "EXTERNAL", ipVersion: "IPV4" },
    statefulOptions(ctx, opts),
  );
  const certificate = new ManagedSslCertificate(
    `${name}-certificate`,
    { project, name: nameOf("edge"), type: "MANAGED", managed: { domains: [settings.hostname] } },
    opts,
  );
  const sslPolicy = new SSLPolicy(
    `${name}-ssl-policy`,
    { project, name: nameOf("edge"), profile: "MODERN", minTlsVersion: "TLS_1_2" },
    opts,
  );

  const armor = new SecurityPolicy(
    `${name}-armor`,
    {
      project,
      name: nameOf("edge"),
      description: `${env} ${role} edge: preconfigured WAF rules (deny), per-IP throttle, Adaptive Protection`,
      type: "CLOUD_ARMOR",
      adaptiveProtectionConfig: { layer7DdosDefenseConfig: { enable: true, ruleVisibility: "STANDARD" } },
      advancedOptionsConfig: { logLevel: "VERBOSE", jsonParsing: "STANDARD" },
      rules: [
        ...cloudArmorWafRules.map((rule, i) => ({
          priority: 1000 + i,
          action: "deny(403)",
          description: `Preconfigured WAF rule ${rule}`,
          match: {
            expr: { expression: `evaluatePreconfiguredWaf('${rule}', {'sensitivity': 1})` },
          },
        })),
        {
          priority: 2000,
          action: "throttle",
          description: `At most ${settings.rateLimit} requests per client IP per ${rateLimitWindowSeconds} s`,
          match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
          rateLimitOptions: {
            enforceOnKey: "IP",
            conformAction: "allow",
            exceedAction: "deny(429)",
            rateLimitThreshold: { count: settings.rateLimit, intervalSec: rateLimitWindowSeconds },
          },
        },
        {
          priority: 2147483647,
          action: "allow",
          description: "Default: allow what no rule above denied",
          match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
        },
      ],
    },
    opts,
  );

  const healthCheck = new HealthCheck(
    `${name}-health-check`,
    {
      project,
      name: nameOf("edge"),
      checkIntervalSec: 15,
      timeoutSec: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 3,
      httpsHealthCheck: { port: settings.backendPort, requestPath: settings.healthCheckPath },
      logConfig: { enable: true },
    },
    opts,
  );
  new Firewall(
    `${name}-fw-google-front-ends`,
    {
      project,
      name: nameOf("allow-edge"),
      network: network.networkId,
      direction: "INGRESS",
      priority: 900,
      description: "Edge load balancer (Google Front Ends) and its health checks to the in-cluster ingress",
      allows: [{ protocol: "tcp", ports: [String(settings.backendPort)] }],
      sourceRanges: googleFrontEndRanges,
      targetTags: [network.trafficRules.private],
      logConfig: { metadata: "INCLUDE_ALL_METADATA" },
    },
    opts,
  );
  const backend = new BackendService(
    `${name}-backend`,
    {
      project,
      name: nameOf("edge"),
      description: "In-cluster ingress: GKE standalone NEGs are attached by name",
      loadBalancingScheme: "EXTERNAL_MANAGED",
      protocol: "HTTPS",
      portName: "https",
      timeoutSec: 30,
      healthChecks: healthCheck.id,
      securityPolicy: armor.id,
      logConfig: { enable: true, sampleRate: 1 },
      connectionDrainingTimeoutSec: 30,
    },
    opts,
  );

  const urlMap = new URLMap(
    `${name}-url-map`,
    { project, name: nameOf("edge"), defaultService: backend.id },
    opts,
  );
  const httpsProxy = new TargetHttpsProxy(
    `${name}-https-proxy`,
    {
      project,
      name: nameOf("edge"),
      urlMap: urlMap.id,
      sslCertificates: [certificate.id],
      sslPolicy: sslPolicy.id,
      quicOverride: "NONE",
    },
    opts,
  );
  const https = new GlobalForwardingRule(
    `${name}-https`,
    {
      project,
      name: nameOf("edge", "https"),
      loadBalancingScheme: "EXTERNAL_MANAGED",
      ipProtocol: "TCP",
      portRange: "443",
      ipAddress: address.id,
      target: httpsProxy.id,
    },
    opts,
  );

  const redirectMap = new URLMap(
    `${name}-http-redirect`,
    {
      project,
      name: nameOf("edge", "redirect"),
      defaultUrlRedirect: {
        httpsRedirect: true,
        redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT",
        stripQuery: false,
      },
    },
    opts,
  );
  const httpProxy = new TargetHttpProxy(
    `${name}-http-proxy`,
    { project, name: nameOf("edge", "redirect"), urlMap: redirectMap.id },
    opts,
  );
  new GlobalForwardingRule(
    `${name}-http`,
    {
      project,
      name: nameOf("edge", "http"),
      loadBalancingScheme: "EXTERNAL_MANAGED",
      ipProtocol: "TCP",
      portRange: "80",
      ipAddress: address.id,
      target: httpProxy.id,
    },
    opts,
  );

  return {
    publicEndpoint: address.address,
    publicEndpointKind: "ip",
    healthCheckPath: settings.healthCheckPath,
    wafPolicyId: armor.id,
    loadBalancerId: https.id,
    backendId: backend.id,
  };
}
