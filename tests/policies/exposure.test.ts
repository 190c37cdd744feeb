import { controlCases } from "./cases";
import { UNKNOWN, type TestResource } from "./harness";

const r = (
  type: string,
  name: string,
  props: Record<string, unknown>,
  extra: Partial<TestResource> = {},
): TestResource => ({ type, name, props, ...extra });
const bucket = r("aws:s3/bucket:Bucket", "data", { bucket: "acme-data" });
const allBlocks = {
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
};

describe("exposure controls", () => {
  controlCases("enforce-storage-public-access-block", [
    {
      cloud: "aws",
      expect: "reject",
      on: "data",
      stack: [bucket],
      match: /no aws.s3.BucketPublicAccessBlock/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "block with a flag off",
      stack: [
        bucket,
        r(
          "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
          "data-pab",
          { bucket: UNKNOWN, ...allBlocks, restrictPublicBuckets: false },
          { propertyDependencies: { bucket: ["data"] } },
        ),
      ],
      on: "data-pab",
    },
    {
      cloud: "aws",
      expect: "accept",
      stack: [
        bucket,
        r(
          "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
          "data-pab",
          { bucket: UNKNOWN, ...allBlocks },
          { propertyDependencies: { bucket: ["data"] } },
        ),
      ],
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "account-level block",
      stack: [bucket, r("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "account", allBlocks)],
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:storage:StorageAccount", "sa", { allowBlobPublicAccess: true }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:storage:StorageAccount", "sa", { allowBlobPublicAccess: false }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:storage/bucket:Bucket", "b", { publicAccessPrevention: "inherited" }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:storage/bucket:Bucket", "b", { publicAccessPrevention: "enforced" }),
    },
  ]);

  controlCases("disallow-public-storage-grants", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:s3/bucketAcl:BucketAcl", "acl", { bucket: "b", acl: "public-read" }),
    },
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:s3/bucketPolicy:BucketPolicy", "p", {
        bucket: "b",
        policy: JSON.stringify({
          Statement: [
            { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" },
          ],
        }),
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:s3/bucketAcl:BucketAcl", "acl", { bucket: "b", acl: "private" }),
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "public principal restricted by a condition",
      resource: r("aws:s3/bucketPolicy:BucketPolicy", "p", {
        bucket: "b",
        policy: {
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: "*" },
              Action: "s3:GetObject",
              Resource: "*",
              Condition: { StringEquals: { "aws:PrincipalOrgID": "o-123" } },
            },
          ],
        },
      }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:storage:BlobContainer", "c", { publicAccess: "Blob" }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:storage:BlobContainer", "c", { publicAccess: "None" }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:storage/bucketIAMMember:BucketIAMMember", "m", {
        bucket: "b",
        role: "roles/storage.objectViewer",
        member: "allUsers",
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:storage/bucketIAMBinding:BucketIAMBinding", "m", {
        bucket: "b",
        role: "roles/storage.objectViewer",
        members: ["allAuthenticatedUsers"],
      }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:storage/bucketIAMMember:BucketIAMMember", "m", {
        bucket: "b",
        role: "roles/storage.objectViewer",
        member: "serviceAccount:app@p.iam.gserviceaccount.com",
      }),
    },
  ]);

  controlCases("enforce-identity-based-storage-access", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "oc", {
        bucket: "b",
        rule: { objectOwnership: "ObjectWriter" },
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "oc", {
        bucket: "b",
        rule: { objectOwnership: "BucketOwnerEnforced" },
      }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:storage:StorageAccount", "sa", { kind: "StorageV2" }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:storage:StorageAccount", "sa", { allowSharedKeyAccess: false }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:storage/bucket:Bucket", "b", { uniformBucketLevelAccess: false }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:storage/bucket:Bucket", "b", { uniformBucketLevelAccess: true }),
    },
  ]);

  controlCases("disallow-public-database-endpoints", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:rds/instance:Instance", "db", { publiclyAccessible: true }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:rds/instance:Instance", "db", { publiclyAccessible: false }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:dbforpostgresql:Server", "pg", {
        network: { publicNetworkAccess: "Enabled" },
      }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:redis:Redis", "redis", {
        sku: { name: "Premium", family: "P", capacity: 1 },
      }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:sql:FirewallRule", "fw", {
        startIpAddress: "0.0.0.0",
        endIpAddress: "255.255.255.255",
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:dbforpostgresql:Server", "pg", {
        network: { publicNetworkAccess: "Disabled", delegatedSubnetResourceId: "/s" },
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:redis:Redis", "redis", { publicNetworkAccess: "Disabled" }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "sql", {
        settings: { ipConfiguration: { ipv4Enabled: true, authorizedNetworks: [{ value: "0.0.0.0/0" }] } },
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "public IP by default",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "sql", { settings: { tier: "db-f1-micro" } }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "sql", {
        settings: { ipConfiguration: { ipv4Enabled: false, privateNetwork: UNKNOWN } },
      }),
    },
  ]);

  const sg = (cidr: string, from: number, to: number, protocol = "tcp") =>
    r("aws:ec2/securityGroup:SecurityGroup", "sg", {
      ingress: [{ protocol, fromPort: from, toPort: to, cidrBlocks: [cidr] }],
    });
  const nsgRule = (source: string, port: string) =>
    r("azure-native:network:SecurityRule", "rule", {
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: source,
      destinationPortRange: port,
      priority: 100,
    });
  const firewall = (ranges: string[] | undefined, ports: string[]) =>
    r("gcp:compute/firewall:Firewall", "fw", {
      network: "n",
      ...(ranges ? { sourceRanges: ranges } : {}),
      allows: [{ protocol: "tcp", ports }],
    });

  controlCases("disallow-public-admin-ports", [
    { cloud: "aws", expect: "reject", resource: sg("0.0.0.0/0", 22, 22), match: /port\(s\) 22/ },
    { cloud: "aws", expect: "reject", title: "all protocols", resource: sg("::/0", 0, 0, "-1") },
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "in", {
        securityGroupId: "sg",
        cidrIpv4: "0.0.0.0/0",
        ipProtocol: "tcp",
        fromPort: 3389,
        toPort: 3389,
      }),
    },
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:ec2/networkAclRule:NetworkAclRule", "nacl", {
        networkAclId: "a",
        ruleNumber: 100,
        egress: false,
        protocol: "6",
        ruleAction: "allow",
        cidrBlock: "0.0.0.0/0",
        fromPort: 22,
        toPort: 22,
      }),
    },
    { cloud: "aws", expect: "accept", resource: sg("10.0.0.0/16", 22, 22) },
    { cloud: "aws", expect: "accept", title: "public HTTPS only", resource: sg("0.0.0.0/0", 443, 443) },
    {
      cloud: "aws",
      expect: "accept",
      title: "NACL ephemeral return range",
      resource: r("aws:ec2/networkAclRule:NetworkAclRule", "nacl", {
        networkAclId: "a",
        ruleNumber: 120,
        egress: false,
        protocol: "6",
        ruleAction: "allow",
        cidrBlock: "0.0.0.0/0",
        fromPort: 1024,
        toPort: 65535,
      }),
    },
    { cloud: "azure", expect: "reject", resource: nsgRule("Internet", "3389") },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:network:NetworkSecurityGroup", "nsg", {
        securityRules: [
          {
            name: "ssh",
            direction: "Inbound",
            access: "Allow",
            protocol: "*",
            sourceAddressPrefix: "*",
            destinationPortRanges: ["20-30"],
            priority: 100,
          },
        ],
      }),
    },
    { cloud: "azure", expect: "accept", resource: nsgRule("10.0.0.0/8", "22") },
    { cloud: "gcp", expect: "reject", resource: firewall(["0.0.0.0/0"], ["22"]) },
    {
      cloud: "gcp",
      expect: "reject",
      title: "no source ranges means 0.0.0.0/0",
      resource: firewall(undefined, ["3389"]),
    },
    { cloud: "gcp", expect: "accept", resource: firewall(["35.235.240.0/20"], ["22"]) },
  ]);

  controlCases("disallow-public-data-ports", [
    { cloud: "aws", expect: "reject", resource: sg("0.0.0.0/0", 5432, 5432), match: /5432/ },
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:ec2/securityGroupRule:SecurityGroupRule", "rule", {
        type: "ingress",
        securityGroupId: "sg",
        protocol: "tcp",
        fromPort: 6000,
        toPort: 7000,
        cidrBlocks: ["0.0.0.0/0"],
      }),
      match: /6379/,
    },
    { cloud: "aws", expect: "accept", resource: sg("10.0.1.0/24", 5432, 5432) },
    { cloud: "azure", expect: "reject", resource: nsgRule("*", "1433") },
    { cloud: "azure", expect: "accept", resource: nsgRule("VirtualNetwork", "1433") },
    { cloud: "gcp", expect: "reject", resource: firewall(["0.0.0.0/0"], ["27017", "9200"]) },
    { cloud: "gcp", expect: "accept", resource: firewall(["10.0.0.0/8"], ["5432"]) },
  ]);

  controlCases("enforce-network-default-deny", [
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:storage:StorageAccount", "sa", {
        networkRuleSet: { defaultAction: "Allow" },
      }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:keyvault:Vault", "kv", {
        properties: { tenantId: "t", sku: { family: "A", name: "premium" } },
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:storage:StorageAccount", "sa", {
        networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" },
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:keyvault:Vault", "kv", {
        properties: {
          tenantId: "t",
          sku: { family: "A", name: "premium" },
          networkAcls: { defaultAction: "Deny" },
        },
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      title: "not enforced outside production",
      resource: r("azure-native:storage:StorageAccount", "sa2", {}),
      settings: { environment: "dev" },
    },
  ]);

  controlCases("disallow-public-ip-on-compute", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:ec2/instance:Instance", "vm", { associatePublicIpAddress: true }),
    },
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:ec2/subnet:Subnet", "public", { mapPublicIpOnLaunch: true }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:ec2/instance:Instance", "vm", { associatePublicIpAddress: false }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:network:NetworkInterface", "nic", {
        ipConfigurations: [{ name: "c", publicIPAddress: { id: UNKNOWN } }],
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:network:NetworkInterface", "nic", {
        ipConfigurations: [{ name: "c", subnet: { id: "s" } }],
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:compute/instance:Instance", "vm", {
        networkInterfaces: [{ network: "n", accessConfigs: [{}] }],
      }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:compute/instance:Instance", "vm", { networkInterfaces: [{ network: "n" }] }),
    },
  ]);
});
