/**
 * Budget settings the billing APIs refuse when `pulumi up` calls them: notification counts per budget,
 * subscribers per notification, an Azure budget's start date, the GCP channel limit.
 */
import { list, peek, record } from "../../lib/props";
import { knownString } from "../lib/graph";
import type { Rule } from "../lib/rule";

const sources = {
  awsNotifications:
    "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_NotificationWithSubscribers.html",
  azure: "https://learn.microsoft.com/rest/api/consumption/budgets/create-or-update",
  gcp: "https://cloud.google.com/billing/docs/reference/budget/rest/v1/billingAccounts.budgets",
};

/** Limits of each cloud's budget API. */
export const budgetLimits = {
  awsNotifications: 10,
  awsEmailSubscribers: 10,
  awsSnsSubscribers: 1,
  azureNotifications: 5,
  gcpChannels: 5,
} as const;

/** A string or array value, counted when known (unknown and absent count as 0). */
function count(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

export const requireBudgetCreateTimeSettings: Rule = {
  id: "require-budget-create-time-settings",
  title: "Budgets fit the billing APIs' limits",
  category: "topology",
  severity: "medium",
  refuses:
    "AWS Budgets refuses more than 10 notifications per budget, more than one SNS or ten e-mail subscribers per notification; an Azure consumption budget takes at most 5 notifications and a start date on the first day of a month; a GCP billing budget notifies at most 5 monitoring channels. (Budget names: the name rules.)",
  remediation:
    "Keep actual + forecast thresholds at 5 or fewer (the stack config enforces it), one SNS topic per notification, the Azure start date on the first of the month, and at most 5 channels on a GCP budget.",
  sources: [
    {
      url: sources.awsNotifications,
      quote:
        "A notification can have one SNS subscriber and up to 10 email subscribers, for a total of 11 subscribers. (Notification: a budget can have up to ten notifications.)",
    },
    {
      url: sources.azure,
      quote:
        "notifications: Dictionary of notifications associated with the budget. Budget can have up to five notifications. timePeriod.startDate: The start date must be first of the month.",
    },
    {
      url: sources.gcp,
      quote: "allUpdatesRule.monitoringNotificationChannels: ... A maximum of 5 channels are allowed.",
    },
  ],
  resources: {
    aws: {
      "aws:budgets/budget:Budget": (props) => {
        const out: string[] = [];
        const notifications = list(peek(props, "notifications"));
        if (notifications.length > budgetLimits.awsNotifications)
          out.push(
            `${notifications.length} notifications; AWS Budgets takes at most ${budgetLimits.awsNotifications}. Source: ${sources.awsNotifications}`,
          );
        notifications.forEach((n, i) => {
          if (count(peek(n, "subscriberSnsTopicArns")) > budgetLimits.awsSnsSubscribers)
            out.push(
              `notifications[${i}] has more than one SNS subscriber. Source: ${sources.awsNotifications}`,
            );
          if (count(peek(n, "subscriberEmailAddresses")) > budgetLimits.awsEmailSubscribers)
            out.push(
              `notifications[${i}] has more than ${budgetLimits.awsEmailSubscribers} e-mail subscribers. Source: ${sources.awsNotifications}`,
            );
        });
        return out;
      },
    },
    azure: {
      "azure-native:consumption:Budget": (props) => {
        const out: string[] = [];
        const notifications = Object.keys(record(peek(props, "notifications")));
        if (notifications.length > budgetLimits.azureNotifications)
          out.push(
            `${notifications.length} notifications; an Azure budget takes at most ${budgetLimits.azureNotifications}. Source: ${sources.azure}`,
          );
        const start = knownString(props, "timePeriod.startDate");
        if (start !== undefined && !/^\d{4}-\d{2}-01(T00:00:00(\.0+)?Z?)?$/.test(start))
          out.push(
            `timePeriod.startDate '${start}' is not the first day of a month. Source: ${sources.azure}`,
          );
        return out;
      },
    },
    gcp: {
      "gcp:billing/budget:Budget": (props) => {
        const out: string[] = [];
        const channels = count(peek(props, "allUpdatesRule.monitoringNotificationChannels"));
        if (channels > budgetLimits.gcpChannels)
          out.push(
            `allUpdatesRule names ${channels} monitoring channels; a budget takes at most ${budgetLimits.gcpChannels}. Source: ${sources.gcp}`,
          );
        return out;
      },
    },
  },
};
