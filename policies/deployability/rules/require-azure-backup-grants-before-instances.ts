/**
 * Azure Backup validates the Backup vault's permissions when a backup instance is configured: the vault's
 * managed identity needs its role on the datasource (PostgreSQL Flexible Server Long Term Retention Backup
 * Role on the server, Storage Account Backup Contributor on the storage account) and Reader on the
 * server's resource group. Unless the instance depends on those role assignments, the engine creates
 * them in parallel and the instance is refused (UserErrorMissingRequiredPermissions / AuthorizationFailed).
 */
import { finding } from "../../lib/checks";
import { dependsOn, designates, knownString, ofTypes, propertyDeps } from "../lib/graph";
import type { Finding, Rule, Subject } from "../lib/rule";

const instanceTypes = ["azure-native:dataprotection:BackupInstance"];
const vaultTypes = ["azure-native:dataprotection:BackupVault"];
const roleAssignmentTypes = ["azure-native:authorization:RoleAssignment"];
const datasourceTypes = ["azure-native:dbforpostgresql:Server", "azure-native:storage:StorageAccount"];
const resourceGroupTypes = ["azure-native:resources:ResourceGroup"];

const sources = [
  {
    url: "https://learn.microsoft.com/azure/backup/backup-azure-database-postgresql-flex-overview",
    quote:
      "Assign the Backup vault's managed identity the PostgreSQL Flexible Server Long Term Retention Backup Role on the server and the Reader role on the server's resource group before configuring backup.",
  },
  {
    url: "https://learn.microsoft.com/azure/backup/blob-backup-configure-manage",
    quote:
      "Grant permissions to the Backup vault: assign the vault's managed identity the Storage Account Backup Contributor role on the storage account before you configure backup.",
  },
];

/** The role assignments granted to the vault's (system-assigned) identity. */
function vaultGrants(subjects: readonly Subject[], vault: Subject): Subject[] {
  const principal = knownString(vault.props, "identity.principalId");
  return ofTypes(subjects, roleAssignmentTypes).filter(
    (ra) =>
      propertyDeps(ra, "principalId").includes(vault.urn) ||
      (principal !== undefined && knownString(ra.props, "principalId") === principal),
  );
}

/** The datasource a backup instance protects (by the engine's dependency or its known ARM id). */
function datasourceOf(subjects: readonly Subject[], instance: Subject): Subject | undefined {
  const id = knownString(instance.props, "properties.dataSourceInfo.resourceID");
  const deps = propertyDeps(instance, "properties");
  return ofTypes(subjects, datasourceTypes).find(
    (d) =>
      (id !== undefined && (knownString(d.props, "id") ?? "").toLowerCase() === id.toLowerCase()) ||
      (id === undefined && deps.includes(d.urn)),
  );
}

function scopesResourceGroup(subjects: readonly Subject[], ra: Subject): boolean {
  const scope = knownString(ra.props, "scope");
  if (scope !== undefined) return /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/?$/i.test(scope);
  return ofTypes(subjects, resourceGroupTypes).some((rg) => propertyDeps(ra, "scope").includes(rg.urn));
}

export const requireAzureBackupGrantsBeforeInstances: Rule = {
  id: "require-azure-backup-grants-before-instances",
  title: "Azure backup instances depend on the Backup vault identity's roles",
  category: "ordering",
  severity: "high",
  refuses:
    "Azure Backup refuses to configure a backup instance while the Backup vault's managed identity lacks its role on the datasource (and, for PostgreSQL flexible servers, Reader on the resource group); created in parallel with the role assignments, the first deploy fails.",
  remediation:
    "Grant the vault's identity its roles (providers/azure/backup.ts backupVaultRoles) and give each BackupInstance `dependsOn` on them.",
  sources,
  stackTypes: { azure: [...instanceTypes, ...vaultTypes, ...roleAssignmentTypes, ...datasourceTypes] },
  stack: (subjects) => {
    const out: Finding[] = [];
    for (const instance of ofTypes(subjects, instanceTypes)) {
      const vault = ofTypes(subjects, vaultTypes).find((v) =>
        designates(instance, "vaultName", v, ["vaultName"]),
      );
      if (!vault) continue;
      const datasource = datasourceOf(subjects, instance);
      if (!datasource) continue;
      const grants = vaultGrants(subjects, vault);
      const onDatasource = grants.filter((g) =>
        designates(g, "scope", datasource, ["accountName", "serverName"]),
      );
      const needed: { what: string; grants: Subject[] }[] = [
        { what: `role on '${datasource.name}'`, grants: onDatasource },
      ];
      if (datasource.type === "azure-native:dbforpostgresql:Server") {
        needed.push({
          what: "Reader on the server's resource group",
          grants: grants.filter((g) => scopesResourceGroup(subjects, g)),
        });
      }
      for (const n of needed) {
        if (n.grants.length === 0) {
          out.push(
            finding(
              instance,
              `the Backup vault's identity has no role assignment for ${n.what}: Azure Backup refuses the instance. Source: ${sources[0]!.url}`,
            ),
          );
        } else if (!n.grants.some((g) => dependsOn(subjects, instance, g))) {
          out.push(
            finding(
              instance,
              `does not depend on the vault identity's ${n.what} (${n.grants.map((g) => g.name).join(", ")}): it may be configured before the grant exists. Source: ${sources[0]!.url}`,
            ),
          );
        }
      }
    }
    return out;
  },
};
