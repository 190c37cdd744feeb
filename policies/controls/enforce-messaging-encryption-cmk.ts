import { awsCmk } from "../lib/checks";
import { defineControl } from "../lib/define";
import { get, isSet, lower } from "../lib/props";

function azureNamespace(props: Record<string, unknown>): string[] {
  const source = lower(get(props, "encryption.keySource"));
  return source === "microsoft.keyvault" && isSet(props, "encryption.keyVaultProperties")
    ? []
    : ["encryption.keySource must be Microsoft.KeyVault with keyVaultProperties (customer-managed key)"];
}

export const enforceMessagingEncryptionCmk = defineControl({
  id: "enforce-messaging-encryption-cmk",
  title: "Queues, topics and streams are encrypted with a customer-managed key",
  severity: "medium",
  category: "data-protection",
  kind: "security",
  rationale:
    "Messages in flight between services are stored until consumed and often carry personal or payment data; they need the same key custody as databases (PCI DSS 3.5.1, GDPR Art. 32).",
  remediation: [
    'AWS: kmsMasterKeyId on SQS queues and SNS topics; Kinesis streams encryptionType "KMS" with a customer-managed kmsKeyId.',
    'Azure Service Bus / Event Hubs (Premium): encryption { keySource: "Microsoft.KeyVault", keyVaultProperties }.',
    "GCP Pub/Sub: kmsKeyName on topics.",
  ],
  frameworks: {
    soc2: ["CC6.1"],
    iso27001: ["A.8.24"],
    pciDss: ["3.5.1"],
    gdpr: ["Art. 32(1)(a)"],
    lfpdppp: ["Art. 18"],
  },
  resources: {
    aws: {
      "aws:sqs/queue:Queue": (props) =>
        awsCmk(props, "kmsMasterKeyId")
          ? []
          : ["kmsMasterKeyId is unset or AWS-managed (SQS-managed SSE is not customer-managed)"],
      "aws:sns/topic:Topic": (props) =>
        awsCmk(props, "kmsMasterKeyId") ? [] : ["kmsMasterKeyId is unset or AWS-managed"],
      "aws:kinesis/stream:Stream": (props) =>
        lower(get(props, "encryptionType")) === "kms" && awsCmk(props, "kmsKeyId")
          ? []
          : ["encryptionType must be KMS with a customer-managed kmsKeyId"],
    },
    azure: {
      "azure-native:servicebus:Namespace": azureNamespace,
      "azure-native:eventhub:Namespace": azureNamespace,
    },
    gcp: {
      "gcp:pubsub/topic:Topic": (props) =>
        isSet(props, "kmsKeyName") ? [] : ["kmsKeyName is unset (Google-managed key)"],
    },
  },
});
