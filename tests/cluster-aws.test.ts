/**
 * The AWS cluster and registry (issue 12) as the real program plans them: EKS, its node groups, add-ons,
 * launch template, roles, log group and alarms, and the ECR repository with its policies.
 */
import { strict as assert } from "node:assert";
import type { Plan, PlanResource } from "../tools/harness";
import {
  eksAddons,
  eksKubeconfig,
  eksLogTypes,
  podIdentityTrustPolicy,
  spotInstanceTypes,
  vpcCniServiceAccount,
} from "../providers/aws/cluster";
import { ecrLifecyclePolicy, ecrPullPolicy, untaggedImageDays } from "../providers/aws/registry";
import { byType, componentQueries, planOf } from "./helpers";

type Json = Record<string, unknown>;
const cluster = componentQueries("cluster");
const registry = componentQueries("registry");

const json = (value: unknown): Json => JSON.parse(String(value)) as Json;
const statements = (doc: unknown) => json(doc).Statement as Json[];
const depsOf = (r: PlanResource, key: string) => r.propertyDependencies[key] ?? [];
const named = (plan: Plan, name: string) => plan.resources.find((r) => r.name === name)!;

interface SiteCase {
  readonly label: string;
  readonly stack: string;
  readonly file?: string;
  readonly role: "primary" | "secondary";
  readonly env: string;
  readonly region: string;
  readonly account: string;
  readonly production: boolean;
  readonly zones: number;
  readonly version: string;
  readonly nodes: [number, number, string];
  readonly spot: number | undefined;
  readonly cidrs: string[];
  readonly retention: number;
}

const sites: SiteCase[] = [
  {
    label: "dev secondary",
    stack: "dev",
    role: "secondary",
    env: "dev",
    region: "eu-west-1",
    account: "111111111111",
    production: false,
    zones: 2,
    version: "1.33",
    nodes: [1, 3, "t3.large"],
    spot: 3,
    cidrs: [],
    retention: 90,
  },
  {
    label: "prod primary",
    stack: "prod",
    role: "primary",
    env: "prod",
    region: "us-east-1",
    account: "222222222222",
    production: true,
    zones: 3,
    version: "1.33",
    nodes: [3, 6, "m6i.large"],
    spot: undefined,
    cidrs: [],
    retention: 365,
  },
  {
    label: "cluster fixture (every setting)",
    stack: "cluster-dev-aws",
    file: "Pulumi.cluster-dev-aws.yaml",
    role: "primary",
    env: "clusterdev",
    region: "eu-central-1",
    account: "616161616161",
    production: false,
    zones: 3,
    version: "1.34",
    nodes: [2, 5, "m7i.large"],
    spot: 4,
    cidrs: ["203.0.113.0/24"],
    retention: 90,
  },
];

describe("AWS cluster and registry: pure helpers", () => {
  it("the kubeconfig authenticates with `aws eks get-token` for the cluster and region, no static credential", () => {
    const config = json(
      eksKubeconfig({
        clusterName: "c1",
        endpoint: "https://x.eks",
        certificateAuthority: "Q0E=",
        region: "eu-west-1",
      }),
    );
    const user = ((config.users as Json[])[0]!.user as Json).exec as Json;
    assert.equal(user.command, "aws");
    assert.deepEqual(user.args, [
      "eks",
      "get-token",
      "--cluster-name",
      "c1",
      "--region",
      "eu-west-1",
      "--output",
      "json",
    ]);
    const text = JSON.stringify(config);
    assert.ok(!/"token"|client-key|client-certificate|password/.test(text), text);
    assert.equal(((config.clusters as Json[])[0]!.cluster as Json).server, "https://x.eks");
  });

  it("Pod Identity roles trust only pods.eks.amazonaws.com of the site's account, with session tags", () => {
    const [s] = statements(podIdentityTrustPolicy("111111111111"));
    assert.deepEqual(s!.Principal, { Service: "pods.eks.amazonaws.com" });
    assert.deepEqual(s!.Action, ["sts:AssumeRole", "sts:TagSession"]);
    assert.deepEqual(s!.Condition, { StringEquals: { "aws:SourceAccount": "111111111111" } });
  });

  it("ECR: pull for the node role; every other principal denied the image downloads; untagged images expire", () => {
    const role = "arn:aws:iam::111111111111:role/r";
    const [allow, deny] = statements(ecrPullPolicy(role));
    assert.deepEqual([allow!.Effect, allow!.Principal], ["Allow", { AWS: role }]);
    assert.deepEqual(allow!.Action, [
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
      "ecr:BatchCheckLayerAvailability",
    ]);
    assert.deepEqual([deny!.Effect, deny!.Principal], ["Deny", { AWS: "*" }]);
    assert.deepEqual(deny!.Condition, { ArnNotEquals: { "aws:PrincipalArn": role } });
    const rule = (json(ecrLifecyclePolicy()).rules as Json[])[0]!;
    assert.deepEqual(rule.selection, {
      tagStatus: "untagged",
      countType: "sinceImagePushed",
      countUnit: "days",
      countNumber: untaggedImageDays,
    });
  });
});

for (const s of sites) {
  describe(`AWS cluster and registry: ${s.label} (${s.zones} zones)`, function () {
    this.timeout(300_000);
    let plan: Plan;
    before(async () => {
      plan = await planOf(s.stack, s.file);
    });
    const p = s.role;
    const prefix = `${s.env}-${s.role}`;
    const siteKey = () => named(plan, `${p}-keys-key`);
    const eks = () => cluster.one(plan, p, "aws:eks/cluster:Cluster");
    const privateSubnets = () =>
      byType(plan, "aws:ec2/subnet:Subnet").filter((r) => r.name.startsWith(`${p}-network-subnet-private-`));

    it("creates exactly the resources the cluster and registry need", () => {
      const namespaces = s.file === undefined ? 2 : 3;
      assert.deepEqual(cluster.countsOf(plan, p), {
        "aws:iam/role:Role": 3,
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 4,
        "aws:ec2/securityGroup:SecurityGroup": 1,
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1,
        "aws:cloudwatch/logGroup:LogGroup": 1,
        "aws:eks/cluster:Cluster": 1,
        "aws:eks/addon:Addon": 4,
        "aws:ec2/launchTemplate:LaunchTemplate": 1,
        "aws:eks/nodeGroup:NodeGroup": s.spot === undefined ? 1 : 2,
        "aws:cloudwatch/metricAlarm:MetricAlarm": 3,
        // The Kubernetes baseline (providers/kubernetes/baseline.ts, tests/baseline.test.ts): its provider and,
        // for apps and platform-system, a namespace, two network policies, a quota and a limit range.
        "pulumi:providers:kubernetes": 1,
        // (the fixture adds a third namespace, `batch`).
        "kubernetes:core/v1:Namespace": namespaces,
        "kubernetes:networking.k8s.io/v1:NetworkPolicy": 2 * namespaces,
        "kubernetes:core/v1:ResourceQuota": namespaces,
        "kubernetes:core/v1:LimitRange": namespaces,
      });
      assert.deepEqual(registry.countsOf(plan, p), {
        "aws:ecr/repository:Repository": 1,
        "aws:ecr/lifecyclePolicy:LifecyclePolicy": 1,
        "aws:ecr/repositoryPolicy:RepositoryPolicy": 1,
      });
    });

    it("EKS: private-tier subnets of every zone, private endpoint, public only with authorizedCidrs", () => {
      const c = eks();
      const vpc = c.inputs.vpcConfig as Json;
      assert.equal(c.inputs.name, `${prefix}-eks`);
      assert.equal(c.inputs.version, s.version);
      assert.equal(privateSubnets().length, s.zones);
      for (const subnet of privateSubnets())
        assert.ok(depsOf(c, "vpcConfig").includes(subnet.urn), subnet.name);
      assert.equal((vpc.subnetIds as string[]).length, s.zones);
      assert.equal(vpc.endpointPrivateAccess, true);
      assert.equal(vpc.endpointPublicAccess, s.cidrs.length > 0);
      assert.deepEqual(vpc.publicAccessCidrs, s.cidrs.length > 0 ? s.cidrs : undefined);
      const apiGroup = cluster.one(plan, p, "aws:ec2/securityGroup:SecurityGroup");
      assert.ok(depsOf(c, "vpcConfig").includes(apiGroup.urn));
      const rule = cluster.one(plan, p, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
      assert.deepEqual([rule.inputs.ipProtocol, rule.inputs.fromPort, rule.inputs.toPort], ["tcp", 443, 443]);
      assert.equal(rule.inputs.cidrIpv4, undefined);
      assert.deepEqual(depsOf(rule, "referencedSecurityGroupId"), [
        named(plan, `${p}-network-sg-private`).urn,
      ]);
    });

    it("EKS: access entries only, secrets with the site key, all log types, standard support, protection", () => {
      const c = eks();
      assert.deepEqual(c.inputs.accessConfig, {
        authenticationMode: "API",
        bootstrapClusterCreatorAdminPermissions: true,
      });
      assert.equal(c.inputs.bootstrapSelfManagedAddons, false);
      assert.deepEqual(c.inputs.encryptionConfig, {
        resources: ["secrets"],
        provider: { keyArn: siteKey().outputs.arn },
      });
      assert.deepEqual(c.inputs.enabledClusterLogTypes, [...eksLogTypes]);
      assert.equal(eksLogTypes.length, 5);
      assert.deepEqual(c.inputs.upgradePolicy, { supportType: "STANDARD" });
      assert.equal(c.inputs.deletionProtection, s.production);
      assert.equal(c.protect, s.production);
      const role = cluster.one(plan, p, "aws:iam/role:Role", `${p}-cluster-role`);
      assert.deepEqual(statements(role.inputs.assumeRolePolicy)[0]!.Principal, {
        Service: "eks.amazonaws.com",
      });
    });

    it("the control-plane log group exists before the cluster, with EKS's name, the site key and retention", () => {
      const logs = cluster.one(plan, p, "aws:cloudwatch/logGroup:LogGroup");
      assert.equal(logs.inputs.name, `/aws/eks/${prefix}-eks/cluster`);
      assert.equal(logs.inputs.kmsKeyId, siteKey().outputs.arn);
      assert.equal(logs.inputs.retentionInDays, s.retention);
      assert.ok(eks().dependencies.includes(logs.urn), "the cluster waits for its log group");
      // The site key lets the region's CloudWatch Logs use it, and the Auto Scaling service-linked role
      // (node root volumes), named by condition.
      const policy = statements(siteKey().inputs.policy);
      const logsStatement = policy.find((x) => x.Sid === "CloudWatchLogsOfThisAccountAndRegion")!;
      assert.deepEqual(logsStatement.Principal, { Service: `logs.${s.region}.amazonaws.com` });
      const slr = `arn:aws:iam::${s.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
      const use = policy.find((x) => x.Sid === "AutoScalingUsesTheKeyForNodeVolumes")!;
      const grant = policy.find((x) => x.Sid === "AutoScalingGrantsTheKeyToEc2")!;
      assert.equal(((use.Condition as Json).StringEquals as Json)["aws:PrincipalArn"], slr);
      assert.deepEqual((grant.Condition as Json).Bool, { "kms:GrantIsForAWSResource": "true" });
      assert.equal(grant.Action, "kms:CreateGrant");
    });

    it("nodes: IMDSv2 with hop limit 1, encrypted gp3 with the site key, cluster and private-tier groups", () => {
      const lt = cluster.one(plan, p, "aws:ec2/launchTemplate:LaunchTemplate");
      assert.deepEqual(lt.inputs.metadataOptions, {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      });
      const [root] = lt.inputs.blockDeviceMappings as Json[];
      assert.deepEqual(root!.ebs, {
        volumeType: "gp3",
        volumeSize: 50,
        encrypted: "true",
        kmsKeyId: siteKey().outputs.arn,
        deleteOnTermination: "true",
      });
      assert.equal(lt.inputs.keyName, undefined, "no SSH key");
      assert.ok(depsOf(lt, "vpcSecurityGroupIds").includes(eks().urn));
      assert.ok(depsOf(lt, "vpcSecurityGroupIds").includes(named(plan, `${p}-network-sg-private`).urn));
    });

    it("node groups: all private subnets, configured bounds, the launch template; spot only where configured", () => {
      const groups = cluster.under(plan, p, "aws:eks/nodeGroup:NodeGroup");
      const lt = cluster.one(plan, p, "aws:ec2/launchTemplate:LaunchTemplate");
      const nodeRole = cluster.one(plan, p, "aws:iam/role:Role", `${p}-cluster-node-role`);
      for (const g of groups) {
        assert.deepEqual(new Set(depsOf(g, "subnetIds")), new Set(privateSubnets().map((x) => x.urn)));
        assert.deepEqual(depsOf(g, "launchTemplate"), [lt.urn]);
        assert.equal(g.inputs.nodeRoleArn, nodeRole.outputs.arn);
        assert.equal(g.inputs.version, s.version);
        assert.deepEqual(g.ignoreChanges, ["scalingConfig.desiredSize"]);
        assert.equal(g.inputs.remoteAccess, undefined);
      }
      const general = groups.find((g) => g.name === `${p}-cluster-nodes-general`)!;
      const [min, max, type] = s.nodes;
      assert.equal(general.inputs.nodeGroupName, `${prefix}-general`);
      assert.equal(general.inputs.capacityType, "ON_DEMAND");
      assert.deepEqual(general.inputs.instanceTypes, [type]);
      assert.deepEqual(general.inputs.scalingConfig, { minSize: min, maxSize: max, desiredSize: min });
      const spot = groups.find((g) => g.name === `${p}-cluster-nodes-spot`);
      if (s.spot === undefined) {
        assert.equal(spot, undefined);
      } else {
        assert.equal(spot!.inputs.capacityType, "SPOT");
        assert.deepEqual(spot!.inputs.instanceTypes, [...spotInstanceTypes]);
        assert.deepEqual(spot!.inputs.scalingConfig, { minSize: 0, maxSize: s.spot, desiredSize: 0 });
        assert.deepEqual(spot!.inputs.taints, [
          { key: "platform/spot", value: "true", effect: "NO_SCHEDULE" },
        ]);
      }
    });

    it("the node role pulls images and joins the cluster, nothing more; the CNI's permissions come by Pod Identity", () => {
      const attached = (role: string) =>
        cluster
          .under(plan, p, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
          .filter((a) => depsOf(a, "role").includes(named(plan, role).urn))
          .map((a) => a.inputs.policyArn)
          .sort();
      assert.deepEqual(attached(`${p}-cluster-node-role`), [
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      ]);
      assert.deepEqual(attached(`${p}-cluster-cni-role`), ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]);
      assert.deepEqual(attached(`${p}-cluster-role`), ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]);
      const cniRole = named(plan, `${p}-cluster-cni-role`);
      assert.deepEqual(statements(cniRole.inputs.assumeRolePolicy)[0]!.Principal, {
        Service: "pods.eks.amazonaws.com",
      });
    });

    it("add-ons: Pod Identity agent, VPC CNI with network policy and its Pod Identity role, kube-proxy, CoreDNS after nodes", () => {
      const addons = cluster.under(plan, p, "aws:eks/addon:Addon");
      assert.deepEqual(addons.map((a) => a.inputs.addonName).sort(), [...eksAddons].sort());
      for (const a of addons) {
        assert.match(String(a.inputs.addonVersion), /^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
        assert.deepEqual(depsOf(a, "clusterName"), [eks().urn]);
      }
      const by = (n: string) => addons.find((a) => a.inputs.addonName === n)!;
      const cni = by("vpc-cni");
      assert.deepEqual(json(cni.inputs.configurationValues), { enableNetworkPolicy: "true" });
      assert.deepEqual(cni.inputs.podIdentityAssociations, [
        { roleArn: named(plan, `${p}-cluster-cni-role`).outputs.arn, serviceAccount: vpcCniServiceAccount },
      ]);
      assert.ok(cni.dependencies.includes(by("eks-pod-identity-agent").urn), "the agent comes first");
      for (const g of cluster.under(plan, p, "aws:eks/nodeGroup:NodeGroup")) {
        assert.ok(by("coredns").dependencies.includes(g.urn), "CoreDNS waits for the nodes");
        assert.ok(g.dependencies.includes(cni.urn), "nodes wait for the CNI");
      }
    });

    it("alarms on the AWS/EKS metrics EKS publishes, to the site's alert targets", () => {
      const alarms = cluster.under(plan, p, "aws:cloudwatch/metricAlarm:MetricAlarm");
      assert.deepEqual(alarms.map((a) => a.inputs.metricName).sort(), [
        "apiserver_request_total_5XX",
        "apiserver_storage_size_bytes",
        "scheduler_pending_pods_UNSCHEDULABLE",
      ]);
      for (const a of alarms) {
        assert.equal(a.inputs.namespace, "AWS/EKS");
        assert.deepEqual(a.inputs.dimensions, { ClusterName: `${prefix}-eks` });
      }
      const high = alarms.find((a) => a.inputs.metricName === "apiserver_request_total_5XX")!;
      assert.equal((high.inputs.alarmActions as string[]).length, 1);
    });

    it("ECR: immutable tags, the site key, scan on push, pull policy for the node role, untagged expiry", () => {
      const repo = registry.one(plan, p, "aws:ecr/repository:Repository");
      assert.equal(repo.inputs.name, `${prefix}/apps`);
      assert.equal(repo.inputs.imageTagMutability, "IMMUTABLE");
      assert.deepEqual(repo.inputs.imageScanningConfiguration, { scanOnPush: true });
      assert.deepEqual(repo.inputs.encryptionConfigurations, [
        { encryptionType: "KMS", kmsKey: siteKey().outputs.arn },
      ]);
      assert.equal(repo.inputs.forceDelete, !s.production);
      assert.equal(repo.protect, s.production);
      const policy = registry.one(plan, p, "aws:ecr/repositoryPolicy:RepositoryPolicy");
      const nodeRole = named(plan, `${p}-cluster-node-role`);
      assert.equal(policy.inputs.policy, ecrPullPolicy(String(nodeRole.outputs.arn)));
      assert.deepEqual(depsOf(policy, "policy"), [nodeRole.urn]);
      const lifecycle = registry.one(plan, p, "aws:ecr/lifecyclePolicy:LifecyclePolicy");
      assert.equal(lifecycle.inputs.policy, ecrLifecyclePolicy());
    });
  });
}
