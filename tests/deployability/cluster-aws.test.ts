/** Zone coverage of EKS clusters and Application Load Balancers (issue 12). */
import { UNKNOWN, urnOf } from "../policies/harness";
import { res, ruleCases } from "./cases";

const subnet = (name: string, az: string, id: string) =>
  res("aws:ec2/subnet:Subnet", name, {
    availabilityZone: az,
    cidrBlock: "10.0.0.0/24",
    arn: `arn:aws:ec2:eu-west-1:111111111111:subnet/${id}`,
  });
const subnetUrn = (name: string) => urnOf("aws:ec2/subnet:Subnet", name);
const cluster = (subnetIds: unknown, deps: string[]) =>
  res(
    "aws:eks/cluster:Cluster",
    "eks",
    { name: "dev-secondary-eks", vpcConfig: { subnetIds, endpointPrivateAccess: true } },
    { propertyDependencies: { vpcConfig: deps.map(subnetUrn) } },
  );
const loadBalancer = (props: Record<string, unknown>, key: string, deps: string[]) =>
  res(
    "aws:lb/loadBalancer:LoadBalancer",
    "alb",
    { internal: false, ...props },
    { propertyDependencies: { [key]: deps.map(subnetUrn) } },
  );

ruleCases("require-eks-and-alb-multi-az", [
  {
    title: "EKS cluster on one private subnet (a one-zone site)",
    cloud: "aws",
    expect: "reject",
    stack: [subnet("private-a", "eu-west-1a", "subnet-a"), cluster([UNKNOWN], ["private-a"])],
    on: "eks",
    match: /EKS cluster has 1 subnet covering only eu-west-1a.*network-reqs/,
  },
  {
    title: "EKS cluster on two private subnets in two zones (ids unknown during preview)",
    cloud: "aws",
    expect: "accept",
    stack: [
      subnet("private-a", "eu-west-1a", "subnet-a"),
      subnet("private-b", "eu-west-1b", "subnet-b"),
      cluster([UNKNOWN, UNKNOWN], ["private-a", "private-b"]),
    ],
  },
  {
    title: "ALB with two known subnets in the same zone",
    cloud: "aws",
    expect: "reject",
    stack: [
      subnet("public-a", "eu-west-1a", "subnet-a"),
      subnet("public-a2", "eu-west-1a", "subnet-a2"),
      loadBalancer({ loadBalancerType: "application", subnets: ["subnet-a", "subnet-a2"] }, "subnets", []),
    ],
    on: "alb",
    match: /Application Load Balancer has 2 subnets covering only eu-west-1a.*API_CreateLoadBalancer/,
  },
  {
    title: "ALB (default type) with subnet mappings in two zones",
    cloud: "aws",
    expect: "accept",
    stack: [
      subnet("public-a", "eu-west-1a", "subnet-a"),
      subnet("public-b", "eu-west-1b", "subnet-b"),
      loadBalancer({ subnetMappings: [{ subnetId: UNKNOWN }, { subnetId: UNKNOWN }] }, "subnetMappings", [
        "public-a",
        "public-b",
      ]),
    ],
  },
  {
    title: "a network load balancer in one zone (allowed)",
    cloud: "aws",
    expect: "accept",
    stack: [
      subnet("public-a", "eu-west-1a", "subnet-a"),
      loadBalancer({ loadBalancerType: "network", subnets: ["subnet-a"] }, "subnets", []),
    ],
  },
]);
