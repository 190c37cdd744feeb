import { defineControl } from "../lib/define";
import { isWorld } from "../lib/network";
import { get, isSet, isTrue, list, lower, str } from "../lib/props";

function azureFlexible(props: Record<string, unknown>): string[] {
  const access = lower(get(props, "network.publicNetworkAccess"));
  if (access === "disabled") return [];
  if (access === "" && isSet(props, "network.delegatedSubnetResourceId")) return [];
  return [
    `network.publicNetworkAccess is ${access || "unset (public endpoint)"}; set Disabled and use VNet integration or a private endpoint`,
  ];
}

const disabled = (key: string) => (props: Record<string, unknown>) =>
  lower(get(props, key)) === "disabled"
    ? []
    : [`${key} is ${str(get(props, key)) ?? "unset (Enabled)"}; set Disabled`];

function azureFirewallRule(props: Record<string, unknown>): string[] {
  const start = str(get(props, "startIpAddress"));
  const end = str(get(props, "endIpAddress"));
  if (start === "0.0.0.0" && end === "255.255.255.255") return ["firewall rule allows every IPv4 address"];
  if (start === "0.0.0.0" && end === "0.0.0.0")
    return ["firewall rule allows all Azure services, including other tenants' resources"];
  return [];
}

export const disallowPublicDatabaseEndpoints = defineControl({
  id: "disallow-public-database-endpoints",
  title: "Databases and caches have no public endpoint",
  severity: "critical",
  category: "exposure",
  kind: "security",
  rationale:
    "Stores of cardholder and personal data must not be directly reachable from the internet (PCI DSS 1.4.4); a public endpoint depends on passwords alone and exposes the engine to every scanner.",
  remediation: [
    "AWS: publiclyAccessible: false on RDS instances, Aurora cluster instances and Redshift clusters.",
    'Azure: PostgreSQL/MySQL flexible servers with network.publicNetworkAccess "Disabled" (VNet integration or private endpoint); SQL servers, Cosmos DB accounts and Redis caches with publicNetworkAccess "Disabled"; no firewall rule 0.0.0.0-255.255.255.255 or 0.0.0.0-0.0.0.0.',
    "GCP Cloud SQL: settings.ipConfiguration.ipv4Enabled false with privateNetwork set; never 0.0.0.0/0 in authorizedNetworks.",
  ],
  frameworks: {
    soc2: ["CC6.6", "CC6.1"],
    iso27001: ["A.8.20", "A.8.22"],
    pciDss: ["1.4.4", "1.3.1"],
    gdpr: ["Art. 32(1)(b)", "Art. 25"],
    lfpdppp: ["Art. 18"],
    cis: [
      "AWS Foundations 2.3.3 (RDS not public)",
      "GCP 6.5/6.6 (Cloud SQL not open to the world, no public IP)",
      "Azure 4.x (SQL/PostgreSQL firewall)",
    ],
  },
  uncertain: [
    "AWS ElastiCache and GCP Memorystore have no public endpoint option at all, so caches are checked on Azure only.",
    "CIS benchmark ids differ between benchmark versions; the ids given are indicative.",
  ],
  resources: {
    aws: {
      "aws:rds/instance:Instance": (props) =>
        isTrue(get(props, "publiclyAccessible")) ? ["publiclyAccessible is true"] : [],
      "aws:rds/clusterInstance:ClusterInstance": (props) =>
        isTrue(get(props, "publiclyAccessible")) ? ["publiclyAccessible is true"] : [],
      "aws:redshift/cluster:Cluster": (props) =>
        isTrue(get(props, "publiclyAccessible")) ? ["publiclyAccessible is true"] : [],
    },
    azure: {
      "azure-native:dbforpostgresql:Server": azureFlexible,
      "azure-native:dbforpostgresql:FlexibleServer": azureFlexible,
      "azure-native:dbformysql:Server": azureFlexible,
      "azure-native:dbformysql:FlexibleServer": azureFlexible,
      "azure-native:sql:Server": disabled("publicNetworkAccess"),
      "azure-native:cosmosdb:DatabaseAccount": disabled("publicNetworkAccess"),
      "azure-native:redis:Redis": (props) =>
        isSet(props, "subnetId") ? [] : disabled("publicNetworkAccess")(props),
      "azure-native:cache:Redis": (props) =>
        isSet(props, "subnetId") ? [] : disabled("publicNetworkAccess")(props),
      "azure-native:redisenterprise:RedisEnterprise": disabled("publicNetworkAccess"),
      "azure-native:dbforpostgresql:FirewallRule": azureFirewallRule,
      "azure-native:dbformysql:FirewallRule": azureFirewallRule,
      "azure-native:sql:FirewallRule": azureFirewallRule,
    },
    gcp: {
      "gcp:sql/databaseInstance:DatabaseInstance": (props) => {
        const out: string[] = [];
        const ip = get(props, "settings.ipConfiguration");
        const ipv4 = get(ip, "ipv4Enabled");
        if (ipv4 !== false && !(typeof ipv4 === "string" && ipv4 === "false")) {
          out.push(
            "settings.ipConfiguration.ipv4Enabled is not false (public IP assigned); use privateNetwork",
          );
        }
        for (const n of list(get(ip, "authorizedNetworks"))) {
          if (isWorld(get(n, "value"))) out.push("authorizedNetworks includes 0.0.0.0/0");
        }
        return out;
      },
    },
  },
});
