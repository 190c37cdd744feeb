/** Builds per-workload checks for Kubernetes controls: the same check over every workload kind's pod spec. */
import { k8sWorkloadTypes, podSpecOf } from "./checks";
import type { CheckContext, FrameworkMap, ResourceCheck } from "./types";

export function workloadChecks(
  check: (pod: Record<string, unknown>, ctx: CheckContext) => string[],
): Record<string, ResourceCheck> {
  return Object.fromEntries(
    k8sWorkloadTypes.map((t) => [
      t,
      (props: Record<string, unknown>, ctx: CheckContext) => check(podSpecOf(t, props), ctx),
    ]),
  );
}

export const k8sFrameworks: Partial<FrameworkMap> = {
  soc2: ["CC6.1", "CC6.8"],
  iso27001: ["A.8.9", "A.8.20"],
  pciDss: ["2.2.1", "2.2.5"],
  gdpr: ["Art. 32(1)(b)"],
  lfpdppp: ["Art. 18"],
};
