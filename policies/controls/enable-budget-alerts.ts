import { defineControl } from "../lib/define";
import { get, isFalse, isSet, isTrue, list, record, str } from "../lib/props";

export const enableBudgetAlerts = defineControl({
  id: "enable-budget-alerts",
  title: "Budgets and cost anomaly monitors notify someone",
  severity: "medium",
  category: "governance",
  kind: "resilience",
  rationale:
    "A budget or anomaly monitor without a notification is a number nobody reads: runaway spend (a leaked credential mining, a forgotten load test, a replication loop) is found on the invoice a month later. Cost is also an availability risk: an account or subscription whose spend limit is hit stops serving (SOC 2 CC7.2 anomaly detection, ISO 27001 A.5.37 documented operating procedures).",
  remediation: [
    "AWS Budgets: at least one notification, each with an SNS topic or e-mail subscriber; Cost Anomaly Detection subscriptions: at least one subscriber.",
    "Azure consumption budget: at least one enabled notification with contactEmails, contactGroups or contactRoles.",
    "GCP billing budget: at least one threshold rule, and allUpdatesRule not disabling the default IAM recipients unless it names monitoring channels or a Pub/Sub topic.",
  ],
  frameworks: {
    soc2: ["CC7.2"],
    iso27001: ["A.5.37"],
  },
  uncertain: [
    "PCI DSS, GDPR and LFPDPPP have no cost requirement; none is mapped.",
    "The control cannot see that a budget exists at all: a stack without one is not flagged (budgets may be managed for the whole account elsewhere).",
  ],
  resources: {
    aws: {
      "aws:budgets/budget:Budget": (props) => {
        const notifications = list(get(props, "notifications"));
        if (notifications.length === 0) return ["no notifications: crossing the budget alerts nobody"];
        const silent = notifications.filter(
          (n) => !isSet(n, "subscriberSnsTopicArns") && !isSet(n, "subscriberEmailAddresses"),
        );
        return silent.length === 0 ? [] : [`${silent.length} notification(s) without a subscriber`];
      },
      "aws:costexplorer/anomalySubscription:AnomalySubscription": (props) =>
        list(get(props, "subscribers")).length === 0 ? ["no subscribers: anomalies alert nobody"] : [],
    },
    azure: {
      "azure-native:consumption:Budget": (props) => {
        const notifications = Object.values(record(get(props, "notifications")));
        const reaching = notifications.filter(
          (n) =>
            !isFalse(get(n, "enabled")) &&
            (isSet(n, "contactEmails") || isSet(n, "contactGroups") || isSet(n, "contactRoles")),
        );
        return reaching.length > 0
          ? []
          : ["no enabled notification with a contact: crossing the budget alerts nobody"];
      },
    },
    gcp: {
      "gcp:billing/budget:Budget": (props) => {
        const out: string[] = [];
        if (list(get(props, "thresholdRules")).length === 0) out.push("no thresholdRules");
        const rule = get(props, "allUpdatesRule");
        if (
          isTrue(get(rule, "disableDefaultIamRecipients")) &&
          !isSet(rule, "monitoringNotificationChannels") &&
          str(get(rule, "pubsubTopic")) === undefined
        ) {
          out.push("allUpdatesRule disables the default recipients and names no channel or topic");
        }
        return out;
      },
    },
  },
});
