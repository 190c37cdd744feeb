import { defineControl } from "../lib/define";
import { exposureChecks } from "../lib/exposure";

export const disallowPublicDataPorts = defineControl({
  id: "disallow-public-data-ports",
  title: "No database, cache or search port is open to the internet",
  severity: "critical",
  category: "exposure",
  kind: "security",
  rationale:
    "PostgreSQL (5432), MySQL (3306), SQL Server (1433), Redis (6379), MongoDB (27017) and Elasticsearch (9200) exposed to the internet are mass-exploited; systems storing cardholder or personal data must not be reachable from untrusted networks (PCI DSS 1.3.1, 1.4.4).",
  remediation: [
    "Allow data ports (configurable as dataPorts) only from application subnets or security groups; reach managed databases through private endpoints / private service access.",
    "Applies to AWS security groups and their rule resources, network ACLs (ephemeral return ranges 1024-65535 excepted), Azure NSGs and security rules, GCP firewalls.",
  ],
  frameworks: {
    soc2: ["CC6.6", "CC6.1"],
    iso27001: ["A.8.20", "A.8.22"],
    pciDss: ["1.3.1", "1.4.4", "1.4.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["AWS Foundations 5.2 (no 0.0.0.0/0 ingress, v1.5+ generalised)"],
  },
  uncertain: [
    "CIS benchmarks name only administration ports explicitly; the data-port list follows PCI DSS 1.4.4 and common exposure reports.",
  ],
  resources: exposureChecks((ctx) => ctx.settings.dataPorts, "data"),
});
