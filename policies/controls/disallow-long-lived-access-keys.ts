import { defineControl } from "../lib/define";
import { get, lower } from "../lib/props";

export const disallowLongLivedAccessKeys = defineControl({
  id: "disallow-long-lived-access-keys",
  title: "No long-lived access keys for users or service accounts",
  severity: "high",
  category: "identity",
  kind: "security",
  rationale:
    "Static access keys leak through laptops, CI logs and repositories and stay valid until someone rotates them; workload identity, instance roles and federation issue short-lived credentials instead (PCI DSS 8.3.2, 8.6.3; CIS AWS 1.x, GCP 1.4).",
  remediation: [
    "AWS: remove aws.iam.AccessKey resources; use IAM roles (instance profiles, IRSA/Pod Identity, OIDC federation for CI).",
    "GCP: remove gcp.serviceaccount.Key resources; use attached service accounts, Workload Identity (Federation) or impersonation.",
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.2"],
    iso27001: ["A.5.17", "A.8.5"],
    pciDss: ["8.3.2", "8.6.3"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: [
      "AWS Foundations 1.4 (no root access keys) / 1.14 (rotate keys)",
      "GCP 1.4 (only GCP-managed service account keys)",
    ],
  },
  uncertain: [
    "Azure service principal secrets live in Microsoft Entra ID (the azuread provider), not in azure-native; storage account keys are covered by enforce-identity-based-storage-access.",
    "CIS benchmark ids differ between benchmark versions; the ids given are indicative.",
  ],
  resources: {
    aws: {
      "aws:iam/accessKey:AccessKey": (props) =>
        lower(get(props, "status")) === "inactive"
          ? []
          : ["an IAM access key is a long-lived credential; use a role"],
    },
    gcp: {
      "gcp:serviceaccount/key:Key": () => [
        "a user-managed service account key is a long-lived credential; use workload identity or impersonation",
      ],
    },
  },
});
