import { awsCmk } from "../lib/checks";
import { defineControl } from "../lib/define";
import { isSet } from "../lib/props";

export const enforceLogEncryptionCmk = defineControl({
  id: "enforce-log-encryption-cmk",
  title: "Log stores are encrypted with a customer-managed key",
  severity: "medium",
  category: "data-protection",
  kind: "security",
  rationale:
    "Logs contain identifiers, IP addresses and sometimes personal data; PCI DSS 10.3.2 requires audit logs to be protected from unauthorised access and GDPR Art. 32 applies to them like any other processing.",
  remediation: [
    "AWS: kmsKeyId on aws.cloudwatch.LogGroup and aws.cloudtrail.Trail (the key policy must allow the logs / CloudTrail service principal).",
    "Azure: link the Log Analytics workspace to a dedicated cluster with a customer-managed key (operationalinsights Cluster keyVaultProperties).",
    "GCP: cmekSettings.kmsKeyName on logging bucket configs.",
  ],
  frameworks: {
    soc2: ["CC6.1", "CC7.2"],
    iso27001: ["A.8.15", "A.8.24"],
    pciDss: ["10.3.2", "3.5.1"],
    gdpr: ["Art. 32(1)(a)"],
    lfpdppp: ["Art. 18"],
    cis: ["AWS Foundations 3.5 (CloudTrail SSE-KMS)"],
  },
  uncertain: [],
  resources: {
    aws: {
      "aws:cloudwatch/logGroup:LogGroup": (props) =>
        awsCmk(props, "kmsKeyId") ? [] : ["kmsKeyId is unset; log data is encrypted with a service key only"],
      "aws:cloudtrail/trail:Trail": (props) =>
        awsCmk(props, "kmsKeyId") ? [] : ["kmsKeyId is unset (SSE-S3 only)"],
    },
    azure: {
      "azure-native:operationalinsights:Cluster": (props) =>
        isSet(props, "keyVaultProperties.keyName")
          ? []
          : ["keyVaultProperties does not name a customer-managed key"],
    },
    gcp: {
      "gcp:logging/projectBucketConfig:ProjectBucketConfig": (props) =>
        isSet(props, "cmekSettings.kmsKeyName")
          ? []
          : ["cmekSettings.kmsKeyName is unset (Google-managed key)"],
      "gcp:logging/folderBucketConfig:FolderBucketConfig": (props) =>
        isSet(props, "cmekSettings.kmsKeyName")
          ? []
          : ["cmekSettings.kmsKeyName is unset (Google-managed key)"],
      "gcp:logging/organizationBucketConfig:OrganizationBucketConfig": (props) =>
        isSet(props, "cmekSettings.kmsKeyName")
          ? []
          : ["cmekSettings.kmsKeyName is unset (Google-managed key)"],
    },
  },
});
