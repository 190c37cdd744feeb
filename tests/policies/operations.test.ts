import { controlCases } from "./cases";
import { UNKNOWN, type TestResource } from "./harness";

const r = (type: string, name: string, props: Record<string, unknown>): TestResource => ({
  type,
  name,
  props,
});

/** Issue 13: threat detection and budgets (the audit trail cases are in logging-identity.test.ts). */
describe("operations controls", () => {
  controlCases("enable-threat-detection", [
    {
      title: "a suspended GuardDuty detector",
      cloud: "aws",
      expect: "reject",
      match: /suspended/,
      resource: r("aws:guardduty/detector:Detector", "detector", { enable: false }),
    },
    {
      title: "an RDS protection plan declared disabled",
      cloud: "aws",
      expect: "reject",
      match: /RDS_LOGIN_EVENTS is DISABLED/,
      resource: r("aws:guardduty/detectorFeature:DetectorFeature", "rds", {
        detectorId: "d",
        name: "RDS_LOGIN_EVENTS",
        status: "DISABLED",
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:guardduty/detector:Detector", "detector", {
        enable: true,
        findingPublishingFrequency: "FIFTEEN_MINUTES",
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:guardduty/detectorFeature:DetectorFeature", "s3", {
        detectorId: UNKNOWN,
        name: "S3_DATA_EVENTS",
        status: "ENABLED",
      }),
    },
    {
      title: "a Defender plan on the Free tier",
      cloud: "azure",
      expect: "reject",
      match: /Free tier/,
      resource: r("azure-native:security:Pricing", "storage", {
        scopeId: "subscriptions/00000000-0000-4000-8000-000000000001",
        pricingName: "StorageAccounts",
        pricingTier: "Free",
      }),
    },
    {
      title: "a security contact that mails nobody",
      cloud: "azure",
      expect: "reject",
      match: /no e-mail address/,
      resource: r("azure-native:security:SecurityContact", "default", {
        securityContactName: "default",
        isEnabled: true,
        notificationsSources: [{ sourceType: "Alert", minimalSeverity: "High" }],
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:security:Pricing", "storage", {
        scopeId: "subscriptions/00000000-0000-4000-8000-000000000001",
        pricingName: "StorageAccounts",
        pricingTier: "Standard",
        subPlan: "DefenderForStorageV2",
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:security:SecurityContact", "default", {
        securityContactName: "default",
        emails: "security@example.com",
        isEnabled: true,
        notificationsByRole: { state: "On", roles: ["Owner"] },
        notificationsSources: [{ sourceType: "Alert", minimalSeverity: "High" }],
      }),
    },
  ]);

  controlCases("enable-budget-alerts", [
    {
      title: "an AWS budget without notifications",
      cloud: "aws",
      expect: "reject",
      match: /no notifications/,
      resource: r("aws:budgets/budget:Budget", "budget", {
        budgetType: "COST",
        timeUnit: "MONTHLY",
        limitAmount: "500.00",
        limitUnit: "USD",
      }),
    },
    {
      title: "an anomaly subscription without subscribers",
      cloud: "aws",
      expect: "reject",
      match: /no subscribers/,
      resource: r("aws:costexplorer/anomalySubscription:AnomalySubscription", "anomalies", {
        frequency: "DAILY",
        monitorArnLists: ["arn"],
        subscribers: [],
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:budgets/budget:Budget", "budget", {
        budgetType: "COST",
        timeUnit: "MONTHLY",
        limitAmount: "500.00",
        limitUnit: "USD",
        notifications: [
          {
            notificationType: "FORECASTED",
            comparisonOperator: "GREATER_THAN",
            threshold: 100,
            thresholdType: "PERCENTAGE",
            subscriberSnsTopicArns: [UNKNOWN],
          },
        ],
      }),
    },
    {
      title: "an Azure budget whose only notification is disabled",
      cloud: "azure",
      expect: "reject",
      match: /no enabled notification/,
      resource: r("azure-native:consumption:Budget", "budget", {
        scope: "/subscriptions/s",
        amount: 500,
        category: "Cost",
        timeGrain: "Monthly",
        notifications: {
          actual_80: {
            enabled: false,
            operator: "GreaterThan",
            threshold: 80,
            contactEmails: ["a@example.com"],
          },
        },
      }),
    },
    {
      cloud: "azure",
      expect: "accept",
      resource: r("azure-native:consumption:Budget", "budget", {
        scope: "/subscriptions/s",
        amount: 500,
        category: "Cost",
        timeGrain: "Monthly",
        notifications: {
          actual_80: { enabled: true, operator: "GreaterThan", threshold: 80, contactGroups: [UNKNOWN] },
        },
      }),
    },
    {
      title: "a GCP budget that silences its default recipients and names no channel",
      cloud: "gcp",
      expect: "reject",
      match: /disables the default recipients/,
      resource: r("gcp:billing/budget:Budget", "budget", {
        billingAccount: "012345-6789AB-CDEF01",
        amount: { specifiedAmount: { currencyCode: "USD", units: "500" } },
        thresholdRules: [{ thresholdPercent: 0.8 }],
        allUpdatesRule: { disableDefaultIamRecipients: true },
      }),
    },
    {
      cloud: "gcp",
      expect: "accept",
      resource: r("gcp:billing/budget:Budget", "budget", {
        billingAccount: "012345-6789AB-CDEF01",
        amount: { specifiedAmount: { currencyCode: "USD", units: "500" } },
        thresholdRules: [{ thresholdPercent: 0.8 }, { thresholdPercent: 1, spendBasis: "FORECASTED_SPEND" }],
        allUpdatesRule: { monitoringNotificationChannels: [UNKNOWN] },
      }),
    },
  ]);
});
