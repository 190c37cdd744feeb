import { defineControl } from "../lib/define";
import { get, isFalse } from "../lib/props";

/**
 * Production control planes have no public endpoint at all (the stack contract: components/cluster.ts);
 * outside production `enforce-private-cluster-endpoint` still requires the public endpoint to be limited
 * to known networks. Cloud-tagged: each cloud's implementation adds its cluster type.
 */
export const disallowPublicClusterEndpointInProduction = defineControl({
  id: "disallow-public-cluster-endpoint-in-production",
  title: "Production Kubernetes API servers have no public endpoint",
  severity: "high",
  category: "kubernetes",
  kind: "security",
  productionOnly: true,
  rationale:
    "An allow-list narrows who reaches a public API server but leaves it on the internet, exposed to every future API server vulnerability and to a mistaken list entry; production control planes are reached only from the private network (PCI DSS 1.3.1, 1.4.2; CIS EKS 5.4.2).",
  remediation: [
    "AWS EKS: vpcConfig.endpointPublicAccess false and endpointPrivateAccess true (the provider and EKS default the public endpoint to on); reach the API from the private tier, a VPN or a bastion.",
  ],
  frameworks: {
    soc2: ["CC6.6"],
    iso27001: ["A.8.20", "A.8.22"],
    pciDss: ["1.3.1", "1.4.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["CIS EKS 5.4.2 (private endpoint, public access disabled)"],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    aws: {
      "aws:eks/cluster:Cluster": (props) => {
        const out: string[] = [];
        if (!isFalse(get(props, "vpcConfig.endpointPublicAccess")))
          out.push(
            "vpcConfig.endpointPublicAccess is not false (EKS defaults the public endpoint to on); production clusters are private",
          );
        if (get(props, "vpcConfig.endpointPrivateAccess") !== true)
          out.push("vpcConfig.endpointPrivateAccess is not true (nodes and operators would have no way in)");
        return out;
      },
    },
  },
});
