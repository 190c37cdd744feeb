import { defineControl } from "../lib/define";
import { get, isSet, list, lower, str } from "../lib/props";

/** Route 53 endpoint health checks that carry no TLS (the probe does not see what viewers see). */
const plainRoute53Checks = new Set(["http", "http_str_match", "tcp"]);

export const enforceDnsFailoverHealthChecks = defineControl({
  id: "enforce-dns-failover-health-checks",
  title: "DNS failover records are health-checked over HTTPS",
  severity: "high",
  category: "resilience",
  kind: "resilience",
  rationale:
    "A failover record answers with the primary site until its health check fails: without a health check it never fails over, and a plain HTTP or TCP probe reports a site healthy whose HTTPS entry (expired certificate, broken TLS policy) no viewer can use, so the recovery design's traffic half silently does nothing (SOC 2 A1.2; ISO 27001 A.5.30, A.8.14; PCI DSS 12.10.1).",
  remediation: [
    "AWS Route 53: every record with failoverRoutingPolicies PRIMARY carries a healthCheckId; endpoint health checks are of type HTTPS (or HTTPS_STR_MATCH) with a resourcePath.",
    "Azure Traffic Manager: monitorConfig.protocol HTTPS with a path.",
    "GCP Cloud DNS: a primaryBackup routing policy names a health check (routingPolicy.healthCheck for external endpoints, or internal load balancers as health-checked targets).",
  ],
  frameworks: {
    soc2: ["A1.2"],
    iso27001: ["A.5.30", "A.8.14"],
    pciDss: ["12.10.1"],
    gdpr: ["Art. 32(1)(c)"],
    lfpdppp: ["Art. 19"],
  },
  uncertain: [
    "Route 53 SECONDARY records may omit a health check (Route 53 then treats them as healthy); only PRIMARY records are required to have one.",
  ],
  resources: {
    aws: {
      "aws:route53/record:Record": (props) => {
        const primary = list(get(props, "failoverRoutingPolicies")).some(
          (p) => lower(get(p, "type")) === "primary",
        );
        return primary && !isSet(props, "healthCheckId")
          ? ["a PRIMARY failover record without healthCheckId: Route 53 never fails over from it"]
          : [];
      },
      "aws:route53/healthCheck:HealthCheck": (props) => {
        const type = lower(get(props, "type")) ?? "";
        return plainRoute53Checks.has(type)
          ? [
              `health check type ${str(get(props, "type"))}: probe the HTTPS entry (type HTTPS with resourcePath)`,
            ]
          : [];
      },
    },
    azure: {
      "azure-native:trafficmanager:Profile": (props) => {
        const protocol = lower(get(props, "monitorConfig.protocol"));
        return protocol === "https"
          ? []
          : [
              `monitorConfig.protocol is ${str(get(props, "monitorConfig.protocol")) ?? "unset (HTTP)"}; probe the endpoints over HTTPS`,
            ];
      },
    },
    gcp: {
      "gcp:dns/recordSet:RecordSet": (props) => {
        if (!isSet(props, "routingPolicy.primaryBackup")) return [];
        const internal =
          list(get(props, "routingPolicy.primaryBackup.primary.internalLoadBalancers")).length > 0;
        return isSet(props, "routingPolicy.healthCheck") || internal
          ? []
          : [
              "a primaryBackup routing policy without a health check: Cloud DNS never fails over to the backup",
            ];
      },
    },
  },
});
