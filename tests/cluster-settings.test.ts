import { strict as assert } from "node:assert";
import {
  ClusterArgsError,
  kubernetesVersions,
  resolveClusterSettings,
  systemNamespace,
} from "../components/cluster";
import { clusterConfigSchema } from "../components/cluster-config";
import { clouds } from "../components/regions";
import { kubernetesLabel } from "../components/tags";

describe("cluster settings", () => {
  it("defaults: the catalog's version, 3-6 nodes and a private endpoint in production, 1-3 elsewhere", () => {
    for (const cloud of clouds) {
      const prod = resolveClusterSettings({}, cloud, true);
      assert.equal(prod.version, kubernetesVersions[cloud].default);
      assert.deepEqual(prod.nodes, { min: 3, max: 6, machineType: undefined });
      assert.deepEqual(
        [prod.publicEndpoint, prod.authorizedCidrs, prod.spot, prod.deletionProtection],
        [false, [], undefined, true],
      );
      assert.deepEqual(prod.namespaces, ["apps", systemNamespace]);
      const dev = resolveClusterSettings({}, cloud, false);
      assert.deepEqual([dev.nodes.min, dev.nodes.max, dev.deletionProtection], [1, 3, false]);
    }
    // A larger minimum raises the default maximum with it.
    assert.deepEqual(resolveClusterSettings({ nodes: { min: 8 } }, "aws", true).nodes.max, 8);
  });

  it("a public endpoint only outside production and only for the listed CIDRs", () => {
    const dev = resolveClusterSettings(
      { authorizedCidrs: ["203.0.113.0/24"], spot: { max: 4 } },
      "gcp",
      false,
    );
    assert.deepEqual(
      [dev.publicEndpoint, dev.authorizedCidrs, dev.spot],
      [true, ["203.0.113.0/24"], { max: 4 }],
    );
  });

  it("rejects unsafe or impossible settings, naming the setting, the expectation and the value", () => {
    const unsupported = kubernetesVersions.azure.supported.includes("1.20") ? "1.19" : "1.20";
    const cases: [Parameters<typeof resolveClusterSettings>, RegExp][] = [
      [
        [{ version: unsupported }, "azure", false],
        new RegExp(`cluster.version must be one of .* got ${unsupported}`),
      ],
      [
        [{ nodes: { min: 5, max: 2 } }, "aws", false],
        /cluster.nodes.min \(5\) must be at most cluster.nodes.max \(2\)/,
      ],
      [[{ spot: { max: 3 } }, "gcp", true], /cluster.spot is for non-production stacks only/],
      [
        [{ authorizedCidrs: ["198.51.100.0/24"] }, "aws", true],
        /must be empty in production.*198.51.100.0\/24/,
      ],
      [
        [{ authorizedCidrs: ["0.0.0.0/0"] }, "azure", false],
        /must not open the API server to everyone, got 0.0.0.0\/0/,
      ],
      [
        [{ namespaces: ["apps", systemNamespace] }, "gcp", false],
        /must be distinct and must not include platform-system/,
      ],
      [[{ namespaces: ["apps", "apps"] }, "gcp", false], /must be distinct/],
    ];
    for (const [args, message] of cases) {
      assert.throws(
        () => resolveClusterSettings(...args),
        (e: unknown) => e instanceof ClusterArgsError && message.test(e.message),
        String(message),
      );
    }
  });

  it("every catalog default is one of its supported versions", () => {
    for (const cloud of clouds) {
      const { supported, default: version } = kubernetesVersions[cloud];
      assert.ok(supported.includes(version), `${cloud}: ${version} not in ${supported.join(", ")}`);
      for (const v of supported) assert.match(v, /^1\.\d{2}$/);
    }
  });

  it("the stack schema rejects unknown keys, bad names and inverted bounds", () => {
    assert.equal(clusterConfigSchema.safeParse({ version: "1.33", nodes: { min: 1, max: 2 } }).success, true);
    assert.equal(clusterConfigSchema.safeParse({ versions: "1.33" }).success, false);
    assert.equal(clusterConfigSchema.safeParse({ version: "v1.33.2" }).success, false);
    assert.equal(clusterConfigSchema.safeParse({ nodes: { min: 4, max: 2 } }).success, false);
    assert.equal(clusterConfigSchema.safeParse({ namespaces: ["Apps"] }).success, false);
    assert.equal(clusterConfigSchema.safeParse({ authorizedCidrs: ["10.0.0.0/33"] }).success, false);
    assert.equal(clusterConfigSchema.safeParse({ authorizedCidrs: ["10.0.0.0"] }).success, false);
    // Public ranges are what a public endpoint's allow list names.
    assert.equal(clusterConfigSchema.safeParse({ authorizedCidrs: ["203.0.113.0/24"] }).success, true);
  });
});

describe("required tags as Kubernetes labels", () => {
  it("trims what Kubernetes refuses at either end and cuts to 63 characters; cloud tags keep the value", () => {
    assert.equal(kubernetesLabel("a--bcdefghijklm-"), "a--bcdefghijklm");
    assert.equal(kubernetesLabel("_qa_"), "qa");
    assert.equal(kubernetesLabel("internal"), "internal");
    const long = `${"a".repeat(62)}-b`;
    assert.equal(kubernetesLabel(long), "a".repeat(62));
    assert.equal(kubernetesLabel("--"), "");
  });
});
