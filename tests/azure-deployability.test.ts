/**
 * What Azure refuses only when `pulumi up` runs, checked on planned stacks: create-time states (WORM
 * policies), ordering (CMK consumers and the flow log after their role assignments), reachability
 * (a private endpoint for every Key Vault and storage account), geo-redundant backups and storage that
 * match the site's replica region, and names that fit every rule for the longest environment name.
 */
import { strict as assert } from "node:assert";
import { parseStackConfig } from "../components/config";
import type { SiteContext } from "../components/context";
import { nameProblem, type NameKind } from "../components/naming";
import { nameProblems, type NameSpec } from "../policies/deployability/lib/names";
import { azureNameSpecs } from "../policies/deployability/rules/enforce-azure-name-rules";
import { storageSku } from "../providers/azure/storage-account";
import { acrPull } from "../providers/azure/registry";
import type { Plan, PlanResource } from "../tools/harness";
import { planOf, siteOf } from "./helpers";

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** Every Azure site under test: [label, plan loader, role]. */
const azureSites = [
  { label: "prod secondary (westeurope)", stack: "prod", role: "secondary", production: true },
  {
    label: "16-character environment, production primary",
    stack: "azure-long-names",
    file: "Pulumi.azure-long-names.yaml",
    role: "primary",
    production: true,
  },
  {
    label: "environment a--b, dev primary",
    stack: "azure-hyphens",
    file: "Pulumi.azure-hyphens.yaml",
    role: "primary",
    production: false,
  },
] as const;

const plans = new Map<string, Plan>();
async function load(s: (typeof azureSites)[number]): Promise<Plan> {
  const hit = plans.get(s.stack);
  if (hit) return hit;
  const plan = await planOf(s.stack, "file" in s ? s.file : undefined);
  plans.set(s.stack, plan);
  return plan;
}

/** The Azure custom resources of one site. */
function azureOf(plan: Plan, role: string): PlanResource[] {
  return plan.resources.filter(
    (r) => r.custom && r.type.startsWith("azure-native:") && siteOf(plan, r) === role,
  );
}
const ofType = (rs: PlanResource[], type: string) => rs.filter((r) => r.type === type);

/** Whether `value` (any depth) contains the string `needle`. */
function mentions(value: unknown, needle: string): boolean {
  if (typeof value === "string") return value === needle;
  if (Array.isArray(value)) return value.some((v) => mentions(v, needle));
  if (value && typeof value === "object") {
    return Object.entries(value).some(([k, v]) => k === needle || mentions(v, needle));
  }
  return false;
}

describe("Azure: apply-time constraints on planned stacks", function () {
  this.timeout(240_000);

  for (const s of azureSites) {
    describe(s.label, () => {
      let plan: Plan;
      let rs: PlanResource[];
      before(async () => {
        plan = await load(s);
        rs = azureOf(plan, s.role);
      });

      it("creates no immutability policy Locked unless the site asks for the lock (Azure accepts only Disabled/Unlocked at creation)", () => {
        const locked = "file" in s && s.file === "Pulumi.azure-long-names.yaml";
        // Blob accounts (the site's and the flow-log one); the NFS FileStorage account holds no blobs.
        const accounts = ofType(rs, "azure-native:storage:StorageAccount").filter(
          (a) => a.inputs.kind !== "FileStorage",
        );
        assert.equal(accounts.length, 2);
        for (const account of accounts) {
          const worm = account.inputs.immutableStorageWithVersioning as Json | undefined;
          if (!s.production) {
            assert.equal(worm, undefined, account.name);
            continue;
          }
          assert.equal(worm?.enabled, true, account.name);
          assert.equal(obj(worm!.immutabilityPolicy).state, locked ? "Locked" : "Unlocked", account.name);
        }
      });

      it("creates every consumer of a role-granted identity after the role assignment", () => {
        const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
        const grants = ofType(rs, "azure-native:authorization:RoleAssignment");
        assert.ok(grants.length >= 2);
        let consumers = 0;
        for (const grant of grants) {
          // A Backup vault's system-assigned identity: its backup instances wait for the grants they
          // need (tests/backup.test.ts, rule require-azure-backup-grants-before-instances).
          const backupVault = rs.find(
            (r) =>
              r.type === "azure-native:dataprotection:BackupVault" &&
              obj(r.outputs.identity).principalId === grant.inputs.principalId,
          );
          if (backupVault) continue;
          // AcrPull for the kubelet identity: image pulls retry until it exists; nothing is created with
          // it (the registry is built after the cluster, whose node identity it grants).
          if (String(grant.inputs.roleDefinitionId).endsWith(acrPull)) continue;
          const identity = rs.find(
            (r) =>
              r.type === "azure-native:managedidentity:UserAssignedIdentity" &&
              r.outputs.principalId === grant.inputs.principalId,
          );
          assert.ok(identity, `the identity of ${grant.name}`);
          // A role assignment scoped to the identity (Managed Identity Operator on the kubelet identity)
          // grants on it; it does not act as it.
          const consumersOf = rs.filter(
            (x) =>
              x !== grant &&
              mentions(x.inputs, identity.id) &&
              !(x.type === "azure-native:authorization:RoleAssignment" && x.inputs.scope === identity.id),
          );
          for (const r of consumersOf) {
            consumers++;
            assert.ok(
              r.dependencies.includes(grant.urn),
              `${r.name} uses ${identity.name} but does not wait for ${grant.name} (depends on ${r.dependencies.map((u) => byUrn.get(u)?.name).join(", ")})`,
            );
          }
        }
        // Both storage accounts, the flow log, the server (and its geo-backup identity in production).
        assert.ok(consumers >= 4, `${consumers} consumers`);
        const server = ofType(rs, "azure-native:dbforpostgresql:Server")[0]!;
        const keyGrant = rs.find((r) => r.name === `${s.role}-keys-identity-crypto-user`)!;
        assert.ok(server.dependencies.includes(keyGrant.urn));
        const flowLog = ofType(rs, "azure-native:network:FlowLog")[0]!;
        const writer = rs.find((r) => r.name === `${s.role}-network-flow-logs-writer`)!;
        assert.ok(flowLog.dependencies.includes(writer.urn));
      });

      it("reaches every Key Vault and storage account through a private endpoint in the endpoints subnet, with DNS", () => {
        const endpoints = ofType(rs, "azure-native:network:PrivateEndpoint");
        const groups = ofType(rs, "azure-native:network:PrivateDnsZoneGroup");
        const zones = ofType(rs, "azure-native:privatedns:PrivateZone");
        const links = ofType(rs, "azure-native:privatedns:VirtualNetworkLink");
        const vnet = ofType(rs, "azure-native:network:VirtualNetwork")[0]!;
        const endpointsSubnet = rs.find((r) => r.name === `${s.role}-network-subnet-endpoints`)!;
        const targets = [
          ...ofType(rs, "azure-native:keyvault:Vault").map(
            (r) => [r, "vault", "privatelink.vaultcore.azure.net"] as const,
          ),
          ...ofType(rs, "azure-native:storage:StorageAccount").map((r) =>
            r.inputs.kind === "FileStorage"
              ? ([r, "file", "privatelink.file.core.windows.net"] as const)
              : ([r, "blob", "privatelink.blob.core.windows.net"] as const),
          ),
        ];
        assert.equal(targets.length, s.production ? 5 : 4);
        for (const [target, subresource, zoneName] of targets) {
          const pe = endpoints.find((e) =>
            (e.inputs.privateLinkServiceConnections as Json[]).some(
              (c) => c.privateLinkServiceId === target.id,
            ),
          );
          assert.ok(pe, `no private endpoint for ${target.name}`);
          const connection = (pe.inputs.privateLinkServiceConnections as Json[])[0]!;
          assert.deepEqual(connection.groupIds, [subresource], target.name);
          assert.equal(obj(pe.inputs.subnet).id, endpointsSubnet.id, target.name);
          assert.equal(pe.inputs.location, plan.resources.find((r) => r === vnet)!.inputs.location);
          const group = groups.find((g) => g.inputs.privateEndpointName === pe.outputs.name);
          assert.ok(group, `no DNS zone group for ${pe.name}`);
          const zoneId = (group.inputs.privateDnsZoneConfigs as Json[])[0]!.privateDnsZoneId;
          const zone = zones.find((z) => z.id === zoneId);
          assert.equal(zone?.inputs.privateZoneName, zoneName, pe.name);
          assert.ok(
            links.some(
              (l) =>
                l.inputs.privateZoneName === zone!.outputs.name &&
                obj(l.inputs.virtualNetwork).id === vnet.id,
            ),
            `${zoneName} is not linked to the VNet`,
          );
          // The zone group is registered only once the zone is linked.
          const link = links.find((l) => l.inputs.privateZoneName === zone!.outputs.name)!;
          assert.ok(group.dependencies.includes(link.urn), `${group.name} before ${link.name}`);
        }
      });

      it("geo-redundant backups and storage only toward the replica region, with a geo-backup key there", () => {
        const server = ofType(rs, "azure-native:dbforpostgresql:Server")[0]!;
        const encryption = obj(server.inputs.dataEncryption);
        const account = rs.find((r) => r.name === `${s.role}-storage-account`)!;
        const config = JSON.parse(plan.config[`platform:${s.role}`]!) as { region: string };
        if (!s.production) {
          assert.equal(obj(server.inputs.backup).geoRedundantBackup, "Disabled");
          assert.equal(encryption.geoBackupKeyURI, undefined);
          assert.ok(!/GRS/.test(str(obj(account.inputs.sku).name)));
          return;
        }
        const pair = { westeurope: "northeurope", germanywestcentral: "germanynorth" }[config.region]!;
        assert.equal(obj(server.inputs.backup).geoRedundantBackup, "Enabled");
        const geoKey = rs.find((r) => r.name === `${s.role}-database-geo-backup-key`)!;
        const geoVault = rs.find((r) => r.name === `${s.role}-database-geo-backup-vault`)!;
        const geoIdentity = rs.find((r) => r.name === `${s.role}-database-geo-backup-identity`)!;
        const siteIdentity = rs.find((r) => r.name === `${s.role}-keys-identity`)!;
        assert.equal(geoVault.inputs.location, pair);
        assert.equal(geoIdentity.inputs.location, pair);
        assert.equal(encryption.geoBackupKeyURI, geoKey.outputs.keyUri);
        assert.equal(encryption.geoBackupUserAssignedIdentityId, geoIdentity.id);
        assert.equal(encryption.primaryUserAssignedIdentityId, siteIdentity.id);
        assert.notEqual(geoIdentity.id, siteIdentity.id);
        assert.deepEqual(
          Object.keys(obj(obj(server.inputs.identity).userAssignedIdentities)).sort(),
          [geoIdentity.id, siteIdentity.id].sort(),
        );
        assert.equal(obj(geoVault.inputs.properties).publicNetworkAccess, "Disabled");
        assert.equal(obj(geoVault.inputs.properties).enablePurgeProtection, true);
        assert.deepEqual(account.inputs.sku, { name: "Standard_RAGZRS" });
      });

      it("gives every Azure resource a name that fits its kind's rules", () => {
        const suffix = str(
          plan.resources.find(
            (r) => r.type === "random:index/randomString:RandomString" && siteOf(plan, r) === s.role,
          )!.outputs.result,
        );
        assert.equal(suffix.length, 6);
        let checked = 0;
        for (const r of rs) {
          const rule = nameRulesByType[r.type];
          assert.ok(rule !== undefined, `no naming rule listed for ${r.type} (add it to nameRulesByType)`);
          for (const [property, kind] of Object.entries(rule)) {
            const name = str(r.inputs[property]);
            assert.ok(name !== "", `${r.name}.${property} is not set`);
            // The VPN gateway's subnet must be named exactly this (Azure's rule, not ours).
            if (r.type === "azure-native:network:Subnet" && name === "GatewaySubnet") continue;
            if (typeof kind !== "string") {
              // A fixed name (not derived from the environment): checked against Azure's own rule.
              assert.deepEqual(
                nameProblems(kind, name),
                [],
                `${r.name}.${property} '${name}' (${kind.what})`,
              );
              checked++;
              continue;
            }
            assert.equal(nameProblem(kind, name), undefined, `${r.name}.${property} '${name}' (${kind})`);
            if (globallyUnique.has(kind)) assert.ok(name.endsWith(suffix), `${name} lacks the random suffix`);
            checked++;
          }
        }
        assert.ok(checked >= 30, `${checked} names checked`);
      });
    });
  }

  it("asks for the lock only where there is a policy to lock (production), with the setting's path", () => {
    const parsed = parseStackConfig({
      environment: "dev",
      owner: "team",
      costCenter: "cc",
      dataClassification: "internal",
      frameworks: ["soc2"],
      alertContacts: [{ name: "x", email: "x@example.com" }],
      primary: {
        cloud: "azure",
        region: "westeurope",
        addressSpace: "10.0.0.0/16",
        subscriptionId: "00000000-0000-4000-8000-000000000001",
        tenantId: "00000000-0000-4000-8000-0000000000aa",
        storage: { lockImmutability: true },
      },
    });
    assert.equal(parsed.ok, false);
    assert.deepEqual(parsed.ok ? [] : parsed.problems.map((p) => p.path), [
      "platform:primary.storage.lockImmutability",
    ]);
  });

  it("never asks for geo-redundant storage without a replica region (no Azure pair)", () => {
    const ctx = (replicaRegion: string | undefined, region: string, zones: string[]) =>
      ({ site: { region }, replicaRegion, zones }) as unknown as SiteContext<"azure">;
    assert.equal(storageSku(ctx(undefined, "mexicocentral", ["1", "2", "3"]), true), "Standard_ZRS");
    assert.equal(storageSku(ctx(undefined, "mexicocentral", ["1"]), true), "Standard_LRS");
    assert.equal(storageSku(ctx("northeurope", "westeurope", ["1", "2", "3"]), true), "Standard_RAGZRS");
    assert.equal(storageSku(ctx("eastus", "westus", []), true), "Standard_RAGRS");
    assert.equal(storageSku(ctx("northeurope", "westeurope", ["1", "2", "3"]), false), "Standard_ZRS");
  });
});

/** Kinds whose names must be unique across Azure or stay reserved after deletion. */
const globallyUnique = new Set<NameKind>([
  "azureKeyVault",
  "azureStorageAccount",
  "azurePostgresServer",
  "azureRedis",
  "azureLogAnalytics",
  "azureDataFactory",
  "azureContainerRegistry",
]);

/**
 * The name properties of every Azure type the program creates, with their rules. Types listed with `{}`
 * have fixed names (`default`, a configuration parameter, a DNS zone) or names Azure generates (role
 * assignments: a GUID).
 */
const nameRulesByType: Record<string, Record<string, NameKind | NameSpec>> = {
  "azure-native:resources:ResourceGroup": { resourceGroupName: "azureName" },
  "azure-native:keyvault:Vault": { vaultName: "azureKeyVault" },
  "azure-native:dataprotection:BackupVault": { vaultName: "azureBackupVault" },
  "azure-native:dataprotection:BackupPolicy": { backupPolicyName: "azureName" },
  "azure-native:dataprotection:BackupInstance": { backupInstanceName: "azureName" },
  "azure-native:keyvault:Key": { keyName: "azureName" },
  "azure-native:managedidentity:UserAssignedIdentity": { resourceName: "azureName" },
  "azure-native:authorization:RoleAssignment": {},
  "azure-native:operationalinsights:Workspace": { workspaceName: "azureLogAnalytics" },
  "azure-native:monitor:ActionGroup": {
    actionGroupName: "azureName",
    groupShortName: "azureActionGroupShortName",
  },
  "azure-native:monitor:ActivityLogAlert": { activityLogAlertName: "azureName" },
  "azure-native:monitor:MetricAlert": { ruleName: "azureName" },
  "azure-native:monitor:DiagnosticSetting": {},
  // Operations: the workbook's name must be a GUID (a name-based UUID, providers/azure/dashboard.ts);
  // the synthetic check's Application Insights component and web test.
  "azure-native:applicationinsights:Workbook": {},
  "azure-native:applicationinsights:Component": { resourceName: "azureName" },
  "azure-native:applicationinsights:WebTest": { webTestName: "azureName" },
  // Governance: the subscription export, Defender plans (named by the plan), the security contact (Azure
  // accepts only `default`), the alert export and the budget.
  "azure-native:monitor:SubscriptionDiagnosticSetting": { name: "azureName" },
  "azure-native:security:Pricing": {},
  "azure-native:security:SecurityContact": {},
  "azure-native:security:Automation": { automationName: "azureName" },
  "azure-native:consumption:Budget": { budgetName: "azureBudget" },
  "azure-native:network:VirtualNetwork": { virtualNetworkName: "azureName" },
  "azure-native:network:Subnet": { subnetName: "azureName" },
  "azure-native:network:NetworkSecurityGroup": { networkSecurityGroupName: "azureName" },
  "azure-native:network:PublicIPAddress": { publicIpAddressName: "azureName" },
  // Edge (providers/azure/ingress.ts): the gateway and its WAF policy.
  "azure-native:network:ApplicationGateway": { applicationGatewayName: "azureName" },
  "azure-native:network:WebApplicationFirewallPolicy": { policyName: "azureName" },
  // CDN (providers/azure/cdn.ts): Front Door profile, endpoint, origin group, origin, route, custom domain.
  "azure-native:cdn:Profile": { profileName: "azureName" },
  "azure-native:cdn:AFDEndpoint": { endpointName: "azureName" },
  "azure-native:cdn:AFDOriginGroup": { originGroupName: "azureName" },
  "azure-native:cdn:AFDOrigin": { originName: "azureName" },
  "azure-native:cdn:Route": { routeName: "azureName" },
  "azure-native:cdn:AFDCustomDomain": { customDomainName: "azureName" },
  "azure-native:network:NatGateway": { natGatewayName: "azureName" },
  "azure-native:network:RouteTable": { routeTableName: "azureName" },
  "azure-native:network:VirtualNetworkGateway": { virtualNetworkGatewayName: "azureName" },
  "azure-native:network:LocalNetworkGateway": { localNetworkGatewayName: "azureName" },
  "azure-native:network:VirtualNetworkGatewayConnection": {
    virtualNetworkGatewayConnectionName: "azureName",
  },
  "azure-native:network:FlowLog": { flowLogName: "azureName" },
  "azure-native:network:PrivateEndpoint": {
    privateEndpointName: "azureName",
    customNetworkInterfaceName: "azureName",
  },
  "azure-native:network:PrivateDnsZoneGroup": {},
  "azure-native:privatedns:PrivateZone": {},
  "azure-native:privatedns:VirtualNetworkLink": { virtualNetworkLinkName: "azureName" },
  "azure-native:storage:StorageAccount": { accountName: "azureStorageAccount" },
  "azure-native:storage:BlobServiceProperties": {},
  "azure-native:storage:BlobContainer": {},
  "azure-native:storage:ManagementPolicy": {},
  // File storage: the service is always `default`, the share a fixed `data`.
  "azure-native:storage:FileServiceProperties": {},
  "azure-native:storage:FileShare": {},
  "azure-native:dbforpostgresql:Server": { serverName: "azurePostgresServer" },
  "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra": {},
  "azure-native:dbforpostgresql:Configuration": {},
  "azure-native:dbforpostgresql:Database": {},
  // Cache: the cluster's host name is global (suffix); the database is always `default`.
  "azure-native:redisenterprise:RedisEnterprise": { clusterName: "azureRedis" },
  "azure-native:redisenterprise:Database": {},
  // Kubernetes (providers/azure/cluster.ts, registry.ts): maintenance configurations have the two names
  // AKS reserves for its managed schedules; the registry's login server is global (suffix).
  "azure-native:containerservice:ManagedCluster": {
    resourceName: "aksCluster",
    dnsPrefix: "aksDnsPrefix",
    nodeResourceGroup: "azureName",
  },
  "azure-native:containerservice:MaintenanceConfiguration": {},
  "azure-native:compute:DiskEncryptionSet": { diskEncryptionSetName: "azureName" },
  "azure-native:containerregistry:Registry": { registryName: "azureContainerRegistry" },
  // Cross-cloud replication. Names fixed by the program (not derived from the environment) are checked
  // against Azure's documented rule for the type (the deployability pack's name specs).
  "azure-native:datafactory:Factory": { factoryName: "azureDataFactory" },
  "azure-native:datafactory:IntegrationRuntime": {
    integrationRuntimeName: azureNameSpecs.dataFactoryIntegrationRuntime,
  },
  "azure-native:datafactory:ManagedPrivateEndpoint": {
    managedVirtualNetworkName: azureNameSpecs.dataFactoryManagedVirtualNetwork,
    managedPrivateEndpointName: azureNameSpecs.dataFactoryManagedPrivateEndpoint,
  },
  "azure-native:datafactory:CredentialOperation": { credentialName: azureNameSpecs.dataFactoryCredential },
  "azure-native:datafactory:LinkedService": { linkedServiceName: azureNameSpecs.dataFactoryLinkedService },
  "azure-native:datafactory:Dataset": { datasetName: azureNameSpecs.dataFactoryDataset },
  "azure-native:datafactory:Pipeline": { pipelineName: azureNameSpecs.dataFactoryPipeline },
  "azure-native:datafactory:Trigger": { triggerName: azureNameSpecs.dataFactoryTrigger },
  "azure-native:keyvault:Secret": { secretName: "azureName" },
  "azure-native:managedidentity:FederatedIdentityCredential": {
    federatedIdentityCredentialResourceName: azureNameSpecs.federatedIdentityCredential,
  },
  "azure-native:resources:Deployment": { deploymentName: "azureName" },
  "azure-native:dbforpostgresql:Migration": { migrationName: azureNameSpecs.postgresMigration },
};
