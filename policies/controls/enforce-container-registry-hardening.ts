import { defineControl } from "../lib/define";
import { get, isSet, isTrue, list, lower, str } from "../lib/props";

export const enforceContainerRegistryHardening = defineControl({
  id: "enforce-container-registry-hardening",
  title: "Container registries keep image tags immutable, scan on push and encrypt with KMS",
  severity: "medium",
  category: "data-protection",
  kind: "security",
  rationale:
    "A mutable tag lets anyone with push rights replace the image a deployment trusts; scanning on push reports known vulnerabilities before an image runs; KMS encryption makes use of the key auditable and revocable (PCI DSS 6.3.2, 6.3.3, 3.5.1; Checkov CKV_AWS_51, CKV_AWS_163, CKV_AWS_136).",
  remediation: [
    'AWS: aws.ecr.Repository imageTagMutability: "IMMUTABLE"; imageScanningConfiguration: { scanOnPush: true } (or registry-level enhanced scanning); encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: <customer-managed key ARN> }].',
    "GCP: Artifact Registry DOCKER repositories with dockerConfig.immutableTags true, vulnerability scanning not DISABLED (INHERITED with the Container Scanning API enabled), and kmsKeyName (CMEK, after the Artifact Registry service agent's grant).",
  ],
  frameworks: {
    soc2: ["CC6.1", "CC7.1", "CC8.1"],
    iso27001: ["A.8.8", "A.8.24", "A.8.32"],
    pciDss: ["6.3.2", "6.3.3", "3.5.1"],
    gdpr: ["Art. 32(1)(a)", "Art. 32(1)(d)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: [
    "No CIS AWS Foundations recommendation covers ECR; none is mapped.",
    "Registry-level scanning (aws.ecr.RegistryScanningConfiguration) is not taken into account; the repository must set scanOnPush.",
    'encryptionType "KMS" without kmsKey uses the AWS-managed aws/ecr key; the control requires KMS, not a customer-managed key.',
    "Artifact Registry scanning INHERITED scans only where the project has the Container Scanning API enabled; the control rejects DISABLED only.",
  ],
  resources: {
    aws: {
      "aws:ecr/repository:Repository": (props) => {
        const out: string[] = [];
        const mutability = str(get(props, "imageTagMutability"))?.toUpperCase() ?? "MUTABLE";
        if (!mutability.startsWith("IMMUTABLE"))
          out.push(`imageTagMutability is ${mutability} (tags can be overwritten); set "IMMUTABLE"`);
        if (!isTrue(get(props, "imageScanningConfiguration.scanOnPush")))
          out.push("imageScanningConfiguration.scanOnPush is not true");
        const types = list(get(props, "encryptionConfigurations")).map((c) =>
          lower(get(c, "encryptionType")),
        );
        if (!types.some((t) => t === "kms" || t === "kms_dsse"))
          out.push('encryptionConfigurations sets no encryptionType "KMS" (AES256 default)');
        return out;
      },
    },
    gcp: {
      "gcp:artifactregistry/repository:Repository": (props) => {
        if ((str(get(props, "format")) ?? "").toUpperCase() !== "DOCKER") return [];
        const out: string[] = [];
        if (!isTrue(get(props, "dockerConfig.immutableTags")))
          out.push("dockerConfig.immutableTags is not true (tags can be moved to another image)");
        const scanning = str(get(props, "vulnerabilityScanningConfig.enablementConfig"))?.toUpperCase();
        if (scanning === "DISABLED") out.push("vulnerabilityScanningConfig.enablementConfig is DISABLED");
        if (!isSet(props, "kmsKeyName"))
          out.push("kmsKeyName is not set (Google-managed encryption, not a customer-managed key)");
        return out;
      },
    },
  },
});
