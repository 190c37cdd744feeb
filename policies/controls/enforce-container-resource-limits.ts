import { containerLabel, containersOf } from "../lib/checks";
import { defineControl } from "../lib/define";
import { workloadChecks } from "../lib/k8s-control";
import { isSet } from "../lib/props";

export const enforceContainerResourceLimits = defineControl({
  id: "enforce-container-resource-limits",
  title: "Containers declare CPU and memory limits",
  severity: "medium",
  category: "kubernetes",
  kind: "security",
  rationale:
    "A container without limits can starve its neighbours and the kubelet, turning one compromised or buggy workload into a node-wide denial of service (SOC 2 A1.1 capacity, ISO 27001 A.8.6).",
  remediation: [
    "Set resources.limits.cpu and resources.limits.memory (and requests) on every container and init container.",
  ],
  frameworks: {
    soc2: ["A1.1", "CC6.8"],
    iso27001: ["A.8.6", "A.8.9"],
    pciDss: ["2.2.1"],
    gdpr: ["Art. 32(1)(b)"],
  },
  uncertain: [
    "PCI DSS 2.2.1 (configuration standards) is an indirect mapping; no requirement names resource limits.",
  ],
  resources: {
    kubernetes: workloadChecks((pod) =>
      containersOf(pod)
        .filter((c) => c.kind !== "ephemeralContainer")
        .flatMap((c) =>
          (["cpu", "memory"] as const)
            .filter((r) => !isSet(c.spec, `resources.limits.${r}`))
            .map((r) => `${containerLabel(c)} has no resources.limits.${r}`),
        ),
    ),
  },
});
