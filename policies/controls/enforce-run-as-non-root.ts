import { containerLabel, containersOf } from "../lib/checks";
import { defineControl } from "../lib/define";
import { k8sFrameworks, workloadChecks } from "../lib/k8s-control";
import { get, isFalse, isTrue, num } from "../lib/props";

export const enforceRunAsNonRoot = defineControl({
  id: "enforce-run-as-non-root",
  title: "Containers run as a non-root user",
  severity: "high",
  category: "kubernetes",
  kind: "security",
  rationale:
    "Root in a container is root on the node's kernel interface; a process escape or a writable host mount becomes full node compromise (Pod Security Standards restricted, CIS Kubernetes 5.2.6).",
  remediation: [
    "Set securityContext.runAsNonRoot: true on the pod (or on every container) and a non-zero runAsUser; never runAsUser: 0.",
  ],
  frameworks: { ...k8sFrameworks, cis: ["CIS Kubernetes 5.2.6 (minimize root containers)"] },
  resources: {
    kubernetes: workloadChecks((pod) => {
      const podNonRoot = isTrue(get(pod, "securityContext.runAsNonRoot"));
      const podUser = num(get(pod, "securityContext.runAsUser"));
      const out: string[] = [];
      if (podUser === 0) out.push("pod securityContext.runAsUser is 0 (root)");
      for (const c of containersOf(pod)) {
        if (c.kind === "ephemeralContainer") continue;
        const user = num(get(c.spec, "securityContext.runAsUser"));
        const nonRoot = get(c.spec, "securityContext.runAsNonRoot");
        if (user === 0) out.push(`${containerLabel(c)} runs as user 0 (root)`);
        else if (isFalse(nonRoot)) out.push(`${containerLabel(c)} sets runAsNonRoot: false`);
        else if (!podNonRoot && !isTrue(nonRoot) && (user ?? podUser ?? 0) === 0) {
          out.push(`${containerLabel(c)} does not set runAsNonRoot: true (pod or container)`);
        }
      }
      return out;
    }),
  },
});
