import { finding } from "../lib/checks";
import { defineControl } from "../lib/define";
import { UNKNOWN, list, peek, record } from "../lib/props";
import type { Finding, Subject } from "../lib/types";

const namespaceType = "kubernetes:core/v1:Namespace";
const quotaType = "kubernetes:core/v1:ResourceQuota";
const limitRangeType = "kubernetes:core/v1:LimitRange";

/** A quota that caps something (its spec.hard is computed or not empty). */
function capsSomething(q: Subject): boolean {
  const hard = peek(q.props, "spec.hard");
  return hard === UNKNOWN || Object.keys(record(hard)).length > 0;
}

/** A LimitRange that gives containers a default CPU and memory limit (what a quota on limits needs). */
function defaultsContainers(l: Subject): boolean {
  const limits = peek(l.props, "spec.limits");
  if (limits === UNKNOWN) return true;
  return list(limits).some((item) => {
    if (peek(item, "type") !== "Container") return false;
    const dflt = peek(item, "default");
    return dflt === UNKNOWN || (peek(dflt, "cpu") !== undefined && peek(dflt, "memory") !== undefined);
  });
}

/** The namespaces (by URN and by name) the given objects are in. */
function coverage(objects: readonly Subject[]) {
  const urns = new Set(objects.flatMap((o) => o.propertyDependencies["metadata"] ?? []));
  const names = new Set(objects.map((o) => peek(o.props, "metadata.namespace")));
  return (ns: Subject) => urns.has(ns.urn) || names.has(peek(ns.props, "metadata.name"));
}

export const enforceNamespaceQuotasAndLimits = defineControl({
  id: "enforce-namespace-quotas-and-limits",
  title: "Every namespace has a ResourceQuota and a LimitRange with container defaults",
  severity: "medium",
  category: "kubernetes",
  kind: "security",
  rationale:
    "Without a quota one namespace's workloads (or a compromised one's) can take every node's CPU, memory, load balancers and volumes; without a LimitRange a container that declares no resources runs unbounded and a quota on limits refuses it. Both keep one tenant from denying service to the others (SOC 2 A1.1 capacity; ISO 27001 A.8.6; NSA/CISA Kubernetes Hardening Guidance, resource policies).",
  remediation: [
    "Create in every namespace a ResourceQuota whose spec.hard caps requests and limits of cpu and memory, pods, services.loadbalancers and persistentvolumeclaims, and a LimitRange with a Container item setting default (limits) and defaultRequest for cpu and memory, and max.",
  ],
  frameworks: {
    soc2: ["A1.1", "CC6.8"],
    iso27001: ["A.8.6", "A.8.9"],
    pciDss: ["2.2.1"],
    gdpr: ["Art. 32(1)(b)"],
  },
  uncertain: [
    "No framework names Kubernetes quotas; the mappings are to capacity management and secure configuration. The NSA/CISA guidance (v1.2, 2022) recommends LimitRange and ResourceQuota per namespace.",
  ],
  resources: {},
  stack: (subjects) => {
    const out: Finding[] = [];
    const hasQuota = coverage(subjects.filter((s) => s.type === quotaType && capsSomething(s)));
    const hasLimits = coverage(subjects.filter((s) => s.type === limitRangeType && defaultsContainers(s)));
    for (const ns of subjects.filter((s) => s.type === namespaceType)) {
      if (!hasQuota(ns)) out.push(finding(ns, "namespace has no ResourceQuota"));
      if (!hasLimits(ns))
        out.push(finding(ns, "namespace has no LimitRange giving containers default cpu and memory limits"));
    }
    return out;
  },
  stackTypes: { kubernetes: [namespaceType, quotaType, limitRangeType] },
});
