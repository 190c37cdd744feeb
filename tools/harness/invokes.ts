/**
 * Answers to the provider functions (invokes) the program calls, by token. An invoke not listed here is
 * rejected with an error naming its token: a program change that adds an invoke must add its answer.
 */
import type { ProviderSettings } from "./outputs";

export type InvokeAnswer = (
  inputs: Record<string, unknown>,
  provider: ProviderSettings | undefined,
) => Record<string, unknown>;

export const invokeAnswers: Readonly<Record<string, InvokeAnswer>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": (_inputs, p) => {
    const account = p?.accountId ?? "123456789012";
    return {
      accountId: account,
      arn: `arn:aws:iam::${account}:role/platform-deployer`,
      userId: "AROAEXAMPLEDEPLOYER:pulumi",
      id: account,
    };
  },
  "aws:index/getRegion:getRegion": (_inputs, p) => ({
    name: p?.region ?? "us-east-1",
    region: p?.region ?? "us-east-1",
    id: p?.region ?? "us-east-1",
    endpoint: `ec2.${p?.region ?? "us-east-1"}.amazonaws.com`,
  }),
  "aws:index/getPartition:getPartition": () => ({
    partition: "aws",
    dnsSuffix: "amazonaws.com",
    reverseDnsPrefix: "com.amazonaws",
    id: "aws",
  }),
  // The default version of an EKS add-on for a Kubernetes version (`mostRecent: false`).
  "aws:eks/getAddonVersion:getAddonVersion": (inputs, p) => {
    const addon = typeof inputs.addonName === "string" ? inputs.addonName : "addon";
    const k8s = typeof inputs.kubernetesVersion === "string" ? inputs.kubernetesVersion : "1.33";
    const versions: Record<string, string> = {
      "vpc-cni": "v1.19.5-eksbuild.1",
      coredns: "v1.12.1-eksbuild.2",
      "kube-proxy": `v${k8s}.0-eksbuild.2`,
      "eks-pod-identity-agent": "v1.3.7-eksbuild.2",
    };
    return {
      addonName: addon,
      kubernetesVersion: k8s,
      mostRecent: inputs.mostRecent === true,
      region: p?.region ?? "us-east-1",
      version: versions[addon] ?? "v1.0.0-eksbuild.1",
      id: addon,
    };
  },
  "azure-native:authorization:getClientConfig": (_inputs, p) => ({
    clientId: "00000000-0000-4000-8000-00000000c11e",
    objectId: "00000000-0000-4000-8000-0000000000b1",
    subscriptionId: p?.subscriptionId ?? "00000000-0000-0000-0000-000000000000",
    tenantId: "00000000-0000-4000-8000-0000000000aa",
  }),
  // AKS user credentials (format exec): a kubeconfig, base64, whose cluster entry carries the CA.
  "azure-native:containerservice:listManagedClusterUserCredentials": (inputs) => {
    const cluster = typeof inputs.resourceName === "string" ? inputs.resourceName : "aks";
    const ca = Buffer.from(
      `-----BEGIN CERTIFICATE-----\nMIIB${cluster}CA\n-----END CERTIFICATE-----\n`,
    ).toString("base64");
    const kubeconfig = [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      `- name: ${cluster}`,
      "  cluster:",
      `    server: https://${cluster}.privatelink.westeurope.azmk8s.io:443`,
      `    certificate-authority-data: ${ca}`,
      "users:",
      `- name: clusterUser_${cluster}`,
      "  user:",
      "    exec:",
      "      apiVersion: client.authentication.k8s.io/v1beta1",
      "      command: kubelogin",
      "",
    ].join("\n");
    return { kubeconfigs: [{ name: "clusterUser", value: Buffer.from(kubeconfig).toString("base64") }] };
  },
  "gcp:organizations/getProject:getProject": (inputs, p) => {
    const project = typeof inputs.projectId === "string" ? inputs.projectId : (p?.project ?? "project");
    return { projectId: project, number: "123456789012", name: project, id: `projects/${project}` };
  },
  // The Cloud Storage service agent: service-<project number>@gs-project-accounts.iam.gserviceaccount.com
  "gcp:storage/getProjectServiceAccount:getProjectServiceAccount": (inputs, p) => {
    const project = typeof inputs.project === "string" ? inputs.project : (p?.project ?? "project");
    const email = "service-123456789012@gs-project-accounts.iam.gserviceaccount.com";
    return { emailAddress: email, member: `serviceAccount:${email}`, project, id: email };
  },
  // The Storage Transfer Service agent: project-<number>@storage-transfer-service.iam.gserviceaccount.com
  "gcp:storage/getTransferProjectServiceAccount:getTransferProjectServiceAccount": (inputs, p) => {
    const project = typeof inputs.project === "string" ? inputs.project : (p?.project ?? "project");
    const email = "project-123456789012@storage-transfer-service.iam.gserviceaccount.com";
    return {
      email,
      member: `serviceAccount:${email}`,
      subjectId: "104857600000000000001",
      project,
      id: email,
    };
  },
  // The Cloud Logging service agent that encrypts log buckets with a CMEK.
  "gcp:logging/getProjectCmekSettings:getProjectCmekSettings": (inputs, p) => {
    const project = typeof inputs.project === "string" ? inputs.project : (p?.project ?? "project");
    return {
      id: `projects/${project}/cmekSettings`,
      name: `projects/${project}/cmekSettings`,
      project,
      serviceAccountId: "service-123456789012@gcp-sa-logging.iam.gserviceaccount.com",
      kmsKeyVersionName: "",
    };
  },
};

export class UnknownInvokeError extends Error {
  constructor(token: string) {
    super(
      `the mock harness has no answer for invoke '${token}': add one to tools/harness/invokes.ts ` +
        `(known: ${Object.keys(invokeAnswers).join(", ")})`,
    );
    this.name = "UnknownInvokeError";
  }
}
