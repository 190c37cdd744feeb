import {
  awsBucketSetting,
  awsBucketTypes,
  awsCmk,
  bucketSettings,
  finding,
  isAwsAccessLogTarget,
  known,
} from "../lib/checks";
import { defineControl } from "../lib/define";
import { UNKNOWN, get, isSet, lower, list, peek } from "../lib/props";
import type { Finding } from "../lib/types";

const sseTypes = awsBucketSetting("serverSideEncryptionConfiguration");

/**
 * Messages for SSE rules: every rule must use SSE-KMS with a customer-managed key. Buckets that receive
 * S3 server access logs or load balancer logs may only use SSE-S3 (an AWS restriction), so AES256 passes there.
 */
function sseRuleProblems(rules: unknown[], logTarget = false): string[] {
  if (rules.length === 0) return ["no encryption rule is configured"];
  const out: string[] = [];
  for (const rule of rules) {
    const def = get(rule, "applyServerSideEncryptionByDefault");
    const algorithm = lower(get(def, "sseAlgorithm"));
    if (logTarget && algorithm === "aes256") continue;
    if (algorithm !== "aws:kms" && algorithm !== "aws:kms:dsse") {
      out.push(
        `sseAlgorithm is "${algorithm || "unset"}"; use aws:kms (or aws:kms:dsse) with a customer-managed key`,
      );
    } else if (!awsCmk(def, "kmsMasterKeyId")) {
      out.push("kmsMasterKeyId is unset or an AWS-managed key; set a customer-managed KMS key");
    }
  }
  return out;
}

export const enforceStorageEncryptionCmk = defineControl({
  id: "enforce-storage-encryption-cmk",
  title: "Object storage is encrypted at rest with a customer-managed key",
  severity: "high",
  category: "data-protection",
  kind: "security",
  rationale:
    "Provider-managed keys protect against disk theft only; a customer-managed key adds an access policy, rotation, audit trail and the ability to revoke access (crypto-shredding) that PCI DSS 3.5/3.6 and GDPR Art. 32 expect for stored data.",
  remediation: [
    'AWS: add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with sseAlgorithm "aws:kms" and kmsMasterKeyId set to a customer-managed KMS key (bucketKeyEnabled: true to reduce cost).',
    'Azure: set encryption.keySource "Microsoft.Keyvault" and encryption.keyVaultProperties (keyVaultUri, keyName) with a user-assigned identity that can use the key.',
    "GCP: set encryption.defaultKmsKeyName to a Cloud KMS key the Cloud Storage service agent can use.",
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.7"],
    iso27001: ["A.8.24", "A.5.33"],
    pciDss: ["3.5.1", "3.6.1"],
    gdpr: ["Art. 32(1)(a)", "Art. 5(1)(f)"],
    lfpdppp: ["Art. 18"],
    cis: [
      "AWS Foundations 2.1.1 (encryption at rest, v1.4)",
      "Azure 3.12 (CMK for storage accounts)",
      "GCP 5.3 (CMEK, Storage v2 draft)",
    ],
  },
  uncertain: [
    "CIS benchmark ids differ between benchmark versions; the ids given are indicative.",
    "AWS delivers S3 server access logs and load balancer logs only to buckets encrypted with SSE-S3, so such log buckets pass with AES256.",
  ],
  resources: {
    azure: {
      "azure-native:storage:StorageAccount": (props) => {
        const source = lower(get(props, "encryption.keySource"));
        if (source !== "microsoft.keyvault") {
          return [
            `encryption.keySource is "${source || "Microsoft.Storage (default)"}"; use Microsoft.Keyvault with a customer-managed key`,
          ];
        }
        return isSet(props, "encryption.keyVaultProperties.keyName") ||
          isSet(props, "encryption.keyVaultProperties.keyVaultUri")
          ? []
          : ["encryption.keyVaultProperties does not name a key vault key"];
      },
    },
    gcp: {
      "gcp:storage/bucket:Bucket": (props) =>
        isSet(props, "encryption.defaultKmsKeyName")
          ? []
          : ["encryption.defaultKmsKeyName is unset (Google-managed key)"],
    },
  },
  stack: (subjects, ctx) => {
    const out: Finding[] = [];
    for (const bucket of subjects.filter((s) => (awsBucketTypes as readonly string[]).includes(s.type))) {
      const inline = peek(
        bucket.props,
        bucket.type === "aws:s3/bucket:Bucket"
          ? "serverSideEncryptionConfiguration"
          : "serverSideEncryptionConfigurations",
      );
      if (
        inline !== undefined &&
        inline !== null &&
        inline !== UNKNOWN &&
        !(Array.isArray(inline) && inline.length === 0)
      ) {
        const problems = known(ctx, () => {
          const configs = list(
            get(
              bucket.props,
              bucket.type === "aws:s3/bucket:Bucket"
                ? "serverSideEncryptionConfiguration"
                : "serverSideEncryptionConfigurations",
            ),
          );
          return configs.flatMap((c) => sseRuleProblems(list(get(c, "rule")).concat(list(get(c, "rules")))));
        });
        if (problems !== UNKNOWN)
          for (const p of problems) out.push(finding(bucket, `inline encryption: ${p}`));
        continue;
      }
      const configs = bucketSettings(subjects, "serverSideEncryptionConfiguration", bucket);
      if (configs.length === 0) {
        out.push(
          finding(
            bucket,
            "S3 bucket has no aws.s3.BucketServerSideEncryptionConfiguration with SSE-KMS and a customer-managed key",
          ),
        );
        continue;
      }
      const logTarget = isAwsAccessLogTarget(subjects, bucket);
      for (const config of configs) {
        const problems = known(ctx, () => sseRuleProblems(list(get(config.props, "rules")), logTarget));
        if (problems !== UNKNOWN) for (const p of problems) out.push(finding(config, p));
      }
    }
    return out;
  },
  stackTypes: { aws: [...awsBucketTypes, ...sseTypes] },
});
