/**
 * The Kubernetes baseline (providers/kubernetes/baseline.ts) under the mock harness: the real inputs of
 * every object, the explicit provider built from the cluster's kubeconfig (a secret, depending on the
 * cluster), and the verdict of the real policy pack on the result and on mutated copies of it. Then the
 * whole program with a test-only cluster implementation on one cloud, judged by the gate as a user runs it
 * (no cloud implements the cluster yet on this branch).
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { clusterBaseline, dnsPeers, limitsFor, quotaFor } from "../providers/kubernetes/baseline";
import { runProgram, secretSig, sigKey, type Plan, type PlanResource } from "../tools/harness";
import { loadStack } from "../tools/gate/inputs";
import { evaluate } from "../tools/gate/evaluate";
import { packProgram, runGate } from "../tools/gate/cli";
import { loadPolicyConfig } from "../tools/gate/policy-config";
import type { GateInput, GateResource } from "../tools/gate/model";
import { implementations } from "../providers";
import type { CloudImplementation } from "../providers/types";
import { root } from "./helpers";

const namespaces = ["apps", "payments", "platform-system"];

class TestProvider extends pulumi.ProviderResource {
  constructor(name: string, opts: pulumi.ResourceOptions) {
    super("test", name, {}, opts);
  }
}

class FakeCluster extends pulumi.CustomResource {
  constructor(name: string, opts: pulumi.CustomResourceOptions) {
    super("test:index:Cluster", name, {}, opts);
  }
}

/** A stand-in cluster (its own explicit provider) and the baseline on a kubeconfig derived from it. */
function baselineProgram(production: boolean) {
  return async (): Promise<void> => {
    const parent = new pulumi.ComponentResource("platform:compute:Cluster", "primary-cluster", {});
    const provider = new TestProvider("primary", { parent });
    const cluster = new FakeCluster("primary-cluster-control-plane", { parent, provider });
    const kubeconfig = pulumi.secret(
      cluster.id.apply((id) =>
        [
          "apiVersion: v1",
          "kind: Config",
          `clusters: [{name: ${id}, cluster: {server: "https://10.0.0.10", certificate-authority-data: "LS0t"}}]`,
          `users: [{name: deployer, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: [eks, get-token, --cluster-name, ${id}]}}}]`,
        ].join("\n"),
      ),
    );
    clusterBaseline("primary-cluster", {
      kubeconfig,
      clusterIdentifier: cluster.id,
      namespaces,
      systemNamespace: "platform-system",
      kubernetesVersion: "1.33",
      production,
      parent,
    });
  };
}

async function planOfBaseline(production: boolean): Promise<Plan> {
  const result = await runProgram({ stack: "dev", program: baselineProgram(production) });
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return result.plan;
}

const isSecret = (v: unknown) =>
  v !== null && typeof v === "object" && (v as Record<string, unknown>)[sigKey] === secretSig;

function one(plan: Plan, type: string, name: string): PlanResource {
  const found = plan.resources.filter((r) => r.type === type && r.name === name);
  assert.equal(found.length, 1, `one ${type} ${name}`);
  return found[0]!;
}

const nsType = "kubernetes:core/v1:Namespace";
const npType = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const quotaType = "kubernetes:core/v1:ResourceQuota";
const limitType = "kubernetes:core/v1:LimitRange";

describe("the Kubernetes baseline", () => {
  let dev: Plan;
  let prod: Plan;
  before(async function () {
    this.timeout(120000);
    dev = await planOfBaseline(false);
    prod = await planOfBaseline(true);
  });

  it("builds an explicit provider from the cluster's kubeconfig, kept secret, after the cluster", () => {
    const p = one(dev, "pulumi:providers:kubernetes", "primary-cluster-kubernetes");
    const cluster = one(dev, "test:index:Cluster", "primary-cluster-control-plane");
    assert.ok(isSecret(p.inputs.kubeconfig), "kubeconfig is a secret");
    assert.ok(p.propertyDependencies.kubeconfig?.includes(cluster.urn), "kubeconfig depends on the cluster");
    assert.ok(p.dependencies.includes(cluster.urn));
    assert.equal(p.inputs.clusterIdentifier, cluster.id);
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(p.inputs).filter(([k]) => !["kubeconfig", "clusterIdentifier"].includes(k)),
      ),
      {
        // The provider sends its non-string settings as JSON text, as the engine records them.
        enableServerSideApply: "true",
        enablePatchForce: "false",
        upsertExistingObjects: "false",
        deleteUnreachable: "false",
        skipUpdateUnreachable: "false",
        enableConfigMapMutable: "false",
        enableSecretMutable: "false",
      },
    );
  });

  it("creates exactly the namespace, two policies, a quota and a limit range per namespace, all on that provider", () => {
    const k8s = dev.resources.filter((r) => r.type.startsWith("kubernetes:"));
    assert.equal(k8s.length, namespaces.length * 5);
    const provider = one(dev, "pulumi:providers:kubernetes", "primary-cluster-kubernetes");
    for (const r of k8s) {
      assert.ok(r.provider.startsWith(`${provider.urn}::`), `${r.urn} uses the cluster's provider`);
      assert.ok(r.parent.endsWith("::primary-cluster"), `${r.urn} is a child of the cluster`);
    }
  });

  for (const ns of namespaces) {
    it(`${ns}: Pod Security restricted (enforce pinned to the cluster version), default deny both ways, DNS egress`, () => {
      const namespace = one(dev, nsType, `primary-cluster-ns-${ns}`);
      assert.equal(namespace.inputs.apiVersion, "v1");
      assert.equal(namespace.inputs.kind, "Namespace");
      assert.deepEqual(namespace.inputs.metadata, {
        name: ns,
        labels: {
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": "v1.33",
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/audit-version": "latest",
          "pod-security.kubernetes.io/warn": "restricted",
          "pod-security.kubernetes.io/warn-version": "latest",
        },
      });
      assert.equal(namespace.id, ns);
      const deny = one(dev, npType, `primary-cluster-${ns}-default-deny`);
      assert.deepEqual(deny.inputs, {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "default-deny-all", namespace: ns },
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
      });
      const dns = one(dev, npType, `primary-cluster-${ns}-allow-dns`);
      assert.deepEqual(dns.inputs, {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "allow-dns-egress", namespace: ns },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                  podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                },
                { ipBlock: { cidr: "169.254.20.10/32" } },
                { ipBlock: { cidr: "169.254.169.254/32" } },
              ],
              ports: [
                { protocol: "UDP", port: 53 },
                { protocol: "TCP", port: 53 },
              ],
            },
          ],
        },
      });
      assert.equal(dnsPeers.length, 3);
      // Namespaced objects take the namespace from the Namespace's output: created after it.
      for (const r of [deny, dns, one(dev, quotaType, `primary-cluster-${ns}-quota`)]) {
        assert.deepEqual(
          r.propertyDependencies.metadata,
          [namespace.urn],
          `${r.name} depends on its namespace`,
        );
        assert.equal(r.id, `${ns}/${(r.inputs.metadata as { name: string }).name}`);
      }
    });
  }

  it("sizes quotas and limits for production or not; no load balancers or node ports outside platform-system", () => {
    for (const [plan, production] of [
      [dev, false],
      [prod, true],
    ] as const) {
      for (const ns of namespaces) {
        const system = ns === "platform-system";
        const quota = one(plan, quotaType, `primary-cluster-${ns}-quota`);
        assert.deepEqual(quota.inputs, {
          apiVersion: "v1",
          kind: "ResourceQuota",
          metadata: { name: "platform-quota", namespace: ns },
          spec: { hard: quotaFor(system, production) },
        });
        const hard = quotaFor(system, production);
        assert.equal(hard["services.loadbalancers"], system ? "2" : "0");
        assert.equal(hard["services.nodeports"], "0");
        const limits = one(plan, limitType, `primary-cluster-${ns}-limits`);
        assert.deepEqual(limits.inputs, {
          apiVersion: "v1",
          kind: "LimitRange",
          metadata: { name: "platform-limits", namespace: ns },
          spec: { limits: limitsFor(system, production) },
        });
      }
    }
    assert.deepEqual(quotaFor(false, false), {
      "requests.cpu": "4",
      "requests.memory": "8Gi",
      "limits.cpu": "8",
      "limits.memory": "16Gi",
      pods: "50",
      services: "20",
      "services.loadbalancers": "0",
      "services.nodeports": "0",
      persistentvolumeclaims: "10",
      "requests.storage": "100Gi",
    });
    assert.equal(
      quotaFor(true, true)["requests.cpu"],
      "32",
      "the system namespace's production quota is the largest",
    );
    assert.equal(quotaFor(false, true)["requests.cpu"], "16");
    assert.deepEqual(limitsFor(false, false)[0], {
      type: "Container",
      defaultRequest: { cpu: "100m", memory: "128Mi" },
      default: { cpu: "500m", memory: "512Mi" },
      max: { cpu: "2", memory: "4Gi" },
    });
    assert.deepEqual(limitsFor(true, true)[0]!.max, { cpu: "8", memory: "16Gi" });
  });

  it("refuses a namespace list without the system namespace", () => {
    const parent = { urn: pulumi.output("x") } as unknown as pulumi.Resource;
    assert.throws(
      () =>
        clusterBaseline("c", {
          kubeconfig: "k",
          clusterIdentifier: "c",
          namespaces: ["apps"],
          systemNamespace: "platform-system",
          kubernetesVersion: "1.33",
          production: false,
          parent,
        }),
      /must include the system namespace platform-system/,
    );
  });

  describe("judged by the policy pack", () => {
    let input: GateInput;
    before(async function () {
      this.timeout(120000);
      input = await loadStack("dev", root, { program: baselineProgram(true) });
    });

    async function verdict(resources: readonly GateResource[]) {
      const packDir = path.join(root, "policies");
      const deployabilityDir = path.join(packDir, "deployability");
      const result = await evaluate(
        { ...input, resources },
        {
          packs: [
            {
              packDir,
              program: packProgram(root, packDir),
              policyConfig: loadPolicyConfig(path.join(root, "policies", "config", "prod.json")),
              policyConfigFile: "policies/config/prod.json",
            },
            {
              packDir: deployabilityDir,
              program: packProgram(root, deployabilityDir),
              policyConfig: {},
              policyConfigFile: "pack defaults",
            },
          ],
          root,
        },
      );
      const found = result.findings
        .filter((f) => f.enforcement === "mandatory" && f.kind === "violation")
        .map((f) => `${f.control} ${f.urn.split("::").pop()}: ${f.message}`);
      return { found, evaluated: result.evaluated };
    }

    /** `edit` applied to a deep copy of the inputs and state of the resource named `name`. */
    function mutate(
      resources: readonly GateResource[],
      name: string,
      edit: (props: Record<string, unknown>) => void,
    ): GateResource[] {
      return resources.map((r) => {
        if (r.name !== name) return r;
        const inputs = structuredClone(r.inputs) as Record<string, unknown>;
        const state = structuredClone(r.state) as Record<string, unknown>;
        edit(inputs);
        edit(state);
        return { ...r, inputs: inputs as GateResource["inputs"], state: state as GateResource["state"] };
      });
    }

    it("passes with no mandatory violation, every baseline control having judged the objects", async function () {
      this.timeout(180000);
      const { found, evaluated } = await verdict(input.resources);
      assert.deepEqual(found, []);
      const namespaceUrns = input.resources.filter((r) => r.type === nsType).map((r) => r.urn);
      assert.equal(namespaceUrns.length, 3);
      assert.deepEqual(
        (evaluated.get("enforce-namespace-pod-security") ?? []).filter((u) => namespaceUrns.includes(u))
          .length,
        3,
        "the Pod Security control judged every namespace",
      );
      for (const control of ["enforce-namespace-default-deny", "enforce-namespace-quotas-and-limits"])
        assert.ok(evaluated.has(control), `${control} ran`);
    });

    it("rejects mutated copies: no Pod Security label, ingress-only default deny, no quota, no limit range, default above max", async function () {
      this.timeout(180000);
      let resources = mutate(input.resources, "primary-cluster-ns-apps", (p) => {
        delete (p.metadata as { labels: Record<string, string> }).labels[
          "pod-security.kubernetes.io/enforce"
        ];
      });
      resources = mutate(resources, "primary-cluster-payments-default-deny", (p) => {
        (p.spec as { policyTypes: string[] }).policyTypes = ["Ingress"];
      });
      resources = mutate(resources, "primary-cluster-payments-limits", (p) => {
        const items = (p.spec as { limits: { default?: Record<string, string> }[] }).limits;
        items[0]!.default = { cpu: "8", memory: "512Mi" };
      });
      resources = resources.filter(
        (r) => r.name !== "primary-cluster-platform-system-quota" && r.name !== "primary-cluster-apps-limits",
      );
      const { found } = await verdict(resources);
      assert.deepEqual(found.sort(), [
        "enforce-namespace-default-deny primary-cluster-ns-payments: namespace has no default-deny egress NetworkPolicy",
        "enforce-namespace-pod-security primary-cluster-ns-apps: namespace has no pod-security.kubernetes.io/enforce label (Pod Security Admission falls back to privileged)",
        "enforce-namespace-quotas-and-limits primary-cluster-ns-apps: namespace has no LimitRange giving containers default cpu and memory limits",
        "enforce-namespace-quotas-and-limits primary-cluster-ns-platform-system: namespace has no ResourceQuota",
        "require-kubernetes-create-time-settings primary-cluster-payments-limits: spec.limits[0] cpu: default value 8 is greater than max value 4: the API server rejects the LimitRange. Source: https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go",
      ]);
    });
  });
});

describe("a site with a cluster (test-only cluster implementation on AWS)", () => {
  const aws = implementations.aws as {
    -readonly [K in keyof CloudImplementation<"aws">]: CloudImplementation<"aws">[K];
  };
  const saved = { cluster: aws.cluster, registry: aws.registry };
  before(() => {
    aws.cluster = (name, _ctx, inputs) => ({
      clusterName: pulumi.output(name),
      clusterId: pulumi.output(`arn:aws:eks:us-east-1:123456789012:cluster/${name}`),
      endpoint: pulumi.output("https://ABCDEF.gr7.us-east-1.eks.amazonaws.com"),
      kubeconfig: pulumi.output("apiVersion: v1\nkind: Config\n"),
      oidcIssuer: pulumi.output("https://oidc.eks.us-east-1.amazonaws.com/id/ABCDEF"),
      nodeIdentity: pulumi.output("arn:aws:iam::123456789012:role/nodes"),
      version: inputs.settings.version,
    });
    aws.registry = () => ({
      registryId: pulumi.output("arn:aws:ecr:us-east-1:123456789012:repository/platform"),
      registryUrl: pulumi.output("123456789012.dkr.ecr.us-east-1.amazonaws.com/platform"),
    });
  });
  after(() => {
    aws.cluster = saved.cluster;
    aws.registry = saved.registry;
  });

  it("dev: every AWS site gets the baseline, labelled with the required tags, and the gate passes", async function () {
    this.timeout(300000);
    const result = await runProgram({ stack: "dev" });
    if (!result.ok) throw new Error(result.errors.join("\n"));
    const awsSites = result.plan.resources.filter(
      (r) => r.type === "pulumi:providers:aws" && (r.name === "primary" || r.name === "secondary"),
    );
    const k8s = result.plan.resources.filter((r) => r.type.startsWith("kubernetes:"));
    assert.ok(awsSites.length > 0, "the dev stack has an AWS site");
    // Counted per AWS site (the other clouds' clusters may land too): apps and platform-system, five objects each.
    for (const site of awsSites) {
      const mine = k8s.filter((r) => r.name.startsWith(`${site.name}-cluster-`));
      assert.equal(mine.length, 2 * 5, `${site.name}: the baseline's objects`);
      const ns = mine.filter((r) => r.type === "kubernetes:core/v1:Namespace");
      assert.equal(ns.length, 2);
      for (const n of ns)
        assert.equal(
          (n.inputs.metadata as { labels: Record<string, string> }).labels["site-role"],
          site.name,
          `${n.name} is labelled with its site's role`,
        );
    }
    for (const r of k8s) {
      const labels = (r.inputs.metadata as { labels?: Record<string, string> }).labels ?? {};
      for (const tag of [
        "environment",
        "owner",
        "cost-center",
        "data-classification",
        "managed-by",
        "site-role",
      ])
        assert.ok(labels[tag], `${r.urn} is labelled ${tag}`);
    }
    let out = "";
    const code = await runGate(["--stack", "dev", "--format", "json"], {
      stdout: (s) => (out += s),
      stderr: () => undefined,
      isTty: false,
      cwd: root,
    });
    const doc = JSON.parse(out) as {
      findings: { kind: string; control: string; enforcement: string; urn: string; message: string }[];
    };
    assert.deepEqual(
      doc.findings
        .filter((f) => f.kind !== "waived" && f.enforcement === "mandatory")
        .map((f) => `${f.control} ${f.urn}: ${f.message}`),
      [],
    );
    assert.equal(code, 0);
  });
});
