import { defineControl } from "../lib/define";
import { get, isFalse, isTrue, list, str } from "../lib/props";

export const enableAuditTrailIntegrity = defineControl({
  id: "enable-audit-trail-integrity",
  title: "Cloud audit trails cover every region and service and are tamper-evident",
  severity: "high",
  category: "logging",
  kind: "security",
  rationale:
    "The cloud control-plane audit trail is the record of every administrative action; it must cover all regions and all services and detect tampering (PCI DSS 10.2.1, 10.3.4; SOC 2 CC7.2).",
  remediation: [
    "AWS CloudTrail: isMultiRegionTrail true, enableLogFileValidation true, enableLogging not false, includeGlobalServiceEvents not false.",
    "GCP: project IAMAuditConfig for service allServices with ADMIN_READ, DATA_READ and DATA_WRITE log types.",
  ],
  frameworks: {
    soc2: ["CC7.2", "CC7.3"],
    iso27001: ["A.8.15"],
    pciDss: ["10.2.1", "10.3.4"],
    gdpr: ["Art. 5(2)", "Art. 33"],
    lfpdppp: ["Art. 19"],
    cis: [
      "AWS Foundations 3.1/3.2 (multi-region trail, log file validation)",
      "GCP 2.1 (Cloud Audit Logging for all services)",
    ],
  },
  uncertain: [
    "Azure's activity log is always on and immutable for 90 days; exporting it is a subscription diagnostic setting outside this program's resources, so Azure is not checked.",
    "CIS benchmark ids differ between benchmark versions; the ids given are indicative.",
  ],
  resources: {
    aws: {
      "aws:cloudtrail/trail:Trail": (props) => {
        const out: string[] = [];
        if (!isTrue(get(props, "isMultiRegionTrail"))) out.push("isMultiRegionTrail is not true");
        if (!isTrue(get(props, "enableLogFileValidation"))) out.push("enableLogFileValidation is not true");
        if (isFalse(get(props, "enableLogging"))) out.push("enableLogging is false");
        if (isFalse(get(props, "includeGlobalServiceEvents")))
          out.push("includeGlobalServiceEvents is false");
        return out;
      },
    },
    gcp: {
      "gcp:projects/iAMAuditConfig:IAMAuditConfig": (props) => {
        if (str(get(props, "service")) !== "allServices") return [];
        const types = new Set(list(get(props, "auditLogConfigs")).map((c) => str(get(c, "logType"))));
        const missing = ["ADMIN_READ", "DATA_READ", "DATA_WRITE"].filter((t) => !types.has(t));
        return missing.length === 0 ? [] : [`auditLogConfigs lacks ${missing.join(", ")}`];
      },
    },
  },
});
