import { defineControl } from "../lib/define";
import { get, record } from "../lib/props";

const enforceLabel = "pod-security.kubernetes.io/enforce";

export const enforceNamespacePodSecurity = defineControl({
  id: "enforce-namespace-pod-security",
  title: "Every namespace enforces the Pod Security Standards restricted profile",
  severity: "high",
  category: "kubernetes",
  kind: "security",
  rationale:
    "Pod Security Admission rejects pods that break the namespace's profile at admission time, whoever creates them (kubectl, a controller, a compromised CI token): `restricted` forbids privileged pods, host namespaces and paths, root users, added capabilities and privilege escalation, so the per-workload controls of this pack also hold for workloads Pulumi does not deploy (Kubernetes Pod Security Standards; CIS Kubernetes 5.2.1).",
  remediation: [
    "Label every namespace pod-security.kubernetes.io/enforce: restricted, with enforce-version pinned to the cluster's minor version (for example v1.33) and audit/warn: restricted at latest so the next version's checks show up as warnings first.",
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.8"],
    iso27001: ["A.8.9", "A.8.20"],
    pciDss: ["2.2.1", "2.2.5"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["CIS Kubernetes 5.2.1 (at least one active policy control mechanism)"],
  },
  resources: {
    kubernetes: {
      "kubernetes:core/v1:Namespace": (props) => {
        // Label keys contain dots: index the labels, do not read them as a dotted path.
        const level = record(get(props, "metadata.labels"))[enforceLabel];
        if (level === "restricted") return [];
        return [
          level === undefined
            ? `namespace has no ${enforceLabel} label (Pod Security Admission falls back to privileged)`
            : `namespace enforces Pod Security ${String(level)}, not restricted`,
        ];
      },
    },
  },
});
