/**
 * An Azure resource encrypted at creation with a Key Vault key through a user-assigned identity (storage
 * accounts `encryption.keyVaultProperties`, PostgreSQL flexible servers `dataEncryption`) reads the key
 * while it is created: the identity must already hold a role on the vault (or key) then. Unless the
 * consumer depends on the role assignment, the engine creates both at once and the first deploy fails
 * (storage: "The operation failed because the managed identity does not have access to the key vault";
 * PostgreSQL: `AzureKeyVaultMissingPermissions`).
 */
import { finding } from "../../lib/checks";
import { lower, peek } from "../../lib/props";
import { dependsOn, designates, knownString, lastSegment, ofTypes, propertyDeps } from "../lib/graph";
import type { Finding, Rule, Subject } from "../lib/rule";

const identityTypes = ["azure-native:managedidentity:UserAssignedIdentity"];
const vaultTypes = ["azure-native:keyvault:Vault"];
const keyTypes = ["azure-native:keyvault:Key"];
const roleAssignmentTypes = ["azure-native:authorization:RoleAssignment"];
const accessPolicyTypes = ["azure-native:keyvault:AccessPolicy"];

const sources = [
  {
    url: "https://learn.microsoft.com/azure/storage/common/customer-managed-keys-configure-new-account",
    quote:
      "To configure customer-managed keys for a new storage account, use a user-assigned managed identity and assign it a role (Key Vault Crypto Service Encryption User) on the key vault before you create the account.",
  },
  {
    url: "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-data-encryption",
    quote:
      "The user-assigned managed identity must be granted access to the key (Key Vault Crypto Service Encryption User role, or Get, Wrap Key and Unwrap Key permissions) before the server is created with data encryption.",
  },
  {
    url: "https://learn.microsoft.com/azure/redis/how-to-encryption",
    quote:
      "Azure Managed Redis encrypts its disks with a customer-managed key through a user-assigned identity that must already have access to the key (Key Vault Crypto Service Encryption User, or Get, Wrap Key and Unwrap Key); the key URL must be versioned.",
  },
  {
    url: "https://learn.microsoft.com/azure/aks/use-kms-etcd-encryption",
    quote:
      "KMS etcd encryption doesn't work with system-assigned managed identity. The key vault access policy must be set before the feature is turned on. System-assigned managed identity isn't available until after the cluster is created. (The user-assigned identity gets Key Vault Crypto User on the vault, and Key Vault Contributor for a private vault, before the cluster.)",
  },
  {
    url: "https://learn.microsoft.com/azure/container-registry/tutorial-enable-customer-managed-keys",
    quote:
      "Configure a user-assigned managed identity for the registry so that you can access the key vault ... assign it the Key Vault Crypto Service Encryption User role ... then create the registry with the customer-managed key (it can be enabled only when you create the registry).",
  },
  {
    url: "https://learn.microsoft.com/azure/virtual-machines/disks-enable-customer-managed-keys-portal",
    quote:
      "The disk encryption set's identity must have access to the key (Key Vault Crypto Service Encryption User) before disks or AKS node pools can use the disk encryption set.",
  },
];

/** The source of a consumer type's ordering requirement. */
function sourceOf(use: KeyUse): string {
  const t = use.consumer.type;
  if (t.startsWith("azure-native:redisenterprise:")) return sources[2]!.url;
  if (t === "azure-native:containerservice:ManagedCluster") return sources[3]!.url;
  if (t === "azure-native:containerregistry:Registry") return sources[4]!.url;
  if (t === "azure-native:compute:DiskEncryptionSet") return sources[5]!.url;
  return use.property === "dataEncryption" ? sources[1]!.url : sources[0]!.url;
}

/** One use of a Key Vault key by a consumer, as declared in its inputs. */
interface KeyUse {
  readonly consumer: Subject;
  /** Top-level input holding the encryption settings (its property dependencies name the key's resources). */
  readonly property: string;
  readonly identityPath: string;
  readonly vaultName?: string;
  readonly keyName?: string;
}

/** `https://<vault>.vault.azure.net/[keys/<key>[/<version>]]` -> vault and key names. */
function parseVaultUri(uri: string | undefined): { vault?: string; key?: string } {
  if (!uri) return {};
  const m = /^https:\/\/([^./]+)\.vault\.[^/]+\/?(?:keys\/([^/]+))?/i.exec(uri);
  return m ? { ...(m[1] ? { vault: m[1] } : {}), ...(m[2] ? { key: m[2] } : {}) } : {};
}

function keyUses(subjects: readonly Subject[]): KeyUse[] {
  const out: KeyUse[] = [];
  for (const s of ofTypes(subjects, ["azure-native:storage:StorageAccount"])) {
    if (lower(knownString(s.props, "encryption.keySource")) !== "microsoft.keyvault") continue;
    const { vault } = parseVaultUri(knownString(s.props, "encryption.keyVaultProperties.keyVaultUri"));
    const key = knownString(s.props, "encryption.keyVaultProperties.keyName");
    out.push({
      consumer: s,
      property: "encryption",
      identityPath: "encryption.encryptionIdentity.encryptionUserAssignedIdentity",
      ...(vault ? { vaultName: vault } : {}),
      ...(key ? { keyName: key } : {}),
    });
  }
  for (const s of ofTypes(subjects, ["azure-native:dbforpostgresql:Server"])) {
    if (lower(knownString(s.props, "dataEncryption.type")) !== "azurekeyvault") continue;
    const { vault, key } = parseVaultUri(knownString(s.props, "dataEncryption.primaryKeyURI"));
    out.push({
      consumer: s,
      property: "dataEncryption",
      identityPath: "dataEncryption.primaryUserAssignedIdentityId",
      ...(vault ? { vaultName: vault } : {}),
      ...(key ? { keyName: key } : {}),
    });
  }
  for (const s of ofTypes(subjects, ["azure-native:redisenterprise:RedisEnterprise"])) {
    const url = knownString(s.props, "encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl");
    if (url === undefined && propertyDeps(s, "encryption").length === 0) continue;
    const { vault, key } = parseVaultUri(url);
    out.push({
      consumer: s,
      property: "encryption",
      identityPath:
        "encryption.customerManagedKeyEncryption.keyEncryptionKeyIdentity.userAssignedIdentityResourceId",
      ...(vault ? { vaultName: vault } : {}),
      ...(key ? { keyName: key } : {}),
    });
  }
  // AKS KMS etcd encryption: the cluster's (control-plane) user-assigned identity reads the key at creation.
  for (const s of ofTypes(subjects, ["azure-native:containerservice:ManagedCluster"])) {
    const kms = peek(s.props, "securityProfile.azureKeyVaultKms.enabled");
    if (kms !== true && kms !== "true") continue;
    const { vault, key } = parseVaultUri(knownString(s.props, "securityProfile.azureKeyVaultKms.keyId"));
    out.push({
      consumer: s,
      property: "securityProfile",
      identityPath: "identity.userAssignedIdentities.0",
      ...(vault ? { vaultName: vault } : {}),
      ...(key ? { keyName: key } : {}),
    });
  }
  // Azure Container Registry with a customer-managed key (identity given by client id).
  for (const s of ofTypes(subjects, ["azure-native:containerregistry:Registry"])) {
    if (lower(knownString(s.props, "encryption.status")) !== "enabled") continue;
    const { vault, key } = parseVaultUri(knownString(s.props, "encryption.keyVaultProperties.keyIdentifier"));
    out.push({
      consumer: s,
      property: "encryption",
      identityPath: "encryption.keyVaultProperties.identity",
      ...(vault ? { vaultName: vault } : {}),
      ...(key ? { keyName: key } : {}),
    });
  }
  // Disk encryption sets (AKS node disks): the set's user-assigned identity wraps the disk keys.
  for (const s of ofTypes(subjects, ["azure-native:compute:DiskEncryptionSet"])) {
    if (lower(knownString(s.props, "identity.type")) !== "userassigned") continue;
    const { vault, key } = parseVaultUri(knownString(s.props, "activeKey.keyUrl"));
    out.push({
      consumer: s,
      property: "activeKey",
      identityPath: "identity.userAssignedIdentities.0",
      ...(vault ? { vaultName: vault } : {}),
      ...(key ? { keyName: key } : {}),
    });
  }
  return out;
}

/** The stack's resource a use refers to: by property dependency, else by name. */
function resolve(
  subjects: readonly Subject[],
  use: KeyUse,
  types: readonly string[],
  nameKey: string,
  name: string | undefined,
): Subject | undefined {
  const candidates = ofTypes(subjects, types);
  if (name !== undefined) {
    const byName = candidates.filter((c) => lower(knownString(c.props, nameKey)) === lower(name));
    if (byName.length === 1) return byName[0];
  }
  const deps = [
    ...propertyDeps(use.consumer, use.property),
    ...propertyDeps(use.consumer, use.identityPath.split(".")[0]!),
  ];
  const byDep = candidates.filter((c) => deps.includes(c.urn));
  return byDep.length === 1 ? byDep[0] : undefined;
}

/** Grants of `identity` on `vault` (or `key`): RBAC role assignments and vault access policies. */
export function keyGrants(
  subjects: readonly Subject[],
  identity: Subject,
  vault: Subject,
  key: Subject | undefined,
): Subject[] {
  const principal = knownString(identity.props, "principalId");
  const vaultName = knownString(vault.props, "vaultName");
  const rg = knownString(vault.props, "resourceGroupName");
  const grantsIdentity = (s: Subject, path: string) =>
    propertyDeps(s, path).includes(identity.urn) ||
    (principal !== undefined && knownString(s.props, path) === principal);
  const coversVault = (ra: Subject) => {
    if (designates(ra, "scope", vault, ["vaultName"]) || (key && designates(ra, "scope", key, ["keyName"])))
      return true;
    const scope = lower(knownString(ra.props, "scope"));
    if (scope === "") return false;
    if (vaultName && scope.includes(`/vaults/${lower(vaultName)}/`)) return true;
    // A grant at the vault's resource group or subscription covers the vault too.
    if (/^\/subscriptions\/[^/]+\/?$/.test(scope)) return true;
    return (
      rg !== undefined &&
      /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/?$/.test(scope) &&
      lastSegment(scope) === lower(rg)
    );
  };
  return [
    ...ofTypes(subjects, roleAssignmentTypes).filter(
      (ra) => grantsIdentity(ra, "principalId") && coversVault(ra),
    ),
    ...ofTypes(subjects, accessPolicyTypes).filter(
      (ap) => designates(ap, "vaultName", vault, ["vaultName"]) && grantsIdentity(ap, "policy.objectId"),
    ),
  ];
}

export const requireAzureKeyGrantBeforeUse: Rule = {
  id: "require-azure-key-grant-before-use",
  title: "Azure resources encrypted with a Key Vault key depend on the grant that lets their identity use it",
  category: "ordering",
  severity: "critical",
  refuses:
    "Azure refuses to create a storage account with customer-managed keys, a PostgreSQL flexible server with data encryption, an Azure Managed Redis cluster, a container registry or a disk encryption set with a customer-managed key, or an AKS cluster with KMS etcd encryption, when its user-assigned identity cannot yet use the Key Vault key; without a dependency on the role assignment the engine creates both in parallel and the first deploy fails.",
  remediation:
    "Create the role assignment (Key Vault Crypto Service Encryption User on the vault or key) for the identity, and give the consumer `dependsOn` on it (or take an input from it).",
  sources,
  stackTypes: {
    azure: [
      "azure-native:storage:StorageAccount",
      "azure-native:dbforpostgresql:Server",
      "azure-native:redisenterprise:RedisEnterprise",
      "azure-native:containerservice:ManagedCluster",
      "azure-native:containerregistry:Registry",
      "azure-native:compute:DiskEncryptionSet",
      ...identityTypes,
      ...vaultTypes,
      ...keyTypes,
      ...roleAssignmentTypes,
      ...accessPolicyTypes,
    ],
  },
  stack: (subjects) => {
    const out: Finding[] = [];
    for (const use of keyUses(subjects)) {
      const identityId = knownString(use.consumer.props, use.identityPath);
      const identity = resolve(
        subjects,
        use,
        identityTypes,
        "resourceName",
        identityId ? lastSegment(identityId) : undefined,
      );
      const vault = resolve(subjects, use, vaultTypes, "vaultName", use.vaultName);
      if (!identity && identityId === undefined) {
        out.push(
          finding(
            use.consumer,
            `${use.property} uses a Key Vault key without a user-assigned identity (${use.identityPath} is not set): a system-assigned identity does not exist before the resource, so it cannot be granted the key in time. Source: ${sources[0]!.url}`,
          ),
        );
        continue;
      }
      if (!identity || !vault) continue; // key or identity outside this stack: nothing to order
      const key = use.keyName
        ? ofTypes(subjects, keyTypes).find(
            (k) => lower(knownString(k.props, "keyName")) === lower(use.keyName),
          )
        : undefined;
      const grants = keyGrants(subjects, identity, vault, key);
      const label = `identity '${knownString(identity.props, "resourceName") ?? identity.name}' on vault '${knownString(vault.props, "vaultName") ?? vault.name}'`;
      const source = sourceOf(use);
      if (grants.length === 0) {
        out.push(
          finding(
            use.consumer,
            `no role assignment in the stack grants ${label}, so the key cannot be used when the resource is created. Source: ${source}`,
          ),
        );
      } else if (!grants.some((g) => dependsOn(subjects, use.consumer, g))) {
        out.push(
          finding(
            use.consumer,
            `does not depend on the grant of ${label} (${grants.map((g) => g.name).join(", ")}): the engine may create it before the grant exists and Azure refuses the key. Source: ${source}`,
          ),
        );
      }
    }
    return out;
  },
};
