import { defineControl } from "../lib/define";
import { isWorld } from "../lib/network";
import { get, isFalse, isTrue, list } from "../lib/props";

export const enforcePrivateClusterEndpoint = defineControl({
  id: "enforce-private-cluster-endpoint",
  title: "Kubernetes API endpoints are private or limited to known networks",
  severity: "high",
  category: "kubernetes",
  kind: "security",
  rationale:
    "A cluster API open to the internet is exposed to credential stuffing and to every future API server vulnerability; it must be private or restricted to administration networks (PCI DSS 1.3.1, 1.4.2; CIS EKS 5.4.2, AKS 5.4.1, GKE 5.6.3).",
  remediation: [
    "EKS: vpcConfig.endpointPublicAccess false, or publicAccessCidrs limited to known ranges (not 0.0.0.0/0).",
    "AKS: apiServerAccessProfile.enablePrivateCluster true, or authorizedIPRanges without 0.0.0.0/0.",
    "GKE: privateClusterConfig.enablePrivateEndpoint true, or masterAuthorizedNetworksConfig.cidrBlocks without 0.0.0.0/0.",
  ],
  frameworks: {
    soc2: ["CC6.6"],
    iso27001: ["A.8.20", "A.8.22"],
    pciDss: ["1.3.1", "1.4.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["CIS EKS 5.4.1/5.4.2", "CIS AKS 5.4.1", "CIS GKE 5.6.3/5.6.4"],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    aws: {
      "aws:eks/cluster:Cluster": (props) => {
        if (isFalse(get(props, "vpcConfig.endpointPublicAccess"))) return [];
        const cidrs = list(get(props, "vpcConfig.publicAccessCidrs"));
        return cidrs.length > 0 && !cidrs.some(isWorld)
          ? []
          : [
              "public API endpoint open to 0.0.0.0/0 (set endpointPublicAccess false or restrict publicAccessCidrs)",
            ];
      },
    },
    azure: {
      "azure-native:containerservice:ManagedCluster": (props) => {
        if (isTrue(get(props, "apiServerAccessProfile.enablePrivateCluster"))) return [];
        const ranges = list(get(props, "apiServerAccessProfile.authorizedIPRanges"));
        return ranges.length > 0 && !ranges.some(isWorld)
          ? []
          : ["API server is public without authorizedIPRanges (enable a private cluster or restrict ranges)"];
      },
    },
    gcp: {
      "gcp:container/cluster:Cluster": (props) => {
        if (isTrue(get(props, "privateClusterConfig.enablePrivateEndpoint"))) return [];
        const blocks = list(get(props, "masterAuthorizedNetworksConfig.cidrBlocks")).map((b) =>
          get(b, "cidrBlock"),
        );
        return blocks.length > 0 && !blocks.some(isWorld)
          ? []
          : ["control plane endpoint is public without master authorized networks"];
      },
    },
  },
});
