/** Every control of the pack, in catalog order. One control per module, named by what it requires. */
import type { Control } from "../lib/types";
import { enforceReplicationEndpointTls } from "./enforce-replication-endpoint-tls";
import { enforceTransferEncryptionAndLogging } from "./enforce-transfer-encryption-and-logging";
import { disallowDefaultComputeServiceAccount } from "./disallow-default-compute-service-account";
import { disallowHostNamespaces } from "./disallow-host-namespaces";
import { disallowHostPathVolumes } from "./disallow-host-path-volumes";
import { disallowLatestImageTag } from "./disallow-latest-image-tag";
import { disallowLongLivedAccessKeys } from "./disallow-long-lived-access-keys";
import { disallowPlaintextDatabasePasswords } from "./disallow-plaintext-database-passwords";
import { disallowPlaintextVpnPresharedKeys } from "./disallow-plaintext-vpn-preshared-keys";
import { disallowPrimitiveAdminRoles } from "./disallow-primitive-admin-roles";
import { disallowPrivilegedContainers } from "./disallow-privileged-containers";
import { disallowPublicAdminPorts } from "./disallow-public-admin-ports";
import { disallowPublicDataPorts } from "./disallow-public-data-ports";
import { disallowPublicDatabaseEndpoints } from "./disallow-public-database-endpoints";
import { disallowPublicFunctionUrls } from "./disallow-public-function-urls";
import { disallowPublicIpOnCompute } from "./disallow-public-ip-on-compute";
import { disallowPublicLoadBalancerServices } from "./disallow-public-load-balancer-services";
import { disallowPublicStorageGrants } from "./disallow-public-storage-grants";
import { disallowPublicReplicationInstances } from "./disallow-public-replication-instances";
import { disallowWildcardIamPolicies } from "./disallow-wildcard-iam-policies";
import { enableAuditTrailIntegrity } from "./enable-audit-trail-integrity";
import { enableBudgetAlerts } from "./enable-budget-alerts";
import { enableThreatDetection } from "./enable-threat-detection";
import { enableClusterAuditLogs } from "./enable-cluster-audit-logs";
import { enforcePrivateClusterNodes } from "./enforce-private-cluster-nodes";
import { enforceProductionClusterPrivateEndpoint } from "./enforce-production-cluster-private-endpoint";
import { enforceClusterWorkloadIdentity } from "./enforce-cluster-workload-identity";
import { disallowClusterLegacyAuthorization } from "./disallow-cluster-legacy-authorization";
import { enforceClusterNodeHardening } from "./enforce-cluster-node-hardening";
import { enforceClusterNetworkPolicy } from "./enforce-cluster-network-policy";
import { enableDatabaseLogExports } from "./enable-database-log-exports";
import { enableDatabasePointInTimeRecovery } from "./enable-database-point-in-time-recovery";
import { enableKeyRotation } from "./enable-key-rotation";
import { enableNetworkFlowLogs } from "./enable-network-flow-logs";
import { enableObjectVersioning } from "./enable-object-versioning";
import { enableStorageAccessLogging } from "./enable-storage-access-logging";
import { enforceBucketDenyInsecureTransport } from "./enforce-bucket-deny-insecure-transport";
import { enforceCacheAuthentication } from "./enforce-cache-authentication";
import { disallowPlaintextSecretsInEnvironment } from "./disallow-plaintext-secrets-in-environment";
import { enforceSyntheticCheckHardening } from "./enforce-synthetic-check-hardening";
import { enforceCdnOriginProtection } from "./enforce-cdn-origin-protection";
import { enableCdnAccessLogging } from "./enable-cdn-access-logging";
import { enforceDnsFailoverHealthChecks } from "./enforce-dns-failover-health-checks";
import { enforceFileSystemTls } from "./enforce-file-system-tls";
import { disallowPublicFileSystems } from "./disallow-public-file-systems";
import { enableFileSystemBackups } from "./enable-file-system-backups";
import { enforceCacheEncryptionCmk } from "./enforce-cache-encryption-cmk";
import { enforceBackupVaultEncryptionCmk } from "./enforce-backup-vault-encryption-cmk";
import { enforceCacheSnapshotRetention } from "./enforce-cache-snapshot-retention";
import { enforceClusterSecretsEncryption } from "./enforce-cluster-secrets-encryption";
import { disallowPublicClusterEndpointInProduction } from "./disallow-public-cluster-endpoint-in-production";
import { enforceClusterIdentityAccess } from "./enforce-cluster-identity-access";
import { disallowPublicContainerRegistries } from "./disallow-public-container-registries";
import { disallowPodAccessToNodeCredentials } from "./disallow-pod-access-to-node-credentials";
import { enforceContainerRegistryHardening } from "./enforce-container-registry-hardening";
import { enforceContainerResourceLimits } from "./enforce-container-resource-limits";
import { enforceDataResidency } from "./enforce-data-residency";
import { enforceDatabaseBackupRetention } from "./enforce-database-backup-retention";
import { enforceBackupPlanRetention } from "./enforce-backup-plan-retention";
import { enforceDatabaseDeletionProtection } from "./enforce-database-deletion-protection";
import { enforceDatabaseEncryptionCmk } from "./enforce-database-encryption-cmk";
import { enforceDatabaseHighAvailability } from "./enforce-database-high-availability";
import { enforceDatabaseProxyTlsAndIamAuth } from "./enforce-database-proxy-tls-and-iam-auth";
import { enforceDiskEncryptionCmk } from "./enforce-disk-encryption-cmk";
import { enforceExplicitProviders } from "./enforce-explicit-providers";
import { enforceHsmBackedKeys } from "./enforce-hsm-backed-keys";
import { enforceIdentityBasedStorageAccess } from "./enforce-identity-based-storage-access";
import { enforceImmutableBackups } from "./enforce-immutable-backups";
import { enforceInstanceMetadataV2 } from "./enforce-instance-metadata-v2";
import { enforceKeyDeletionProtection } from "./enforce-key-deletion-protection";
import { enforceLogEncryptionCmk } from "./enforce-log-encryption-cmk";
import { enforceLogRetention } from "./enforce-log-retention";
import { enforceMessagingEncryptionCmk } from "./enforce-messaging-encryption-cmk";
import { enforceNamespaceDefaultDeny } from "./enforce-namespace-default-deny";
import { enforceNamespacePodSecurity } from "./enforce-namespace-pod-security";
import { enforceNamespaceQuotasAndLimits } from "./enforce-namespace-quotas-and-limits";
import { enforceNetworkDefaultDeny } from "./enforce-network-default-deny";
import { enforcePrivateClusterEndpoint } from "./enforce-private-cluster-endpoint";
import { enforcePrivateClusterInProduction } from "./enforce-private-cluster-in-production";
import { disallowClusterLocalAccounts } from "./disallow-cluster-local-accounts";
import { enforceClusterCloudRbac } from "./enforce-cluster-cloud-rbac";
import { enforceProtectOnStatefulResources } from "./enforce-protect-on-stateful-resources";
import { enforceRecoveryObjectives } from "./enforce-recovery-objectives";
import { enforceRequiredTags } from "./enforce-required-tags";
import { enforceRunAsNonRoot } from "./enforce-run-as-non-root";
import { enforceSecondarySiteDifferentCloud } from "./enforce-secondary-site-different-cloud";
import { enforceSecretsEncryptionCmk } from "./enforce-secrets-encryption-cmk";
import { enforceStorageEncryptionCmk } from "./enforce-storage-encryption-cmk";
import { enforceStorageGeoRedundancy } from "./enforce-storage-geo-redundancy";
import { enforceStoragePublicAccessBlock } from "./enforce-storage-public-access-block";
import { enforceTlsInTransit } from "./enforce-tls-in-transit";
import { enforceTlsMinimumVersion } from "./enforce-tls-minimum-version";
import { enforceWebApplicationFirewall } from "./enforce-web-application-firewall";
import { enableLoadBalancerAccessLogs } from "./enable-load-balancer-access-logs";
import { enforceHttpRedirectToHttps } from "./enforce-http-redirect-to-https";
import { enforceVpnStrongCrypto } from "./enforce-vpn-strong-crypto";
import { enforceVmHardening } from "./enforce-vm-hardening";

export const controls: readonly Control[] = [
  enforceStorageEncryptionCmk,
  enforceDatabaseEncryptionCmk,
  enforceCacheEncryptionCmk,
  enforceBackupVaultEncryptionCmk,
  enforceDiskEncryptionCmk,
  enforceLogEncryptionCmk,
  enforceMessagingEncryptionCmk,
  enforceSecretsEncryptionCmk,
  enforceTlsMinimumVersion,
  enforceHttpRedirectToHttps,
  enforceWebApplicationFirewall,
  enableLoadBalancerAccessLogs,
  enforceVpnStrongCrypto,
  enforceTlsInTransit,
  enforceReplicationEndpointTls,
  enforceTransferEncryptionAndLogging,
  enforceBucketDenyInsecureTransport,
  enforceFileSystemTls,
  enableKeyRotation,
  enforceHsmBackedKeys,
  enforceKeyDeletionProtection,
  disallowPlaintextDatabasePasswords,
  enforceCacheAuthentication,
  disallowPlaintextSecretsInEnvironment,
  enforceSyntheticCheckHardening,
  disallowPlaintextVpnPresharedKeys,
  enforceStoragePublicAccessBlock,
  disallowPublicStorageGrants,
  enforceCdnOriginProtection,
  enforceIdentityBasedStorageAccess,
  disallowPublicDatabaseEndpoints,
  disallowPublicFileSystems,
  disallowPublicReplicationInstances,
  disallowPublicAdminPorts,
  disallowPublicDataPorts,
  enforceNetworkDefaultDeny,
  disallowPublicIpOnCompute,
  enforceInstanceMetadataV2,
  enforceVmHardening,
  disallowPublicFunctionUrls,
  enforceContainerRegistryHardening,
  enforceDatabaseBackupRetention,
  enforceBackupPlanRetention,
  enableDatabasePointInTimeRecovery,
  enforceCacheSnapshotRetention,
  enableFileSystemBackups,
  enforceDatabaseHighAvailability,
  enforceDatabaseProxyTlsAndIamAuth,
  enforceDatabaseDeletionProtection,
  enforceProtectOnStatefulResources,
  enableObjectVersioning,
  enforceImmutableBackups,
  enforceStorageGeoRedundancy,
  enforceSecondarySiteDifferentCloud,
  enforceRecoveryObjectives,
  enforceDnsFailoverHealthChecks,
  enableNetworkFlowLogs,
  enforceLogRetention,
  enableStorageAccessLogging,
  enableCdnAccessLogging,
  enableDatabaseLogExports,
  enableAuditTrailIntegrity,
  enableThreatDetection,
  enableBudgetAlerts,
  disallowWildcardIamPolicies,
  disallowLongLivedAccessKeys,
  disallowPrimitiveAdminRoles,
  disallowDefaultComputeServiceAccount,
  enforceRequiredTags,
  enforceDataResidency,
  enforceExplicitProviders,
  disallowPrivilegedContainers,
  enforceRunAsNonRoot,
  disallowHostNamespaces,
  disallowHostPathVolumes,
  enforceContainerResourceLimits,
  disallowLatestImageTag,
  disallowPublicLoadBalancerServices,
  enforceNamespaceDefaultDeny,
  enforceNamespacePodSecurity,
  enforceNamespaceQuotasAndLimits,
  enforcePrivateClusterEndpoint,
  enforceClusterSecretsEncryption,
  disallowPublicClusterEndpointInProduction,
  enforceClusterIdentityAccess,
  disallowPublicContainerRegistries,
  disallowPodAccessToNodeCredentials,
  enableClusterAuditLogs,
  enforcePrivateClusterNodes,
  enforceProductionClusterPrivateEndpoint,
  enforceClusterWorkloadIdentity,
  disallowClusterLegacyAuthorization,
  enforceClusterNodeHardening,
  enforceClusterNetworkPolicy,
  enforcePrivateClusterInProduction,
  disallowClusterLocalAccounts,
  enforceClusterCloudRbac,
];
