/**
 * Realistic computed outputs for mocked resources: the ids, ARNs, Azure resource ids and GCP self links
 * a real provider would return, derived from the resource's inputs and its provider's configuration.
 * Deterministic (a hash of the URN), so two runs of the same stack give the same plan.
 */
import * as crypto from "node:crypto";
import { secretSig, sigKey } from "../pulumi-wire";

export interface ProviderSettings {
  readonly pkg: string;
  readonly region?: string;
  readonly accountId?: string;
  readonly subscriptionId?: string;
  readonly project?: string;
}

export type Props = Record<string, unknown>;

function hex(seed: string, length: number): string {
  return crypto.createHash("sha256").update(seed).digest("hex").slice(0, length);
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** `aws:s3/bucket:Bucket` → { pkg: aws, module: s3, name: Bucket } */
export function parseType(type: string): { pkg: string; module: string; name: string } {
  const [pkg = "", middle = "", name = ""] = type.split(":");
  return { pkg, module: middle.split("/")[0] ?? middle, name };
}

/** EC2-style id prefixes for the AWS types whose ids are not their names. */
const awsIdPrefix: Record<string, string> = {
  "aws:ec2/vpc:Vpc": "vpc",
  "aws:ec2/subnet:Subnet": "subnet",
  "aws:ec2/securityGroup:SecurityGroup": "sg",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
  "aws:ec2/internetGateway:InternetGateway": "igw",
  "aws:ec2/natGateway:NatGateway": "nat",
  "aws:ec2/eip:Eip": "eipalloc",
  "aws:ec2/routeTable:RouteTable": "rtb",
  "aws:ec2/networkAcl:NetworkAcl": "acl",
  "aws:ec2/flowLog:FlowLog": "fl",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
  "aws:ec2/vpcSecurityGroupIngressRule:VpcSecurityGroupIngressRule": "sgr",
  "aws:ec2/vpcSecurityGroupEgressRule:VpcSecurityGroupEgressRule": "sgr",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
  "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
  "aws:ec2/vpnGateway:VpnGateway": "vgw",
  "aws:ec2/customerGateway:CustomerGateway": "cgw",
  "aws:ec2/vpnConnection:VpnConnection": "vpn",
};

function awsOutputs(type: string, name: string, urn: string, inputs: Props, p: ProviderSettings): Props {
  const { module, name: kind } = parseType(type);
  const region = p.region ?? "us-east-1";
  const account = p.accountId ?? "123456789012";
  const physical =
    str(inputs.name) ?? str(inputs.bucket) ?? str(inputs.identifier) ?? `${name}-${hex(urn, 7)}`;
  const prefix = awsIdPrefix[type];
  let id = prefix ? `${prefix}-${hex(urn, 17)}` : physical;
  let arn = `arn:aws:${module}:${region}:${account}:${kind.toLowerCase()}/${prefix ? id : physical}`;
  const out: Props = {};
  switch (type) {
    case "aws:kms/key:Key":
      id = uuid(urn);
      arn = `arn:aws:kms:${region}:${account}:key/${id}`;
      out.keyId = id;
      break;
    case "aws:kms/alias:Alias":
      arn = `arn:aws:kms:${region}:${account}:${physical}`;
      out.targetKeyArn = `arn:aws:kms:${region}:${account}:key/${String(inputs.targetKeyId ?? "")}`;
      break;
    case "aws:s3/bucket:Bucket":
      arn = `arn:aws:s3:::${physical}`;
      out.bucket = physical;
      out.bucketDomainName = `${physical}.s3.amazonaws.com`;
      out.bucketRegionalDomainName = `${physical}.s3.${region}.amazonaws.com`;
      out.region = region;
      break;
    case "aws:iam/role:Role":
    case "aws:iam/policy:Policy":
      arn = `arn:aws:iam::${account}:${kind.toLowerCase()}/${physical}`;
      out.uniqueId = `AROA${hex(urn, 17).toUpperCase()}`;
      break;
    case "aws:backup/vault:Vault":
      arn = `arn:aws:backup:${region}:${account}:backup-vault:${physical}`;
      break;
    case "aws:backup/plan:Plan":
      id = uuid(urn);
      arn = `arn:aws:backup:${region}:${account}:backup-plan:${id}`;
      out.version = hex(urn + "version", 32);
      break;
    case "aws:backup/selection:Selection":
      id = uuid(urn);
      break;
    case "aws:backup/restoreTestingPlan:RestoreTestingPlan":
      arn = `arn:aws:backup:${region}:${account}:restore-testing-plan:${physical}-${hex(urn, 6)}`;
      break;
    case "aws:cloudwatch/logGroup:LogGroup":
      arn = `arn:aws:logs:${region}:${account}:log-group:${physical}`;
      break;
    case "aws:dms/replicationTask:ReplicationTask":
      // DMS ARNs end with a generated upper-case resource id.
      out.replicationTaskArn = `arn:aws:dms:${region}:${account}:task:${hex(urn, 26).toUpperCase()}`;
      break;
    case "aws:rds/instance:Instance":
    case "aws:rds/cluster:Cluster":
      arn = `arn:aws:rds:${region}:${account}:${kind === "Cluster" ? "cluster" : "db"}:${physical}`;
      out.endpoint = `${physical}.${hex(urn, 12)}.${region}.rds.amazonaws.com:5432`;
      out.address = `${physical}.${hex(urn, 12)}.${region}.rds.amazonaws.com`;
      if (inputs.manageMasterUserPassword === true) {
        // RDS-managed master secret in Secrets Manager (the ARN ends with a random 6-character suffix).
        out.masterUserSecrets = [
          {
            secretArn: `arn:aws:secretsmanager:${region}:${account}:secret:rds!db-${uuid(urn)}-${hex(urn, 6)}`,
            kmsKeyId:
              str(inputs.masterUserSecretKmsKeyId) ??
              `arn:aws:kms:${region}:${account}:alias/aws/secretsmanager`,
            secretStatus: "active",
          },
        ];
      }
      break;
    case "aws:rds/proxy:Proxy":
      arn = `arn:aws:rds:${region}:${account}:db-proxy:prx-${hex(urn, 17)}`;
      out.endpoint = `${physical}.proxy-${hex(urn, 12)}.${region}.rds.amazonaws.com`;
      break;
    case "aws:sns/topic:Topic":
      arn = `arn:aws:sns:${region}:${account}:${physical}`;
      break;
    default:
      break;
  }
  if (type === "aws:ec2/vpc:Vpc") {
    out.defaultSecurityGroupId = `sg-${hex(urn + "default-sg", 17)}`;
    out.defaultNetworkAclId = `acl-${hex(urn + "default-acl", 17)}`;
    out.mainRouteTableId = `rtb-${hex(urn + "main-rtb", 17)}`;
  }
  if (type === "aws:ec2/vpnConnection:VpnConnection") {
    // Each tunnel's outside IP (AWS assigns them when the connection is created).
    out.tunnel1Address = `203.0.113.${parseInt(hex(urn + "t1", 2), 16) % 250}`;
    out.tunnel2Address = `203.0.113.${parseInt(hex(urn + "t2", 2), 16) % 250}`;
  }
  if (type === "aws:ec2/eip:Eip") out.publicIp = `203.0.113.${parseInt(hex(urn, 2), 16) % 250}`;
  if (type === "aws:ec2/natGateway:NatGateway") out.privateIp = `10.${parseInt(hex(urn, 2), 16) % 250}.0.5`;
  if (type === "aws:ec2/vpcEndpoint:VpcEndpoint" && inputs.vpcEndpointType === "Gateway") {
    out.prefixListId = `pl-${hex(urn, 8)}`;
  }
  return { id, arn, ...out };
}

/** Azure resource provider namespace and type segment for the azure-native module/type of a token. */
function azureResourceType(module: string, kind: string): string {
  const ns: Record<string, string> = {
    resources: "Microsoft.Resources",
    keyvault: "Microsoft.KeyVault",
    storage: "Microsoft.Storage",
    network: "Microsoft.Network",
    managedidentity: "Microsoft.ManagedIdentity",
    authorization: "Microsoft.Authorization",
    dbforpostgresql: "Microsoft.DBforPostgreSQL",
    operationalinsights: "Microsoft.OperationalInsights",
    insights: "Microsoft.Insights",
    monitor: "Microsoft.Insights",
    cache: "Microsoft.Cache",
    redis: "Microsoft.Cache",
    containerservice: "Microsoft.ContainerService",
  };
  const namespace = ns[module] ?? `Microsoft.${module.charAt(0).toUpperCase()}${module.slice(1)}`;
  const camel = `${kind.charAt(0).toLowerCase()}${kind.slice(1)}`;
  // ARM resource types are English plurals: userAssignedIdentities, policies, ... (not "identitys").
  const plural = /[^aeiou]y$/.test(camel)
    ? `${camel.slice(0, -1)}ies`
    : /(s|x|ch|sh)$/.test(camel)
      ? `${camel}es`
      : `${camel}s`;
  return `${namespace}/${plural}`;
}

/** The input that names an azure-native resource: `<camelKind>Name`, `resourceName` or `name`. */
function azureName(kind: string, inputs: Props, fallback: string): string {
  const camel = `${kind.charAt(0).toLowerCase()}${kind.slice(1)}Name`;
  const special: Record<string, string> = {
    Vault: "vaultName",
    StorageAccount: "accountName",
    PublicIPAddress: "publicIpAddressName",
    PrivateZone: "privateZoneName",
  };
  return (
    str(inputs[special[kind] ?? camel]) ??
    str(inputs.resourceName) ??
    str(inputs.name) ??
    `${fallback}${hex(fallback, 6)}`
  );
}

function azureOutputs(type: string, name: string, urn: string, inputs: Props, p: ProviderSettings): Props {
  const { module, name: kind } = parseType(type);
  const sub = p.subscriptionId ?? "00000000-0000-0000-0000-000000000000";
  const physical = azureName(kind, inputs, name);
  const rg = str(inputs.resourceGroupName) ?? "rg";
  let id = `/subscriptions/${sub}/resourceGroups/${rg}/providers/${azureResourceType(module, kind)}/${physical}`;
  const out: Props = { name: physical };
  switch (type) {
    case "azure-native:resources:ResourceGroup":
      id = `/subscriptions/${sub}/resourceGroups/${physical}`;
      break;
    case "azure-native:keyvault:Vault": {
      const props = (inputs.properties as Props | undefined) ?? {};
      out.properties = { ...props, vaultUri: `https://${physical}.vault.azure.net/` };
      break;
    }
    case "azure-native:keyvault:Key": {
      const vault = str(inputs.vaultName) ?? "vault";
      id = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.KeyVault/vaults/${vault}/keys/${physical}`;
      out.keyUri = `https://${vault}.vault.azure.net/keys/${physical}`;
      out.keyUriWithVersion = `https://${vault}.vault.azure.net/keys/${physical}/${hex(urn, 32)}`;
      break;
    }
    case "azure-native:network:Subnet":
      id = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${String(inputs.virtualNetworkName ?? "vnet")}/subnets/${physical}`;
      break;
    case "azure-native:network:PublicIPAddress":
      id = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/publicIPAddresses/${physical}`;
      out.ipAddress = `198.51.100.${parseInt(hex(urn, 2), 16) % 250}`;
      break;
    case "azure-native:network:FlowLog":
      id = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/networkWatchers/${String(inputs.networkWatcherName ?? "watcher")}/flowLogs/${physical}`;
      break;
    case "azure-native:privatedns:PrivateZone":
      id = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/privateDnsZones/${physical}`;
      break;
    case "azure-native:privatedns:VirtualNetworkLink":
      id = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/privateDnsZones/${String(inputs.privateZoneName ?? "zone")}/virtualNetworkLinks/${physical}`;
      break;
    case "azure-native:managedidentity:UserAssignedIdentity":
      out.principalId = uuid(urn + "principal");
      out.clientId = uuid(urn + "client");
      out.tenantId = uuid("tenant");
      break;
    case "azure-native:storage:StorageAccount":
      out.primaryEndpoints = {
        blob: `https://${physical}.blob.core.windows.net/`,
        dfs: `https://${physical}.dfs.core.windows.net/`,
        file: `https://${physical}.file.core.windows.net/`,
        queue: `https://${physical}.queue.core.windows.net/`,
        table: `https://${physical}.table.core.windows.net/`,
        web: `https://${physical}.z6.web.core.windows.net/`,
      };
      out.primaryLocation = p.region ?? "westeurope";
      break;
    case "azure-native:dbforpostgresql:Server":
      out.fullyQualifiedDomainName = `${physical}.postgres.database.azure.com`;
      out.state = "Ready";
      break;
    case "azure-native:keyvault:Secret": {
      const vault = str(inputs.vaultName) ?? "vault";
      id = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.KeyVault/vaults/${vault}/secrets/${physical}`;
      out.properties = {
        secretUri: `https://${vault}.vault.azure.net/secrets/${physical}`,
        secretUriWithVersion: `https://${vault}.vault.azure.net/secrets/${physical}/${hex(urn, 32)}`,
      };
      break;
    }
    case "azure-native:operationalinsights:Workspace":
      out.customerId = uuid(urn + "customer");
      break;
    case "azure-native:monitor:DiagnosticSetting":
      id = `${String(inputs.resourceUri ?? "")}/providers/Microsoft.Insights/diagnosticSettings/${physical}`;
      break;
    case "azure-native:dataprotection:BackupVault": {
      // A system-assigned identity gets its principal when the vault is created.
      const identity = (inputs.identity as Props | undefined) ?? {};
      if (String(identity.type ?? "").includes("SystemAssigned")) {
        out.identity = { ...identity, principalId: uuid(urn + "principal"), tenantId: uuid("tenant") };
      }
      break;
    }
    case "azure-native:dataprotection:BackupPolicy":
    case "azure-native:dataprotection:BackupInstance": {
      const collection = kind === "BackupPolicy" ? "backupPolicies" : "backupInstances";
      id = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.DataProtection/backupVaults/${String(inputs.vaultName ?? "vault")}/${collection}/${physical}`;
      break;
    }
    case "azure-native:authorization:RoleAssignment":
      id = `${String(inputs.scope ?? "")}/providers/Microsoft.Authorization/roleAssignments/${uuid(urn)}`;
      break;
    default:
      break;
  }
  return { id, ...out };
}

function gcpOutputs(type: string, name: string, urn: string, inputs: Props, p: ProviderSettings): Props {
  const { module, name: kind } = parseType(type);
  const project = str(inputs.project) ?? p.project ?? "project";
  const region = str(inputs.region) ?? str(inputs.location) ?? p.region ?? "us-central1";
  const physical = str(inputs.name) ?? `${name}-${hex(urn, 6)}`;
  const camel = `${kind.charAt(0).toLowerCase()}${kind.slice(1)}`;
  // ARM resource types are English plurals: userAssignedIdentities, policies, ... (not "identitys").
  const plural = /[^aeiou]y$/.test(camel)
    ? `${camel.slice(0, -1)}ies`
    : /(s|x|ch|sh)$/.test(camel)
      ? `${camel}es`
      : `${camel}s`;
  let id = `projects/${project}/locations/${region}/${plural}/${physical}`;
  const out: Props = { name: physical, project };
  switch (type) {
    case "gcp:kms/keyRing:KeyRing":
      id = `projects/${project}/locations/${region}/keyRings/${physical}`;
      break;
    case "gcp:kms/cryptoKey:CryptoKey":
      id = `${String(inputs.keyRing ?? "")}/cryptoKeys/${physical}`;
      break;
    case "gcp:storage/bucket:Bucket":
      id = physical;
      out.url = `gs://${physical}`;
      out.selfLink = `https://www.googleapis.com/storage/v1/b/${physical}`;
      break;
    case "gcp:projects/serviceIdentity:ServiceIdentity": {
      const agents: Record<string, string> = {
        "sqladmin.googleapis.com": "gcp-sa-cloud-sql",
        "servicenetworking.googleapis.com": "service-networking",
        "container.googleapis.com": "container-engine-robot",
        "backupdr.googleapis.com": "gcp-sa-backupdr",
        "file.googleapis.com": "cloud-filer",
      };
      const service = String(inputs.service ?? "");
      const agent = agents[service] ?? `gcp-sa-${service.split(".")[0] ?? "service"}`;
      out.email = `service-123456789012@${agent}.iam.gserviceaccount.com`;
      out.member = `serviceAccount:${String(out.email)}`;
      id = `projects/${project}/services/${service}`;
      break;
    }
    case "gcp:sql/databaseInstance:DatabaseInstance":
      id = physical;
      out.connectionName = `${project}:${region}:${physical}`;
      out.privateIpAddress = `10.${parseInt(hex(urn, 2), 16) % 250}.0.${parseInt(hex(urn + "ip", 2), 16) % 250}`;
      out.selfLink = `https://sqladmin.googleapis.com/sql/v1beta4/projects/${project}/instances/${physical}`;
      out.serviceAccountEmailAddress = `p123456789012-${hex(urn, 6)}@gcp-sa-cloud-sql.iam.gserviceaccount.com`;
      break;
    case "gcp:compute/haVpnGateway:HaVpnGateway":
      id = `projects/${project}/regions/${region}/vpnGateways/${physical}`;
      out.selfLink = `https://www.googleapis.com/compute/v1/${id}`;
      out.vpnInterfaces = [0, 1].map((i) => ({
        id: i,
        ipAddress: `192.0.2.${parseInt(hex(urn + String(i), 2), 16) % 250}`,
      }));
      break;
    case "gcp:compute/routerNat:RouterNat":
      id = `${project}/${region}/${String(inputs.router ?? "router")}/${physical}`;
      break;
    case "gcp:servicenetworking/connection:Connection":
      id = `${String(inputs.network ?? "")}:${String(inputs.service ?? "")}`;
      out.peering = "servicenetworking-googleapis-com";
      break;
    case "gcp:dns/managedZone:ManagedZone":
      id = `projects/${project}/managedZones/${physical}`;
      out.managedZoneId = String(parseInt(hex(urn, 12), 16));
      break;
    case "gcp:dns/recordSet:RecordSet":
      id = `projects/${project}/managedZones/${String(inputs.managedZone ?? "zone")}/rrsets/${physical}/${String(inputs.type ?? "A")}`;
      break;
    case "gcp:logging/projectBucketConfig:ProjectBucketConfig":
      id = `projects/${project}/locations/${region}/buckets/${String(inputs.bucketId ?? physical)}`;
      out.name = id;
      out.lifecycleState = "ACTIVE";
      break;
    case "gcp:logging/projectSink:ProjectSink":
      id = `projects/${project}/sinks/${physical}`;
      out.writerIdentity = `serviceAccount:service-123456789012@gcp-sa-logging.iam.gserviceaccount.com`;
      break;
    case "gcp:monitoring/notificationChannel:NotificationChannel":
    case "gcp:monitoring/alertPolicy:AlertPolicy": {
      const collection = kind === "AlertPolicy" ? "alertPolicies" : "notificationChannels";
      id = `projects/${project}/${collection}/${parseInt(hex(urn, 12), 16)}`;
      out.name = id;
      break;
    }
    case "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember":
      id = `${String(inputs.cryptoKeyId ?? "")}/${String(inputs.role ?? "")}/${String(inputs.member ?? "")}`;
      out.etag = `BwY${hex(urn, 10)}`;
      break;
    case "gcp:backupdisasterrecovery/backupVault:BackupVault": {
      const vaultId = String(inputs.backupVaultId ?? physical);
      id = `projects/${project}/locations/${region}/backupVaults/${vaultId}`;
      out.name = id;
      out.serviceAccount = `vault-${hex(urn, 10)}@gcp-sa-backupdr-pr.iam.gserviceaccount.com`;
      break;
    }
    case "gcp:backupdisasterrecovery/backupPlan:BackupPlan":
      id = `projects/${project}/locations/${region}/backupPlans/${String(inputs.backupPlanId ?? physical)}`;
      out.name = id;
      break;
    case "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation":
      id = `projects/${project}/locations/${region}/backupPlanAssociations/${String(inputs.backupPlanAssociationId ?? physical)}`;
      out.name = id;
      break;
    case "gcp:projects/iAMMember:IAMMember":
      id = `${project}/${String(inputs.role ?? "")}/${String(inputs.member ?? "")}`;
      out.etag = `BwY${hex(urn, 10)}`;
      break;
    case "gcp:container/cluster:Cluster": {
      // A private cluster's endpoint is its private endpoint's address (PSC, in the private subnetwork).
      const ip = `10.${parseInt(hex(urn, 2), 16) % 250}.64.${2 + (parseInt(hex(urn + "ep", 2), 16) % 250)}`;
      id = `projects/${project}/locations/${region}/clusters/${physical}`;
      out.endpoint = ip;
      out.masterAuth = {
        clientCertificateConfig: { issueClientCertificate: false },
        clusterCaCertificate: Buffer.from(
          `-----BEGIN CERTIFICATE-----\nMOCK${hex(urn, 32)}\n-----END CERTIFICATE-----\n`,
        ).toString("base64"),
      };
      out.selfLink = `https://container.googleapis.com/v1/${id}`;
      out.masterVersion = `${String(inputs.minMasterVersion ?? "1.33")}.5-gke.1000000`;
      out.labelFingerprint = hex(urn + "lf", 8);
      break;
    }
    case "gcp:container/nodePool:NodePool":
      id = `${region}/${String(inputs.cluster ?? "cluster")}/${physical}`;
      out.version = "1.33.5-gke.1000000";
      out.instanceGroupUrls = [];
      break;
    case "gcp:serviceaccount/account:Account": {
      const accountId = String(inputs.accountId ?? physical);
      out.email = `${accountId}@${project}.iam.gserviceaccount.com`;
      out.member = `serviceAccount:${String(out.email)}`;
      out.uniqueId = String(parseInt(hex(urn, 12), 16));
      id = `projects/${project}/serviceAccounts/${String(out.email)}`;
      out.name = id;
      break;
    }
    case "gcp:projects/service:Service":
      id = `${project}/${String(inputs.service ?? "")}`;
      break;
    case "gcp:artifactregistry/repository:Repository":
      id = `projects/${project}/locations/${region}/repositories/${String(inputs.repositoryId ?? physical)}`;
      out.name = String(inputs.repositoryId ?? physical);
      out.createTime = "2026-12-07T00:00:00Z";
      break;
    case "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember":
      id = `projects/${project}/locations/${region}/repositories/${String(inputs.repository ?? "")}/${String(inputs.role ?? "")}/${String(inputs.member ?? "")}`;
      out.etag = `BwY${hex(urn, 10)}`;
      break;
    case "gcp:projects/iAMAuditConfig:IAMAuditConfig":
      id = `${project}/audit_config/${String(inputs.service ?? "")}`;
      out.etag = `BwY${hex(urn, 10)}`;
      break;
    default:
      if (module === "compute") {
        const global = ["Network", "Firewall", "GlobalAddress", "Route"].includes(kind);
        id = global
          ? `projects/${project}/global/${plural}/${physical}`
          : `projects/${project}/regions/${region}/${plural}/${physical}`;
        out.selfLink = `https://www.googleapis.com/compute/v1/${id}`;
      }
      break;
  }
  return { id, ...out };
}

/** Computed outputs of one custom resource; `id` is the provider's id. */
export function computedOutputs(
  type: string,
  name: string,
  urn: string,
  inputs: Props,
  provider: ProviderSettings | undefined,
): { id: string; outputs: Props } {
  const p = provider ?? { pkg: parseType(type).pkg };
  let out: Props;
  switch (parseType(type).pkg) {
    case "aws":
      out = awsOutputs(type, name, urn, inputs, p);
      break;
    case "azure-native":
      out = azureOutputs(type, name, urn, inputs, p);
      break;
    case "gcp":
      out = gcpOutputs(type, name, urn, inputs, p);
      break;
    default:
      out = { id: `${name}-${hex(urn, 8)}` };
      if (type === "random:index/randomString:RandomString") {
        // Lowercase letters and digits of the requested length (what the site's name suffix asks for).
        const length = typeof inputs.length === "number" ? inputs.length : 6;
        out.result = hex(urn + "string", length).replace(/^[0-9]/, "s");
      }
      if (type === "random:index/randomPassword:RandomPassword") {
        // The provider declares `result` and `bcryptHash` secret: the engine returns them as secrets.
        out.result = { [sigKey]: secretSig, value: `mock-${hex(urn, 24)}` };
        out.bcryptHash = { [sigKey]: secretSig, value: `$2a$10$${hex(urn + "bcrypt", 53)}` };
      }
  }
  const { id, ...rest } = out;
  return { id: String(id), outputs: rest };
}
