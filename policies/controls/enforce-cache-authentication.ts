import { defineControl } from "../lib/define";
import { get, isSet, isTrue, list, lower, str } from "../lib/props";

/** AMR / Redis: access keys are shared secrets; Microsoft Entra tokens are per identity. */
function azureCacheForRedis(props: Record<string, unknown>): string[] {
  const notRequired = lower(get(props, "redisConfiguration.authnotrequired"));
  return notRequired === "true" || notRequired === "yes"
    ? ["redisConfiguration.authnotrequired is true: any client on the network can run commands"]
    : [];
}

export const enforceCacheAuthentication = defineControl({
  id: "enforce-cache-authentication",
  title: "Caches require authentication",
  severity: "high",
  category: "identity",
  kind: "security",
  rationale:
    "A Redis-compatible cache without authentication lets anything that reaches its port read sessions and cached rows and run commands; network rules are not identities (PCI DSS 8.2.1, 8.3.1; SOC 2 CC6.1; ISO 27001 A.8.5). Per-identity tokens (Microsoft Entra, IAM) are preferred over shared keys.",
  remediation: [
    "AWS ElastiCache replication group: authToken (16-128 characters, with transitEncryptionEnabled) or userGroupIds (RBAC); serverless caches: userGroupId; MemoryDB: an ACL other than open-access.",
    "Azure Managed Redis database: accessKeysAuthentication Disabled (Microsoft Entra only); Azure Cache for Redis: never redisConfiguration.authnotrequired.",
    "GCP Memorystore for Redis: authEnabled true; Redis Cluster / Memorystore for Valkey: authorizationMode IAM_AUTH.",
  ],
  frameworks: {
    soc2: ["CC6.1"],
    iso27001: ["A.8.5", "A.5.17"],
    pciDss: ["8.2.1", "8.3.1"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 19"],
  },
  uncertain: [
    "Azure Managed Redis always authenticates (access keys or Microsoft Entra); the Azure check demands Entra only (access keys disabled), which is stricter than 'authentication on'.",
  ],
  resources: {
    aws: {
      "aws:elasticache/replicationGroup:ReplicationGroup": (props) =>
        isSet(props, "authToken") ||
        isSet(props, "authTokenWo") ||
        list(get(props, "userGroupIds")).length > 0
          ? []
          : ["neither authToken nor userGroupIds is set: any client that reaches the port can run commands"],
      "aws:elasticache/serverlessCache:ServerlessCache": (props) =>
        isSet(props, "userGroupId") ? [] : ["userGroupId is unset: the default user has no password"],
      "aws:memorydb/cluster:Cluster": (props) =>
        str(get(props, "aclName")) === "open-access" ? ["aclName is open-access (no authentication)"] : [],
    },
    azure: {
      "azure-native:redisenterprise:Database": (props) =>
        lower(get(props, "accessKeysAuthentication")) === "enabled"
          ? ["accessKeysAuthentication is Enabled (shared keys); disable it and use Microsoft Entra"]
          : [],
      "azure-native:redis:Redis": azureCacheForRedis,
      "azure-native:cache:Redis": azureCacheForRedis,
    },
    gcp: {
      "gcp:redis/instance:Instance": (props) =>
        isTrue(get(props, "authEnabled")) ? [] : ["authEnabled is not true (no AUTH string required)"],
      "gcp:redis/cluster:Cluster": (props) =>
        str(get(props, "authorizationMode")) === "AUTH_MODE_IAM_AUTH"
          ? []
          : [
              `authorizationMode is ${str(get(props, "authorizationMode")) ?? "unset (AUTH_MODE_DISABLED)"}; use AUTH_MODE_IAM_AUTH`,
            ],
      "gcp:memorystore/instance:Instance": (props) =>
        str(get(props, "authorizationMode")) === "IAM_AUTH"
          ? []
          : [
              `authorizationMode is ${str(get(props, "authorizationMode")) ?? "unset (AUTH_DISABLED)"}; use IAM_AUTH`,
            ],
    },
  },
});
