import { finding } from "../lib/checks";
import { defineControl } from "../lib/define";
import { cloudOf, type Finding } from "../lib/types";

export const enforceExplicitProviders = defineControl({
  id: "enforce-explicit-providers",
  title: "Every cloud resource uses an explicit provider",
  severity: "high",
  category: "governance",
  kind: "security",
  rationale:
    "A resource on a default provider lands in whatever account, subscription, project or region the ambient credentials and config point to; explicit providers make placement part of the reviewed code (ISO 27001 A.8.32, A.5.23; data residency).",
  remediation: [
    "Create resources with an explicit provider (opts.provider, or inherited from a parent component) and disable default providers in Pulumi.yaml (pulumi:disable-default-providers).",
  ],
  frameworks: {
    soc2: ["CC8.1"],
    iso27001: ["A.8.32", "A.5.23"],
    gdpr: ["Art. 44"],
  },
  uncertain: [
    "No framework names provider configuration; the mapping is to change management and cloud-service governance.",
  ],
  resources: {},
  stack: (subjects) => {
    const out: Finding[] = [];
    for (const s of subjects) {
      if (!cloudOf(s.type) || !s.provider) continue;
      if (/^default(_|$)/.test(s.provider.name)) {
        out.push(finding(s, `uses the default provider ${s.provider.name} (${s.provider.type})`));
      }
    }
    return out;
  },
  stackTypes: { aws: ["*"], azure: ["*"], gcp: ["*"], kubernetes: ["*"] },
});
