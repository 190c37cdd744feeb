import { defineControl } from "../lib/define";
import { get, isTrue, str } from "../lib/props";

export const enforceClusterNetworkPolicy = defineControl({
  id: "enforce-cluster-network-policy",
  title: "Kubernetes clusters run a network policy engine",
  severity: "high",
  category: "kubernetes",
  kind: "security",
  rationale:
    "Kubernetes NetworkPolicy objects (the baseline's default deny) are silently ignored without an engine that enforces them; every pod can then reach every other (CIS GKE 5.6.7; PCI DSS 1.2.1, 1.3.1).",
  remediation: [
    'GKE: datapathProvider "ADVANCED_DATAPATH" (Dataplane V2, enforcement built in), or networkPolicy { enabled: true } with the network policy add-on.',
  ],
  frameworks: {
    soc2: ["CC6.6"],
    iso27001: ["A.8.20", "A.8.22"],
    pciDss: ["1.2.1", "1.3.1"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["CIS GKE 5.6.7 (Network Policy enabled)"],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
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
