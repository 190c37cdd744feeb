import { defineControl } from "../lib/define";
import { k8sFrameworks, workloadChecks } from "../lib/k8s-control";
import { get, isTrue } from "../lib/props";

export const disallowHostNamespaces = defineControl({
  id: "disallow-host-namespaces",
  title: "Pods do not share the host's network, PID or IPC namespace",
  severity: "high",
  category: "kubernetes",
  kind: "security",
  rationale:
    "hostNetwork exposes node interfaces and bypasses network policies; hostPID and hostIPC let a container see and signal every process on the node (Pod Security Standards baseline, CIS Kubernetes 5.2.3-5.2.5).",
  remediation: ["Remove hostNetwork, hostPID and hostIPC (or set them false) from pod specs."],
  frameworks: { ...k8sFrameworks, cis: ["CIS Kubernetes 5.2.3/5.2.4/5.2.5 (host PID, IPC, network)"] },
  resources: {
    kubernetes: workloadChecks((pod) =>
      (["hostNetwork", "hostPID", "hostIPC"] as const)
        .filter((k) => isTrue(get(pod, k)))
        .map((k) => `${k} is true`),
    ),
  },
});
