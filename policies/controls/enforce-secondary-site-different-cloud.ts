import { finding, tagsOf } from "../lib/checks";
import { defineControl } from "../lib/define";
import { cloudOf, type Cloud, type Finding, type Subject } from "../lib/types";

export const enforceSecondarySiteDifferentCloud = defineControl({
  id: "enforce-secondary-site-different-cloud",
  title: "In production the secondary site runs on a different cloud than the primary",
  severity: "high",
  category: "resilience",
  kind: "resilience",
  productionOnly: true,
  rationale:
    "The disaster-recovery site exists to survive the loss of the primary; on the same cloud it shares the provider's control plane, identity system and regional failure modes (SOC 2 A1.2, CC9.1; ISO 27001 A.5.30 ICT readiness).",
  remediation: [
    "Tag every site's resources with site-role primary or secondary (the program's tag transform does this) and place the secondary site on another cloud than the primary in production stacks.",
  ],
  frameworks: {
    soc2: ["A1.2", "CC9.1"],
    iso27001: ["A.5.30", "A.8.14"],
    gdpr: ["Art. 32(1)(b)", "Art. 32(1)(c)"],
  },
  uncertain: [
    "No framework requires a second cloud; the mapping is to the business-continuity controls the design choice implements.",
  ],
  resources: {},
  stack: (subjects) => {
    const byRole = new Map<string, Map<Cloud, Subject>>();
    for (const s of subjects) {
      const cloud = cloudOf(s.type);
      if (!cloud || cloud === "kubernetes") continue;
      const role = String(tagsOf(s)["site-role"] ?? "").toLowerCase();
      if (role !== "primary" && role !== "secondary") continue;
      let clouds = byRole.get(role);
      if (!clouds) byRole.set(role, (clouds = new Map()));
      if (!clouds.has(cloud)) clouds.set(cloud, s);
    }
    const primary = byRole.get("primary");
    const secondary = byRole.get("secondary");
    const out: Finding[] = [];
    if (primary && !secondary) {
      const first = [...primary.values()][0]!;
      out.push({
        ...finding(
          first,
          `production has a primary site (${[...primary.keys()].join(", ")}) but no secondary site`,
        ),
        urn: "",
      });
    }
    if (primary && secondary) {
      for (const [cloud, s] of secondary) {
        if (primary.has(cloud))
          out.push(finding(s, `secondary site runs on ${cloud}, the primary site's cloud`));
      }
    }
    return out;
  },
  stackTypes: { aws: ["*"], azure: ["*"], gcp: ["*"] },
});
