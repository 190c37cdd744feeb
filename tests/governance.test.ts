import { strict as assert } from "node:assert";
import { parseStackConfig, type StackConfig } from "../components/config";
import {
  auditHotDays,
  auditRetentionDays,
  GovernanceArgsError,
  resolveGovernanceSettings,
} from "../components/governance";
import { budgetStartDate } from "../providers/azure/governance";

/** A valid production config with a budget (Pulumi.prod.yaml's shape). */
function prod(budget: unknown, secondaryCloud: "azure" | "gcp" = "azure"): Record<string, unknown> {
  return {
    environment: "prod",
    production: true,
    owner: "platform-team",
    costCenter: "cc-1001",
    dataClassification: "confidential",
    frameworks: ["soc2", "pci-dss"],
    alertContacts: [{ name: "on-call", email: "oncall@example.com", minSeverity: "high" }],
    primary: { cloud: "aws", region: "us-east-1", accountId: "222222222222", addressSpace: "10.0.0.0/16" },
    secondary:
      secondaryCloud === "azure"
        ? {
            cloud: "azure",
            region: "westeurope",
            subscriptionId: "00000000-0000-4000-8000-000000000001",
            tenantId: "00000000-0000-4000-8000-0000000000aa",
            addressSpace: "10.1.0.0/16",
          }
        : {
            cloud: "gcp",
            region: "europe-west1",
            project: "acme-platform-prod",
            addressSpace: "10.1.0.0/16",
          },
    recovery: { rpoMinutes: secondaryCloud === "gcp" ? 120 : 60, rtoMinutes: 60 },
    ...(budget === undefined ? {} : { budget }),
  };
}

function messages(raw: Record<string, unknown>): string[] {
  const result = parseStackConfig(raw);
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

describe("governance: budget config", () => {
  it("applies defaults: USD, actual 50/80/100, forecast 100", () => {
    const result = parseStackConfig(prod({ amount: 500 }));
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.config.budget, {
      amount: 500,
      currency: "USD",
      actualThresholds: [50, 80, 100],
      forecastThresholds: [100],
    });
  });

  it("requires a budget in production, naming the setting", () => {
    assert.deepEqual(
      messages(prod(undefined)).filter((m) => m.startsWith("platform:budget")),
      [
        "platform:budget: expected a budget { amount, currency, actualThresholds, forecastThresholds } because production is true, found nothing",
      ],
    );
  });

  it("rejects more than 5 thresholds (Azure's notification limit), a negative amount and a bad currency at once", () => {
    const found = messages(
      prod({
        amount: -1,
        currency: "usd",
        actualThresholds: [25, 50, 75, 100],
        forecastThresholds: [100, 120],
      }),
    );
    assert.ok(
      found.some((m) => /^platform:budget\.amount: expected a value greater than 0, found number -1/.test(m)),
      found.join("\n"),
    );
    assert.ok(
      found.some((m) => /^platform:budget\.currency: expected an ISO 4217 currency code/.test(m)),
      found.join("\n"),
    );
    assert.ok(
      found.some((m) => /at most 5 thresholds .* found number 6/.test(m)),
      found.join("\n"),
    );
  });

  it("requires the Cloud Billing account when a site is on GCP, and checks its shape", () => {
    assert.ok(
      messages(prod({ amount: 500 }, "gcp")).some((m) =>
        m.startsWith("platform:budget.gcpBillingAccount: expected the Cloud Billing account id"),
      ),
    );
    assert.ok(
      messages(prod({ amount: 500, gcpBillingAccount: "0123-bad" }, "gcp")).some((m) =>
        m.startsWith("platform:budget.gcpBillingAccount: expected a Cloud Billing account id"),
      ),
    );
    assert.deepEqual(messages(prod({ amount: 500, gcpBillingAccount: "012345-6789AB-CDEF01" }, "gcp")), []);
  });
});

describe("governance: resolved settings", () => {
  const contacts = (minSeverity: "critical" | "high" | "medium") => [
    { name: "a", email: "a@example.com", minSeverity },
  ];
  const stack = (budget?: StackConfig["budget"], minSeverity: "critical" | "high" | "medium" = "high") =>
    ({ alertContacts: contacts(minSeverity), budget }) as Pick<StackConfig, "alertContacts" | "budget">;

  it("keeps the audit trail a year, three months immediately available (PCI DSS 10.5.1)", () => {
    const s = resolveGovernanceSettings(stack(), "aws");
    assert.equal(s.auditRetentionDays, 365);
    assert.equal(s.auditHotDays, 90);
    assert.equal(auditRetentionDays, 365);
    assert.equal(auditHotDays, 90);
    assert.equal(s.budget, undefined);
  });

  it("routes findings to high when a contact receives high alerts, else to critical", () => {
    assert.equal(resolveGovernanceSettings(stack(undefined, "medium"), "aws").findingsSeverity, "high");
    assert.equal(resolveGovernanceSettings(stack(undefined, "critical"), "aws").findingsSeverity, "critical");
  });

  it("refuses a non-USD budget on AWS and a GCP budget without a billing account", () => {
    const eur = { amount: 100, currency: "EUR", actualThresholds: [80], forecastThresholds: [] };
    assert.throws(() => resolveGovernanceSettings(stack(eur), "aws"), GovernanceArgsError);
    assert.equal(resolveGovernanceSettings(stack(eur), "azure").budget?.currency, "EUR");
    assert.throws(() => resolveGovernanceSettings(stack(eur), "gcp"), /gcpBillingAccount is required/);
  });

  it("sorts thresholds", () => {
    const b = { amount: 100, currency: "USD", actualThresholds: [100, 50], forecastThresholds: [120, 100] };
    const s = resolveGovernanceSettings(stack(b), "aws");
    assert.deepEqual(s.budget?.actualThresholds, [50, 100]);
    assert.deepEqual(s.budget?.forecastThresholds, [100, 120]);
  });

  it("starts an Azure budget on the first day of the current UTC month", () => {
    assert.equal(budgetStartDate(new Date("2026-12-07T20:44:00Z")), "2026-12-01T00:00:00Z");
    assert.equal(budgetStartDate(new Date("2027-01-01T00:00:00Z")), "2027-01-01T00:00:00Z");
  });
});
