import * as pulumi from "@pulumi/pulumi";
import { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";
import { MetricAlarm } from "@pulumi/aws/cloudwatch/metricAlarm";
import { LaunchTemplate } from "@pulumi/aws/ec2/launchTemplate";
import { SecurityGroup } from "@pulumi/aws/ec2/securityGroup";
import { Addon } from "@pulumi/aws/eks/addon";
import { Cluster } from "@pulumi/aws/eks/cluster";
import { getAddonVersionOutput } from "@pulumi/aws/eks/getAddonVersion";
import { NodeGroup } from "@pulumi/aws/eks/nodeGroup";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicyAttachment } from "@pulumi/aws/iam/rolePolicyAttachment";
import { SecurityGroupIngressRule } from "@pulumi/aws/vpc/securityGroupIngressRule";
import type { ClusterBuildInputs, ClusterOutputs } from "../../components/cluster";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import { serviceTrustPolicy } from "./iam";
import { awsName, eksClusterName, eksLogGroupName, eksNodeGroupName, iamName } from "./names";

/** Every control-plane log type EKS offers; all go to `/aws/eks/<cluster>/cluster`. */
export const eksLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/**
 * The managed add-ons every cluster gets, in install order. The cluster is created without the
 * self-managed defaults (`bootstrapSelfManagedAddons: false`), so these managed add-ons are the only copy.
 */
export const eksAddons = ["eks-pod-identity-agent", "vpc-cni", "kube-proxy", "coredns"] as const;
export type EksAddonName = (typeof eksAddons)[number];

/**
 * VPC CNI settings: the network policy agent on (Kubernetes NetworkPolicy enforced by eBPF on the nodes;
 * https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html).
 */
export const vpcCniConfiguration = { enableNetworkPolicy: "true" } as const;

/** The service account of the VPC CNI (`aws-node` in kube-system), bound to its role by Pod Identity. */
export const vpcCniServiceAccount = "aws-node";

/** Default instance types of the general node group when `cluster.nodes.machineType` is unset. */
export const defaultNodeInstanceType = { production: "m6i.large", nonProduction: "t3.large" } as const;

/** Instance types the spot node group may draw from (diversified so a reclaimed pool does not empty it). */
export const spotInstanceTypes = ["m6i.large", "m5.large", "m5a.large", "m6a.large"] as const;

/** AWS-managed policy ARNs (commercial partition; every region of components/regions.ts is in it). */
const managedPolicy = (name: string) => `arn:aws:iam::aws:policy/${name}`;

/**
 * The trust policy of a role that EKS Pod Identity hands to pods: the `pods.eks.amazonaws.com` service
 * assumes it and tags the session with the pod's cluster, namespace and service account
 * (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html).
 */
export function podIdentityTrustPolicy(accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  });
}

/**
 * A kubeconfig for the cluster that authenticates through `aws eks get-token` (the caller's own AWS
 * credentials, a short-lived token per request): no static token, no client certificate.
 */
export function eksKubeconfig(args: {
  readonly clusterName: string;
  readonly endpoint: string;
  readonly certificateAuthority: string;
  readonly region: string;
}): string {
  const name = args.clusterName;
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name, cluster: { server: args.endpoint, "certificate-authority-data": args.certificateAuthority } },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", name, "--region", args.region, "--output", "json"],
            interactiveMode: "Never",
          },
        },
      },
    ],
  });
}

/**
 * Amazon EKS, built from plain @pulumi/aws resources:
 *
 * - the control plane on the private tier's subnets of every site zone (EKS requires two zones:
 *   https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html), with the private endpoint always on
 *   and the public endpoint only outside production, limited to `cluster.authorizedCidrs`; an additional
 *   security group admits the API (443) from the private tier's security group only;
 * - access entries only (`authenticationMode: API`, no aws-auth ConfigMap). The identity that creates the
 *   cluster gets an admin access entry (`bootstrapClusterCreatorAdminPermissions: true`): it is the one that
 *   applies the baseline through {@link eksKubeconfig} in the same deployment; EKS records it as an ordinary
 *   access entry (listed by `aws eks list-access-entries`, revocable). The setting only acts at creation;
 * - Kubernetes secrets envelope-encrypted with the site key (`encryptionConfig`);
 * - all five control-plane log types into `/aws/eks/<cluster>/cluster`, created first by the program with
 *   the site's retention and key (EKS would otherwise create it unencrypted and never expiring, and the
 *   program's group would then collide with it). The site key's policy lets the region's CloudWatch Logs
 *   service use it (providers/aws/keys.ts);
 * - `upgradePolicy.supportType: STANDARD`: at the end of standard support EKS upgrades the control plane
 *   itself instead of charging for extended support. EKS has no maintenance window: version upgrades are
 *   explicit changes of `cluster.version` (one minor version at a time), node groups follow the cluster;
 * - deletion protection in production (`deletionProtection` and Pulumi `protect`);
 * - managed add-ons: eks-pod-identity-agent, vpc-cni (network policy agent on; its AWS permissions come
 *   through an EKS Pod Identity association, not the node role), kube-proxy and coredns, each at the
 *   default version EKS publishes for the cluster's Kubernetes version (resolved with
 *   `aws.eks.getAddonVersion`, `mostRecent: false`: a version change follows a cluster upgrade);
 * - managed node groups over the private-tier subnets of every site zone: a general on-demand group with
 *   the configured bounds, and outside production a spot group when configured. Their launch template
 *   requires IMDSv2 with a hop limit of 1 (pods cannot reach the node role's credentials), encrypts the gp3
 *   root volume with the site key (the site key's policy lets the Auto Scaling service-linked role use it)
 *   and attaches the cluster and private-tier security groups. The node role has only
 *   AmazonEKSWorkerNodePolicy and AmazonEC2ContainerRegistryPullOnly. Node groups do not scale by
 *   themselves: `scalingConfig` bounds what an autoscaler (Cluster Autoscaler, Karpenter) may do, and the
 *   desired size it sets is left alone (`ignoreChanges`);
 * - workload identity: EKS Pod Identity (the agent add-on); the OIDC issuer is exported for IRSA too;
 * - alarms on the control-plane metrics EKS publishes for free in `AWS/EKS` (Kubernetes 1.28+): API server
 *   5xx responses, etcd database size, and pods the scheduler cannot place.
 */
export function cluster(
  name: string,
  ctx: SiteContext<"aws">,
  inputs: ClusterBuildInputs<"aws">,
): ClusterOutputs {
  const { settings, keys, network, monitoring, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const region = ctx.site.region;
  const accountId = ctx.site.accountId;
  const clusterName = eksClusterName(ctx);

  const clusterRole = new Role(
    `${name}-role`,
    {
      name: iamName(ctx, "eks-cluster"),
      description: `EKS control plane of ${clusterName}`,
      assumeRolePolicy: serviceTrustPolicy("eks.amazonaws.com"),
    },
    opts,
  );
  const clusterPolicy = new RolePolicyAttachment(
    `${name}-role-policy`,
    { role: clusterRole.name, policyArn: managedPolicy("AmazonEKSClusterPolicy") },
    opts,
  );

  const apiGroup = new SecurityGroup(
    `${name}-api-sg`,
    {
      vpcId: network.networkId,
      description: "EKS API endpoint: HTTPS from the private tier only",
      revokeRulesOnDelete: true,
    },
    opts,
  );
  new SecurityGroupIngressRule(
    `${name}-api-sg-https-in`,
    {
      securityGroupId: apiGroup.id,
      description: "Kubernetes API (HTTPS) from the private tier",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      referencedSecurityGroupId: network.trafficRules.private,
    },
    opts,
  );

  // Created before the cluster: EKS writes into the group of this name if it exists.
  const logGroup = new LogGroup(
    `${name}-logs`,
    {
      name: eksLogGroupName(clusterName),
      kmsKeyId: keys.keyArn,
      retentionInDays: monitoring?.logRetentionDays ?? (ctx.production ? 365 : 90),
      logGroupClass: "STANDARD",
      deletionProtectionEnabled: ctx.production,
    },
    statefulOptions(ctx, opts),
  );

  const privateSubnetIds = network.subnets.private.map((s) => s.id);
  const eks = new Cluster(
    `${name}-eks`,
    {
      name: clusterName,
      version: settings.version,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: privateSubnetIds,
        securityGroupIds: [apiGroup.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: settings.publicEndpoint,
        ...(settings.publicEndpoint ? { publicAccessCidrs: [...settings.authorizedCidrs] } : {}),
      },
      accessConfig: {
        authenticationMode: "API",
        bootstrapClusterCreatorAdminPermissions: true,
      },
      bootstrapSelfManagedAddons: false,
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: keys.keyArn } },
      enabledClusterLogTypes: [...eksLogTypes],
      kubernetesNetworkConfig: { ipFamily: "ipv4" },
      upgradePolicy: { supportType: "STANDARD" },
      deletionProtection: settings.deletionProtection,
    },
    { ...statefulOptions(ctx, opts), dependsOn: [clusterPolicy, logGroup] },
  );

  const addonVersion = (addon: EksAddonName) =>
    getAddonVersionOutput(
      { addonName: addon, kubernetesVersion: settings.version, mostRecent: false },
      { parent, provider: ctx.provider },
    ).version;
  const addon = (
    addonName: EksAddonName,
    extra: Partial<ConstructorParameters<typeof Addon>[1]>,
    dependsOn: pulumi.Resource[],
  ) =>
    new Addon(
      `${name}-addon-${addonName}`,
      {
        clusterName: eks.name,
        addonName,
        addonVersion: addonVersion(addonName),
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        ...extra,
      },
      { ...opts, dependsOn },
    );

  // Pod Identity first: the VPC CNI takes its credentials from the agent.
  const podIdentityAgent = addon("eks-pod-identity-agent", {}, []);
  const cniRole = new Role(
    `${name}-cni-role`,
    {
      name: iamName(ctx, "eks-vpc-cni"),
      description: `VPC CNI (kube-system/${vpcCniServiceAccount}) of ${clusterName}, through EKS Pod Identity`,
      assumeRolePolicy: podIdentityTrustPolicy(accountId),
    },
    opts,
  );
  const cniPolicy = new RolePolicyAttachment(
    `${name}-cni-role-policy`,
    { role: cniRole.name, policyArn: managedPolicy("AmazonEKS_CNI_Policy") },
    opts,
  );
  const vpcCni = addon(
    "vpc-cni",
    {
      configurationValues: JSON.stringify(vpcCniConfiguration),
      podIdentityAssociations: [{ roleArn: cniRole.arn, serviceAccount: vpcCniServiceAccount }],
    },
    [podIdentityAgent, cniPolicy],
  );
  const kubeProxy = addon("kube-proxy", {}, []);

  const nodeRole = new Role(
    `${name}-node-role`,
    {
      name: iamName(ctx, "eks-node"),
      description: `EKS nodes of ${clusterName}`,
      assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
    },
    opts,
  );
  const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"].map(
    (policy) =>
      new RolePolicyAttachment(
        `${name}-node-role-${policy}`,
        { role: nodeRole.name, policyArn: managedPolicy(policy) },
        opts,
      ),
  );

  const launchTemplate = new LaunchTemplate(
    `${name}-nodes-lt`,
    {
      description: `EKS nodes of ${clusterName}: IMDSv2 only, hop limit 1, encrypted gp3 root volume`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          // The root device of the EKS-optimized Amazon Linux 2023 AMIs.
          deviceName: "/dev/xvda",
          ebs: {
            volumeType: "gp3",
            volumeSize: 50,
            encrypted: "true",
            kmsKeyId: keys.keyArn,
            deleteOnTermination: "true",
          },
        },
      ],
      vpcSecurityGroupIds: [
        eks.vpcConfig.apply((c) => c.clusterSecurityGroupId),
        network.trafficRules.private,
      ],
      monitoring: { enabled: true },
      tagSpecifications: [
        { resourceType: "instance", tags: { Name: `${clusterName}-node` } },
        { resourceType: "volume", tags: { Name: `${clusterName}-node` } },
      ],
    },
    opts,
  );

  const nodeGroup = (
    purpose: "general" | "spot",
    args: { capacityType: "ON_DEMAND" | "SPOT"; instanceTypes: string[]; min: number; max: number },
  ) =>
    new NodeGroup(
      `${name}-nodes-${purpose}`,
      {
        clusterName: eks.name,
        nodeGroupName: eksNodeGroupName(ctx, purpose),
        version: settings.version,
        nodeRoleArn: nodeRole.arn,
        subnetIds: privateSubnetIds,
        amiType: "AL2023_x86_64_STANDARD",
        capacityType: args.capacityType,
        instanceTypes: args.instanceTypes,
        scalingConfig: { minSize: args.min, maxSize: args.max, desiredSize: args.min },
        updateConfig: { maxUnavailable: 1 },
        launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
        labels: { "platform/capacity": purpose },
        ...(purpose === "spot"
          ? { taints: [{ key: "platform/spot", value: "true", effect: "NO_SCHEDULE" }] }
          : {}),
      },
      {
        ...opts,
        dependsOn: [...nodePolicies, vpcCni, kubeProxy],
        ignoreChanges: ["scalingConfig.desiredSize"],
      },
    );
  const instanceType =
    settings.nodes.machineType ??
    (ctx.production ? defaultNodeInstanceType.production : defaultNodeInstanceType.nonProduction);
  const groups = [
    nodeGroup("general", {
      capacityType: "ON_DEMAND",
      instanceTypes: [instanceType],
      min: settings.nodes.min,
      max: settings.nodes.max,
    }),
  ];
  if (settings.spot) {
    groups.push(
      nodeGroup("spot", {
        capacityType: "SPOT",
        instanceTypes: [...spotInstanceTypes],
        min: 0,
        max: settings.spot.max,
      }),
    );
  }
  // CoreDNS is a Deployment: it becomes ACTIVE only once nodes can run it.
  addon("coredns", {}, groups);

  if (monitoring) {
    const alarm = (
      purpose: string,
      args: Omit<ConstructorParameters<typeof MetricAlarm>[1], "name" | "namespace" | "dimensions">,
    ) =>
      new MetricAlarm(
        `${name}-${purpose}-alarm`,
        {
          name: awsName(ctx, `eks-${purpose}`),
          namespace: "AWS/EKS",
          dimensions: { ClusterName: eks.name },
          ...args,
        },
        opts,
      );
    alarm("api-5xx", {
      alarmDescription:
        "[high] Kubernetes API server answered more than 50 requests with 5xx in 5 minutes, 3 times in a row",
      metricName: "apiserver_request_total_5XX",
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 50,
      treatMissingData: "notBreaching",
      alarmActions: monitoring.alertTargets.high,
      okActions: monitoring.alertTargets.high,
    });
    alarm("etcd-size", {
      alarmDescription: "[high] The cluster's etcd database is above 6.4 GB (80% of the 8 GB limit)",
      metricName: "apiserver_storage_size_bytes",
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 6.4e9,
      treatMissingData: "missing",
      alarmActions: monitoring.alertTargets.high,
      okActions: monitoring.alertTargets.high,
    });
    alarm("unschedulable", {
      alarmDescription: "[medium] Pods have been unschedulable for 15 minutes (node group bounds reached?)",
      metricName: "scheduler_pending_pods_UNSCHEDULABLE",
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      treatMissingData: "notBreaching",
      alarmActions: monitoring.alertTargets.medium,
    });
  }

  return {
    clusterName: eks.name,
    clusterId: eks.arn,
    endpoint: eks.endpoint,
    kubeconfig: pulumi.secret(
      pulumi
        .all([eks.name, eks.endpoint, eks.certificateAuthority])
        .apply(([n, endpoint, ca]) =>
          eksKubeconfig({ clusterName: n, endpoint, certificateAuthority: ca.data ?? "", region }),
        ),
    ),
    oidcIssuer: eks.identities.apply((ids) => ids[0]?.oidcs?.[0]?.issuer ?? ""),
    nodeIdentity: nodeRole.arn,
    version: settings.version,
  };
}
