import { defineControl } from "../lib/define";
import { get, isTrue } from "../lib/props";

export const enforceProductionClusterPrivateEndpoint = defineControl({
  id: "enforce-production-cluster-private-endpoint",
  title: "Production Kubernetes control planes have no public endpoint",
  severity: "high",
  category: "kubernetes",
  kind: "security",
  productionOnly: true,
  rationale:
    "Authorized networks narrow a public API server, but the endpoint still answers the internet (TLS, authentication, every future API server vulnerability); in production the control plane is reached only from private networks (PCI DSS 1.3.1, 1.4.2; CIS GKE 5.6.4).",
  remediation: [
    "GKE: privateClusterConfig.enablePrivateEndpoint true (the control plane's external endpoint is disabled).",
  ],
  frameworks: {
    soc2: ["CC6.6"],
    iso27001: ["A.8.20", "A.8.22"],
    pciDss: ["1.3.1", "1.4.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["CIS GKE 5.6.4 (private endpoint enabled, public access disabled)"],
  },
  uncertain: [
    "CIS benchmark ids differ between benchmark versions; the ids given are indicative.",
    "The GKE DNS-based endpoint (controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic) is IAM-authenticated and not judged here.",
  ],
  resources: {
    gcp: {
      "gcp:container/cluster:Cluster": (props) =>
        isTrue(get(props, "privateClusterConfig.enablePrivateEndpoint"))
          ? []
          : [
              "privateClusterConfig.enablePrivateEndpoint is not true (the control plane has a public endpoint)",
            ],
    },
  },
});
