import { tagsOf } from "../lib/checks";
import { defineControl } from "../lib/define";
import { get, peek, str, UNKNOWN } from "../lib/props";
import { regionOf } from "../lib/regions";
import type { CheckContext, ResourceCheck } from "../lib/types";
import { enforceRequiredTags } from "./enforce-required-tags";

const residency: ResourceCheck = (props, ctx: CheckContext) => {
  const classification = str(tagsOf(ctx.subject)[ctx.settings.classificationTag]);
  if (!classification) return [];
  const allowed = ctx.settings.allowedRegions[classification.toLowerCase()];
  if (!allowed) return [];
  // Reading through the proxy makes a computed region the advisory "can't be known" result.
  for (const key of ["region", "location", "locationId", "zone"])
    if (peek(props, key) === UNKNOWN) get(props, key);
  const region = regionOf(ctx.subject);
  if (region === UNKNOWN) {
    if (ctx.subject.provider) for (const key of ["region", "location"]) get(ctx.subject.provider.props, key);
    return [];
  }
  if (region === undefined) return [];
  return allowed.includes(region)
    ? []
    : [
        `${ctx.settings.classificationTag}=${classification} data in region ${region}; allowed: ${allowed.join(", ")}`,
      ];
};

/**
 * Taggable types that hold no data, only the configuration of a pipe whose data lands elsewhere (and is
 * judged there): CloudWatch Logs vended-delivery objects. CloudFront's standard logging v2 must configure
 * them in us-east-1 whatever the destination's region; the logs themselves land in the destination (an S3
 * bucket or log group, judged by its own region).
 */
const configurationOnlyTypes: ReadonlySet<string> = new Set([
  "aws:cloudwatch/logDeliverySource:LogDeliverySource",
  "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
  "aws:cloudwatch/logDelivery:LogDelivery",
]);

export const enforceDataResidency = defineControl({
  id: "enforce-data-residency",
  title: "Personal data stays in the regions its classification allows",
  severity: "high",
  category: "governance",
  kind: "security",
  rationale:
    "GDPR restricts transfers of personal data outside the EU/EEA (Chapter V) and Mexico's LFPDPPP governs transfers of personal data; resources tagged with a personal-data classification may only be created in the regions configured for that classification (default for personal and personal-sensitive: EU/EEA regions).",
  remediation: [
    "Create resources that hold personal data in an allowed region (setting allowedRegions: classification -> regions), or change the data classification if the resource holds no personal data.",
    "For LFPDPPP-scoped data, add a classification (e.g. personal-mx) with the regions your privacy notice and transfer agreements cover.",
  ],
  frameworks: {
    soc2: ["P6.1", "C1.1"],
    iso27001: ["A.5.34", "A.5.23"],
    gdpr: ["Art. 44", "Art. 46"],
    lfpdppp: [],
  },
  uncertain: [
    "LFPDPPP (2025): transfers are regulated in its chapter on transfers; the article number was not verified against the DOF text, so none is listed. The law does not mandate localisation; the allowed-region list is the organisation's choice.",
    "SOC 2 P6.1 applies when the privacy criteria are in scope of the report.",
  ],
  resources: Object.fromEntries(
    (["aws", "azure", "gcp"] as const).map((cloud) => [
      cloud,
      Object.fromEntries(
        Object.keys(enforceRequiredTags.resources[cloud] ?? {})
          .filter((t) => !configurationOnlyTypes.has(t))
          .map((t) => [t, residency]),
      ),
    ]),
  ),
});
