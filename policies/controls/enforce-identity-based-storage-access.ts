import { defineControl } from "../lib/define";
import { get, isFalse, isTrue, str } from "../lib/props";

export const enforceIdentityBasedStorageAccess = defineControl({
  id: "enforce-identity-based-storage-access",
  title: "Object storage authorizes with identities only: no ACLs, no shared keys",
  severity: "high",
  category: "exposure",
  kind: "security",
  rationale:
    "Account keys and object ACLs bypass identity-based access control and its audit trail; a leaked storage key grants full access to every container. Disabling them leaves IAM/RBAC as the only way in (PCI DSS 7.2.1, 8.2.2).",
  remediation: [
    'AWS: aws.s3.BucketOwnershipControls with rule.objectOwnership "BucketOwnerEnforced" (ACLs disabled).',
    "Azure: allowSharedKeyAccess: false on storage accounts (use Entra ID and RBAC; defaultToOAuthAuthentication: true).",
    "GCP: uniformBucketLevelAccess: true on buckets.",
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.3"],
    iso27001: ["A.5.15", "A.8.5"],
    pciDss: ["7.2.1", "8.2.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["Azure 3.3 (storage account access keys)", "GCP 5.2 (uniform bucket-level access)"],
  },
  uncertain: [
    "AWS: new buckets default to BucketOwnerEnforced since April 2023, so only explicit ownership controls that re-enable ACLs are rejected.",
    "CIS benchmark ids differ between benchmark versions; the ids given are indicative.",
  ],
  resources: {
    aws: {
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls": (props) => {
        const v = str(get(props, "rule.objectOwnership"));
        return v === "BucketOwnerEnforced"
          ? []
          : [`rule.objectOwnership is ${v ?? "unset"}; use BucketOwnerEnforced (ACLs disabled)`];
      },
    },
    azure: {
      "azure-native:storage:StorageAccount": (props) =>
        isFalse(get(props, "allowSharedKeyAccess"))
          ? []
          : ["allowSharedKeyAccess is not false (account keys and SAS work)"],
    },
    gcp: {
      "gcp:storage/bucket:Bucket": (props) =>
        isTrue(get(props, "uniformBucketLevelAccess"))
          ? []
          : ["uniformBucketLevelAccess is not true (object ACLs apply)"],
    },
  },
});
