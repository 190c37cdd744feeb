import { containerLabel, containersOf } from "../lib/checks";
import { defineControl } from "../lib/define";
import { k8sFrameworks, workloadChecks } from "../lib/k8s-control";
import { get, isTrue } from "../lib/props";

export const disallowPrivilegedContainers = defineControl({
  id: "disallow-privileged-containers",
  title: "No privileged containers",
  severity: "critical",
  category: "kubernetes",
  kind: "security",
  rationale:
    "A privileged container has every capability and access to host devices; escaping to the node is trivial (Pod Security Standards baseline, CIS Kubernetes 5.2.2).",
  remediation: [
    "Remove securityContext.privileged: true from every container, init container and ephemeral container; grant specific capabilities only if unavoidable.",
  ],
  frameworks: { ...k8sFrameworks, cis: ["CIS Kubernetes 5.2.2 (minimize privileged containers)"] },
  resources: {
    kubernetes: workloadChecks((pod) =>
      containersOf(pod)
        .filter((c) => isTrue(get(c.spec, "securityContext.privileged")))
        .map((c) => `${containerLabel(c)} runs privileged`),
    ),
  },
});
