import { defineControl } from "../lib/define";
import { get, isTrue } from "../lib/props";

export const enforcePrivateClusterInProduction = defineControl({
  id: "enforce-private-cluster-in-production",
  title: "Production Kubernetes control planes have no public endpoint",
  severity: "high",
  category: "kubernetes",
  kind: "security",
  productionOnly: true,
  rationale:
    "An authorized-IP list narrows a public API server but still exposes it to the internet and to every future API server vulnerability; production control planes are reachable from the private network only (PCI DSS 1.3.1, 1.4.2; CIS AKS 5.4.2 private clusters). enforce-private-cluster-endpoint covers every environment and accepts restricted public endpoints outside production.",
  remediation: [
    "Azure AKS: apiServerAccessProfile.enablePrivateCluster true (privateDNSZone `system` or a custom zone).",
  ],
  frameworks: {
    soc2: ["CC6.6"],
    iso27001: ["A.8.20", "A.8.22"],
    pciDss: ["1.3.1", "1.4.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["CIS AKS 5.4.2"],
  },
  uncertain: [
    "CIS benchmark ids differ between benchmark versions; the id given is indicative.",
    "Only AKS is judged here: EKS and GKE production endpoints are judged by enforce-private-cluster-endpoint until their implementations land.",
  ],
  resources: {
    azure: {
      "azure-native:containerservice:ManagedCluster": (props) =>
        isTrue(get(props, "apiServerAccessProfile.enablePrivateCluster"))
          ? []
          : [
              "apiServerAccessProfile.enablePrivateCluster is not true (a production API server must be private)",
            ],
    },
  },
});
