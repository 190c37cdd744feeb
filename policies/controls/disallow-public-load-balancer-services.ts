import { defineControl } from "../lib/define";
import { isWorld } from "../lib/network";
import { get, list, lower, record } from "../lib/props";

/** Annotations that make a cloud load balancer internal. */
const internal: Record<string, string[]> = {
  "service.beta.kubernetes.io/aws-load-balancer-internal": ["true", "0.0.0.0/0"],
  "service.beta.kubernetes.io/aws-load-balancer-scheme": ["internal"],
  "service.beta.kubernetes.io/azure-load-balancer-internal": ["true"],
  "networking.gke.io/load-balancer-type": ["internal"],
  "cloud.google.com/load-balancer-type": ["internal"],
};

export const disallowPublicLoadBalancerServices = defineControl({
  id: "disallow-public-load-balancer-services",
  title: "Kubernetes services are not exposed through public load balancers",
  severity: "high",
  category: "kubernetes",
  kind: "security",
  rationale:
    "A Service of type LoadBalancer without an internal annotation gets an internet-facing address that bypasses the ingress, WAF and TLS policy (PCI DSS 1.3.1, 1.4.2).",
  remediation: [
    'Use type ClusterIP behind the ingress controller, or annotate the Service as internal (aws-load-balancer-scheme: internal, azure-load-balancer-internal: "true", networking.gke.io/load-balancer-type: Internal), or restrict loadBalancerSourceRanges to known ranges.',
  ],
  frameworks: {
    soc2: ["CC6.6"],
    iso27001: ["A.8.20", "A.8.22"],
    pciDss: ["1.3.1", "1.4.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
  },
  resources: {
    kubernetes: {
      "kubernetes:core/v1:Service": (props) => {
        if (get(props, "spec.type") !== "LoadBalancer") return [];
        const annotations = record(get(props, "metadata.annotations"));
        for (const [k, values] of Object.entries(internal))
          if (values.includes(lower(annotations[k]))) return [];
        const ranges = list(get(props, "spec.loadBalancerSourceRanges"));
        if (ranges.length > 0 && !ranges.some(isWorld)) return [];
        return [
          "type LoadBalancer without an internal annotation or restricted loadBalancerSourceRanges (public load balancer)",
        ];
      },
    },
  },
});
