import { controlCases } from "./cases";
import { UNKNOWN, type TestResource } from "./harness";

const r = (
  type: string,
  name: string,
  props: Record<string, unknown>,
  extra: Partial<TestResource> = {},
): TestResource => ({ type, name, props, ...extra });
const vpc = r("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" });
const vnet = r("azure-native:network:VirtualNetwork", "vnet", {
  addressSpace: { addressPrefixes: ["10.1.0.0/16"] },
});
const bucket = r("aws:s3/bucket:Bucket", "data", { bucket: "acme-data" });
const logs = r("aws:s3/bucket:Bucket", "logs", { bucket: "acme-logs" });
const account = r("azure-native:storage:StorageAccount", "sa", { accountName: "acmesa" });
const pg = r("azure-native:dbforpostgresql:Server", "pg", { version: "16" });
const aks = r("azure-native:containerservice:ManagedCluster", "aks", { dnsPrefix: "aks" });
const diag = (
  name: string,
  target: string,
  logs: unknown[] = [{ categoryGroup: "allLogs", enabled: true }],
) =>
  r(
    "azure-native:monitor:DiagnosticSetting",
    name,
    { resourceUri: UNKNOWN, workspaceId: "w", logs },
    { propertyDependencies: { resourceUri: [target] } },
  );

describe("logging controls", () => {
  controlCases("enable-network-flow-logs", [
    { cloud: "aws", expect: "reject", stack: [vpc], on: "vpc" },
    {
      cloud: "aws",
      expect: "accept",
      stack: [
        vpc,
        r(
          "aws:ec2/flowLog:FlowLog",
          "fl",
          { vpcId: UNKNOWN, trafficType: "ALL" },
          { propertyDependencies: { vpcId: ["vpc"] } },
        ),
      ],
    },
    { cloud: "azure", expect: "reject", stack: [vnet], on: "vnet" },
    {
      cloud: "azure",
      expect: "accept",
      stack: [
        vnet,
        r(
          "azure-native:network:FlowLog",
          "fl",
          { targetResourceId: UNKNOWN, enabled: true, storageId: "s" },
          { propertyDependencies: { targetResourceId: ["vnet"] } },
        ),
      ],
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:compute/subnetwork:Subnetwork", "sn", { ipCidrRange: "10.2.0.0/20" }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:compute/subnetwork:Subnetwork", "sn", {
        ipCidrRange: "10.2.0.0/20",
        logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5 },
      }),
    },
  ]);

  controlCases("enforce-log-retention", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:cloudwatch/logGroup:LogGroup", "lg", { retentionInDays: 90 }),
      match: /365/,
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:cloudwatch/logGroup:LogGroup", "lg", { retentionInDays: 400 }),
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "30 days outside production",
      resource: r("aws:cloudwatch/logGroup:LogGroup", "lg", { retentionInDays: 30 }),
      settings: { environment: "dev" },
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:operationalinsights:Workspace", "law", {}),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:operationalinsights:Workspace", "law", { retentionInDays: 365 }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:logging/projectBucketConfig:ProjectBucketConfig", "lb", { retentionDays: 30 }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:logging/projectBucketConfig:ProjectBucketConfig", "lb", { retentionDays: 365 }),
    },
  ]);

  controlCases("enable-storage-access-logging", [
    { cloud: "aws", expect: "reject", stack: [bucket], on: "data" },
    {
      cloud: "aws",
      expect: "accept",
      title: "data bucket logs to the log bucket (which is exempt)",
      stack: [
        bucket,
        logs,
        r("aws:s3/bucketLogging:BucketLogging", "data-logging", {
          bucket: "acme-data",
          targetBucket: "acme-logs",
          targetPrefix: "data/",
        }),
      ],
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "a load balancer's access-log bucket is exempt (it is the log)",
      stack: [
        r("aws:s3/bucket:Bucket", "alb-logs", { bucket: "acme-alb-logs" }),
        r("aws:lb/loadBalancer:LoadBalancer", "alb", {
          loadBalancerType: "application",
          accessLogs: { bucket: "acme-alb-logs", prefix: "alb", enabled: true },
        }),
      ],
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "a bucket no load balancer logs to is not exempt",
      stack: [
        r("aws:s3/bucket:Bucket", "alb-logs", { bucket: "acme-alb-logs" }),
        r("aws:lb/loadBalancer:LoadBalancer", "alb", {
          loadBalancerType: "application",
          accessLogs: { bucket: "acme-other-logs", prefix: "alb", enabled: true },
        }),
      ],
      on: "alb-logs",
    },
    { cloud: "azure", expect: "reject", stack: [account], on: "sa" },
    { cloud: "azure", expect: "accept", stack: [account, diag("sa-diag", "sa")] },
    { cloud: "gcp", expect: "reject", stack: [r("gcp:storage/bucket:Bucket", "b", { name: "b" })], on: "b" },
    {
      cloud: "gcp",
      expect: "accept",
      stack: [
        r("gcp:storage/bucket:Bucket", "b", { name: "b", logging: { logBucket: "l" } }),
        r("gcp:storage/bucket:Bucket", "l", { name: "l" }),
      ],
    },
    {
      cloud: "gcp",
      expect: "accept",
      title: "Data Access audit logs for Cloud Storage",
      stack: [
        r("gcp:storage/bucket:Bucket", "b", { name: "b" }),
        r("gcp:projects/iAMAuditConfig:IAMAuditConfig", "audit", {
          project: "p",
          service: "storage.googleapis.com",
          auditLogConfigs: [{ logType: "DATA_READ" }, { logType: "DATA_WRITE" }],
        }),
      ],
    },
  ]);

  controlCases("enable-database-log-exports", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:rds/instance:Instance", "db", { engine: "postgres" }),
      stack: [r("aws:rds/instance:Instance", "db", { engine: "postgres" })],
    },
    {
      cloud: "aws",
      expect: "accept",
      stack: [
        r("aws:rds/instance:Instance", "db", {
          engine: "postgres",
          enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        }),
      ],
    },
    { cloud: "azure", expect: "reject", stack: [pg], on: "pg" },
    { cloud: "azure", expect: "accept", stack: [pg, diag("pg-diag", "pg")] },
    {
      cloud: "gcp",
      expect: "reject",
      stack: [
        r("gcp:sql/databaseInstance:DatabaseInstance", "sql", {
          databaseVersion: "POSTGRES_16",
          settings: {},
        }),
      ],
    },
    {
      cloud: "gcp",
      expect: "accept",
      stack: [
        r("gcp:sql/databaseInstance:DatabaseInstance", "sql", {
          databaseVersion: "POSTGRES_16",
          settings: {
            databaseFlags: [
              { name: "log_connections", value: "on" },
              { name: "log_disconnections", value: "on" },
            ],
          },
        }),
      ],
    },
  ]);

  controlCases("enable-audit-trail-integrity", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:cloudtrail/trail:Trail", "trail", { s3BucketName: "b", isMultiRegionTrail: false }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:cloudtrail/trail:Trail", "trail", {
        s3BucketName: "b",
        isMultiRegionTrail: true,
        enableLogFileValidation: true,
        cloudWatchLogsGroupArn: "arn:aws:logs:us-east-1:111122223333:log-group:trail:*",
        eventSelectors: [{ readWriteType: "All", includeManagementEvents: true }],
      }),
    },
    {
      title: "a trail that excludes management events and is not in CloudWatch Logs",
      cloud: "aws",
      expect: "reject",
      match: /management events/,
      resource: r("aws:cloudtrail/trail:Trail", "trail-data-only", {
        s3BucketName: "b",
        isMultiRegionTrail: true,
        enableLogFileValidation: true,
        eventSelectors: [{ readWriteType: "All", includeManagementEvents: false }],
      }),
    },
    {
      title: "a CloudTrail Lake event data store kept 90 days",
      cloud: "aws",
      expect: "reject",
      match: /retentionPeriod is 90/,
      resource: r("aws:cloudtrail/eventDataStore:EventDataStore", "lake", { retentionPeriod: 90 }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:cloudtrail/eventDataStore:EventDataStore", "lake", {
        retentionPeriod: 365,
        multiRegionEnabled: true,
      }),
    },
    {
      title: "a subscription Activity Log export without the Security category",
      cloud: "azure",
      expect: "reject",
      match: /Security category/,
      resource: r("azure-native:monitor:SubscriptionDiagnosticSetting", "activity", {
        workspaceId: "w",
        logs: [{ category: "Administrative", enabled: true }],
      }),
    },
    {
      title: "a subscription Activity Log export with no destination",
      cloud: "azure",
      expect: "reject",
      match: /no destination/,
      resource: r("azure-native:monitor:SubscriptionDiagnosticSetting", "activity", {
        logs: [{ categoryGroup: "allLogs", enabled: true }],
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:monitor:SubscriptionDiagnosticSetting", "activity", {
        workspaceId: UNKNOWN,
        logs: [
          { category: "Administrative", enabled: true },
          { category: "Security", enabled: true },
          { category: "Policy", enabled: true },
        ],
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:projects/iAMAuditConfig:IAMAuditConfig", "audit", {
        project: "p",
        service: "allServices",
        auditLogConfigs: [{ logType: "ADMIN_READ" }],
      }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:projects/iAMAuditConfig:IAMAuditConfig", "audit", {
        project: "p",
        service: "allServices",
        auditLogConfigs: [{ logType: "ADMIN_READ" }, { logType: "DATA_READ" }, { logType: "DATA_WRITE" }],
      }),
    },
    {
      title: "an organization audit config without data reads",
      cloud: "gcp",
      expect: "reject",
      match: /DATA_READ/,
      resource: r("gcp:organizations/iamAuditConfig:IamAuditConfig", "org-audit", {
        orgId: "123",
        service: "allServices",
        auditLogConfigs: [{ logType: "ADMIN_READ" }, { logType: "DATA_WRITE" }],
      }),
    },
  ]);

  controlCases("enable-cluster-audit-logs", [
    {
      cloud: "aws",
      expect: "reject",
      stack: [r("aws:eks/cluster:Cluster", "eks", { enabledClusterLogTypes: ["api"] })],
    },
    {
      cloud: "aws",
      expect: "accept",
      stack: [
        r("aws:eks/cluster:Cluster", "eks", { enabledClusterLogTypes: ["api", "audit", "authenticator"] }),
      ],
    },
    {
      cloud: "azure",
      expect: "reject",
      stack: [aks, diag("aks-diag", "aks", [{ category: "kube-apiserver", enabled: true }])],
      on: "aks",
    },
    {
      cloud: "azure",
      expect: "accept",
      stack: [aks, diag("aks-diag", "aks", [{ category: "kube-audit-admin", enabled: true }])],
    },
    {
      cloud: "gcp",
      expect: "reject",
      stack: [
        r("gcp:container/cluster:Cluster", "gke", {
          loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS"] },
        }),
      ],
    },
    {
      cloud: "gcp",
      expect: "accept",
      stack: [
        r("gcp:container/cluster:Cluster", "gke", {
          loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "APISERVER", "WORKLOADS"] },
        }),
      ],
    },
  ]);
});

describe("identity controls", () => {
  const admin = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
  });
  const scoped = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }],
  });
  controlCases("disallow-wildcard-iam-policies", [
    { cloud: "aws", expect: "reject", resource: r("aws:iam/policy:Policy", "p", { policy: admin }) },
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:iam/role:Role", "role", {
        assumeRolePolicy: "{}",
        inlinePolicies: [{ name: "all", policy: admin }],
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:iam/rolePolicy:RolePolicy", "p", { role: "r", policy: scoped }),
    },
    {
      cloud: "aws",
      expect: "reject",
      title: 'all of IAM on every resource ("iam:*" can grant itself AdministratorAccess)',
      resource: r("aws:iam/policy:Policy", "p", {
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: ["iam:*"], Resource: "*" }],
        }),
      }),
      match: /iam:\*/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "Allow with NotAction on every resource",
      resource: r("aws:iam/userPolicy:UserPolicy", "p", {
        user: "u",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", NotAction: ["iam:*"], Resource: "*" }],
        }),
      }),
      match: /NotAction/,
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "read-only IAM actions on every resource",
      resource: r("aws:iam/policy:Policy", "p", {
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: ["iam:GetRole", "iam:ListRoles"], Resource: "*" }],
        }),
      }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:authorization:RoleDefinition", "rd", {
        scope: "/subscriptions/s",
        permissions: [{ actions: ["*"] }],
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:authorization:RoleDefinition", "rd", {
        scope: "/subscriptions/s",
        permissions: [{ actions: ["Microsoft.Storage/storageAccounts/read"] }],
      }),
    },
  ]);

  controlCases("disallow-long-lived-access-keys", [
    { cloud: "aws", expect: "reject", resource: r("aws:iam/accessKey:AccessKey", "key", { user: "ci" }) },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:iam/accessKey:AccessKey", "key", { user: "ci", status: "Inactive" }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:serviceaccount/key:Key", "key", { serviceAccountId: "sa" }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      title: "service account without keys",
      resource: r("gcp:serviceaccount/account:Account", "sa", { accountId: "app" }),
    },
  ]);

  controlCases("disallow-primitive-admin-roles", [
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:projects/iAMMember:IAMMember", "m", {
        project: "p",
        role: "roles/editor",
        member: "serviceAccount:app@p.iam.gserviceaccount.com",
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:projects/iAMBinding:IAMBinding", "b", {
        project: "p",
        role: "roles/owner",
        members: ["user:alice@example.com"],
      }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:projects/iAMMember:IAMMember", "m", {
        project: "p",
        role: "roles/cloudsql.client",
        member: "serviceAccount:app@p.iam.gserviceaccount.com",
      }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:authorization:RoleAssignment", "ra", {
        scope: "/subscriptions/0000",
        principalId: "x",
        roleDefinitionId:
          "/subscriptions/0000/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:authorization:RoleAssignment", "ra", {
        scope: "/subscriptions/0000/resourceGroups/rg",
        principalId: "x",
        roleDefinitionId:
          "/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe",
      }),
    },
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", {
        role: "r",
        policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", {
        role: "r",
        policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
      }),
    },
  ]);
});
