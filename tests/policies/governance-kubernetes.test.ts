import { controlCases } from "./cases";
import { UNKNOWN, type TestResource } from "./harness";

const r = (
  type: string,
  name: string,
  props: Record<string, unknown>,
  extra: Partial<TestResource> = {},
): TestResource => ({ type, name, props, ...extra });
export const fullTags = {
  environment: "prod",
  owner: "platform-team",
  "cost-center": "cc-1001",
  "data-classification": "confidential",
  "managed-by": "pulumi",
  "site-role": "primary",
};
const awsProvider = { type: "pulumi:providers:aws", name: "primary-aws", props: { region: "eu-west-1" } };

describe("governance controls", () => {
  controlCases("enforce-required-tags", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16", tags: { owner: "x" } }),
      match: /environment, cost-center/,
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16", tags: fullTags }),
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "tags from the provider's defaultTags",
      resource: r(
        "aws:ec2/vpc:Vpc",
        "vpc",
        { cidrBlock: "10.0.0.0/16" },
        {
          provider: {
            ...awsProvider,
            props: { region: "eu-west-1", defaultTags: JSON.stringify({ tags: fullTags }) },
          },
        },
      ),
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "untaggable type",
      resource: r("aws:s3/bucketVersioning:BucketVersioning", "v", { bucket: "b" }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:storage:StorageAccount", "sa", { tags: {} }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:storage:StorageAccount", "sa", { tags: { ...fullTags, owner: UNKNOWN } }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:storage/bucket:Bucket", "b", { labels: { environment: "prod" } }),
    },
    { cloud: "gcp", expect: "accept", resource: r("gcp:storage/bucket:Bucket", "b", { labels: fullTags }) },
    {
      cloud: "gcp",
      expect: "reject",
      title: "notification channel: labels are channel settings, resource labels are userLabels",
      resource: r("gcp:monitoring/notificationChannel:NotificationChannel", "oncall", {
        type: "email",
        labels: { email_address: "oncall@example.com", ...fullTags },
      }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:monitoring/notificationChannel:NotificationChannel", "oncall", {
        type: "email",
        labels: { email_address: "oncall@example.com" },
        userLabels: fullTags,
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "Cloud SQL instance: resource labels are settings.userLabels",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "db", {
        databaseVersion: "POSTGRES_16",
        settings: { tier: "db-custom-2-7680", userLabels: { environment: "prod", owner: "platform-team" } },
      }),
      match: /missing required settings\.userLabels: cost-center, data-classification, managed-by, site-role/,
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "db", {
        databaseVersion: "POSTGRES_16",
        settings: { tier: "db-custom-2-7680", userLabels: fullTags },
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "alert policy with its labels in labels-shaped config only",
      resource: r("gcp:monitoring/alertPolicy:AlertPolicy", "alert", {
        displayName: "errors",
        combiner: "OR",
        userLabels: { environment: "prod" },
      }),
      match: /missing required userLabels/,
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:monitoring/alertPolicy:AlertPolicy", "alert", {
        displayName: "errors",
        combiner: "OR",
        userLabels: fullTags,
      }),
    },
    {
      cloud: "gcp",
      expect: "unknown",
      title: "Cloud SQL settings computed during preview",
      resource: r("gcp:sql/databaseInstance:DatabaseInstance", "db", { settings: UNKNOWN }),
    },
  ]);

  const personal = { ...fullTags, "data-classification": "personal" };
  controlCases("enforce-data-residency", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r(
        "aws:s3/bucket:Bucket",
        "b",
        { tags: personal },
        { provider: { ...awsProvider, props: { region: "us-east-1" } } },
      ),
      match: /us-east-1/,
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:s3/bucket:Bucket", "b", { tags: personal }, { provider: awsProvider }),
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "non-personal data anywhere",
      resource: r(
        "aws:s3/bucket:Bucket",
        "b",
        { tags: fullTags },
        { provider: { ...awsProvider, props: { region: "us-east-1" } } },
      ),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:storage:StorageAccount", "sa", { location: "East US", tags: personal }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:storage:StorageAccount", "sa", { location: "westeurope", tags: personal }),
    },
    {
      cloud: "azure",
      expect: "accept",
      title: "LFPDPPP classification with a configured Mexican region list",
      resource: r("azure-native:storage:StorageAccount", "sa", {
        location: "mexicocentral",
        tags: { ...fullTags, "data-classification": "personal-mx" },
      }),
      settings: {
        allowedRegions: { "personal-mx": ["mexicocentral", "mx-central-1", "northamerica-south1"] },
      },
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:storage/bucket:Bucket", "b", { location: "US", labels: personal }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:storage/bucket:Bucket", "b", { location: "EU", labels: personal }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      title: "a zonal Filestore instance: its location is a zone of an allowed region",
      resource: r("gcp:filestore/instance:Instance", "f", { location: "europe-west4-a", labels: personal }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "a zonal Filestore instance in a zone outside the allowed regions",
      resource: r("gcp:filestore/instance:Instance", "f", { location: "us-central1-b", labels: personal }),
      match: /us-central1/,
    },
    {
      cloud: "gcp",
      expect: "unknown",
      title: "region computed during preview",
      resource: r("gcp:storage/bucket:Bucket", "b", { location: UNKNOWN, labels: personal }),
    },
  ]);

  const defaultProvider = (type: string) => ({ type, name: "default_7_48_0", props: {} });
  controlCases("enforce-explicit-providers", [
    {
      cloud: "aws",
      expect: "reject",
      stack: [r("aws:s3/bucket:Bucket", "b", {}, { provider: defaultProvider("pulumi:providers:aws") })],
      on: "b",
    },
    {
      cloud: "aws",
      expect: "accept",
      stack: [r("aws:s3/bucket:Bucket", "b", {}, { provider: awsProvider })],
    },
    {
      cloud: "azure",
      expect: "reject",
      stack: [
        r(
          "azure-native:storage:StorageAccount",
          "sa",
          {},
          { provider: defaultProvider("pulumi:providers:azure-native") },
        ),
      ],
    },
    {
      cloud: "azure",
      expect: "accept",
      stack: [
        r(
          "azure-native:storage:StorageAccount",
          "sa",
          {},
          { provider: { type: "pulumi:providers:azure-native", name: "secondary-azure" } },
        ),
      ],
    },
    {
      cloud: "gcp",
      expect: "reject",
      stack: [r("gcp:storage/bucket:Bucket", "b", {}, { provider: defaultProvider("pulumi:providers:gcp") })],
    },
    {
      cloud: "gcp",
      expect: "accept",
      stack: [
        r(
          "gcp:storage/bucket:Bucket",
          "b",
          {},
          { provider: { type: "pulumi:providers:gcp", name: "primary-gcp" } },
        ),
      ],
    },
    {
      cloud: "kubernetes",
      expect: "reject",
      stack: [
        r(
          "kubernetes:core/v1:Namespace",
          "ns",
          {},
          { provider: defaultProvider("pulumi:providers:kubernetes") },
        ),
      ],
    },
    {
      cloud: "kubernetes",
      expect: "accept",
      stack: [
        r(
          "kubernetes:core/v1:Namespace",
          "ns",
          {},
          { provider: { type: "pulumi:providers:kubernetes", name: "cluster" } },
        ),
      ],
    },
  ]);
});

const container = (extra: Record<string, unknown> = {}) => ({
  name: "app",
  image: "registry.example.com/app:1.4.2",
  securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false },
  resources: { limits: { cpu: "500m", memory: "256Mi" } },
  ...extra,
});
const deployment = (pod: Record<string, unknown>, name = "app") =>
  r("kubernetes:apps/v1:Deployment", name, {
    metadata: { namespace: "apps" },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: pod },
    },
  });
const pod = (spec: Record<string, unknown>) =>
  r("kubernetes:core/v1:Pod", "pod", { metadata: { namespace: "apps" }, spec });
const cronJob = (spec: Record<string, unknown>) =>
  r("kubernetes:batch/v1:CronJob", "job", {
    spec: { schedule: "* * * * *", jobTemplate: { spec: { template: { spec } } } },
  });

describe("kubernetes controls", () => {
  controlCases("disallow-privileged-containers", [
    {
      cloud: "kubernetes",
      expect: "reject",
      resource: deployment({ containers: [container({ securityContext: { privileged: true } })] }),
    },
    {
      cloud: "kubernetes",
      expect: "reject",
      title: "privileged init container in a CronJob",
      resource: cronJob({
        containers: [container()],
        initContainers: [container({ name: "init", securityContext: { privileged: true } })],
      }),
    },
    { cloud: "kubernetes", expect: "accept", resource: deployment({ containers: [container()] }) },
    {
      cloud: "kubernetes",
      expect: "reject",
      title: "allowPrivilegeEscalation: true",
      resource: pod({ containers: [container({ securityContext: { allowPrivilegeEscalation: true } })] }),
      match: /allowPrivilegeEscalation/,
    },
    {
      cloud: "kubernetes",
      expect: "reject",
      title: "SYS_ADMIN capability added",
      resource: deployment({
        containers: [
          container({ securityContext: { capabilities: { add: ["NET_BIND_SERVICE", "SYS_ADMIN"] } } }),
        ],
      }),
      match: /adds capabilities SYS_ADMIN/,
    },
    {
      cloud: "kubernetes",
      expect: "accept",
      title: "baseline capability only, escalation off",
      resource: deployment({
        containers: [
          container({
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
            },
          }),
        ],
      }),
    },
  ]);
  controlCases("enforce-run-as-non-root", [
    {
      cloud: "kubernetes",
      expect: "reject",
      resource: pod({ containers: [container({ securityContext: {} })] }),
    },
    {
      cloud: "kubernetes",
      expect: "reject",
      resource: deployment({
        securityContext: { runAsNonRoot: true },
        containers: [container({ securityContext: { runAsUser: 0 } })],
      }),
    },
    {
      cloud: "kubernetes",
      expect: "accept",
      resource: deployment({
        securityContext: { runAsNonRoot: true, runAsUser: 10001 },
        containers: [container({ securityContext: {} })],
      }),
    },
  ]);
  controlCases("disallow-host-namespaces", [
    {
      cloud: "kubernetes",
      expect: "reject",
      resource: deployment({ hostNetwork: true, containers: [container()] }),
    },
    { cloud: "kubernetes", expect: "reject", resource: pod({ hostPID: true, containers: [container()] }) },
    {
      cloud: "kubernetes",
      expect: "accept",
      resource: deployment({ hostNetwork: false, containers: [container()] }),
    },
  ]);
  controlCases("disallow-host-path-volumes", [
    {
      cloud: "kubernetes",
      expect: "reject",
      resource: deployment({
        containers: [container()],
        volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }],
      }),
    },
    {
      cloud: "kubernetes",
      expect: "accept",
      resource: deployment({ containers: [container()], volumes: [{ name: "tmp", emptyDir: {} }] }),
    },
  ]);
  controlCases("enforce-container-resource-limits", [
    {
      cloud: "kubernetes",
      expect: "reject",
      resource: deployment({ containers: [container({ resources: { requests: { cpu: "100m" } } })] }),
      match: /limits.cpu/,
    },
    { cloud: "kubernetes", expect: "accept", resource: deployment({ containers: [container()] }) },
    {
      cloud: "kubernetes",
      expect: "unknown",
      title: "pod spec computed during preview",
      resource: deployment({ containers: UNKNOWN }),
    },
  ]);
  controlCases("disallow-latest-image-tag", [
    {
      cloud: "kubernetes",
      expect: "reject",
      resource: deployment({ containers: [container({ image: "nginx" })] }),
      match: /no tag/,
    },
    {
      cloud: "kubernetes",
      expect: "reject",
      resource: deployment({ containers: [container({ image: "registry:5000/team/app:latest" })] }),
    },
    {
      cloud: "kubernetes",
      expect: "accept",
      resource: deployment({
        containers: [container({ image: "registry:5000/team/app@sha256:0123456789abcdef" })],
      }),
    },
    {
      cloud: "kubernetes",
      expect: "accept",
      resource: deployment({ containers: [container({ image: "registry:5000/team/app:2.1.0" })] }),
    },
  ]);
  const svc = (extra: Record<string, unknown>, annotations: Record<string, string> = {}) =>
    r("kubernetes:core/v1:Service", "svc", {
      metadata: { namespace: "apps", annotations },
      spec: { type: "LoadBalancer", ports: [{ port: 443 }], ...extra },
    });
  controlCases("disallow-public-load-balancer-services", [
    { cloud: "kubernetes", expect: "reject", resource: svc({}) },
    { cloud: "kubernetes", expect: "reject", resource: svc({ loadBalancerSourceRanges: ["0.0.0.0/0"] }) },
    {
      cloud: "kubernetes",
      expect: "accept",
      resource: svc({}, { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" }),
    },
    { cloud: "kubernetes", expect: "accept", resource: svc({ type: "ClusterIP" }) },
  ]);
  const ns = r("kubernetes:core/v1:Namespace", "apps-ns", { metadata: { name: "apps" } });
  const denyAll = r(
    "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    "deny",
    { metadata: { namespace: UNKNOWN }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
    { propertyDependencies: { metadata: ["apps-ns"] } },
  );
  controlCases("enforce-namespace-default-deny", [
    {
      cloud: "kubernetes",
      expect: "reject",
      stack: [ns, deployment({ containers: [container()] })],
      on: "apps-ns",
    },
    {
      cloud: "kubernetes",
      expect: "reject",
      title: "workload in an undeclared namespace",
      stack: [deployment({ containers: [container()] })],
      on: "app",
    },
    {
      cloud: "kubernetes",
      expect: "reject",
      title: "policy that allows ingress is not default-deny",
      stack: [
        ns,
        r("kubernetes:networking.k8s.io/v1:NetworkPolicy", "allow", {
          metadata: { namespace: "apps" },
          spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] },
        }),
      ],
    },
    {
      cloud: "kubernetes",
      expect: "reject",
      title: "ingress-only default deny leaves egress open",
      stack: [
        ns,
        r("kubernetes:networking.k8s.io/v1:NetworkPolicy", "deny-ingress", {
          metadata: { namespace: "apps" },
          spec: { podSelector: {}, policyTypes: ["Ingress"] },
        }),
      ],
      on: "apps-ns",
      messages: ["namespace has no default-deny egress NetworkPolicy"],
    },
    {
      cloud: "kubernetes",
      expect: "reject",
      title: "an egress allow-list is not a default deny",
      stack: [
        ns,
        r("kubernetes:networking.k8s.io/v1:NetworkPolicy", "dns-only", {
          metadata: { namespace: "apps" },
          spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], egress: [{ ports: [{ port: 53 }] }] },
        }),
      ],
      on: "apps-ns",
      messages: ["namespace has no default-deny egress NetworkPolicy"],
    },
    {
      cloud: "kubernetes",
      expect: "accept",
      stack: [ns, denyAll, deployment({ containers: [container()] })],
    },
    {
      cloud: "kubernetes",
      expect: "accept",
      title: "one default-deny policy per direction, plus an allow-DNS policy",
      stack: [
        ns,
        r("kubernetes:networking.k8s.io/v1:NetworkPolicy", "deny-in", {
          metadata: { namespace: "apps" },
          spec: { podSelector: {}, policyTypes: ["Ingress"] },
        }),
        r("kubernetes:networking.k8s.io/v1:NetworkPolicy", "deny-out", {
          metadata: { namespace: "apps" },
          spec: { podSelector: {}, policyTypes: ["Egress"] },
        }),
        r("kubernetes:networking.k8s.io/v1:NetworkPolicy", "dns", {
          metadata: { namespace: "apps" },
          spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ ports: [{ port: 53 }] }] },
        }),
      ],
    },
  ]);
  const pss = (labels: Record<string, unknown> | undefined) =>
    r("kubernetes:core/v1:Namespace", "apps-ns", {
      metadata: { name: "apps", ...(labels ? { labels } : {}) },
    });
  controlCases("enforce-namespace-pod-security", [
    {
      cloud: "kubernetes",
      expect: "reject",
      title: "no Pod Security label",
      resource: pss(undefined),
      messages: [
        "namespace has no pod-security.kubernetes.io/enforce label (Pod Security Admission falls back to privileged)",
      ],
    },
    {
      cloud: "kubernetes",
      expect: "reject",
      title: "baseline enforced, restricted only warned",
      resource: pss({
        "pod-security.kubernetes.io/enforce": "baseline",
        "pod-security.kubernetes.io/warn": "restricted",
      }),
      messages: ["namespace enforces Pod Security baseline, not restricted"],
    },
    {
      cloud: "kubernetes",
      expect: "accept",
      resource: pss({
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "v1.33",
      }),
    },
    {
      cloud: "kubernetes",
      expect: "unknown",
      title: "labels computed during preview",
      resource: pss({ "pod-security.kubernetes.io/enforce": UNKNOWN }),
    },
  ]);
  const quota = (hard: Record<string, unknown>) =>
    r(
      "kubernetes:core/v1:ResourceQuota",
      "quota",
      { metadata: { namespace: UNKNOWN }, spec: { hard } },
      { propertyDependencies: { metadata: ["apps-ns"] } },
    );
  const limitRange = (item: Record<string, unknown>) =>
    r("kubernetes:core/v1:LimitRange", "limits", {
      metadata: { namespace: "apps" },
      spec: { limits: [item] },
    });
  const containerDefaults = {
    type: "Container",
    default: { cpu: "500m", memory: "512Mi" },
    defaultRequest: { cpu: "100m", memory: "128Mi" },
  };
  controlCases("enforce-namespace-quotas-and-limits", [
    {
      cloud: "kubernetes",
      expect: "reject",
      title: "neither quota nor limit range",
      stack: [ns],
      on: "apps-ns",
      messages: [
        "namespace has no ResourceQuota",
        "namespace has no LimitRange giving containers default cpu and memory limits",
      ],
    },
    {
      cloud: "kubernetes",
      expect: "reject",
      title: "an empty quota and a limit range without container defaults",
      stack: [ns, quota({}), limitRange({ type: "PersistentVolumeClaim", max: { storage: "50Gi" } })],
      on: "apps-ns",
      messages: [
        "namespace has no ResourceQuota",
        "namespace has no LimitRange giving containers default cpu and memory limits",
      ],
    },
    {
      cloud: "kubernetes",
      expect: "reject",
      title: "quota and limits in another namespace",
      stack: [
        ns,
        r("kubernetes:core/v1:ResourceQuota", "q", {
          metadata: { namespace: "other" },
          spec: { hard: { pods: "10" } },
        }),
        r("kubernetes:core/v1:LimitRange", "l", {
          metadata: { namespace: "other" },
          spec: { limits: [containerDefaults] },
        }),
      ],
      on: "apps-ns",
    },
    {
      cloud: "kubernetes",
      expect: "accept",
      title: "quota found by dependency, limit range by namespace name",
      stack: [ns, quota({ "requests.cpu": "4", pods: "50" }), limitRange(containerDefaults)],
    },
  ]);
  controlCases("enforce-private-cluster-endpoint", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:eks/cluster:Cluster", "eks", {
        vpcConfig: { subnetIds: ["a"], endpointPublicAccess: true },
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:eks/cluster:Cluster", "eks", {
        vpcConfig: { subnetIds: ["a"], endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] },
      }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:containerservice:ManagedCluster", "aks", {
        apiServerAccessProfile: { authorizedIPRanges: ["0.0.0.0/0"] },
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:containerservice:ManagedCluster", "aks", {
        apiServerAccessProfile: { enablePrivateCluster: true },
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:container/cluster:Cluster", "gke", {
        privateClusterConfig: { enablePrivateNodes: true },
      }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:container/cluster:Cluster", "gke", {
        privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: true },
      }),
    },
  ]);
  controlCases("enforce-cluster-secrets-encryption", [
    {
      cloud: "aws",
      expect: "reject",
      resource: r("aws:eks/cluster:Cluster", "eks", { vpcConfig: { subnetIds: ["a"] } }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:eks/cluster:Cluster", "eks", {
        encryptionConfig: { resources: ["secrets"], provider: { keyArn: UNKNOWN } },
      }),
    },
    {
      cloud: "azure",
      expect: "reject",
      resource: r("azure-native:containerservice:ManagedCluster", "aks", {}),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:containerservice:ManagedCluster", "aks", {
        securityProfile: { azureKeyVaultKms: { enabled: true, keyId: "https://v/keys/k/1" } },
      }),
    },
    {
      cloud: "gcp",
      expect: "reject",
      resource: r("gcp:container/cluster:Cluster", "gke", { databaseEncryption: { state: "DECRYPTED" } }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:container/cluster:Cluster", "gke", {
        databaseEncryption: { state: "ENCRYPTED", keyName: "k" },
      }),
    },
  ]);
});
