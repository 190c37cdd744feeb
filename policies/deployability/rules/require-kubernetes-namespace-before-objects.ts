/**
 * The API server refuses an object in a namespace that does not exist yet (the NamespaceLifecycle
 * admission plugin). Unless a namespaced object depends on the Namespace the stack creates for it, the
 * engine creates both at once and the first deploy fails with `namespaces "<name>" not found`.
 */
import { finding } from "../../lib/checks";
import { UNKNOWN, peek } from "../../lib/props";
import { dependsOn } from "../lib/graph";
import type { Finding, Rule, Source, Subject } from "../lib/rule";

const source: Source = {
  url: "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#namespacelifecycle",
  quote:
    "This admission controller enforces that a Namespace that is undergoing termination cannot have new objects created in it, and ensures that requests in a non-existent Namespace are rejected.",
};

const namespaceType = "kubernetes:core/v1:Namespace";

function namespaceFirst(subjects: readonly Subject[]): Finding[] {
  const out: Finding[] = [];
  // Namespaces are per cluster: the same name in two sites' clusters are two namespaces (one provider each).
  const key = (s: Subject, name: string) => `${s.provider?.urn ?? ""}|${name}`;
  const namespaces = new Map<string, Subject>();
  for (const ns of subjects.filter((s) => s.type === namespaceType)) {
    const name = peek(ns.props, "metadata.name");
    if (typeof name === "string") namespaces.set(key(ns, name), ns);
  }
  if (namespaces.size === 0) return out;
  for (const s of subjects) {
    if (!s.type.startsWith("kubernetes:") || s.type === namespaceType) continue;
    const name = peek(s.props, "metadata.namespace");
    if (name === UNKNOWN || typeof name !== "string") continue;
    const ns = namespaces.get(key(s, name));
    if (ns && !dependsOn(subjects, s, ns))
      out.push(
        finding(
          s,
          `is created in namespace ${name} without depending on the Namespace ${ns.name}: the API server rejects it while the namespace does not exist. Source: ${source.url}`,
        ),
      );
  }
  return out;
}

export const requireKubernetesNamespaceBeforeObjects: Rule = {
  id: "require-kubernetes-namespace-before-objects",
  title: "Kubernetes objects depend on the Namespace the stack creates for them",
  category: "ordering",
  severity: "high",
  refuses:
    "The Kubernetes API server rejects objects in a namespace that does not exist (NamespaceLifecycle admission); created in parallel with their Namespace, they fail on the first deploy.",
  remediation:
    "Set metadata.namespace from the Namespace resource's output (namespace.metadata.name) or add dependsOn: [namespace].",
  sources: [source],
  stack: (subjects) => namespaceFirst(subjects),
  // Every namespaced kind: the check reads metadata.namespace of any kubernetes resource.
  stackTypes: { kubernetes: [namespaceType, "*"] },
};
