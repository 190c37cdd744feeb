import { defineControl } from "../lib/define";
import { get, isSet, str } from "../lib/props";

/** A node configuration that serves workloads the node's own credentials. */
function metadataFindings(nodeConfig: unknown, where: string): string[] {
  if (nodeConfig === undefined || nodeConfig === null) return [];
  const mode = str(get(nodeConfig, "workloadMetadataConfig.mode"));
  return mode === "GKE_METADATA"
    ? []
    : [
        `${where}.workloadMetadataConfig.mode is ${mode ?? "unset"}, not GKE_METADATA (pods can read the node's credentials)`,
      ];
}

export const enforceClusterWorkloadIdentity = defineControl({
  id: "enforce-cluster-workload-identity",
  title: "Kubernetes workloads get cloud credentials through workload identity, never the node's",
  severity: "high",
  category: "identity",
  kind: "security",
  rationale:
    "Without workload identity every pod can read the node's cloud credentials from the metadata server and act with all of the node's permissions; workload identity gives each Kubernetes service account its own least-privilege identity and hides the node's (CIS GKE 5.2.2, 5.4.1; PCI DSS 7.2.1, 8.2.2).",
  remediation: [
    'GKE: workloadIdentityConfig.workloadPool "<project>.svc.id.goog" on the cluster and nodeConfig.workloadMetadataConfig.mode "GKE_METADATA" on every node pool.',
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.3"],
    iso27001: ["A.5.15", "A.5.18", "A.8.2"],
    pciDss: ["7.2.1", "8.2.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["CIS GKE 5.2.2 / 5.4.1 (Workload Identity, metadata concealment)"],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    gcp: {
      "gcp:container/cluster:Cluster": (props) => [
        ...(isSet(props, "workloadIdentityConfig.workloadPool")
          ? []
          : ["workloadIdentityConfig.workloadPool is not set (Workload Identity is off)"]),
        ...metadataFindings(get(props, "nodeConfig"), "nodeConfig"),
      ],
      "gcp:container/nodePool:NodePool": (props) =>
        metadataFindings(get(props, "nodeConfig") ?? {}, "nodeConfig"),
    },
  },
});
