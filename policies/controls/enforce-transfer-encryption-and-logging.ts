import { defineControl } from "../lib/define";
import { get, isSet, list, lower, str } from "../lib/props";

/** DataSync task: logs to CloudWatch Logs at BASIC or TRANSFER level, and verifies what it copied. */
function dataSyncTask(props: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (!isSet(props, "cloudwatchLogGroupArn")) {
    out.push("cloudwatchLogGroupArn is unset: the task's transfers are not logged");
  }
  const level = lower(get(props, "options.logLevel"));
  if (level === "off") out.push("options.logLevel is OFF; use BASIC or TRANSFER");
  if (lower(get(props, "options.verifyMode")) === "none") {
    out.push("options.verifyMode is NONE; use ONLY_FILES_TRANSFERRED or POINT_IN_TIME_CONSISTENT");
  }
  return out;
}

/** Object storage location: HTTPS only (DataSync's default for these locations is HTTP). */
function dataSyncObjectStorage(props: Record<string, unknown>): string[] {
  return lower(get(props, "serverProtocol")) === "https"
    ? []
    : [`serverProtocol is ${str(get(props, "serverProtocol")) ?? "unset (HTTP)"}; set HTTPS`];
}

/** Storage Transfer Service job: failures logged; no key or SAS token written into the job itself. */
function transferJob(props: Record<string, unknown>): string[] {
  const out: string[] = [];
  const states = list(get(props, "loggingConfig.logActionStates")).map(lower);
  const onPrem = get(props, "loggingConfig.enableOnpremGcsTransferLogs") === true;
  if (!onPrem && (!states.includes("failed") || list(get(props, "loggingConfig.logActions")).length === 0)) {
    out.push("loggingConfig does not log FAILED actions (set logActions and logActionStates with FAILED)");
  }
  if (isSet(props, "transferSpec.awsS3DataSource.awsAccessKey")) {
    out.push(
      "transferSpec.awsS3DataSource.awsAccessKey holds a key; use roleArn (federated) or credentialsSecret",
    );
  }
  if (isSet(props, "transferSpec.azureBlobStorageDataSource.azureCredentials")) {
    out.push(
      "transferSpec.azureBlobStorageDataSource.azureCredentials holds a SAS token; use federatedIdentityConfig or credentialsSecret",
    );
  }
  return out;
}

/** Data Factory: metadata encrypted with a customer-managed key, no public network access. */
function factory(props: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (!isSet(props, "encryption.keyName") || !isSet(props, "encryption.vaultBaseUrl")) {
    out.push("encryption is unset: the factory is not encrypted with a customer-managed key");
  }
  if (lower(get(props, "publicNetworkAccess")) !== "disabled") {
    out.push(
      `publicNetworkAccess is ${str(get(props, "publicNetworkAccess")) ?? "unset (Enabled)"}; set Disabled`,
    );
  }
  return out;
}

/** Secret-bearing fields of linked services. */
const linkedServiceSecrets = [
  "secretAccessKey",
  "sessionToken",
  "password",
  "accountKey",
  "sasToken",
  "servicePrincipalKey",
  "servicePrincipalCredential",
] as const;

/** Data Factory linked service: secrets come from Key Vault, endpoints are HTTPS. */
function linkedService(props: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const field of linkedServiceSecrets) {
    const value = get(props, `properties.${field}`);
    if (value !== undefined && lower(get(value, "type")) !== "azurekeyvaultsecret") {
      out.push(`properties.${field} is stored in the factory; reference an AzureKeyVaultSecret instead`);
    }
  }
  for (const field of ["serviceUrl", "serviceEndpoint", "baseUrl", "url"]) {
    const url = str(get(props, `properties.${field}`));
    if (url !== undefined && /^http:\/\//i.test(url)) out.push(`properties.${field} is not HTTPS`);
  }
  return out;
}

export const enforceTransferEncryptionAndLogging = defineControl({
  id: "enforce-transfer-encryption-and-logging",
  title: "Data transfer jobs are encrypted in transit, keep their credentials out of the job and are logged",
  severity: "high",
  category: "data-protection",
  kind: "security",
  rationale:
    "Replication and migration jobs move whole data stores between clouds: a cleartext hop, a key pasted into a job definition or a job whose failures nobody logs silently breaks confidentiality or the recovery point (PCI DSS 4.2.1 strong cryptography in transit, 10.2.1 audit logs; ISO/IEC 27001 A.8.24, A.8.15).",
  remediation: [
    "AWS DataSync: tasks with cloudwatchLogGroupArn, options.logLevel BASIC or TRANSFER and verifyMode other than NONE; object storage locations with serverProtocol HTTPS.",
    "GCP Storage Transfer Service: loggingConfig with logActions and logActionStates including FAILED; sources authenticated by roleArn / federatedIdentityConfig or credentialsSecret, never an inline awsAccessKey or SAS token.",
    "Azure Data Factory: factories with encryption (customer-managed key) and publicNetworkAccess Disabled; linked services whose secrets are AzureKeyVaultSecret references and whose endpoints are HTTPS.",
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.7", "CC7.2"],
    iso27001: ["A.8.24", "A.8.15", "A.5.14"],
    pciDss: ["4.2.1", "10.2.1", "8.3.2"],
    gdpr: ["Art. 32(1)(a)", "Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: [
    "Storage Transfer Service and Data Factory's cloud connectors always use TLS; their transit encryption is not configurable and so not checked.",
    "Data Factory run logs are a diagnostic setting of the factory (a separate resource) and are not checked here.",
  ],
  resources: {
    aws: {
      "aws:datasync/task:Task": dataSyncTask,
      "aws:datasync/locationObjectStorage:LocationObjectStorage": dataSyncObjectStorage,
    },
    gcp: {
      "gcp:storage/transferJob:TransferJob": transferJob,
    },
    azure: {
      "azure-native:datafactory:Factory": factory,
      "azure-native:datafactory:LinkedService": linkedService,
    },
  },
});
