/** Kubernetes create-time rules: namespaces before their objects, valid Pod Security labels, ordered LimitRange bounds. */
import { strict as assert } from "node:assert";
import { UNKNOWN } from "../policies/harness";
import { quantity } from "../../policies/deployability/rules/require-kubernetes-create-time-settings";
import { res, ruleCases } from "./cases";

const ns = res("kubernetes:core/v1:Namespace", "apps-ns", { metadata: { name: "apps" } });
const clusterA = { type: "pulumi:providers:kubernetes", name: "primary-cluster-kubernetes" };
const clusterB = { type: "pulumi:providers:kubernetes", name: "secondary-cluster-kubernetes" };
const policy = (namespace: unknown, extra: Record<string, unknown> = {}) =>
  res(
    "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    "deny",
    {
      metadata: { name: "default-deny-all", namespace },
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    },
    extra,
  );

ruleCases("require-kubernetes-namespace-before-objects", [
  {
    title: "a policy naming the namespace by a literal, created at the same time",
    cloud: "kubernetes",
    expect: "reject",
    stack: [ns, policy("apps")],
    on: "deny",
    match: /namespace apps without depending on the Namespace apps-ns.*namespacelifecycle/,
  },
  {
    title: "namespace taken from the Namespace's output (property dependency)",
    cloud: "kubernetes",
    expect: "accept",
    stack: [ns, policy(UNKNOWN, { propertyDependencies: { metadata: ["apps-ns"] } })],
  },
  {
    title: "literal namespace with dependsOn",
    cloud: "kubernetes",
    expect: "accept",
    stack: [ns, policy("apps", { dependencies: ["apps-ns"] })],
  },
  {
    title: "two clusters with the same namespace name: each object depends on its own cluster's namespace",
    cloud: "kubernetes",
    expect: "accept",
    stack: [
      res("kubernetes:core/v1:Namespace", "a-ns", { metadata: { name: "apps" } }, { provider: clusterA }),
      res("kubernetes:core/v1:Namespace", "b-ns", { metadata: { name: "apps" } }, { provider: clusterB }),
      policy("apps", { provider: clusterA, dependencies: ["a-ns"] }),
      res(
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        "deny-b",
        { metadata: { name: "default-deny-all", namespace: "apps" }, spec: { podSelector: {} } },
        { provider: clusterB, dependencies: ["b-ns"] },
      ),
    ],
  },
  {
    title: "two clusters: an object waiting for the other cluster's namespace is not ordered",
    cloud: "kubernetes",
    expect: "reject",
    stack: [
      res("kubernetes:core/v1:Namespace", "a-ns", { metadata: { name: "apps" } }, { provider: clusterA }),
      res("kubernetes:core/v1:Namespace", "b-ns", { metadata: { name: "apps" } }, { provider: clusterB }),
      policy("apps", { provider: clusterB, dependencies: ["a-ns"] }),
    ],
    on: "deny",
    match: /without depending on the Namespace b-ns/,
  },
  {
    title: "a namespace the stack does not create (kube-system)",
    cloud: "kubernetes",
    expect: "accept",
    stack: [ns, policy("kube-system")],
  },
]);

const namespace = (labels: Record<string, unknown>) =>
  res("kubernetes:core/v1:Namespace", "apps-ns", { metadata: { name: "apps", labels } });
const limitRange = (item: Record<string, unknown>) =>
  res("kubernetes:core/v1:LimitRange", "limits", {
    metadata: { name: "limits", namespace: "apps" },
    spec: { limits: [{ type: "Container", ...item }] },
  });

ruleCases("require-kubernetes-create-time-settings", [
  {
    title: "Pod Security level misspelt",
    cloud: "kubernetes",
    expect: "reject",
    resource: namespace({ "pod-security.kubernetes.io/enforce": "strict" }),
    match: /pod-security.kubernetes.io\/enforce: strict is not privileged, baseline, restricted/,
  },
  {
    title: "Pod Security version without the v",
    cloud: "kubernetes",
    expect: "reject",
    resource: namespace({
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/enforce-version": "1.33",
    }),
    match: /enforce-version: 1.33 is not latest or v1.<minor>/,
  },
  {
    title: "restricted pinned to v1.33, warn at latest",
    cloud: "kubernetes",
    expect: "accept",
    resource: namespace({
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/enforce-version": "v1.33",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/warn-version": "latest",
      "app.kubernetes.io/part-of": "platform",
    }),
  },
  {
    title: "default limit above max",
    cloud: "kubernetes",
    expect: "reject",
    resource: limitRange({ default: { cpu: "4", memory: "512Mi" }, max: { cpu: "2", memory: "4Gi" } }),
    match: /cpu: default value 4 is greater than max value 2/,
  },
  {
    title: "default request above default limit (units differ)",
    cloud: "kubernetes",
    expect: "reject",
    resource: limitRange({ defaultRequest: { memory: "1Gi" }, default: { memory: "512Mi" } }),
    match: /memory: default request value 1Gi is greater than default limit value 512Mi/,
  },
  {
    title: "min above the default request",
    cloud: "kubernetes",
    expect: "reject",
    resource: limitRange({ min: { cpu: "200m" }, defaultRequest: { cpu: "100m" } }),
    match: /min value 200m is greater than default request value 100m/,
  },
  {
    title: "the baseline's container limits: 100m/128Mi <= 500m/512Mi <= 2/4Gi",
    cloud: "kubernetes",
    expect: "accept",
    resource: limitRange({
      defaultRequest: { cpu: "100m", memory: "128Mi" },
      default: { cpu: "500m", memory: "512Mi" },
      max: { cpu: "2", memory: "4Gi" },
    }),
  },
]);

describe("Kubernetes quantities", () => {
  it("parses decimal, binary and exponent suffixes", () => {
    assert.equal(quantity("500m"), 0.5);
    assert.equal(quantity("2"), 2);
    assert.equal(quantity("512Mi"), 512 * 2 ** 20);
    assert.equal(quantity("1G"), 1e9);
    assert.equal(quantity("1e3"), 1000);
    assert.equal(quantity("1.5Gi"), 1.5 * 2 ** 30);
    assert.equal(quantity("ten"), undefined);
    assert.ok(quantity("1Gi")! > quantity("1G")!);
  });
});
