/** Every rule of the deployability pack, in catalog order. */
import type { Rule } from "../lib/rule";
import { disallowLockedImmutabilityAtCreate } from "./disallow-locked-immutability-at-create";
import { enforceAwsNameRules } from "./enforce-aws-name-rules";
import { enforceAzureNameRules } from "./enforce-azure-name-rules";
import { enforceGcpNameRules } from "./enforce-gcp-name-rules";
import { enforceNetworkRuleLimits } from "./enforce-network-rule-limits";
import { enforceRetentionWithinCloudLimits } from "./enforce-retention-within-cloud-limits";
import { requireBackupRetentionWithinVaultLock } from "./require-backup-retention-within-vault-lock";
import { requireAzureBackupGrantsBeforeInstances } from "./require-azure-backup-grants-before-instances";
import { requireSupportedFileBackups } from "./require-supported-file-backups";
import { requireAwsRolePolicyBeforeUse } from "./require-aws-role-policy-before-use";
import { requireAzureFlowLogWriterGrantBeforeUse } from "./require-azure-flow-log-writer-grant-before-use";
import { requireAzureKeyGrantBeforeUse } from "./require-azure-key-grant-before-use";
import { requireBudgetCreateTimeSettings } from "./require-budget-create-time-settings";
import { requireCacheCreateTimeSettings } from "./require-cache-create-time-settings";
import { requireCloudtrailBucketPolicyBeforeTrail } from "./require-cloudtrail-bucket-policy-before-trail";
import { requireDatabaseReplicaCreateTimeSettings } from "./require-database-replica-create-time-settings";
import { requireFileStorageCreateTimeSettings } from "./require-file-storage-create-time-settings";
import { requireNfsShareOnPremiumFileStorage } from "./require-nfs-share-on-premium-file-storage";
import { requireDbSubnetGroupMultiAz } from "./require-db-subnet-group-multi-az";
import { requireEksAndAlbMultiAz } from "./require-eks-and-alb-multi-az";
import { requireGcpKeyGrantBeforeUse } from "./require-gcp-key-grant-before-use";
import { requireGkeCreateTimeSettings } from "./require-gke-create-time-settings";
import { requirePrivateEndpointForClosedServices } from "./require-private-endpoint-for-closed-services";
import { requireKubernetesCreateTimeSettings } from "./require-kubernetes-create-time-settings";
import { requireKubernetesNamespaceBeforeObjects } from "./require-kubernetes-namespace-before-objects";
import { requireWafLogDestinationPrefix } from "./require-waf-log-destination-prefix";
import { requireManagedCertificateFqdn } from "./require-managed-certificate-fqdn";
import { requireAppGatewaySubnetRequirements } from "./require-app-gateway-subnet-requirements";
import { requireCdnCreateTimeSettings } from "./require-cdn-create-time-settings";
import { requireCdnOriginAccess } from "./require-cdn-origin-access";
import { requireDnsFailoverCreateTimeSettings } from "./require-dns-failover-create-time-settings";

export const rules: readonly Rule[] = [
  enforceAwsNameRules,
  enforceAzureNameRules,
  enforceGcpNameRules,
  requireDbSubnetGroupMultiAz,
  requireEksAndAlbMultiAz,
  requireCacheCreateTimeSettings,
  requireCdnCreateTimeSettings,
  requireCdnOriginAccess,
  requireDnsFailoverCreateTimeSettings,
  requireBudgetCreateTimeSettings,
  requireDatabaseReplicaCreateTimeSettings,
  requireFileStorageCreateTimeSettings,
  requireNfsShareOnPremiumFileStorage,
  disallowLockedImmutabilityAtCreate,
  enforceRetentionWithinCloudLimits,
  enforceNetworkRuleLimits,
  requireAzureKeyGrantBeforeUse,
  requireAwsRolePolicyBeforeUse,
  requireCloudtrailBucketPolicyBeforeTrail,
  requireAzureFlowLogWriterGrantBeforeUse,
  requireGcpKeyGrantBeforeUse,
  requirePrivateEndpointForClosedServices,
  requireBackupRetentionWithinVaultLock,
  requireAzureBackupGrantsBeforeInstances,
  requireWafLogDestinationPrefix,
  requireManagedCertificateFqdn,
  requireAppGatewaySubnetRequirements,
  requireGkeCreateTimeSettings,
  requireSupportedFileBackups,
  requireKubernetesCreateTimeSettings,
  requireKubernetesNamespaceBeforeObjects,
];
