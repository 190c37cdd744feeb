import { defineControl } from "../lib/define";
import { get, isSet, isTrue, lower, str } from "../lib/props";
import type { ResourceCheck } from "../lib/types";

/** ELB security policies whose minimum protocol is TLS 1.2 or 1.3. */
const strongElbPolicy = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

function lbListener(props: Record<string, unknown>): string[] {
  const protocol = lower(get(props, "protocol"));
  if (protocol !== "https" && protocol !== "tls") return [];
  const policy = str(get(props, "sslPolicy"));
  if (!policy)
    return [
      `sslPolicy is unset on a ${protocol.toUpperCase()} listener; set a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06`,
    ];
  return strongElbPolicy.test(policy) ? [] : [`sslPolicy ${policy} allows protocols below TLS 1.2`];
}

function versionAtLeast12(key: string, accepted: readonly string[], what: string): ResourceCheck {
  return (props) => {
    const v = str(get(props, key));
    if (v === undefined) return [`${key} is unset; set it to ${accepted[0]} (${what})`];
    return accepted.map((a) => a.toLowerCase()).includes(v.toLowerCase())
      ? []
      : [`${key} is ${v}; require ${accepted.join(" or ")}`];
  };
}

const tlsOld = new Set(["tlsv1", "tlsv1.1", "tlsv1_0", "tlsv1_1", "tls1_0", "tls1_1"]);

function azurePgConfiguration(props: Record<string, unknown>): string[] {
  const name = lower(get(props, "configurationName"));
  if (name !== "ssl_min_protocol_version" && name !== "tls_version") return [];
  const value = lower(get(props, "value"));
  if (name === "tls_version") {
    return /tlsv1(\.1)?(,|$)/.test(value.replace(/\s/g, "")) &&
      !/^tlsv1\.[23](,tlsv1\.[23])*$/.test(value.replace(/\s/g, ""))
      ? [`tls_version ${value} enables protocols below TLS 1.2`]
      : [];
  }
  return tlsOld.has(value) ? [`ssl_min_protocol_version is ${value}; require TLSv1.2 or TLSv1.3`] : [];
}

export const enforceTlsMinimumVersion = defineControl({
  id: "enforce-tls-minimum-version",
  title: "Endpoints accept only TLS 1.2 or newer",
  severity: "high",
  category: "data-protection",
  kind: "security",
  rationale:
    "TLS 1.0 and 1.1 are deprecated (RFC 8996) and not strong cryptography under PCI DSS 4.2.1; storage, databases, caches, load balancers and CDNs must refuse them. TLS 1.3 is preferred where the service offers it.",
  remediation: [
    "AWS load balancer listeners (HTTPS/TLS): sslPolicy ELBSecurityPolicy-TLS13-1-2-2021-06 (or a TLS13-1-3 / FS-1-2 policy). CloudFront: viewerCertificate.minimumProtocolVersion TLSv1.2_2021 with an ACM certificate. OpenSearch: domainEndpointOptions.tlsSecurityPolicy Policy-Min-TLS-1-2-2019-07 or newer.",
    "Azure: storage minimumTlsVersion TLS1_2 (TLS1_3 where available); Redis minimumTlsVersion 1.2; SQL minimalTlsVersion 1.2 or 1.3; Service Bus / Event Hubs minimumTlsVersion 1.2; App Service siteConfig.minTlsVersion 1.2 or 1.3; Application Gateway sslPolicy AppGwSslPolicy20220101S; PostgreSQL/MySQL server parameters ssl_min_protocol_version / tls_version TLSv1.2+.",
    "GCP: SSL policies minTlsVersion TLS_1_2 (or TLS_1_3), attached to every target HTTPS/SSL proxy.",
  ],
  frameworks: {
    soc2: ["CC6.7"],
    iso27001: ["A.8.24", "A.8.20"],
    pciDss: ["4.2.1", "2.2.7"],
    gdpr: ["Art. 32(1)(a)"],
    lfpdppp: ["Art. 18"],
    cis: ["Azure 3.15 (storage minimum TLS 1.2)", "GCP 3.9 (no weak SSL policies)"],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    aws: {
      "aws:lb/listener:Listener": lbListener,
      "aws:alb/listener:Listener": lbListener,
      "aws:cloudfront/distribution:Distribution": (props) => {
        if (isTrue(get(props, "viewerCertificate.cloudfrontDefaultCertificate"))) {
          return [
            "viewerCertificate uses the CloudFront default certificate, which allows TLS 1.0; use an ACM certificate with minimumProtocolVersion TLSv1.2_2021",
          ];
        }
        const v = str(get(props, "viewerCertificate.minimumProtocolVersion"));
        return v && /^TLSv1\.[23]/.test(v)
          ? []
          : [`viewerCertificate.minimumProtocolVersion is ${v ?? "unset"}; require TLSv1.2_2021 or newer`];
      },
      "aws:opensearch/domain:Domain": (props) => {
        const v = str(get(props, "domainEndpointOptions.tlsSecurityPolicy"));
        return v && /TLS-1-[23]/.test(v)
          ? []
          : [
              `domainEndpointOptions.tlsSecurityPolicy is ${v ?? "unset"}; require Policy-Min-TLS-1-2-2019-07 or newer`,
            ];
      },
    },
    azure: {
      "azure-native:storage:StorageAccount": versionAtLeast12(
        "minimumTlsVersion",
        ["TLS1_2", "TLS1_3"],
        "TLS1_3 where the region offers it",
      ),
      "azure-native:redis:Redis": versionAtLeast12(
        "minimumTlsVersion",
        ["1.2", "1.3"],
        "minimum TLS version",
      ),
      "azure-native:cache:Redis": versionAtLeast12(
        "minimumTlsVersion",
        ["1.2", "1.3"],
        "minimum TLS version",
      ),
      "azure-native:redisenterprise:RedisEnterprise": versionAtLeast12(
        "minimumTlsVersion",
        ["1.2", "1.3"],
        "minimum TLS version",
      ),
      "azure-native:sql:Server": versionAtLeast12("minimalTlsVersion", ["1.2", "1.3"], "minimum TLS version"),
      "azure-native:servicebus:Namespace": versionAtLeast12(
        "minimumTlsVersion",
        ["1.2", "1.3"],
        "minimum TLS version",
      ),
      "azure-native:eventhub:Namespace": versionAtLeast12(
        "minimumTlsVersion",
        ["1.2", "1.3"],
        "minimum TLS version",
      ),
      "azure-native:web:WebApp": (props) => {
        const v = str(get(props, "siteConfig.minTlsVersion"));
        return v === undefined || v === "1.2" || v === "1.3"
          ? []
          : [`siteConfig.minTlsVersion is ${v}; require 1.2 or 1.3`];
      },
      "azure-native:network:ApplicationGateway": (props) => {
        const min = lower(get(props, "sslPolicy.minProtocolVersion"));
        const name = str(get(props, "sslPolicy.policyName")) ?? "";
        if (min === "tlsv1_2" || min === "tlsv1_3") return [];
        if (/^AppGwSslPolicy(20170401S|20220101S?)$/.test(name)) return [];
        return [
          `sslPolicy ${name || min || "unset (defaults allow TLS 1.0/1.1 on older gateways)"} does not enforce TLS 1.2; use AppGwSslPolicy20220101S`,
        ];
      },
      "azure-native:dbforpostgresql:Configuration": azurePgConfiguration,
      "azure-native:dbformysql:Configuration": azurePgConfiguration,
      // Front Door custom domains: TLS10 is still accepted by the API (AfdMinimumTlsVersion).
      "azure-native:cdn:AFDCustomDomain": (props) => {
        const v = str(get(props, "tlsSettings.minimumTlsVersion"));
        return v === "TLS12" || v === "TLS13"
          ? []
          : [`tlsSettings.minimumTlsVersion is ${v ?? "unset"}; require TLS12 or TLS13`];
      },
    },
    gcp: {
      "gcp:compute/sSLPolicy:SSLPolicy": (props) => {
        const v = str(get(props, "minTlsVersion"));
        return v === "TLS_1_2" || v === "TLS_1_3"
          ? []
          : [`minTlsVersion is ${v ?? "unset (TLS_1_0)"}; require TLS_1_2 or TLS_1_3`];
      },
      "gcp:compute/regionSslPolicy:RegionSslPolicy": (props) => {
        const v = str(get(props, "minTlsVersion"));
        return v === "TLS_1_2" || v === "TLS_1_3"
          ? []
          : [`minTlsVersion is ${v ?? "unset (TLS_1_0)"}; require TLS_1_2 or TLS_1_3`];
      },
      "gcp:compute/targetHttpsProxy:TargetHttpsProxy": (props) =>
        isSet(props, "sslPolicy") || isSet(props, "serverTlsPolicy")
          ? []
          : [
              "no sslPolicy attached: the Google default policy allows TLS 1.0; attach an SSL policy with minTlsVersion TLS_1_2",
            ],
      "gcp:compute/targetSSLProxy:TargetSSLProxy": (props) =>
        isSet(props, "sslPolicy") ? [] : ["no sslPolicy attached: the Google default policy allows TLS 1.0"],
    },
  },
});
