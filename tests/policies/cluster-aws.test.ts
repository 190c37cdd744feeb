/** The AWS cases of the cluster and registry controls (issue 12); Azure and GCP cases live beside them. */
import { controlCases } from "./cases";
import { UNKNOWN, urnOf, type TestResource } from "./harness";

const r = (
  type: string,
  name: string,
  props: Record<string, unknown>,
  extra: Partial<TestResource> = {},
): TestResource => ({ type, name, props, ...extra });
const dev = { environment: "dev" };

const eks = (vpcConfig: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  r("aws:eks/cluster:Cluster", "eks", { name: "prod-primary-eks", vpcConfig, ...extra });
const template = (name: string, metadataOptions: Record<string, unknown>) =>
  r("aws:ec2/launchTemplate:LaunchTemplate", name, { id: `lt-${name}`, metadataOptions });
const nodeGroup = (name: string, launchTemplate: Record<string, unknown> | undefined, deps: string[] = []) =>
  r(
    "aws:eks/nodeGroup:NodeGroup",
    name,
    { nodeGroupName: name, ...(launchTemplate ? { launchTemplate } : {}) },
    { propertyDependencies: { launchTemplate: deps } },
  );

describe("cluster and registry controls (AWS)", () => {
  controlCases("disallow-public-cluster-endpoint-in-production", [
    {
      cloud: "aws",
      expect: "reject",
      title: "public endpoint limited to CIDRs, in production",
      resource: eks({
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
        publicAccessCidrs: ["203.0.113.0/24"],
      }),
      match: /endpointPublicAccess is not false/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "public endpoint unset (EKS default on)",
      resource: eks({ subnetIds: ["a", "b"] }),
      messages: [
        "vpcConfig.endpointPublicAccess is not false (EKS defaults the public endpoint to on); production clusters are private",
        "vpcConfig.endpointPrivateAccess is not true (nodes and operators would have no way in)",
      ],
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "private endpoint only",
      resource: eks({ endpointPrivateAccess: true, endpointPublicAccess: false }),
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "restricted public endpoint outside production",
      resource: eks({
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
        publicAccessCidrs: ["203.0.113.0/24"],
      }),
      settings: dev,
    },
  ]);

  controlCases("enforce-cluster-identity-access", [
    {
      cloud: "aws",
      expect: "reject",
      title: "no access config (aws-auth ConfigMap)",
      resource: eks({}),
      match: /unset \(CONFIG_MAP/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "API_AND_CONFIG_MAP",
      resource: eks({}, { accessConfig: { authenticationMode: "API_AND_CONFIG_MAP" } }),
      match: /is API_AND_CONFIG_MAP; set "API"/,
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "access entries only",
      resource: eks(
        {},
        { accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true } },
      ),
    },
  ]);

  controlCases("disallow-pod-access-to-node-credentials", [
    {
      cloud: "aws",
      expect: "reject",
      title: "node group without a launch template (EKS default: hop limit 2)",
      stack: [nodeGroup("general", undefined)],
      on: "general",
      match: /no launch template/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "launch template with hop limit 2 (by dependency, id unknown)",
      stack: [
        template("nodes", { httpTokens: "required", httpPutResponseHopLimit: 2 }),
        nodeGroup("general", { id: UNKNOWN, version: UNKNOWN }, [
          urnOf("aws:ec2/launchTemplate:LaunchTemplate", "nodes"),
        ]),
      ],
      on: "general",
      match: /httpPutResponseHopLimit is 2/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "launch template allowing IMDSv1 (by id)",
      stack: [
        template("nodes", { httpTokens: "optional", httpPutResponseHopLimit: 1 }),
        nodeGroup("general", { id: "lt-nodes", version: "1" }),
      ],
      on: "general",
      match: /httpTokens is optional/,
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "IMDSv2 with hop limit 1",
      stack: [
        template("nodes", { httpTokens: "required", httpPutResponseHopLimit: 1 }),
        nodeGroup("general", { id: "lt-nodes", version: "1" }),
      ],
    },
  ]);

  const repoPolicy = (statement: Record<string, unknown>) =>
    r("aws:ecr/repositoryPolicy:RepositoryPolicy", "ecr-policy", {
      repository: "prod-primary/apps",
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }),
    });
  controlCases("disallow-public-container-registries", [
    {
      cloud: "aws",
      expect: "reject",
      title: "pull for everyone",
      resource: repoPolicy({ Sid: "Public", Effect: "Allow", Principal: "*", Action: ["ecr:BatchGetImage"] }),
      match: /allows everyone/,
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "pull for the node role; a conditioned Deny for everyone else",
      resource: r("aws:ecr/repositoryPolicy:RepositoryPolicy", "ecr-policy", {
        repository: "prod-primary/apps",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: "arn:aws:iam::111111111111:role/prod-primary-eks-node" },
              Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            },
            {
              Effect: "Deny",
              Principal: { AWS: "*" },
              Action: ["ecr:BatchGetImage"],
              Condition: {
                ArnNotEquals: { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/prod-primary-eks-node" },
              },
            },
          ],
        }),
      }),
    },
  ]);
});
