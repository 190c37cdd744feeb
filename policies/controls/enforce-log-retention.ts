import { defineControl } from "../lib/define";
import { get, isTrue, num } from "../lib/props";
import type { CheckContext } from "../lib/types";

function minDays(ctx: CheckContext): number {
  return ctx.production ? ctx.settings.productionLogRetentionDays : ctx.settings.logRetentionDays;
}

function atLeast(key: string, unsetMeansForever: boolean, defaultDays: number) {
  return (props: Record<string, unknown>, ctx: CheckContext): string[] => {
    const v = num(get(props, key));
    if ((v === undefined || v === 0) && unsetMeansForever) return [];
    const days = v ?? defaultDays;
    const min = minDays(ctx);
    return days >= min
      ? []
      : [`${key} is ${days}${v === undefined ? " (default)" : ""}; keep logs at least ${min} days`];
  };
}

export const enforceLogRetention = defineControl({
  id: "enforce-log-retention",
  title: "Logs are retained long enough for investigation (365 days in production)",
  severity: "medium",
  category: "logging",
  kind: "security",
  rationale:
    "PCI DSS 10.5.1 requires twelve months of audit log history; breaches are typically discovered months after the fact (SOC 2 CC7.2, ISO 27001 A.8.15). Non-production keeps the configured shorter minimum.",
  remediation: [
    "AWS CloudWatch log groups: retentionInDays at least the minimum (365 in production); unset keeps logs forever, which also passes.",
    "Azure Log Analytics workspaces: retentionInDays (default 30); network watcher flow logs: retentionPolicy.days (0 keeps forever).",
    "GCP logging buckets: retentionDays (default 30).",
  ],
  frameworks: {
    soc2: ["CC7.2"],
    iso27001: ["A.8.15"],
    pciDss: ["10.5.1"],
    gdpr: ["Art. 33", "Art. 5(2)"],
    lfpdppp: ["Art. 19"],
    cis: ["Azure 6.x (flow log retention >= 90 days)"],
  },
  uncertain: [
    "GDPR also limits storage (Art. 5(1)(e)): logs with personal data need a maximum as well, which this control does not enforce.",
  ],
  resources: {
    aws: { "aws:cloudwatch/logGroup:LogGroup": atLeast("retentionInDays", true, 0) },
    azure: {
      "azure-native:operationalinsights:Workspace": atLeast("retentionInDays", false, 30),
      "azure-native:network:FlowLog": (props, ctx) => {
        if (!isTrue(get(props, "retentionPolicy.enabled"))) return [];
        return atLeast("retentionPolicy.days", true, 0)(props, ctx);
      },
    },
    gcp: {
      "gcp:logging/projectBucketConfig:ProjectBucketConfig": atLeast("retentionDays", false, 30),
      "gcp:logging/folderBucketConfig:FolderBucketConfig": atLeast("retentionDays", false, 30),
      "gcp:logging/organizationBucketConfig:OrganizationBucketConfig": atLeast("retentionDays", false, 30),
    },
  },
});
