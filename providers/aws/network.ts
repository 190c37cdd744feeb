/**
 * The site network on AWS: a VPC with DNS support and hostnames, one subnet per tier and zone, an
 * internet gateway, NAT gateways (with Elastic IPs) per the egress strategy, a route table per subnet,
 * a network ACL and a security group per tier, the default security group taken over with no rules,
 * VPC flow logs to a KMS-encrypted CloudWatch log group (with a least-privilege IAM role), an S3
 * gateway endpoint and, when configured, interface endpoints.
 *
 * Administration: no SSH/RDP is opened anywhere; instances are reached with SSM Session Manager (the
 * `ssm`, `ssmmessages` and `ec2messages` interface endpoints make it work without NAT).
 */
import * as pulumi from "@pulumi/pulumi";
import {
  DefaultSecurityGroup,
  Eip,
  FlowLog,
  InternetGateway,
  NatGateway,
  NetworkAcl,
  RouteTable,
  RouteTableAssociation,
  SecurityGroup,
  Subnet,
  Vpc,
  VpcEndpoint,
} from "@pulumi/aws/ec2";
import type * as awsInputs from "@pulumi/aws/types/input";
import { SecurityGroupEgressRule, SecurityGroupIngressRule } from "@pulumi/aws/vpc";
import { LogGroup } from "@pulumi/aws/cloudwatch";
import { Role, RolePolicy } from "@pulumi/aws/iam";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import type {
  CrossSiteAccess,
  NetworkBuildInputs,
  NetworkOutputs,
  NetworkSubnet,
  NetworkTier,
} from "../../components/network";
import { dataPorts, neverFromInternet } from "../../components/subnets";
import { siteAccountId } from "./keys";
import { iamName, logGroupName } from "./names";

const anywhere = "0.0.0.0/0";

/**
 * TCP return-traffic port ranges (1024-65535, what NAT gateways use) minus the ports no rule may open
 * to the internet: network ACLs are stateless, so replies need an inbound rule, and splitting the range
 * keeps every administration and data port out of it.
 */
export function ephemeralRanges(): { from: number; to: number }[] {
  const excluded = [...neverFromInternet].filter((p) => p >= 1024).sort((a, b) => a - b);
  const ranges: { from: number; to: number }[] = [];
  let from = 1024;
  for (const port of excluded) {
    if (port > from) ranges.push({ from, to: port - 1 });
    from = port + 1;
  }
  ranges.push({ from, to: 65535 });
  return ranges;
}

type AclRule = awsInputs.ec2.NetworkAclIngress & awsInputs.ec2.NetworkAclEgress;

function aclRules(
  start: number,
  rules: readonly { protocol: string; cidr: string; from: number; to: number }[],
): AclRule[] {
  return rules.map((r, i) => ({
    ruleNo: start + i * 10,
    action: "allow",
    protocol: r.protocol,
    cidrBlock: r.cidr,
    fromPort: r.from,
    toPort: r.to,
  }));
}

/**
 * First network ACL rule number of the cross-site rules of the data tier, after the private-tier rules
 * (from 100, ten apart: at most 6 zones x 2 ports) and RDS Proxy's (from 300, one per data subnet), before
 * the return-traffic rules (from 500).
 */
export const crossSiteRuleStart = 400;

/** TCP replies and connections the data tier exchanges with the other site (1024-65535, see below). */
const crossSiteEphemeral = { from: 1024, to: 65535 };

/**
 * Network ACL inbound rules of the data tier for the other site, one per peer block: TCP 1024-65535 (plus
 * any cross-site port below 1024), which admits the cross-site ports (5432: the peer's replication service
 * connecting to this site's database) and the replies to connections this tier opens to the peer (this
 * site's replication service, e.g. DMS, reading the peer's database). ACLs are stateless and the replication
 * instance's ephemeral port range is not documented, so the replies take 1024-65535, what AWS documents
 * for clients of unknown type (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html#nacl-ephemeral-ports);
 * one rule per block keeps the data ACL within the default quota of 20 rules per direction. The data
 * security group, stateful, admits only the cross-site ports from the peer.
 */
export function crossSiteIngress(access: CrossSiteAccess | undefined) {
  if (!access) return [];
  return access.cidrs.flatMap((cidr) => [
    ...access.ports
      .filter((port) => port < crossSiteEphemeral.from)
      .map((port) => ({ protocol: "tcp", cidr, from: port, to: port })),
    { protocol: "tcp", cidr, ...crossSiteEphemeral },
  ]);
}

/** Network ACL outbound rules of the data tier for the other site: replies and connections, 1024-65535. */
export function crossSiteEgress(access: CrossSiteAccess | undefined) {
  if (!access) return [];
  return access.cidrs.map((cidr) => ({ protocol: "tcp", cidr, ...crossSiteEphemeral }));
}

export function network(
  name: string,
  ctx: SiteContext<"aws">,
  inputs: NetworkBuildInputs<"aws">,
): NetworkOutputs<"aws"> {
  const { plan, keys, parent } = inputs;
  const opts = { parent };
  const region = ctx.site.region;
  const accountId = siteAccountId(ctx, opts);

  const vpc = new Vpc(
    `${name}-vpc`,
    {
      cidrBlock: plan.addressSpace,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      instanceTenancy: "default",
    },
    opts,
  );
  // Take over the default security group and leave it with no rules (CIS AWS 5.4).
  new DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id }, opts);

  const subnetsOf = (tier: NetworkTier) => plan.subnets.filter((s) => s.tier === tier);
  const created: Record<NetworkTier, (NetworkSubnet & { resource: Subnet })[]> = {
    public: [],
    private: [],
    data: [],
  };
  for (const tier of ["public", "private", "data"] as const) {
    for (const planned of subnetsOf(tier)) {
      const zone = planned.zone ?? plan.zones[0]!;
      const resource = new Subnet(
        `${name}-subnet-${tier}-${zone.slice(-1)}`,
        {
          vpcId: vpc.id,
          cidrBlock: planned.cidr,
          availabilityZone: zone,
          // Nothing gets a public IP by itself; load balancers and NAT gateways bring their own.
          mapPublicIpOnLaunch: false,
        },
        opts,
      );
      created[tier].push({ ...planned, id: resource.id, resource });
    }
  }

  // Egress: an internet gateway for the public tier, NAT gateways for the private tier.
  const igw = new InternetGateway(`${name}-igw`, { vpcId: vpc.id }, opts);
  const natZones =
    plan.egress === "none" ? [] : plan.egress === "single" ? created.public.slice(0, 1) : created.public;
  const nats = natZones.map((pub) => {
    const suffix = pub.zone!.slice(-1);
    const eip = new Eip(`${name}-nat-eip-${suffix}`, { domain: "vpc" }, opts);
    const nat = new NatGateway(
      `${name}-nat-${suffix}`,
      { allocationId: eip.id, subnetId: pub.id, connectivityType: "public" },
      { ...opts, dependsOn: [igw] },
    );
    return { zone: pub.zone, nat };
  });
  nats.forEach(({ zone, nat }) => {
    const dimensions = { NatGatewayId: nat.id };
    inputs.dashboard?.add(
      {
        cloud: "aws",
        section: "network",
        title: `NAT ${zone ?? ""} bytes out`.replace("  ", " "),
        unit: "Bytes",
        metric: { namespace: "AWS/NATGateway", metricName: "BytesOutToDestination", dimensions, stat: "Sum" },
      },
      {
        cloud: "aws",
        section: "network",
        title: `NAT ${zone ?? ""} port allocation errors`.replace("  ", " "),
        unit: "Count",
        thresholds: { warning: 1 },
        metric: { namespace: "AWS/NATGateway", metricName: "ErrorPortAllocation", dimensions, stat: "Sum" },
      },
    );
  });
  const natFor = (zone: string | undefined) => (nats.find((n) => n.zone === zone) ?? nats[0])?.nat;

  // One route table per subnet. The data tier has no route to the internet at all.
  const routeTables: Record<NetworkTier, RouteTable[]> = { public: [], private: [], data: [] };
  for (const tier of ["public", "private", "data"] as const) {
    for (const s of created[tier]) {
      const suffix = `${tier}-${s.zone!.slice(-1)}`;
      const nat = tier === "private" ? natFor(s.zone) : undefined;
      const routes =
        tier === "public"
          ? [{ cidrBlock: anywhere, gatewayId: igw.id }]
          : nat
            ? [{ cidrBlock: anywhere, natGatewayId: nat.id }]
            : [];
      const rt = new RouteTable(`${name}-rt-${suffix}`, { vpcId: vpc.id, routes }, opts);
      new RouteTableAssociation(`${name}-rta-${suffix}`, { subnetId: s.id, routeTableId: rt.id }, opts);
      routeTables[tier].push(rt);
    }
  }

  // Network ACLs per tier (stateless, so replies need rules too). Nothing admits SSH, RDP or the data
  // ports from the internet.
  const cidrs = (tier: NetworkTier) => created[tier].map((s) => s.cidr);
  const returnFrom = (cidr: string) => ephemeralRanges().map((r) => ({ protocol: "tcp", cidr, ...r }));
  const all = (cidr: string) => ({ protocol: "-1", cidr, from: 0, to: 0 });
  const aclIngress: Record<NetworkTier, AclRule[]> = {
    public: [
      ...aclRules(100, [
        { protocol: "tcp", cidr: anywhere, from: 80, to: 80 },
        { protocol: "tcp", cidr: anywhere, from: 443, to: 443 },
        all(plan.addressSpace),
      ]),
      ...aclRules(500, returnFrom(anywhere)),
    ],
    private: [
      ...aclRules(100, [...cidrs("public"), ...cidrs("private")].map(all)),
      ...aclRules(500, returnFrom(anywhere)),
    ],
    data: [
      ...aclRules(
        100,
        cidrs("private").flatMap((cidr) =>
          Object.values(dataPorts).map((port) => ({ protocol: "tcp", cidr, from: port, to: port })),
        ),
      ),
      // RDS Proxy lives on the data tier and reaches its PostgreSQL targets there.
      ...aclRules(
        300,
        cidrs("data").map((cidr) => ({
          protocol: "tcp",
          cidr,
          from: dataPorts.postgres,
          to: dataPorts.postgres,
        })),
      ),
      ...aclRules(crossSiteRuleStart, crossSiteIngress(plan.crossSite)),
      ...aclRules(500, returnFrom(plan.addressSpace)),
    ],
  };
  const aclEgress: Record<NetworkTier, AclRule[]> = {
    public: aclRules(100, [all(anywhere)]),
    private: aclRules(100, [all(plan.egress === "none" ? plan.addressSpace : anywhere)]),
    data: [
      ...aclRules(100, [all(plan.addressSpace)]),
      ...aclRules(crossSiteRuleStart, crossSiteEgress(plan.crossSite)),
    ],
  };
  for (const tier of ["public", "private", "data"] as const) {
    new NetworkAcl(
      `${name}-acl-${tier}`,
      {
        vpcId: vpc.id,
        subnetIds: created[tier].map((s) => s.id),
        ingress: aclIngress[tier],
        egress: aclEgress[tier],
      },
      opts,
    );
  }

  // Private access to S3 without the internet: a gateway endpoint routed from every route table.
  const s3 = new VpcEndpoint(
    `${name}-s3-endpoint`,
    {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [...routeTables.public, ...routeTables.private, ...routeTables.data].map((rt) => rt.id),
    },
    opts,
  );

  // Security groups per tier: created empty (the provider removes AWS's default allow-all egress), rules
  // as separate resources so groups can reference each other.
  const sg = (tier: string, description: string) =>
    new SecurityGroup(`${name}-sg-${tier}`, { vpcId: vpc.id, description, revokeRulesOnDelete: true }, opts);
  const groups: Record<NetworkTier, SecurityGroup> = {
    public: sg("public", "public tier: HTTP/HTTPS from anywhere (load balancers)"),
    private: sg("private", "private tier: from the public tier and itself (workloads)"),
    data: sg("data", "data tier: database and cache ports from the private tier"),
  };
  const ingress = (rule: string, args: ConstructorParameters<typeof SecurityGroupIngressRule>[1]) =>
    new SecurityGroupIngressRule(`${name}-sg-${rule}`, args, opts);
  const egress = (rule: string, args: ConstructorParameters<typeof SecurityGroupEgressRule>[1]) =>
    new SecurityGroupEgressRule(`${name}-sg-${rule}`, args, opts);
  for (const port of [80, 443]) {
    ingress(`public-in-${port}`, {
      securityGroupId: groups.public.id,
      description: `HTTP${port === 443 ? "S" : ""} from anywhere`,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      cidrIpv4: anywhere,
    });
  }
  egress("public-out-private", {
    securityGroupId: groups.public.id,
    description: "to the private tier (load balancer targets)",
    ipProtocol: "-1",
    referencedSecurityGroupId: groups.private.id,
  });
  ingress("private-in-public", {
    securityGroupId: groups.private.id,
    description: "from the public tier",
    ipProtocol: "-1",
    referencedSecurityGroupId: groups.public.id,
  });
  ingress("private-in-self", {
    securityGroupId: groups.private.id,
    description: "from the private tier itself",
    ipProtocol: "-1",
    referencedSecurityGroupId: groups.private.id,
  });
  if (plan.egress === "none") {
    egress("private-out-vpc", {
      securityGroupId: groups.private.id,
      description: "inside the VPC only (no internet egress)",
      ipProtocol: "-1",
      cidrIpv4: plan.addressSpace,
    });
    egress("private-out-s3", {
      securityGroupId: groups.private.id,
      description: "S3 through the gateway endpoint",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      prefixListId: s3.prefixListId,
    });
  } else {
    egress("private-out-any", {
      securityGroupId: groups.private.id,
      description: "outbound through the NAT gateways",
      ipProtocol: "-1",
      cidrIpv4: anywhere,
    });
  }
  for (const [service, port] of Object.entries(dataPorts)) {
    ingress(`data-in-${service}`, {
      securityGroupId: groups.data.id,
      description: `${service} from the private tier`,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: groups.private.id,
    });
  }
  // The other site's database blocks (replication across the interconnect): only the cross-site ports.
  plan.crossSite?.cidrs.forEach((cidr, i) => {
    for (const port of plan.crossSite!.ports) {
      ingress(`data-in-peer-${port}-${i}`, {
        securityGroupId: groups.data.id,
        description: `TCP ${port} from the other site (${cidr}, through the interconnect)`,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: cidr,
      });
    }
  });

  // Optional interface endpoints (SSM Session Manager, KMS, CloudWatch Logs...) in the private tier.
  const interfaceEndpointIds: Record<string, pulumi.Output<string>> = {};
  if (plan.interfaceEndpoints.length > 0) {
    const endpointsSg = sg("endpoints", "interface endpoints: HTTPS from inside the VPC");
    ingress("endpoints-in-443", {
      securityGroupId: endpointsSg.id,
      description: "HTTPS from inside the VPC",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: plan.addressSpace,
    });
    for (const service of plan.interfaceEndpoints) {
      const endpoint = new VpcEndpoint(
        `${name}-endpoint-${service.replace(/[^a-z0-9-]/g, "-")}`,
        {
          vpcId: vpc.id,
          serviceName: `com.amazonaws.${region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: created.private.map((s) => s.id),
          securityGroupIds: [endpointsSg.id],
        },
        opts,
      );
      interfaceEndpointIds[service] = endpoint.id;
    }
  }

  // Flow logs: every flow of the VPC to a CloudWatch log group encrypted with the site key.
  const logGroup = new LogGroup(
    `${name}-flow-logs`,
    {
      name: logGroupName(ctx, "vpc-flow-logs"),
      retentionInDays: plan.flowLogRetentionDays,
      kmsKeyId: keys.keyArn,
      logGroupClass: "STANDARD",
      deletionProtectionEnabled: ctx.production,
    },
    statefulOptions(ctx, opts),
  );
  const role = new Role(
    `${name}-flow-logs-role`,
    {
      name: iamName(ctx, "vpc-flow-logs"),
      description: "VPC flow logs delivery to the site's flow-log group",
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: {
              StringEquals: { "aws:SourceAccount": accountId },
              ArnLike: {
                "aws:SourceArn": pulumi.interpolate`arn:aws:ec2:${region}:${accountId}:vpc-flow-log/*`,
              },
            },
          },
        ],
      }),
    },
    opts,
  );
  const rolePolicy = new RolePolicy(
    `${name}-flow-logs-policy`,
    {
      name: iamName(ctx, "vpc-flow-logs-write"),
      role: role.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "WriteFlowLogsToThisGroupOnly",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
          },
        ],
      }),
    },
    opts,
  );
  const flowLog = new FlowLog(
    `${name}-flow-log`,
    {
      vpcId: vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: ctx.production ? 60 : 600,
    },
    // The service checks the role's permissions when the flow log is created: the policy comes first.
    { ...opts, dependsOn: [rolePolicy] },
  );

  const strip = (list: (NetworkSubnet & { resource: Subnet })[]): NetworkSubnet[] =>
    list.map(({ resource: _resource, ...s }) => s);
  return {
    networkId: vpc.id,
    subnets: { public: strip(created.public), private: strip(created.private), data: strip(created.data) },
    trafficRules: { public: groups.public.id, private: groups.private.id, data: groups.data.id },
    flowLogs: { id: flowLog.id, destination: logGroup.arn, retentionDays: plan.flowLogRetentionDays },
    privateAccess: {
      s3GatewayEndpointId: s3.id,
      interfaceEndpointIds,
      routeTableIds: {
        public: routeTables.public.map((rt) => rt.id),
        private: routeTables.private.map((rt) => rt.id),
        data: routeTables.data.map((rt) => rt.id),
      },
    },
  };
}
