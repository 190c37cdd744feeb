/**
 * Azure names the program sets explicitly must fit Azure Resource Manager's naming rules for the type:
 * ARM refuses the deployment (`AccountNameInvalid`, `VaultNameNotValid`, `InvalidResourceName`, ...) only
 * when `pulumi up` sends it.
 */
import { get, list } from "../../lib/props";
import { nameCheck, nameMessage, nameProblems, type NameSpec } from "../lib/names";
import type { Rule } from "../lib/rule";

const rules = "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules";

const storageAccount: NameSpec = {
  what: "Azure storage account name",
  minLength: 3,
  maxLength: 24,
  allowed: /[a-z0-9]/,
  allowedText: "lowercase letters and numbers only",
  source: {
    url: `${rules}#microsoftstorage`,
    quote: "storageAccounts: 3-24, lowercase letters and numbers, globally unique.",
  },
};

const keyVault: NameSpec = {
  what: "Azure Key Vault name",
  minLength: 3,
  maxLength: 24,
  allowed: /[A-Za-z0-9-]/,
  allowedText: "alphanumerics and hyphens",
  first: /[A-Za-z]/,
  firstText: "start with letter",
  last: /[A-Za-z0-9]/,
  lastText: "end with letter or digit",
  noConsecutiveHyphens: true,
  source: {
    url: `${rules}#microsoftkeyvault`,
    quote:
      "vaults: 3-24, alphanumerics and hyphens; start with letter; end with letter or digit; can't contain consecutive hyphens; globally unique.",
  },
};

const keyVaultKey: NameSpec = {
  what: "Azure Key Vault key name",
  minLength: 1,
  maxLength: 127,
  allowed: /[A-Za-z0-9-]/,
  allowedText: "alphanumerics and hyphens",
  source: { url: `${rules}#microsoftkeyvault`, quote: "vaults / keys: 1-127, alphanumerics and hyphens." },
};

const postgresServer: NameSpec = {
  what: "Azure Database for PostgreSQL flexible server name",
  minLength: 3,
  maxLength: 63,
  allowed: /[a-z0-9-]/,
  allowedText: "lowercase letters, hyphens and numbers",
  first: /[a-z0-9]/,
  firstText: "can't start with hyphen",
  last: /[a-z0-9]/,
  lastText: "can't end with hyphen",
  source: {
    url: `${rules}#microsoftdbforpostgresql`,
    quote:
      "flexibleServers: 3-63, lowercase letters, hyphens and numbers; can't start or end with hyphen; globally unique.",
  },
};

const logAnalytics: NameSpec = {
  what: "Log Analytics workspace name",
  minLength: 4,
  maxLength: 63,
  allowed: /[A-Za-z0-9-]/,
  allowedText: "alphanumerics and hyphens",
  first: /[A-Za-z0-9]/,
  firstText: "start with alphanumeric",
  last: /[A-Za-z0-9]/,
  lastText: "end with alphanumeric",
  source: {
    url: `${rules}#microsoftoperationalinsights`,
    quote: "workspaces: 4-63, alphanumerics and hyphens; start and end with alphanumeric.",
  },
};

const actionGroupShortName: NameSpec = {
  what: "Azure Monitor action group short name",
  minLength: 1,
  maxLength: 12,
  allowed: /[^\u0000-\u001f]/,
  allowedText: "printable characters",
  source: {
    url: "https://learn.microsoft.com/azure/azure-monitor/alerts/action-groups",
    quote:
      "Display name: the display name (group short name) is used in e-mail and SMS notifications; it can be up to 12 characters.",
  },
};

const resourceGroup: NameSpec = {
  what: "Azure resource group name",
  minLength: 1,
  maxLength: 90,
  allowed: /[\p{L}\p{N}_().-]/u,
  allowedText: "underscores, hyphens, periods, parentheses, letters and digits",
  last: /[^.]/,
  lastText: "can't end with period",
  source: {
    url: `${rules}#microsoftresources`,
    quote:
      "resourcegroups: 1-90, underscores, hyphens, periods, parentheses, and letters or digits; can't end with period.",
  },
};

const userAssignedIdentity: NameSpec = {
  what: "Azure user-assigned managed identity name",
  minLength: 3,
  maxLength: 128,
  allowed: /[A-Za-z0-9_-]/,
  allowedText: "alphanumerics, hyphens and underscores",
  first: /[A-Za-z0-9]/,
  firstText: "start with letter or number",
  source: {
    url: `${rules}#microsoftmanagedidentity`,
    quote:
      "userAssignedIdentities: 3-128, alphanumerics, hyphens, and underscores; start with letter or number.",
  },
};

const armNetwork = (what: string, resource: string, minLength: number, maxLength: number): NameSpec => ({
  what,
  minLength,
  maxLength,
  allowed: /[A-Za-z0-9_.-]/,
  allowedText: "alphanumerics, underscores, periods and hyphens",
  first: /[A-Za-z0-9]/,
  firstText: "start with alphanumeric",
  last: /[A-Za-z0-9_]/,
  lastText: "end alphanumeric or underscore",
  source: {
    url: `${rules}#microsoftnetwork`,
    quote: `${resource}: ${minLength}-${maxLength}, alphanumerics, underscores, periods, and hyphens; start with alphanumeric; end alphanumeric or underscore.`,
  },
});

const blobContainer: NameSpec = {
  what: "Azure blob container name",
  minLength: 3,
  maxLength: 63,
  allowed: /[a-z0-9-]/,
  allowedText: "lowercase letters, numbers and hyphens",
  first: /[a-z0-9]/,
  firstText: "start with lowercase letter or number",
  noConsecutiveHyphens: true,
  source: {
    url: `${rules}#microsoftstorage`,
    quote:
      "storageAccounts / blobServices / containers: 3-63, lowercase letters, numbers, and hyphens; start with lowercase letter or number; can't use consecutive hyphens.",
  },
};

const adfRules = "https://learn.microsoft.com/azure/data-factory/naming-rules";

const dataFactory: NameSpec = {
  what: "Azure Data Factory name",
  minLength: 3,
  maxLength: 63,
  allowed: /[A-Za-z0-9-]/,
  allowedText: "letters, numbers and hyphens",
  first: /[A-Za-z0-9]/,
  firstText: "start with a letter or number",
  last: /[A-Za-z0-9]/,
  lastText: "end with a letter or number",
  noConsecutiveHyphens: true,
  source: {
    url: adfRules,
    quote:
      "Data factory: unique across Microsoft Azure; must start with a letter or a number, and can contain only letters, numbers, and the dash (-) character; every dash must be immediately preceded and followed by a letter or a number; 3-63 characters long.",
  },
};

const dataFactoryIntegrationRuntime: NameSpec = {
  ...dataFactory,
  what: "Azure Data Factory integration runtime name",
  source: {
    url: adfRules,
    quote:
      "Integration runtime: can contain only letters, numbers, and the dash (-) character; the first and last characters must be a letter or number; consecutive dashes aren't permitted.",
  },
};

/** Linked services, datasets (no hyphens), pipelines and triggers: 1-260, letter first, none of . + ? / < > * % & : \ */
const adfEntity = (what: string, hyphens: boolean): NameSpec => ({
  what,
  minLength: 1,
  maxLength: 260,
  allowed: hyphens ? /[^.+?/<>*%&:\\\u0000-\u001f]/ : /[^-.+?/<>*%&:\\\u0000-\u001f]/,
  allowedText: `no ${hyphens ? "" : "'-', "}'.', '+', '?', '/', '<', '>', '*', '%', '&', ':' or '\\'`,
  first: /[A-Za-z]/,
  firstText: "start with a letter",
  source: {
    url: adfRules,
    quote:
      "Linked services/Datasets/Pipelines/Data Flows: object names must start with a letter; the characters '.', '+', '?', '/', '<', '>', '*', '%', '&', ':', '\\' aren't allowed; dashes aren't allowed in the names of linked services, data flows, and datasets.",
  },
});

/** Data Factory credentials, managed virtual networks and managed private endpoints share one ARM pattern. */
const adfChild = (what: string, resource: string): NameSpec => ({
  what,
  minLength: 1,
  maxLength: 127,
  allowed: /[A-Za-z0-9_-]/,
  allowedText: "alphanumerics, underscores and hyphens",
  first: /[A-Za-z0-9_]/,
  firstText: "start with alphanumeric or underscore",
  last: /[A-Za-z0-9_]/,
  lastText: "end with alphanumeric or underscore",
  source: {
    url: `https://learn.microsoft.com/azure/templates/microsoft.datafactory/${resource}`,
    quote:
      "name: min length 1, max length 127, pattern ^([_A-Za-z0-9]|([_A-Za-z0-9][-_A-Za-z0-9]{0,125}[_A-Za-z0-9]))$",
  },
});
const dataFactoryManagedPrivateEndpoint = adfChild(
  "Azure Data Factory managed private endpoint name",
  "factories/managedvirtualnetworks/managedprivateendpoints",
);
const dataFactoryCredential = adfChild("Azure Data Factory credential name", "factories/credentials");

const keyVaultSecret: NameSpec = {
  what: "Azure Key Vault secret name",
  minLength: 1,
  maxLength: 127,
  allowed: /[A-Za-z0-9-]/,
  allowedText: "alphanumerics and hyphens",
  source: { url: `${rules}#microsoftkeyvault`, quote: "vaults / secrets: 1-127, alphanumerics and hyphens." },
};

const federatedIdentityCredential: NameSpec = {
  what: "Azure federated identity credential name",
  minLength: 3,
  maxLength: 120,
  allowed: /[A-Za-z0-9_-]/,
  allowedText: "alphanumerics, hyphens and underscores",
  first: /[A-Za-z0-9]/,
  firstText: "start with letter or number",
  source: {
    url: `${rules}#microsoftmanagedidentity`,
    quote:
      "userAssignedIdentities / federatedIdentityCredentials: 3-120, alphanumerics, hyphens, and underscores; start with letter or number.",
  },
};

const deployment: NameSpec = {
  what: "Azure Resource Manager deployment name",
  minLength: 1,
  maxLength: 64,
  allowed: /[A-Za-z0-9_().-]/,
  allowedText: "alphanumerics, underscores, parentheses, hyphens and periods",
  source: {
    url: `${rules}#microsoftresources`,
    quote: "deployments: 1-64, alphanumerics, underscores, parentheses, hyphens, and periods.",
  },
};

/** The API sets no maximum length; 63 is kept as the bound of the server's other child names. */
const postgresMigration: NameSpec = {
  what: "Azure Database for PostgreSQL migration name",
  minLength: 1,
  maxLength: 63,
  allowed: /[a-z0-9]/,
  allowedText: "lowercase letters and digits",
  first: /[a-z]/,
  firstText: "start with a lowercase letter",
  source: {
    url: "https://learn.microsoft.com/rest/api/postgresql/flexibleserver/migrations/create",
    quote:
      "migrationName (path): the name of the migration, pattern ^[a-z][a-z0-9]*$ (Microsoft.DBforPostgreSQL Migrations API).",
  },
};

const managedRedis: NameSpec = {
  what: "Azure Managed Redis cluster name",
  minLength: 1,
  maxLength: 60,
  allowed: /[A-Za-z0-9-]/,
  allowedText: "letters, numbers and hyphens",
  first: /[A-Za-z0-9]/,
  firstText: "no leading hyphen",
  last: /[A-Za-z0-9]/,
  lastText: "no trailing hyphen",
  noConsecutiveHyphens: true,
  source: {
    url: "https://learn.microsoft.com/rest/api/redis/redisenterprisecache/redis-enterprise/create",
    quote:
      "clusterName: name must be 1-60 characters long. Allowed characters (A-Z, a-z, 0-9) and hyphen (-). There can be no leading nor trailing nor consecutive hyphens.",
  },
};

const backupVault: NameSpec = {
  what: "Azure Backup vault name",
  minLength: 2,
  maxLength: 50,
  allowed: /[A-Za-z0-9-]/,
  allowedText: "letters, numbers and hyphens",
  first: /[A-Za-z]/,
  firstText: "must start with a letter",
  source: {
    url: "https://learn.microsoft.com/azure/backup/create-manage-backup-vault",
    quote:
      "Backup vault name: 2 to 50 characters, letters, numbers and hyphens, starting with a letter (the portal's and the Data Protection API's validation).",
  },
};

const consumptionBudget: NameSpec = {
  what: "Azure consumption budget name",
  minLength: 1,
  maxLength: 63,
  allowed: /[A-Za-z0-9_-]/,
  allowedText: "alphanumerics, underscores and hyphens",
  source: {
    url: `${rules}#microsoftconsumption`,
    quote: "budgets: 1-63, alphanumerics, underscores, and hyphens.",
  },
};

const managedCluster: NameSpec = {
  what: "AKS managed cluster name",
  minLength: 1,
  maxLength: 63,
  allowed: /[A-Za-z0-9_-]/,
  allowedText: "alphanumerics, underscores and hyphens",
  first: /[A-Za-z0-9]/,
  firstText: "start with alphanumeric",
  last: /[A-Za-z0-9]/,
  lastText: "end with alphanumeric",
  source: {
    url: `${rules}#microsoftcontainerservice`,
    quote: "managedClusters: 1-63, alphanumerics, underscores, and hyphens; start and end with alphanumeric.",
  },
};

const aksDnsPrefix: NameSpec = {
  what: "AKS DNS prefix",
  minLength: 1,
  maxLength: 54,
  allowed: /[A-Za-z0-9-]/,
  allowedText: "alphanumerics and hyphens",
  first: /[A-Za-z0-9]/,
  firstText: "start with alphanumeric",
  last: /[A-Za-z0-9]/,
  lastText: "end with alphanumeric",
  source: {
    url: "https://learn.microsoft.com/rest/api/aks/managed-clusters/create-or-update",
    quote:
      "dnsPrefix: the DNS prefix of the managed cluster, 1-54 characters, pattern ^[a-zA-Z0-9]$|^[a-zA-Z0-9][-a-zA-Z0-9]{0,52}[a-zA-Z0-9]$; cannot be updated once the cluster has been created.",
  },
};

const aksLinuxNodePool: NameSpec = {
  what: "AKS Linux node pool name",
  minLength: 1,
  maxLength: 12,
  allowed: /[a-z0-9]/,
  allowedText: "lowercase letters and numbers",
  first: /[a-z]/,
  firstText: "start with a lowercase letter",
  source: {
    url: "https://learn.microsoft.com/azure/aks/create-node-pools",
    quote:
      "Linux node pool names must contain only lowercase alphanumeric characters, begin with a lowercase letter, and be 1-12 characters long (Windows: 1-6).",
  },
};

const containerRegistry: NameSpec = {
  what: "Azure Container Registry name",
  minLength: 5,
  maxLength: 50,
  allowed: /[A-Za-z0-9]/,
  allowedText: "alphanumerics",
  source: {
    url: `${rules}#microsoftcontainerregistry`,
    quote: "registries: 5-50, alphanumerics; globally unique (the login server <name>.azurecr.io).",
  },
};

/** Node pool names inside a managed cluster's agentPoolProfiles (Linux pools: every pool the program builds). */
function agentPoolProfileNames(props: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [i, pool] of list(get(props, "agentPoolProfiles")).entries()) {
    const name = get(pool, "name");
    if (typeof name !== "string") continue;
    const windows = String(get(pool, "osType") ?? "").toLowerCase() === "windows";
    const spec = windows
      ? { ...aksLinuxNodePool, what: "AKS Windows node pool name", maxLength: 6 }
      : aksLinuxNodePool;
    const problems = nameProblems(spec, name);
    if (problems.length > 0) out.push(nameMessage(spec, `agentPoolProfiles[${i}].name`, name, problems));
  }
  return out;
}

export const azureNameSpecs = {
  managedCluster,
  aksDnsPrefix,
  aksLinuxNodePool,
  containerRegistry,
  consumptionBudget,
  managedRedis,
  backupVault,
  storageAccount,
  keyVault,
  keyVaultKey,
  postgresServer,
  logAnalytics,
  actionGroupShortName,
  resourceGroup,
  userAssignedIdentity,
  blobContainer,
  virtualNetwork: armNetwork("Azure virtual network name", "virtualNetworks", 2, 64),
  subnet: armNetwork("Azure subnet name", "virtualNetworks / subnets", 1, 80),
  networkSecurityGroup: armNetwork("Azure network security group name", "networkSecurityGroups", 1, 80),
  routeTable: armNetwork("Azure route table name", "routeTables", 1, 80),
  publicIp: armNetwork("Azure public IP address name", "publicIPAddresses", 1, 80),
  natGateway: armNetwork("Azure NAT gateway name", "natGateways", 1, 80),
  privateEndpoint: armNetwork("Azure private endpoint name", "privateEndpoints", 2, 64),
  dataFactory,
  dataFactoryIntegrationRuntime,
  dataFactoryLinkedService: adfEntity("Azure Data Factory linked service name", false),
  dataFactoryDataset: adfEntity("Azure Data Factory dataset name", false),
  dataFactoryPipeline: adfEntity("Azure Data Factory pipeline name", true),
  dataFactoryTrigger: adfEntity("Azure Data Factory trigger name", true),
  dataFactoryManagedPrivateEndpoint,
  dataFactoryManagedVirtualNetwork: adfChild(
    "Azure Data Factory managed virtual network name",
    "factories/managedvirtualnetworks",
  ),
  dataFactoryCredential,
  keyVaultSecret,
  federatedIdentityCredential,
  deployment,
  postgresMigration,
};

export const enforceAzureNameRules: Rule = {
  id: "enforce-azure-name-rules",
  title: "Azure resource names fit Azure Resource Manager's naming rules",
  category: "names",
  severity: "high",
  refuses:
    "ARM refuses storage account names outside 3-24 lowercase letters and digits, Key Vault names outside 3-24 alphanumerics/hyphens that start with a letter, end with a letter or digit and have no '--', PostgreSQL flexible server names outside 3-63 lowercase letters/digits/hyphens, Log Analytics workspace names outside 4-63, action group short names over 12 characters, resource group names over 90 or ending in a period, and virtual network, subnet, NSG, route table, public IP, NAT gateway and private endpoint names outside their lengths or not ending in an alphanumeric or underscore; Data Factory names outside 3-63 letters/digits/hyphens, linked service and dataset names with hyphens, Key Vault secret, federated credential, deployment and PostgreSQL migration names outside their patterns; AKS cluster names outside 1-63 alphanumerics/underscores/hyphens, DNS prefixes outside 1-54, Linux node pool names outside 1-12 lowercase alphanumerics starting with a letter, container registry names outside 5-50 alphanumerics.",
  remediation:
    "Derive the name with components/naming.ts (fitName/uniqueName with the kind for this resource type).",
  sources: [...new Map(Object.values(azureNameSpecs).map((s) => [s.source.url, s.source])).values()],
  resources: {
    azure: {
      "azure-native:redisenterprise:RedisEnterprise": nameCheck({ clusterName: managedRedis }),
      "azure-native:containerservice:ManagedCluster": (props, subject) => [
        ...nameCheck({ resourceName: managedCluster, dnsPrefix: aksDnsPrefix })(props, subject),
        ...agentPoolProfileNames(props),
      ],
      "azure-native:containerservice:AgentPool": nameCheck({ agentPoolName: aksLinuxNodePool }),
      "azure-native:containerregistry:Registry": nameCheck({ registryName: containerRegistry }),
      "azure-native:dataprotection:BackupVault": nameCheck({ vaultName: backupVault }),
      "azure-native:consumption:Budget": nameCheck({ budgetName: consumptionBudget }),
      "azure-native:storage:StorageAccount": nameCheck({ accountName: storageAccount }),
      "azure-native:keyvault:Vault": nameCheck({ vaultName: keyVault }),
      "azure-native:keyvault:Key": nameCheck({ keyName: keyVaultKey }),
      "azure-native:dbforpostgresql:Server": nameCheck({ serverName: postgresServer }),
      "azure-native:operationalinsights:Workspace": nameCheck({ workspaceName: logAnalytics }),
      "azure-native:monitor:ActionGroup": nameCheck({ groupShortName: actionGroupShortName }),
      "azure-native:resources:ResourceGroup": nameCheck({ resourceGroupName: resourceGroup }),
      "azure-native:managedidentity:UserAssignedIdentity": nameCheck({ resourceName: userAssignedIdentity }),
      "azure-native:storage:BlobContainer": nameCheck({ containerName: blobContainer }),
      "azure-native:network:VirtualNetwork": nameCheck({ virtualNetworkName: azureNameSpecs.virtualNetwork }),
      "azure-native:network:Subnet": nameCheck({ subnetName: azureNameSpecs.subnet }),
      "azure-native:network:NetworkSecurityGroup": nameCheck({
        networkSecurityGroupName: azureNameSpecs.networkSecurityGroup,
      }),
      "azure-native:network:RouteTable": nameCheck({ routeTableName: azureNameSpecs.routeTable }),
      "azure-native:network:PublicIPAddress": nameCheck({ publicIpAddressName: azureNameSpecs.publicIp }),
      "azure-native:network:NatGateway": nameCheck({ natGatewayName: azureNameSpecs.natGateway }),
      "azure-native:network:PrivateEndpoint": nameCheck({
        privateEndpointName: azureNameSpecs.privateEndpoint,
      }),
      "azure-native:datafactory:Factory": nameCheck({ factoryName: dataFactory }),
      "azure-native:datafactory:IntegrationRuntime": nameCheck({
        integrationRuntimeName: dataFactoryIntegrationRuntime,
      }),
      "azure-native:datafactory:LinkedService": nameCheck({
        linkedServiceName: azureNameSpecs.dataFactoryLinkedService,
      }),
      "azure-native:datafactory:Dataset": nameCheck({ datasetName: azureNameSpecs.dataFactoryDataset }),
      "azure-native:datafactory:Pipeline": nameCheck({ pipelineName: azureNameSpecs.dataFactoryPipeline }),
      "azure-native:datafactory:Trigger": nameCheck({ triggerName: azureNameSpecs.dataFactoryTrigger }),
      "azure-native:datafactory:ManagedPrivateEndpoint": nameCheck({
        managedPrivateEndpointName: dataFactoryManagedPrivateEndpoint,
      }),
      "azure-native:datafactory:CredentialOperation": nameCheck({ credentialName: dataFactoryCredential }),
      "azure-native:keyvault:Secret": nameCheck({ secretName: keyVaultSecret }),
      "azure-native:managedidentity:FederatedIdentityCredential": nameCheck({
        federatedIdentityCredentialResourceName: federatedIdentityCredential,
      }),
      "azure-native:resources:Deployment": nameCheck({ deploymentName: deployment }),
      "azure-native:dbforpostgresql:Migration": nameCheck({ migrationName: postgresMigration }),
    },
  },
};
