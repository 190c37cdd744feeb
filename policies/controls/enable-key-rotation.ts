import { defineControl } from "../lib/define";
import { get, isTrue, list, lower, num, str } from "../lib/props";

/** "7776000s" -> 90 (days). */
function secondsToDays(value: unknown): number | undefined {
  const s = str(value);
  const m = s ? /^(\d+(?:\.\d+)?)s$/.exec(s) : null;
  return m ? Number(m[1]) / 86400 : undefined;
}

/** ISO 8601 "P90D", "P1Y", "P3M" -> days (approximate for months/years). */
export function isoDurationDays(value: unknown): number | undefined {
  const s = str(value);
  const m = s ? /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(s) : null;
  if (!m || s === "P") return undefined;
  return Number(m[1] ?? 0) * 365 + Number(m[2] ?? 0) * 30 + Number(m[3] ?? 0) * 7 + Number(m[4] ?? 0);
}

export const enableKeyRotation = defineControl({
  id: "enable-key-rotation",
  title: "Customer-managed keys rotate automatically",
  severity: "medium",
  category: "data-protection",
  kind: "security",
  rationale:
    "Keys reach the end of their cryptoperiod; PCI DSS 3.7.4 requires key changes at the end of a defined cryptoperiod and automatic rotation limits the data exposed under one key version.",
  remediation: [
    "AWS KMS symmetric keys: enableKeyRotation: true (rotationPeriodInDays at most the configured keyRotationDays).",
    "Azure Key Vault keys: properties.rotationPolicy.lifetimeActions with an action of type Rotate (trigger timeAfterCreate within the configured period).",
    'GCP Cloud KMS symmetric keys: rotationPeriod, e.g. "7776000s" (90 days), at most the configured keyRotationDays.',
  ],
  frameworks: {
    soc2: ["CC6.1"],
    iso27001: ["A.8.24"],
    pciDss: ["3.6.1", "3.7.4"],
    gdpr: ["Art. 32(1)(a)"],
    lfpdppp: ["Art. 18"],
    cis: [
      "AWS Foundations 3.6 (KMS rotation)",
      "Azure 8.x (key rotation)",
      "GCP 1.10 (KMS rotation <= 90 days)",
    ],
  },
  uncertain: [
    "CIS GCP 1.10 asks for 90 days; the default threshold here is the configurable keyRotationDays (365).",
  ],
  resources: {
    aws: {
      "aws:kms/key:Key": (props, ctx) => {
        const spec = str(get(props, "customerMasterKeySpec"));
        const usage = str(get(props, "keyUsage"));
        if ((spec && spec !== "SYMMETRIC_DEFAULT") || (usage && usage !== "ENCRYPT_DECRYPT")) return [];
        if (!isTrue(get(props, "enableKeyRotation"))) return ["enableKeyRotation is not true"];
        const days = num(get(props, "rotationPeriodInDays"));
        return days !== undefined && days > ctx.settings.keyRotationDays
          ? [`rotationPeriodInDays ${days} exceeds ${ctx.settings.keyRotationDays}`]
          : [];
      },
    },
    azure: {
      "azure-native:keyvault:Key": (props, ctx) => {
        const actions = list(get(props, "properties.rotationPolicy.lifetimeActions"));
        const rotate = actions.find((a) => lower(get(a, "action.type")) === "rotate");
        if (!rotate) return ["properties.rotationPolicy has no lifetime action of type Rotate"];
        const after = isoDurationDays(get(rotate, "trigger.timeAfterCreate"));
        return after !== undefined && after > ctx.settings.keyRotationDays
          ? [`rotation trigger timeAfterCreate exceeds ${ctx.settings.keyRotationDays} days`]
          : [];
      },
    },
    gcp: {
      "gcp:kms/cryptoKey:CryptoKey": (props, ctx) => {
        const purpose = str(get(props, "purpose"));
        if (purpose && purpose !== "ENCRYPT_DECRYPT") return [];
        const raw = get(props, "rotationPeriod");
        if (raw === undefined || raw === null) return ["rotationPeriod is unset (no automatic rotation)"];
        const days = secondsToDays(raw);
        return days !== undefined && days <= ctx.settings.keyRotationDays
          ? []
          : [`rotationPeriod ${String(raw)} exceeds ${ctx.settings.keyRotationDays} days`];
      },
    },
  },
});
