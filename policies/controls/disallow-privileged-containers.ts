import { containerLabel, containersOf } from "../lib/checks";
import { defineControl } from "../lib/define";
import { k8sFrameworks, workloadChecks } from "../lib/k8s-control";
import { get, isTrue, list } from "../lib/props";

/** Capabilities the Pod Security Standards baseline profile allows a container to add. */
const baselineCapabilities = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

export const disallowPrivilegedContainers = defineControl({
  id: "disallow-privileged-containers",
  title: "No privileged containers, privilege escalation or added host capabilities",
  severity: "critical",
  category: "kubernetes",
  kind: "security",
  rationale:
    "A privileged container has every capability and access to host devices; escaping to the node is trivial (Pod Security Standards baseline, CIS Kubernetes 5.2.2). Privilege escalation (setuid binaries gaining more than the parent) and added capabilities such as SYS_ADMIN give the same escape routes (PSS baseline/restricted, CIS Kubernetes 5.2.5, 5.2.8).",
  remediation: [
    "Remove securityContext.privileged: true from every container, init container and ephemeral container; grant specific capabilities only if unavoidable.",
    "Do not set securityContext.allowPrivilegeEscalation: true, and add no capability beyond the Pod Security Standards baseline set (no SYS_ADMIN, NET_ADMIN, SYS_PTRACE, ALL, ...).",
  ],
  frameworks: {
    ...k8sFrameworks,
    cis: [
      "CIS Kubernetes 5.2.2 (minimize privileged containers)",
      "CIS Kubernetes 5.2.5 (minimize allowPrivilegeEscalation)",
      "CIS Kubernetes 5.2.8 (minimize added capabilities)",
    ],
  },
  resources: {
    kubernetes: workloadChecks((pod) =>
      containersOf(pod).flatMap((c) => {
        const out: string[] = [];
        if (isTrue(get(c.spec, "securityContext.privileged")))
          out.push(`${containerLabel(c)} runs privileged`);
        if (isTrue(get(c.spec, "securityContext.allowPrivilegeEscalation")))
          out.push(`${containerLabel(c)} sets allowPrivilegeEscalation: true`);
        const added = list(get(c.spec, "securityContext.capabilities.add"))
          .map((x) => String(x).toUpperCase().replace(/^CAP_/, ""))
          .filter((x) => !baselineCapabilities.has(x));
        if (added.length > 0) out.push(`${containerLabel(c)} adds capabilities ${added.join(", ")}`);
        return out;
      }),
    ),
  },
});
