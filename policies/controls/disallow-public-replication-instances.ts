import { defineControl } from "../lib/define";
import { get, isFalse, isSet, lower } from "../lib/props";

/** Migration instances reach databases over private networks only. */
export const disallowPublicReplicationInstances = defineControl({
  id: "disallow-public-replication-instances",
  title: "Replication and migration instances run on private networks only",
  severity: "high",
  category: "exposure",
  kind: "security",
  rationale:
    "A replication instance holds credentials to two databases and reads every row; a public address or a public connectivity path makes it, and the databases it connects to, reachable from the internet (PCI DSS 1.4.4, 1.3.1).",
  remediation: [
    "AWS DMS: publiclyAccessible: false on replication instances (the API default is true), in private subnets.",
    "GCP Database Migration Service: migration jobs with vpcPeeringConnectivity or reverseSshConnectivity, never staticIpConnectivity (public IP allow-list).",
    "Azure Data Factory: managed integration runtimes inside the factory's managed virtual network (managedVirtualNetwork set), reaching stores through managed private endpoints.",
  ],
  frameworks: {
    soc2: ["CC6.6", "CC6.1"],
    iso27001: ["A.8.20", "A.8.22"],
    pciDss: ["1.4.4", "1.3.1"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: [
    "Azure Database for PostgreSQL's migration service runs inside the target flexible server's network (private when the server is VNet-integrated), so Migration resources have no exposure setting to check.",
  ],
  resources: {
    aws: {
      "aws:dms/replicationInstance:ReplicationInstance": (props) =>
        isFalse(get(props, "publiclyAccessible"))
          ? []
          : ["publiclyAccessible is not false (DMS makes instances public by default)"],
    },
    gcp: {
      "gcp:databasemigrationservice/migrationJob:MigrationJob": (props) => {
        if (isSet(props, "staticIpConnectivity")) {
          return [
            "staticIpConnectivity exposes the source to DMS's public addresses; use vpcPeeringConnectivity",
          ];
        }
        return isSet(props, "vpcPeeringConnectivity") || isSet(props, "reverseSshConnectivity")
          ? []
          : ["no private connectivity (vpcPeeringConnectivity or reverseSshConnectivity) is set"];
      },
    },
    azure: {
      "azure-native:datafactory:IntegrationRuntime": (props) =>
        lower(get(props, "properties.type")) !== "managed" || isSet(props, "properties.managedVirtualNetwork")
          ? []
          : ["a managed integration runtime outside a managed virtual network uses public endpoints"],
    },
  },
});
