import { children, finding, known } from "../lib/checks";
import { defineControl } from "../lib/define";
import { UNKNOWN, get, isSet, isTrue, list, lower } from "../lib/props";
import type { Finding } from "../lib/types";

const distributionTypes = ["aws:cloudfront/distribution:Distribution"];
const deliverySourceTypes = ["aws:cloudwatch/logDeliverySource:LogDeliverySource"];
const frontDoorProfileTypes = ["azure-native:cdn:Profile"];
const diagnosticTypes = ["azure-native:monitor:DiagnosticSetting"];
const backendServiceTypes = ["gcp:compute/backendService:BackendService"];

/** Front Door SKUs (the classic CDN SKUs' profiles are judged the same way). */
function isFrontDoor(props: Record<string, unknown>): boolean {
  return /azurefrontdoor/.test(lower(get(props, "sku.name")) ?? "");
}

export const enableCdnAccessLogging = defineControl({
  id: "enable-cdn-access-logging",
  title: "CDN request logs are collected",
  severity: "medium",
  category: "logging",
  kind: "security",
  rationale:
    "A CDN answers requests for the stored data without them ever reaching the store: without its request logs, access to that data through the CDN leaves no trace (PCI DSS 10.2.1; SOC 2 CC7.2; ISO 27001 A.8.15).",
  remediation: [
    "AWS CloudFront: standard logging v2 (an aws.cloudwatch.LogDeliverySource of logType ACCESS_LOGS for the distribution, in us-east-1, with a LogDeliveryDestination and LogDelivery) or legacy loggingConfig to S3.",
    "Azure Front Door: a DiagnosticSetting on the profile with the access log category (or categoryGroup allLogs) enabled, to the site's Log Analytics workspace.",
    "GCP: backend services with Cloud CDN must set logConfig.enable true (backend buckets always log: https://cloud.google.com/cdn/docs/cdn-logging-monitoring).",
  ],
  frameworks: {
    soc2: ["CC7.2"],
    iso27001: ["A.8.15"],
    pciDss: ["10.2.1"],
    gdpr: ["Art. 30", "Art. 32(1)(d)"],
    lfpdppp: ["Art. 19"],
  },
  uncertain: [
    "A CloudFront log delivery configured outside the stack (console, another stack) is not seen: waive.",
  ],
  resources: {},
  stack: (subjects, ctx) => {
    const out: Finding[] = [];
    for (const d of subjects.filter((s) => distributionTypes.includes(s.type))) {
      const legacy = known(ctx, () => isSet(d.props, "loggingConfig.bucket"));
      if (legacy === true || legacy === UNKNOWN) continue;
      const sources = children(subjects, deliverySourceTypes, "resourceArn", d);
      const verdicts = sources.map((s) => known(ctx, () => lower(get(s.props, "logType")) === "access_logs"));
      if (verdicts.some((v) => v === true || v === UNKNOWN)) continue;
      out.push(
        finding(
          d,
          "no access logs: neither a LogDeliverySource (ACCESS_LOGS) for the distribution nor loggingConfig",
        ),
      );
    }
    for (const p of subjects.filter((s) => frontDoorProfileTypes.includes(s.type) && isFrontDoor(s.props))) {
      const settings = children(subjects, diagnosticTypes, "resourceUri", p);
      const verdicts = settings.map((s) =>
        known(ctx, () =>
          list(get(s.props, "logs")).some(
            (l) =>
              isTrue(get(l, "enabled")) &&
              (lower(get(l, "categoryGroup")) === "alllogs" ||
                lower(get(l, "category")) === "frontdooraccesslog"),
          ),
        ),
      );
      if (verdicts.some((v) => v === true || v === UNKNOWN)) continue;
      out.push(
        finding(p, "no diagnostic setting sends the Front Door access log (FrontDoorAccessLog or allLogs)"),
      );
    }
    for (const b of subjects.filter((s) => backendServiceTypes.includes(s.type))) {
      const cdn = known(ctx, () => isTrue(get(b.props, "enableCdn")));
      if (cdn !== true) continue;
      const logged = known(ctx, () => isTrue(get(b.props, "logConfig.enable")));
      if (logged === true || logged === UNKNOWN) continue;
      out.push(
        finding(
          b,
          "Cloud CDN backend service without logConfig.enable: requests served from cache leave no log",
        ),
      );
    }
    return out;
  },
  stackTypes: {
    aws: [...distributionTypes, ...deliverySourceTypes],
    azure: [...frontDoorProfileTypes, ...diagnosticTypes],
    gcp: backendServiceTypes,
  },
});
