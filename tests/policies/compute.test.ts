import { controlCases } from "./cases";
import { UNKNOWN, type TestResource } from "./harness";

const r = (type: string, name: string, props: Record<string, unknown>): TestResource => ({
  type,
  name,
  props,
});

describe("compute hardening controls", () => {
  controlCases("enforce-instance-metadata-v2", [
    {
      cloud: "aws",
      expect: "reject",
      title: "instance without metadataOptions (IMDSv1 allowed by default)",
      resource: r("aws:ec2/instance:Instance", "vm", { ami: "ami-1", instanceType: "t3.micro" }),
      match: /httpTokens is unset/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "launch template with httpTokens optional",
      resource: r("aws:ec2/launchTemplate:LaunchTemplate", "lt", {
        metadataOptions: { httpTokens: "optional", httpEndpoint: "enabled" },
      }),
      match: /"optional"/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "spot instance request without metadataOptions",
      resource: r("aws:ec2/spotInstanceRequest:SpotInstanceRequest", "spot", { ami: "ami-1" }),
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "launch configuration without metadataOptions",
      resource: r("aws:ec2/launchConfiguration:LaunchConfiguration", "lc", { imageId: "ami-1" }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:ec2/instance:Instance", "vm", {
        ami: "ami-1",
        metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:ec2/launchTemplate:LaunchTemplate", "lt", {
        metadataOptions: { httpTokens: "required" },
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "metadata endpoint disabled",
      resource: r("aws:ec2/instance:Instance", "vm", { metadataOptions: { httpEndpoint: "disabled" } }),
    },
    {
      cloud: "aws",
      expect: "unknown",
      title: "httpTokens computed during preview",
      resource: r("aws:ec2/instance:Instance", "vm", { metadataOptions: { httpTokens: UNKNOWN } }),
    },
  ]);
  const defaultSa = {
    email: "123456789012-compute@developer.gserviceaccount.com",
    scopes: ["cloud-platform"],
  };
  const appSa = { email: "app@corp-prod.iam.gserviceaccount.com", scopes: ["cloud-platform"] };
  controlCases("disallow-default-compute-service-account", [
    {
      cloud: "gcp",
      expect: "reject",
      title: "instance with the default account's email and cloud-platform",
      resource: r("gcp:compute/instance:Instance", "vm", { serviceAccount: defaultSa }),
      match: /default compute service account/,
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "instance template with no email (default account) and the full cloud-platform URL",
      resource: r("gcp:compute/instanceTemplate:InstanceTemplate", "tmpl", {
        serviceAccount: { scopes: ["https://www.googleapis.com/auth/cloud-platform"] },
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "node pool without a service account and with cloud-platform",
      resource: r("gcp:container/nodePool:NodePool", "pool", {
        cluster: "gke",
        nodeConfig: {
          machineType: "e2-standard-4",
          oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
        },
      }),
      match: /nodeConfig/,
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "cluster node pool with the default account",
      resource: r("gcp:container/cluster:Cluster", "gke", {
        nodePools: [
          { name: "p", nodeConfig: { serviceAccount: "default", oauthScopes: ["cloud-platform"] } },
        ],
      }),
      match: /nodePools\[0\]/,
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:compute/instance:Instance", "vm", { serviceAccount: appSa }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "default account even with narrow scopes (CIS GCP 4.1: it keeps its project roles)",
      resource: r("gcp:compute/instance:Instance", "vm", {
        serviceAccount: { ...defaultSa, scopes: ["logging-write", "monitoring-write"] },
      }),
      match: /default compute service account \(which holds the project Editor role/,
    },
    {
      cloud: "gcp",
      expect: "accept",
      title: "no service account on the instance",
      resource: r("gcp:compute/instance:Instance", "vm", { machineType: "e2-small" }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      title: "node pool with a computed dedicated account",
      resource: r("gcp:container/nodePool:NodePool", "pool", {
        nodeConfig: { serviceAccount: UNKNOWN, oauthScopes: ["cloud-platform"] },
      }),
    },
    {
      cloud: "gcp",
      expect: "unknown",
      title: "scopes computed during preview",
      resource: r("gcp:compute/instance:Instance", "vm", { serviceAccount: { scopes: UNKNOWN } }),
    },
  ]);
  const shielded = { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true };
  const hardenedMetadata = { "block-project-ssh-keys": "true", "enable-oslogin": "TRUE" };
  const linuxVm = {
    osProfile: {
      adminUsername: "ops",
      linuxConfiguration: {
        disablePasswordAuthentication: true,
        ssh: { publicKeys: [{ path: "/home/ops/.ssh/authorized_keys", keyData: "ssh-ed25519 AAAA" }] },
      },
    },
    securityProfile: { encryptionAtHost: true },
  };
  controlCases("enforce-vm-hardening", [
    {
      cloud: "gcp",
      expect: "reject",
      title: "instance without Shielded VM secure boot",
      resource: r("gcp:compute/instance:Instance", "vm", { metadata: hardenedMetadata }),
      match: /enableSecureBoot/,
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "serial port enabled",
      resource: r("gcp:compute/instance:Instance", "vm", {
        shieldedInstanceConfig: shielded,
        metadata: { ...hardenedMetadata, "serial-port-enable": "TRUE" },
      }),
      match: /serial-port-enable/,
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "project-wide SSH keys not blocked",
      resource: r("gcp:compute/instanceTemplate:InstanceTemplate", "tmpl", {
        shieldedInstanceConfig: shielded,
        metadata: { "enable-oslogin": "TRUE" },
      }),
      match: /block-project-ssh-keys/,
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "OS Login switched off, vTPM off",
      resource: r("gcp:compute/instance:Instance", "vm", {
        shieldedInstanceConfig: { ...shielded, enableVtpm: false },
        metadata: { ...hardenedMetadata, "enable-oslogin": "FALSE" },
      }),
      match: /enable-oslogin/,
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:compute/instance:Instance", "vm", {
        shieldedInstanceConfig: shielded,
        metadata: hardenedMetadata,
      }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      title: "template with secure boot (vTPM and integrity monitoring default on), OS Login unset",
      resource: r("gcp:compute/regionInstanceTemplate:RegionInstanceTemplate", "tmpl", {
        shieldedInstanceConfig: { enableSecureBoot: true },
        metadata: { "block-project-ssh-keys": true },
      }),
    },
    {
      cloud: "gcp",
      expect: "unknown",
      title: "metadata computed during preview",
      resource: r("gcp:compute/instance:Instance", "vm", {
        shieldedInstanceConfig: shielded,
        metadata: UNKNOWN,
      }),
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "Linux VM with password login",
      resource: r("azure-native:compute:VirtualMachine", "vm", {
        ...linuxVm,
        osProfile: {
          adminUsername: "ops",
          adminPassword: "x",
          linuxConfiguration: { disablePasswordAuthentication: false },
        },
      }),
      match: /disablePasswordAuthentication/,
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "Linux (by OS disk) VM without encryption at host",
      resource: r("azure-native:compute:VirtualMachine", "vm", {
        osProfile: { adminUsername: "ops", adminPassword: "x" },
        storageProfile: { osDisk: { osType: "Linux", createOption: "FromImage" } },
      }),
      match: /encryptionAtHost/,
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "scale set without encryption at host",
      resource: r("azure-native:compute:VirtualMachineScaleSet", "vmss", {
        virtualMachineProfile: { osProfile: linuxVm.osProfile },
      }),
      match: /virtualMachineProfile.securityProfile.encryptionAtHost/,
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:compute:VirtualMachine", "vm", linuxVm),
    },
    {
      cloud: "azure",
      expect: "accept",
      title: "Windows VM with encryption at host",
      resource: r("azure-native:compute:VirtualMachine", "vm", {
        osProfile: {
          adminUsername: "ops",
          adminPassword: "x",
          windowsConfiguration: { provisionVMAgent: true },
        },
        securityProfile: { encryptionAtHost: true },
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:compute:VirtualMachineScaleSet", "vmss", { virtualMachineProfile: linuxVm }),
    },
  ]);
  controlCases("disallow-public-function-urls", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:lambda/functionUrl:FunctionUrl", "url", {
        functionName: "api",
        authorizationType: "NONE",
      }),
      match: /"NONE"/,
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:lambda/functionUrl:FunctionUrl", "url", {
        functionName: "api",
        authorizationType: "AWS_IAM",
      }),
    },
    {
      cloud: "aws",
      expect: "unknown",
      resource: r("aws:lambda/functionUrl:FunctionUrl", "url", {
        functionName: "api",
        authorizationType: UNKNOWN,
      }),
    },
  ]);

  const cmk = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  const hardenedRepo = {
    imageTagMutability: "IMMUTABLE",
    imageScanningConfiguration: { scanOnPush: true },
    encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: cmk }],
  };
  controlCases("enforce-container-registry-hardening", [
    {
      cloud: "aws",
      expect: "reject",
      title: "repository with the defaults (mutable, no scan, AES256)",
      resource: r("aws:ecr/repository:Repository", "repo", { name: "app" }),
      match: /imageTagMutability is MUTABLE/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "AES256 encryption",
      resource: r("aws:ecr/repository:Repository", "repo", {
        ...hardenedRepo,
        encryptionConfigurations: [{ encryptionType: "AES256" }],
      }),
      match: /encryptionType "KMS"/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "scan on push off",
      resource: r("aws:ecr/repository:Repository", "repo", {
        ...hardenedRepo,
        imageScanningConfiguration: { scanOnPush: false },
      }),
      match: /scanOnPush/,
    },
    { cloud: "aws", expect: "accept", resource: r("aws:ecr/repository:Repository", "repo", hardenedRepo) },
  ]);
});
