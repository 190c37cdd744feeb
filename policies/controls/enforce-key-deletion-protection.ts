import { defineControl } from "../lib/define";
import { get, isFalse, isTrue, num, str } from "../lib/props";

export const enforceKeyDeletionProtection = defineControl({
  id: "enforce-key-deletion-protection",
  title: "Keys and key vaults are protected against immediate deletion",
  severity: "high",
  category: "data-protection",
  kind: "security",
  rationale:
    "Deleting a key destroys every piece of data encrypted with it; a waiting period and purge protection turn an accident or a malicious deletion into a recoverable event (PCI DSS 3.7.5 key retirement, GDPR Art. 32(1)(c) availability).",
  remediation: [
    "AWS KMS: deletionWindowInDays of at least the configured minimum (30 in production, the maximum).",
    "Azure Key Vault: properties.enablePurgeProtection true and soft delete kept enabled (softDeleteRetentionInDays at least 7; 90 is the default).",
    "GCP Cloud KMS: keep destroyScheduledDuration at least the configured minimum (default 30 days).",
  ],
  frameworks: {
    soc2: ["CC6.1", "A1.2"],
    iso27001: ["A.8.24", "A.8.13"],
    pciDss: ["3.7.5", "3.6.1"],
    gdpr: ["Art. 32(1)(c)"],
    lfpdppp: ["Art. 18"],
    cis: ["Azure 8.5 (key vault recoverable)"],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    aws: {
      "aws:kms/key:Key": (props, ctx) => {
        const min = ctx.production
          ? ctx.settings.productionKeyDeletionWindowDays
          : ctx.settings.keyDeletionWindowDays;
        const days = num(get(props, "deletionWindowInDays")) ?? 30;
        return days >= min ? [] : [`deletionWindowInDays is ${days}; require at least ${min}`];
      },
    },
    azure: {
      "azure-native:keyvault:Vault": (props) => {
        const out: string[] = [];
        if (!isTrue(get(props, "properties.enablePurgeProtection")))
          out.push("properties.enablePurgeProtection is not true");
        if (isFalse(get(props, "properties.enableSoftDelete")))
          out.push("properties.enableSoftDelete is false");
        const days = num(get(props, "properties.softDeleteRetentionInDays"));
        if (days !== undefined && days < 7)
          out.push(`properties.softDeleteRetentionInDays is ${days}; require at least 7`);
        return out;
      },
    },
    gcp: {
      "gcp:kms/cryptoKey:CryptoKey": (props, ctx) => {
        const min = ctx.production
          ? ctx.settings.productionKeyDeletionWindowDays
          : ctx.settings.keyDeletionWindowDays;
        const raw = str(get(props, "destroyScheduledDuration"));
        if (raw === undefined) return [];
        const m = /^(\d+(?:\.\d+)?)s$/.exec(raw);
        const days = m ? Number(m[1]) / 86400 : 0;
        return days >= min ? [] : [`destroyScheduledDuration ${raw} is shorter than ${min} days`];
      },
    },
  },
});
