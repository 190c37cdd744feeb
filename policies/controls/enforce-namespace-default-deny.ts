import { finding, k8sWorkloadTypes, namespaceOf } from "../lib/checks";
import { defineControl } from "../lib/define";
import { UNKNOWN, list, peek } from "../lib/props";
import type { Finding, Subject } from "../lib/types";

const netpolType = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

type Direction = "Ingress" | "Egress";

/** A NetworkPolicy selecting every pod with `direction` in policyTypes and no rule for it. */
function isDefaultDeny(np: Subject, direction: Direction): boolean {
  const selector = peek(np.props, "spec.podSelector");
  const emptySelector =
    selector === undefined ||
    (selector !== UNKNOWN &&
      Object.keys((peek(selector, "matchLabels") as Record<string, unknown> | undefined) ?? {}).length ===
        0 &&
      list(peek(selector, "matchExpressions")).length === 0);
  const types = list(peek(np.props, "spec.policyTypes")).map(String);
  const rules = list(peek(np.props, direction === "Ingress" ? "spec.ingress" : "spec.egress"));
  return emptySelector && types.includes(direction) && rules.length === 0;
}

/** Whether a namespace (a Namespace subject, or a name a workload uses) has a default-deny policy for `direction`. */
function coverageOf(subjects: readonly Subject[], direction: Direction) {
  const policies = subjects.filter((s) => s.type === netpolType && isDefaultDeny(s, direction));
  // Sets read once (linear): namespaces a default-deny policy depends on, names it declares, namespaces it is in.
  const policyDeps = new Set(policies.flatMap((p) => p.propertyDependencies["metadata"] ?? []));
  const policyNamespaces = new Set(policies.map((p) => peek(p.props, "metadata.namespace")));
  const policyIn = new Set<unknown>(policies.map((p) => namespaceOf(p)));
  return (ns: Subject | string) =>
    typeof ns !== "string"
      ? policyDeps.has(ns.urn) || policyNamespaces.has(peek(ns.props, "metadata.name"))
      : policyIn.has(ns);
}

export const enforceNamespaceDefaultDeny = defineControl({
  id: "enforce-namespace-default-deny",
  title: "Every namespace has default-deny NetworkPolicies for ingress and egress",
  severity: "high",
  category: "kubernetes",
  kind: "security",
  rationale:
    "Kubernetes allows all pod-to-pod traffic by default; a default-deny policy per namespace for ingress and for egress makes every allowed flow explicit, the in-cluster equivalent of network segmentation, and keeps a compromised pod from reaching other services or exfiltrating (PCI DSS 1.2.1, 1.3.1, 1.3.2; CIS Kubernetes 5.3.2).",
  remediation: [
    'Add to every namespace a NetworkPolicy with spec.podSelector {} and policyTypes ["Ingress", "Egress"] without rules (or one such policy per direction), then allow required flows, DNS egress first, with specific policies.',
  ],
  frameworks: {
    soc2: ["CC6.6", "CC6.1"],
    iso27001: ["A.8.22", "A.8.20"],
    pciDss: ["1.2.1", "1.3.1", "1.3.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["CIS Kubernetes 5.3.2 (all namespaces have network policies)"],
  },
  resources: {},
  stack: (subjects) => {
    const out: Finding[] = [];
    const covered = { Ingress: coverageOf(subjects, "Ingress"), Egress: coverageOf(subjects, "Egress") };
    const missing = (ns: Subject | string) =>
      (["Ingress", "Egress"] as const).filter((d) => !covered[d](ns)).map((d) => d.toLowerCase());
    const namespaces = subjects.filter((s) => s.type === "kubernetes:core/v1:Namespace");
    const namespaceUrns = new Set(namespaces.map((n) => n.urn));
    for (const ns of namespaces) {
      const lacks = missing(ns);
      if (lacks.length > 0)
        out.push(finding(ns, `namespace has no default-deny ${lacks.join(" and ")} NetworkPolicy`));
    }
    const declared = new Set(
      namespaces.map((n) => peek(n.props, "metadata.name")).filter((n): n is string => typeof n === "string"),
    );
    const reported = new Set<string>();
    for (const w of subjects.filter((s) => (k8sWorkloadTypes as readonly string[]).includes(s.type))) {
      const ns = namespaceOf(w);
      if (ns === UNKNOWN || declared.has(ns) || reported.has(ns)) continue;
      if ((w.propertyDependencies["metadata"] ?? []).some((u) => namespaceUrns.has(u))) continue;
      const lacks = missing(ns);
      if (lacks.length > 0) {
        reported.add(ns);
        out.push(
          finding(
            w,
            `namespace ${ns} (used by this workload) has no default-deny ${lacks.join(" and ")} NetworkPolicy`,
          ),
        );
      }
    }
    return out;
  },
  stackTypes: { kubernetes: ["kubernetes:core/v1:Namespace", netpolType, ...k8sWorkloadTypes] },
});
