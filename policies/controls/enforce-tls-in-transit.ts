import { defineControl } from "../lib/define";
import { get, isFalse, isSet, isTrue, list, lower, str } from "../lib/props";

function lbListener(props: Record<string, unknown>): string[] {
  if (lower(get(props, "protocol")) !== "http") return [];
  const actions = list(get(props, "defaultActions"));
  const redirects =
    actions.length > 0 &&
    actions.every(
      (a) => lower(get(a, "type")) === "redirect" && lower(get(a, "redirect.protocol")) === "https",
    );
  return redirects
    ? []
    : [
        "HTTP listener serves traffic in clear text; redirect to HTTPS (defaultActions type redirect, protocol HTTPS)",
      ];
}

/** The last segment of an Application Gateway sub-resource id (`.../httpListeners/<name>`). */
function subName(ref: unknown): string {
  const id = str(get(ref, "id")) ?? "";
  return id.split("/").pop() ?? "";
}

/**
 * Application Gateway: a request routing rule on an HTTP (not HTTPS) listener may only redirect
 * (redirectConfiguration), never send to a backend pool.
 */
function appGateway(props: Record<string, unknown>): string[] {
  const plain = new Set(
    list(get(props, "httpListeners"))
      .filter((l) => lower(get(l, "protocol")) === "http")
      .map((l) => str(get(l, "name")) ?? ""),
  );
  return list(get(props, "requestRoutingRules"))
    .filter((r) => plain.has(subName(get(r, "httpListener"))))
    .filter(
      (r) => !isSet(r, "redirectConfiguration") || isSet(r, "backendAddressPool") || isSet(r, "urlPathMap"),
    )
    .map(
      (r) =>
        `request routing rule ${str(get(r, "name")) ?? "?"} serves HTTP listener ${subName(get(r, "httpListener"))} in clear text; give it only a redirectConfiguration to the HTTPS listener`,
    );
}

function rdsParameters(props: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const p of list(get(props, "parameters"))) {
    const name = lower(get(p, "name"));
    const value = lower(get(p, "value"));
    if (name === "rds.force_ssl" && (value === "0" || value === "off" || value === "false")) {
      out.push("rds.force_ssl is 0: clients may connect without TLS");
    }
    if (name === "require_secure_transport" && (value === "0" || value === "off" || value === "false")) {
      out.push("require_secure_transport is OFF: clients may connect without TLS");
    }
  }
  return out;
}

function azureDbConfiguration(props: Record<string, unknown>): string[] {
  if (lower(get(props, "configurationName")) !== "require_secure_transport") return [];
  return lower(get(props, "value")) === "off"
    ? ["require_secure_transport is OFF: clients may connect without TLS"]
    : [];
}

export const enforceTlsInTransit = defineControl({
  id: "enforce-tls-in-transit",
  title: "Data services and listeners refuse unencrypted connections",
  severity: "high",
  category: "data-protection",
  kind: "security",
  rationale:
    "Credentials and personal or cardholder data must never cross a network in clear text (PCI DSS 4.2.1, GDPR Art. 32); caches and databases that accept plaintext connections and HTTP listeners that serve content are the usual gaps.",
  remediation: [
    "AWS: HTTP listeners only redirect to HTTPS; ElastiCache transitEncryptionEnabled: true; MemoryDB tlsEnabled: true; OpenSearch enforceHttps and nodeToNodeEncryption; CloudFront viewerProtocolPolicy redirect-to-https or https-only; never set rds.force_ssl=0 / require_secure_transport=OFF.",
    "Azure: Application Gateway HTTP listeners only redirect (routing rules with a redirectConfiguration, no backend pool); Redis enableNonSslPort false; Azure Managed Redis database clientProtocol Encrypted; App Service httpsOnly true; PostgreSQL/MySQL require_secure_transport ON.",
    "GCP: Cloud SQL settings.ipConfiguration.sslMode ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED; Memorystore transitEncryptionMode SERVER_AUTHENTICATION.",
  ],
  frameworks: {
    soc2: ["CC6.7"],
    iso27001: ["A.8.24", "A.5.14"],
    pciDss: ["4.2.1", "2.2.7"],
    gdpr: ["Art. 32(1)(a)"],
    lfpdppp: ["Art. 18"],
    cis: ["GCP 6.4 (Cloud SQL requires SSL)", "Azure 9.2 (App Service HTTPS only)"],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    aws: {
      "aws:lb/listener:Listener": lbListener,
      "aws:alb/listener:Listener": lbListener,
      "aws:elasticache/replicationGroup:ReplicationGroup": (props) => {
        if (!isTrue(get(props, "transitEncryptionEnabled"))) return ["transitEncryptionEnabled is not true"];
        return lower(get(props, "transitEncryptionMode")) === "preferred"
          ? ["transitEncryptionMode is preferred (clear-text connections still accepted); use required"]
          : [];
      },
      "aws:memorydb/cluster:Cluster": (props) =>
        isFalse(get(props, "tlsEnabled")) ? ["tlsEnabled is false"] : [],
      "aws:opensearch/domain:Domain": (props) => {
        const out: string[] = [];
        if (!isTrue(get(props, "domainEndpointOptions.enforceHttps")))
          out.push("domainEndpointOptions.enforceHttps is not true");
        if (!isTrue(get(props, "nodeToNodeEncryption.enabled")))
          out.push("nodeToNodeEncryption.enabled is not true");
        return out;
      },
      "aws:cloudfront/distribution:Distribution": (props) => {
        const out: string[] = [];
        if (lower(get(props, "defaultCacheBehavior.viewerProtocolPolicy")) === "allow-all") {
          out.push(
            "defaultCacheBehavior.viewerProtocolPolicy is allow-all; use redirect-to-https or https-only",
          );
        }
        list(get(props, "orderedCacheBehaviors")).forEach((b) => {
          if (lower(get(b, "viewerProtocolPolicy")) === "allow-all") {
            out.push(
              `orderedCacheBehaviors ${str(get(b, "pathPattern")) ?? ""} viewerProtocolPolicy is allow-all`,
            );
          }
        });
        return out;
      },
      "aws:rds/parameterGroup:ParameterGroup": rdsParameters,
      "aws:rds/clusterParameterGroup:ClusterParameterGroup": rdsParameters,
    },
    azure: {
      // Front Door routes: viewers redirected to HTTPS, and HTTPS to the origin.
      "azure-native:cdn:Route": (props) => {
        const out: string[] = [];
        const protocols = list(get(props, "supportedProtocols")).map((p) => lower(p));
        if (protocols.includes("http") && lower(get(props, "httpsRedirect")) !== "enabled") {
          out.push("the route accepts HTTP without httpsRedirect Enabled: viewers may use plain HTTP");
        }
        if (lower(get(props, "forwardingProtocol")) !== "httpsonly") {
          out.push(
            `forwardingProtocol is ${str(get(props, "forwardingProtocol")) ?? "unset (MatchRequest)"}; use HttpsOnly`,
          );
        }
        return out;
      },
      "azure-native:redis:Redis": (props) =>
        isTrue(get(props, "enableNonSslPort")) ? ["enableNonSslPort is true (port 6379 in clear text)"] : [],
      "azure-native:cache:Redis": (props) =>
        isTrue(get(props, "enableNonSslPort")) ? ["enableNonSslPort is true (port 6379 in clear text)"] : [],
      "azure-native:redisenterprise:Database": (props) =>
        lower(get(props, "clientProtocol")) === "plaintext"
          ? ["clientProtocol is Plaintext (clients connect without TLS); use Encrypted"]
          : [],
      "azure-native:web:WebApp": (props) =>
        isTrue(get(props, "httpsOnly")) ? [] : ["httpsOnly is not true"],
      "azure-native:network:ApplicationGateway": appGateway,
      "azure-native:dbforpostgresql:Configuration": azureDbConfiguration,
      "azure-native:dbformysql:Configuration": azureDbConfiguration,
    },
    gcp: {
      "gcp:sql/databaseInstance:DatabaseInstance": (props) => {
        const mode = str(get(props, "settings.ipConfiguration.sslMode"));
        return mode === "ENCRYPTED_ONLY" || mode === "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
          ? []
          : [
              `settings.ipConfiguration.sslMode is ${mode ?? "unset (ALLOW_UNENCRYPTED_AND_ENCRYPTED)"}; require ENCRYPTED_ONLY`,
            ];
      },
      "gcp:redis/instance:Instance": (props) =>
        str(get(props, "transitEncryptionMode")) === "SERVER_AUTHENTICATION"
          ? []
          : ["transitEncryptionMode is not SERVER_AUTHENTICATION (clear-text connections allowed)"],
    },
  },
});
