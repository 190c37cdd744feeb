/**
 * Kubernetes objects the API server refuses on create: a Namespace whose Pod Security Admission labels
 * name no level or version (the admission plugin requires valid labels on create), and a LimitRange whose
 * bounds are out of order (API validation requires min <= defaultRequest <= default <= max per resource).
 */
import { UNKNOWN, isUnknownValue, list, peek, record } from "../../lib/props";
import type { Rule, Source } from "../lib/rule";

const psaLabels: Source = {
  url: "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
  quote:
    "pod-security.kubernetes.io/<MODE>: <LEVEL> — MODE must be one of enforce, audit, or warn; LEVEL must be one of privileged, baseline, or restricted. pod-security.kubernetes.io/<MODE>-version: <VERSION> — VERSION must be a valid Kubernetes minor version, or latest.",
};
const psaSource: Source = {
  url: "https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/pod-security-admission/admission/admission.go",
  quote:
    'ValidateNamespace, on create: "require valid labels on create" — a namespace whose Pod Security labels do not parse is rejected (invalidResponse).',
};
const limitRangeSource: Source = {
  url: "https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go",
  quote:
    'ValidateLimitRange: "min value %s is greater than max value %s", "default request value %s is greater than max value %s", "default request value %s is greater than default limit value %s", "default value %s is greater than max value %s", "min value %s is greater than default value %s".',
};

const levels = ["privileged", "baseline", "restricted"];
const version = /^(latest|v1\.(0|[1-9][0-9]*))$/;

function namespaceLabels(props: Record<string, unknown>): string[] {
  const labels = peek(props, "metadata.labels");
  if (labels === UNKNOWN) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(record(labels))) {
    const m = /^pod-security\.kubernetes\.io\/(enforce|audit|warn)(-version)?$/.exec(key);
    if (!m || isUnknownValue(value)) continue;
    const ok = m[2] ? typeof value === "string" && version.test(value) : levels.includes(String(value));
    if (!ok)
      out.push(
        `label ${key}: ${String(value)} is not ${m[2] ? "latest or v1.<minor>" : levels.join(", ")}: Pod Security Admission rejects the namespace on create. Source: ${psaSource.url}`,
      );
  }
  return out;
}

const decimal: Record<string, number> = { m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const binary: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes resource quantity ("500m", "2", "512Mi", "1e3") as a number; undefined when not one. */
export function quantity(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return undefined;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?)$/.exec(
    value.trim(),
  );
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[2]) return n * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? "";
  return n * (binary[suffix] ?? decimal[suffix] ?? 1);
}

const order: readonly [string, string, string][] = [
  ["min", "max", "min value {a} is greater than max value {b}"],
  ["min", "defaultRequest", "min value {a} is greater than default request value {b}"],
  ["defaultRequest", "max", "default request value {a} is greater than max value {b}"],
  ["defaultRequest", "default", "default request value {a} is greater than default limit value {b}"],
  ["min", "default", "min value {a} is greater than default value {b}"],
  ["default", "max", "default value {a} is greater than max value {b}"],
];

function limitRangeOrder(props: Record<string, unknown>): string[] {
  const items = peek(props, "spec.limits");
  if (items === UNKNOWN) return [];
  const out: string[] = [];
  list(items).forEach((item, i) => {
    for (const [lower, upper, message] of order) {
      const lo = record(peek(item, lower));
      const hi = record(peek(item, upper));
      for (const [resource, a] of Object.entries(lo)) {
        const b = hi[resource];
        const qa = quantity(a);
        const qb = quantity(b);
        if (qa !== undefined && qb !== undefined && qa > qb)
          out.push(
            `spec.limits[${i}] ${resource}: ${message.replace("{a}", String(a)).replace("{b}", String(b))}: the API server rejects the LimitRange. Source: ${limitRangeSource.url}`,
          );
      }
    }
  });
  return out;
}

export const requireKubernetesCreateTimeSettings: Rule = {
  id: "require-kubernetes-create-time-settings",
  title: "Kubernetes namespaces and limit ranges pass API validation on create",
  category: "topology",
  severity: "high",
  refuses:
    "The API server rejects a Namespace with an invalid pod-security.kubernetes.io level or version label, and a LimitRange whose min, defaultRequest, default and max are out of order for a resource.",
  remediation:
    "Use the levels privileged, baseline or restricted and the versions latest or v1.<minor> in Pod Security labels; keep min <= defaultRequest <= default <= max for every resource of a LimitRange item.",
  sources: [psaLabels, psaSource, limitRangeSource],
  resources: {
    kubernetes: {
      "kubernetes:core/v1:Namespace": (props) => namespaceLabels(props),
      "kubernetes:core/v1:LimitRange": (props) => limitRangeOrder(props),
    },
  },
};
