import { defineControl } from "../lib/define";
import { exposureChecks } from "../lib/exposure";

export const disallowPublicAdminPorts = defineControl({
  id: "disallow-public-admin-ports",
  title: "No remote administration port is open to the internet",
  severity: "critical",
  category: "exposure",
  kind: "security",
  rationale:
    "SSH (22) and RDP (3389) open to 0.0.0.0/0, ::/0, * or Internet are scanned and brute-forced within minutes; administration must go through a bastion, VPN or identity-aware proxy (PCI DSS 1.3.1, 1.4.2; CIS).",
  remediation: [
    "Restrict the source of rules for ports 22 and 3389 (configurable as adminPorts) to known management ranges or security groups; use AWS SSM Session Manager, Azure Bastion or GCP IAP TCP forwarding instead of open ports.",
    "Applies to AWS security groups and their rule resources, network ACLs (ephemeral return ranges 1024-65535 excepted), Azure NSGs and security rules, GCP firewalls (a firewall without sourceRanges, sourceTags or sourceServiceAccounts applies to 0.0.0.0/0).",
  ],
  frameworks: {
    soc2: ["CC6.6", "CC6.1"],
    iso27001: ["A.8.20", "A.8.22"],
    pciDss: ["1.3.1", "1.4.2", "2.2.5"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: [
      "AWS Foundations 5.2/5.3 (no 0.0.0.0/0 and ::/0 to admin ports)",
      "AWS Foundations 5.1 (NACLs)",
      "Azure 6.1/6.2 (RDP/SSH from internet)",
      "GCP 3.6/3.7 (SSH/RDP from internet)",
    ],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: exposureChecks((ctx) => ctx.settings.adminPorts, "administration"),
});
