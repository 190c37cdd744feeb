import { defineControl } from "../lib/define";
import { get, isFalse, isSet, isTrue, list, num, str } from "../lib/props";

/** Activity Log categories a subscription export must include: control-plane writes and security alerts. */
export const requiredActivityLogCategories = ["Administrative", "Security"] as const;

/** Days a CloudTrail Lake event data store must keep events (PCI DSS 10.5.1: one year). */
export const auditRetentionMinimumDays = 365;

function gcpAuditConfig(props: Record<string, unknown>): string[] {
  if (str(get(props, "service")) !== "allServices") return [];
  const types = new Set(list(get(props, "auditLogConfigs")).map((c) => str(get(c, "logType"))));
  const missing = ["ADMIN_READ", "DATA_READ", "DATA_WRITE"].filter((t) => !types.has(t));
  return missing.length === 0 ? [] : [`auditLogConfigs lacks ${missing.join(", ")}`];
}

function azureSubscriptionExport(props: Record<string, unknown>): string[] {
  const out: string[] = [];
  const destinations = [
    "workspaceId",
    "storageAccountId",
    "eventHubAuthorizationRuleId",
    "marketplacePartnerId",
  ];
  if (!destinations.some((d) => isSet(props, d))) {
    out.push(
      "no destination (workspaceId, storageAccountId or eventHubAuthorizationRuleId): the export goes nowhere",
    );
  }
  const logs = list(get(props, "logs")).filter((l) => !isFalse(get(l, "enabled")));
  if (logs.some((l) => str(get(l, "categoryGroup")) === "allLogs")) return out;
  const categories = new Set(logs.map((l) => str(get(l, "category"))));
  const missing = requiredActivityLogCategories.filter((c) => !categories.has(c));
  if (missing.length > 0)
    out.push(`logs do not export the ${missing.join(" and ")} categor${missing.length === 1 ? "y" : "ies"}`);
  return out;
}

export const enableAuditTrailIntegrity = defineControl({
  id: "enable-audit-trail-integrity",
  title: "Cloud audit trails cover every region and service and are tamper-evident",
  severity: "high",
  category: "logging",
  kind: "security",
  rationale:
    "The cloud control-plane audit trail is the record of every administrative action; it must cover all regions and all services and detect tampering (PCI DSS 10.2.1, 10.3.4; SOC 2 CC7.2).",
  remediation: [
    "AWS CloudTrail: isMultiRegionTrail true, enableLogFileValidation true, enableLogging not false, includeGlobalServiceEvents not false, management events not excluded, cloudWatchLogsGroupArn set (the trail is searchable and alarmable in CloudWatch Logs); CloudTrail Lake event data stores: multiRegionEnabled not false, retentionPeriod at least 365 days.",
    "Azure: a subscription diagnostic setting (azure-native monitor SubscriptionDiagnosticSetting) exporting at least the Administrative and Security Activity Log categories (or categoryGroup allLogs) to a workspace, storage account or event hub.",
    "GCP: project, folder or organization IAMAuditConfig for service allServices with ADMIN_READ, DATA_READ and DATA_WRITE log types.",
  ],
  frameworks: {
    soc2: ["CC7.2", "CC7.3"],
    iso27001: ["A.8.15"],
    pciDss: ["10.2.1", "10.3.4"],
    gdpr: ["Art. 5(2)", "Art. 33"],
    lfpdppp: ["Art. 19"],
    cis: [
      "AWS Foundations 3.1/3.2 (multi-region trail, log file validation)",
      "AWS Foundations 3.4 (CloudTrail integrated with CloudWatch Logs)",
      "Azure 5.1.1 (diagnostic setting for the subscription activity log)",
      "GCP 2.1 (Cloud Audit Logging for all services)",
    ],
  },
  uncertain: [
    "Azure's Activity Log is always on but kept 90 days only; the control checks the exports a stack declares, not that one exists (a stack without a SubscriptionDiagnosticSetting is not flagged).",
    "A trail without cloudWatchLogsGroupArn is still a complete record in S3; the CloudWatch Logs requirement follows CIS AWS Foundations 3.4 (alarms on the trail), not PCI DSS itself.",
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
        const selectors = list(get(props, "eventSelectors"));
        if (selectors.length > 0 && selectors.every((sel) => isFalse(get(sel, "includeManagementEvents"))))
          out.push("eventSelectors exclude management events (control-plane activity is not recorded)");
        if (!isSet(props, "cloudWatchLogsGroupArn"))
          out.push(
            "cloudWatchLogsGroupArn is unset (the trail is not delivered to CloudWatch Logs for alarms)",
          );
        return out;
      },
      "aws:cloudtrail/eventDataStore:EventDataStore": (props) => {
        const out: string[] = [];
        if (isFalse(get(props, "multiRegionEnabled"))) out.push("multiRegionEnabled is false");
        const days = num(get(props, "retentionPeriod"));
        if (days !== undefined && days < auditRetentionMinimumDays)
          out.push(`retentionPeriod is ${days} days; require at least ${auditRetentionMinimumDays}`);
        return out;
      },
    },
    azure: {
      "azure-native:monitor:SubscriptionDiagnosticSetting": azureSubscriptionExport,
      "azure-native:insights:SubscriptionDiagnosticSetting": azureSubscriptionExport,
    },
    gcp: {
      "gcp:projects/iAMAuditConfig:IAMAuditConfig": gcpAuditConfig,
      "gcp:folder/iamAuditConfig:IamAuditConfig": gcpAuditConfig,
      "gcp:organizations/iamAuditConfig:IamAuditConfig": gcpAuditConfig,
    },
  },
});
