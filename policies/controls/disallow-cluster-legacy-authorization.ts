import { defineControl } from "../lib/define";
import { get, isSet, isTrue } from "../lib/props";

export const disallowClusterLegacyAuthorization = defineControl({
  id: "disallow-cluster-legacy-authorization",
  title: "Kubernetes clusters use RBAC and cloud identities, not legacy authorization or static credentials",
  severity: "high",
  category: "kubernetes",
  kind: "security",
  rationale:
    "Legacy ABAC grants broad static permissions outside RBAC; client certificates and basic-auth passwords are long-lived credentials that cannot be revoked individually (CIS GKE 5.8.1, 5.8.3; PCI DSS 8.3.1, 8.6.1).",
  remediation: [
    "GKE: enableLegacyAbac false; masterAuth.clientCertificateConfig.issueClientCertificate false; no masterAuth username/password.",
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.2"],
    iso27001: ["A.5.17", "A.8.5"],
    pciDss: ["8.3.1", "8.6.1", "7.2.1"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["CIS GKE 5.8.1 (no basic auth / client certificates)", "CIS GKE 5.8.3 (legacy ABAC disabled)"],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    gcp: {
      "gcp:container/cluster:Cluster": (props) => {
        const out: string[] = [];
        if (isTrue(get(props, "enableLegacyAbac"))) out.push("enableLegacyAbac is true");
        if (isTrue(get(props, "masterAuth.clientCertificateConfig.issueClientCertificate")))
          out.push(
            "masterAuth.clientCertificateConfig.issueClientCertificate is true (static client certificate)",
          );
        if (isSet(props, "masterAuth.username") || isSet(props, "masterAuth.password"))
          out.push("masterAuth sets a basic-auth username or password");
        return out;
      },
    },
  },
});
