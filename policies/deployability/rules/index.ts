/** Every rule of the deployability pack, in catalog order. */
import type { Rule } from "../lib/rule";
import { disallowLockedImmutabilityAtCreate } from "./disallow-locked-immutability-at-create";
import { enforceAwsNameRules } from "./enforce-aws-name-rules";
import { enforceAzureNameRules } from "./enforce-azure-name-rules";
import { enforceGcpNameRules } from "./enforce-gcp-name-rules";
import { enforceNetworkRuleLimits } from "./enforce-network-rule-limits";
import { enforceRetentionWithinCloudLimits } from "./enforce-retention-within-cloud-limits";
import { requireAwsRolePolicyBeforeUse } from "./require-aws-role-policy-before-use";
import { requireAzureFlowLogWriterGrantBeforeUse } from "./require-azure-flow-log-writer-grant-before-use";
import { requireAzureKeyGrantBeforeUse } from "./require-azure-key-grant-before-use";
import { requireCacheCreateTimeSettings } from "./require-cache-create-time-settings";
import { requireDbSubnetGroupMultiAz } from "./require-db-subnet-group-multi-az";
import { requireGcpKeyGrantBeforeUse } from "./require-gcp-key-grant-before-use";
import { requirePrivateEndpointForClosedServices } from "./require-private-endpoint-for-closed-services";

export const rules: readonly Rule[] = [
  enforceAwsNameRules,
  enforceAzureNameRules,
  enforceGcpNameRules,
  requireDbSubnetGroupMultiAz,
  requireCacheCreateTimeSettings,
  disallowLockedImmutabilityAtCreate,
  enforceRetentionWithinCloudLimits,
  enforceNetworkRuleLimits,
  requireAzureKeyGrantBeforeUse,
  requireAwsRolePolicyBeforeUse,
  requireAzureFlowLogWriterGrantBeforeUse,
  requireGcpKeyGrantBeforeUse,
  requirePrivateEndpointForClosedServices,
];
