import { defineControl } from "../lib/define";
import { get, isFalse, isTrue } from "../lib/props";

/** Shielded VM settings of a node configuration: Secure Boot on, integrity monitoring not turned off. */
function shieldedFindings(nodeConfig: unknown, where: string): string[] {
  if (nodeConfig === undefined || nodeConfig === null) return [];
  const out: string[] = [];
  if (!isTrue(get(nodeConfig, "shieldedInstanceConfig.enableSecureBoot")))
    out.push(`${where}.shieldedInstanceConfig.enableSecureBoot is not true`);
  if (isFalse(get(nodeConfig, "shieldedInstanceConfig.enableIntegrityMonitoring")))
    out.push(`${where}.shieldedInstanceConfig.enableIntegrityMonitoring is false`);
  return out;
}

export const enforceClusterNodeHardening = defineControl({
  id: "enforce-cluster-node-hardening",
  title: "Kubernetes nodes are Shielded VMs with Secure Boot and integrity monitoring",
  severity: "medium",
  category: "kubernetes",
  kind: "security",
  rationale:
    "Shielded nodes prove their identity to the control plane (a stolen bootstrap credential cannot register a rogue node); Secure Boot and integrity monitoring stop and detect boot-level rootkits (CIS GKE 5.5.5, 5.5.6, 5.5.7; PCI DSS 11.5.2).",
  remediation: [
    "GKE: enableShieldedNodes true on the cluster; nodeConfig.shieldedInstanceConfig { enableSecureBoot: true, enableIntegrityMonitoring: true } on every node pool.",
  ],
  frameworks: {
    soc2: ["CC6.8", "CC7.1"],
    iso27001: ["A.8.7", "A.8.9"],
    pciDss: ["11.5.2", "2.2.1"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["CIS GKE 5.5.5 (Shielded GKE nodes)", "CIS GKE 5.5.6 / 5.5.7 (integrity monitoring, Secure Boot)"],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    gcp: {
      "gcp:container/cluster:Cluster": (props) => [
        ...(isFalse(get(props, "enableShieldedNodes")) ? ["enableShieldedNodes is false"] : []),
        ...shieldedFindings(get(props, "nodeConfig"), "nodeConfig"),
      ],
      "gcp:container/nodePool:NodePool": (props) =>
        shieldedFindings(get(props, "nodeConfig") ?? {}, "nodeConfig"),
    },
  },
});
