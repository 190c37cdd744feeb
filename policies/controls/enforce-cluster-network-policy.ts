import { defineControl } from "../lib/define";
import { get, isTrue, lower, str } from "../lib/props";

/** AKS network policy engines (ContainerServiceNetworkProfile.networkPolicy). */
const aksEngines = ["azure", "calico", "cilium"];

export const enforceClusterNetworkPolicy = defineControl({
  id: "enforce-cluster-network-policy",
  title: "Kubernetes clusters run a network policy engine",
  severity: "high",
  category: "kubernetes",
  kind: "security",
  rationale:
    "Without a network policy engine, Kubernetes NetworkPolicy objects (the baseline's default deny per namespace) are accepted and silently not enforced: every pod can reach every other pod (PCI DSS 1.2.1, 1.3.1; CIS Kubernetes 5.3.2; CIS GKE 5.6.7; CIS AKS 4.4.x).",
  remediation: [
    'GKE: datapathProvider "ADVANCED_DATAPATH" (Dataplane V2, enforcement built in), or networkPolicy { enabled: true } with the network policy add-on.',
    'Azure AKS: networkProfile.networkPolicy "cilium" (with networkDataplane "cilium"), "azure" or "calico".',
  ],
  frameworks: {
    soc2: ["CC6.6"],
    iso27001: ["A.8.20", "A.8.22"],
    pciDss: ["1.2.1", "1.3.1"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["CIS Kubernetes 5.3.2", "CIS GKE 5.6.7 (Network Policy enabled)", "CIS AKS 4.4.x"],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    azure: {
      "azure-native:containerservice:ManagedCluster": (props) => {
        const engine = lower(get(props, "networkProfile.networkPolicy"));
        return aksEngines.includes(engine)
          ? []
          : [
              `networkProfile.networkPolicy is ${engine || "unset"} (NetworkPolicy objects are not enforced); set ${aksEngines.join(", ")}`,
            ];
      },
    },
    gcp: {
      "gcp:container/cluster:Cluster": (props) =>
        str(get(props, "datapathProvider")) === "ADVANCED_DATAPATH" ||
        isTrue(get(props, "networkPolicy.enabled"))
          ? []
          : [
              "no network policy engine: datapathProvider is not ADVANCED_DATAPATH and networkPolicy.enabled is not true",
            ],
    },
  },
});
