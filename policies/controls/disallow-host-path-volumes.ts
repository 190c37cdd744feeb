import { defineControl } from "../lib/define";
import { k8sFrameworks, workloadChecks } from "../lib/k8s-control";
import { get, list, str } from "../lib/props";

export const disallowHostPathVolumes = defineControl({
  id: "disallow-host-path-volumes",
  title: "Pods do not mount host paths",
  severity: "high",
  category: "kubernetes",
  kind: "security",
  rationale:
    "hostPath volumes give containers the node's file system (kubelet credentials, container runtime socket, other pods' data) — the most common container escape (Pod Security Standards baseline).",
  remediation: [
    "Replace hostPath volumes with emptyDir, configMap/secret, persistent volume claims or CSI volumes.",
  ],
  frameworks: { ...k8sFrameworks, cis: ["CIS Kubernetes 5.2.12 (minimize HostPath volumes, v1.8+)"] },
  uncertain: ["CIS Kubernetes numbering of the hostPath item varies between benchmark versions."],
  resources: {
    kubernetes: workloadChecks((pod) =>
      list(get(pod, "volumes"))
        .filter((v) => get(v, "hostPath") !== undefined && get(v, "hostPath") !== null)
        .map((v) =>
          `volume ${str(get(v, "name")) ?? ""} mounts hostPath ${str(get(v, "hostPath.path")) ?? ""}`
            .replace(/\s+/g, " ")
            .trim(),
        ),
    ),
  },
});
