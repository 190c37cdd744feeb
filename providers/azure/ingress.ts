import * as pulumi from "@pulumi/pulumi";
import {
  ApplicationGateway,
  PublicIPAddress,
  WebApplicationFirewallPolicy,
} from "@pulumi/azure-native/network";
import { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity";
import { RoleAssignment } from "@pulumi/azure-native/authorization";
import { DiagnosticSetting } from "@pulumi/azure-native/monitor/diagnosticSetting";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type { IngressBuildInputs, IngressOutputs } from "../../components/ingress";
import { fitName } from "../../components/naming";
import { regionInfo } from "../../components/regions";
import { metricAlert } from "./monitoring";
import { resourceGroupFor } from "./resource-group";

/** Built-in role "Key Vault Secrets User": read secret contents (the gateway reads its certificate). */
export const keyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

/**
 * Predefined SSL policy of the gateway: TLS 1.2 minimum with TLS 1.3 enabled and only strong ciphers
 * (https://learn.microsoft.com/azure/application-gateway/application-gateway-ssl-policy-overview).
 */
export const appGatewaySslPolicy = "AppGwSslPolicy20220101S";

/** Managed rule sets of the WAF policy (https://learn.microsoft.com/azure/web-application-firewall/ag/application-gateway-crs-rulegroups-rules). */
export const azureManagedRuleSets = [
  { ruleSetType: "Microsoft_DefaultRuleSet", ruleSetVersion: "2.1" },
  { ruleSetType: "Microsoft_BotManagerRuleSet", ruleSetVersion: "1.1" },
] as const;

/**
 * The gateway's diagnostic log categories (access and WAF logs); the performance log exists only on v1
 * (https://learn.microsoft.com/azure/application-gateway/application-gateway-diagnostics).
 */
export const appGatewayLogCategories = [
  "ApplicationGatewayAccessLog",
  "ApplicationGatewayFirewallLog",
] as const;

/**
 * The L7 ingress on Azure (see components/ingress.ts for the intent):
 *
 * - an Application Gateway WAF_v2 in the network's public subnet, which is dedicated to it (an Application
 *   Gateway subnet may hold only Application Gateways; the network's public tier holds nothing else, and its
 *   NSG carries the rules v2 requires: GatewayManager 65200-65535 and AzureLoadBalancer inbound, see
 *   providers/azure/network.ts). Autoscaling between `capacity.min` and `capacity.max`; in production spread
 *   over the site's zones with a zone-redundant Standard public IP (the IP's zones must include the
 *   gateway's). DDoS: every public IP has Azure's infrastructure protection; `edge.azure.ddosIpProtection`
 *   turns on the paid DDoS IP Protection for this IP (DDoS Network Protection is a per-VNet plan bought
 *   once per organisation and linked to the VNet: documented, not created);
 * - TLS: predefined policy {@link appGatewaySslPolicy}; HTTP 80 only redirects (301, path and query kept)
 *   to the HTTPS listener. The listener certificate comes from Key Vault (Application Gateway has no
 *   managed certificates): the operator imports or issues it (PFX) in the configured vault; a
 *   user-assigned identity of the gateway is granted Key Vault Secrets User on that secret before the
 *   gateway is created (Azure refuses the gateway when it cannot read the secret), and the versionless
 *   secret id lets the gateway pick up renewals (it polls every 4 hours);
 * - the backend: an empty backend pool the cluster's ingress integration fills (AGIC, or the platform's
 *   automation adding the in-cluster ingress's private IP), HTTPS to `backendPort` with the host name as
 *   Host/SNI, a probe on `healthCheckPath`;
 * - a WAF policy (ApplicationGatewayWebApplicationFirewallPolicy) associated with the gateway: Prevention
 *   mode, request body inspection and enforcement, Microsoft_DefaultRuleSet 2.1 and
 *   Microsoft_BotManagerRuleSet 1.1, and a rate-limit custom rule per client IP (five-minute window);
 * - access and firewall logs to the site's Log Analytics workspace; alerts on unhealthy backends and on
 *   5xx answers.
 */
export function ingress(
  name: string,
  ctx: SiteContext<"azure">,
  inputs: IngressBuildInputs<"azure">,
): IngressOutputs {
  const { settings, network, monitoring, parent } = inputs;
  const azure = settings.azure;
  if (!azure) throw new Error("Ingress (azure): edge.azure.certificate is required");
  const opts: pulumi.CustomResourceOptions = { parent };
  const rg = resourceGroupFor(ctx, parent);
  const location = ctx.site.region;
  const env = ctx.stack.environment;
  const nameOf = (prefix: string, ...rest: string[]) =>
    fitName("azureName", [prefix, env, ctx.role, ...rest]);
  const gatewayName = nameOf("agw", "edge");
  const zoned = (regionInfo("azure", location)?.zones.length ?? 0) > 0;
  const gatewayZones = zoned ? [...settings.zones] : [];

  const ip = new PublicIPAddress(
    `${name}-ip`,
    {
      resourceGroupName: rg.name,
      location,
      publicIpAddressName: nameOf("pip", "edge"),
      sku: { name: "Standard", tier: "Regional" },
      publicIPAllocationMethod: "Static",
      publicIPAddressVersion: "IPv4",
      // Zone-redundant wherever the region has zones: a superset of the gateway's zones.
      ...(zoned ? { zones: ["1", "2", "3"] } : {}),
      ddosSettings: { protectionMode: azure.ddosIpProtection ? "Enabled" : "VirtualNetworkInherited" },
    },
    statefulOptions(ctx, opts),
  );

  // The gateway reads its certificate with its own identity, granted before the gateway exists.
  const identity = new UserAssignedIdentity(
    `${name}-identity`,
    { resourceGroupName: rg.name, location, resourceName: nameOf("id", "agw") },
    opts,
  );
  const { keyVaultId, secretName } = azure.certificate;
  const vaultName = keyVaultId.split("/").pop()!;
  const certificateGrant = new RoleAssignment(
    `${name}-certificate-reader`,
    {
      principalId: identity.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: `/subscriptions/${ctx.site.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${keyVaultSecretsUser}`,
      scope: `${keyVaultId}/secrets/${secretName}`,
    },
    opts,
  );

  const waf = new WebApplicationFirewallPolicy(
    `${name}-waf`,
    {
      resourceGroupName: rg.name,
      location,
      policyName: nameOf("waf", "edge"),
      policySettings: {
        state: "Enabled",
        mode: "Prevention",
        requestBodyCheck: true,
        requestBodyEnforcement: true,
        requestBodyInspectLimitInKB: 128,
        maxRequestBodySizeInKb: 128,
        fileUploadEnforcement: true,
        fileUploadLimitInMb: 100,
      },
      managedRules: { managedRuleSets: azureManagedRuleSets.map((set) => ({ ...set })) },
      customRules: [
        {
          name: "RateLimitPerClientIp",
          priority: 10,
          ruleType: "RateLimitRule",
          rateLimitDuration: "FiveMins",
          rateLimitThreshold: settings.rateLimit,
          groupByUserSession: [{ groupByVariables: [{ variableName: "ClientAddr" }] }],
          // Every request: the rate limit applies to all clients (a match on "not 255.255.255.255/32").
          matchConditions: [
            {
              matchVariables: [{ variableName: "RemoteAddr" }],
              operator: "IPMatch",
              negationConditon: true,
              matchValues: ["255.255.255.255/32"],
            },
          ],
          action: "Block",
          state: "Enabled",
        },
      ],
    },
    opts,
  );

  const sub = (kind: string, child: string) =>
    pulumi.interpolate`/subscriptions/${ctx.site.subscriptionId}/resourceGroups/${rg.name}/providers/Microsoft.Network/applicationGateways/${gatewayName}/${kind}/${child}`;
  const gateway = new ApplicationGateway(
    `${name}-gateway`,
    {
      resourceGroupName: rg.name,
      location,
      applicationGatewayName: gatewayName,
      sku: { name: "WAF_v2", tier: "WAF_v2" },
      autoscaleConfiguration: { minCapacity: settings.capacity.min, maxCapacity: settings.capacity.max },
      ...(gatewayZones.length > 0 ? { zones: gatewayZones.map((z) => z.split("-").pop()!) } : {}),
      enableHttp2: true,
      identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
      firewallPolicy: { id: waf.id },
      forceFirewallPolicyAssociation: true,
      sslPolicy: { policyType: "Predefined", policyName: appGatewaySslPolicy },
      gatewayIPConfigurations: [{ name: "gateway", subnet: { id: network.subnetIds.public[0]! } }],
      frontendIPConfigurations: [{ name: "public", publicIPAddress: { id: ip.id } }],
      frontendPorts: [
        { name: "https", port: 443 },
        { name: "http", port: 80 },
      ],
      sslCertificates: [
        {
          name: "edge",
          keyVaultSecretId: `https://${vaultName}.vault.azure.net/secrets/${secretName}`,
        },
      ],
      httpListeners: [
        {
          name: "https",
          frontendIPConfiguration: { id: sub("frontendIPConfigurations", "public") },
          frontendPort: { id: sub("frontendPorts", "https") },
          protocol: "Https",
          sslCertificate: { id: sub("sslCertificates", "edge") },
          hostNames: [settings.hostname],
          requireServerNameIndication: true,
        },
        {
          name: "http",
          frontendIPConfiguration: { id: sub("frontendIPConfigurations", "public") },
          frontendPort: { id: sub("frontendPorts", "http") },
          protocol: "Http",
        },
      ],
      // Empty: the cluster's ingress integration adds the in-cluster ingress's addresses.
      backendAddressPools: [{ name: "cluster-ingress" }],
      probes: [
        {
          name: "cluster-ingress",
          protocol: "Https",
          path: settings.healthCheckPath,
          pickHostNameFromBackendHttpSettings: true,
          interval: 15,
          timeout: 5,
          unhealthyThreshold: 3,
          match: { statusCodes: ["200-399"] },
        },
      ],
      backendHttpSettingsCollection: [
        {
          name: "cluster-ingress",
          port: settings.backendPort,
          protocol: "Https",
          cookieBasedAffinity: "Disabled",
          requestTimeout: 30,
          hostName: settings.hostname,
          probe: { id: sub("probes", "cluster-ingress") },
        },
      ],
      redirectConfigurations: [
        {
          name: "http-to-https",
          redirectType: "Permanent",
          targetListener: { id: sub("httpListeners", "https") },
          includePath: true,
          includeQueryString: true,
        },
      ],
      requestRoutingRules: [
        {
          name: "https",
          ruleType: "Basic",
          priority: 100,
          httpListener: { id: sub("httpListeners", "https") },
          backendAddressPool: { id: sub("backendAddressPools", "cluster-ingress") },
          backendHttpSettings: { id: sub("backendHttpSettingsCollection", "cluster-ingress") },
        },
        {
          name: "http-to-https",
          ruleType: "Basic",
          priority: 200,
          httpListener: { id: sub("httpListeners", "http") },
          redirectConfiguration: { id: sub("redirectConfigurations", "http-to-https") },
        },
      ],
    },
    statefulOptions(ctx, { ...opts, dependsOn: [certificateGrant] }),
  );

  if (monitoring) {
    new DiagnosticSetting(
      `${name}-diagnostics`,
      {
        name: "edge-access-and-waf-logs",
        resourceUri: gateway.id,
        workspaceId: monitoring.logSinkId,
        logAnalyticsDestinationType: "Dedicated",
        logs: appGatewayLogCategories.map((category) => ({ category, enabled: true })),
        metrics: [{ category: "AllMetrics", enabled: true }],
      },
      opts,
    );
    metricAlert(
      `${name}-unhealthy-alert`,
      {
        resourceGroupName: rg.name,
        ruleName: nameOf("alert", "edge-unhealthy"),
        description: "Edge gateway has unhealthy backends (in-cluster ingress down?) for 15 minutes",
        severity: "high",
        scope: gateway.id,
        metricName: "UnhealthyHostCount",
        threshold: 0,
        timeAggregation: "Maximum",
      },
      monitoring.alertTargets,
      opts,
    );
    metricAlert(
      `${name}-5xx-alert`,
      {
        resourceGroupName: rg.name,
        ruleName: nameOf("alert", "edge-5xx"),
        description: "Edge gateway answering more than 50 failed requests in 15 minutes",
        severity: "medium",
        scope: gateway.id,
        metricName: "FailedRequests",
        threshold: 50,
        timeAggregation: "Total",
      },
      monitoring.alertTargets,
      opts,
    );
  }

  return {
    publicEndpoint: ip.ipAddress.apply((a) => a ?? ""),
    publicEndpointKind: "ip",
    healthCheckPath: settings.healthCheckPath,
    wafPolicyId: waf.id,
    loadBalancerId: gateway.id,
    backendId: sub("backendAddressPools", "cluster-ingress"),
  };
}
