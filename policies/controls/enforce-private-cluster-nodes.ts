import { defineControl } from "../lib/define";
import { get, isFalse, isTrue } from "../lib/props";

export const enforcePrivateClusterNodes = defineControl({
  id: "enforce-private-cluster-nodes",
  title: "Kubernetes nodes have no public IP addresses",
  severity: "high",
  category: "kubernetes",
  kind: "security",
  rationale:
    "A node with a public address is one firewall mistake away from exposing the kubelet, NodePorts and every host port to the internet; private nodes reach the internet only through NAT and are reached only through load balancers (PCI DSS 1.3.1, 1.4.4; CIS GKE 5.6.5).",
  remediation: [
    "GKE: privateClusterConfig.enablePrivateNodes true on the cluster, and no node pool with networkConfig.enablePrivateNodes false.",
  ],
  frameworks: {
    soc2: ["CC6.6"],
    iso27001: ["A.8.20", "A.8.22"],
    pciDss: ["1.3.1", "1.4.4"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["CIS GKE 5.6.5 (private nodes)"],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    gcp: {
      "gcp:container/cluster:Cluster": (props) =>
        isTrue(get(props, "privateClusterConfig.enablePrivateNodes")) ||
        isTrue(get(props, "defaultEnablePrivateNodes"))
          ? []
          : ["privateClusterConfig.enablePrivateNodes is not true (nodes get public IP addresses)"],
      "gcp:container/nodePool:NodePool": (props) =>
        isFalse(get(props, "networkConfig.enablePrivateNodes"))
          ? ["networkConfig.enablePrivateNodes is false (this pool's nodes get public IP addresses)"]
          : [],
    },
  },
});
