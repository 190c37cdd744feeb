import { defineControl } from "../lib/define";
import { get, isFalse, lower, str } from "../lib/props";

/** Defender for Cloud pricing tiers that detect threats (Free offers posture recommendations only). */
const defenderDetectingTier = "standard";

export const enableThreatDetection = defineControl({
  id: "enable-threat-detection",
  title: "Managed threat detection is on, with its protection plans, and its findings reach people",
  severity: "high",
  category: "logging",
  kind: "security",
  rationale:
    "Audit logs record what happened; a managed threat detector (GuardDuty, Microsoft Defender for Cloud) is what reads them, with the cloud's threat intelligence, and raises a finding when credentials are abused, data is exfiltrated or a database is brute-forced. A detector that is suspended, a protection plan declared disabled, a Defender plan on the Free tier or a security contact that mails nobody leaves the intrusion unnoticed (PCI DSS 10.7.2, 11.5.1; SOC 2 CC7.2, CC7.3; ISO 27001 A.8.16).",
  remediation: [
    "AWS GuardDuty: Detector enable not false; DetectorFeature / MemberDetectorFeature / OrganizationConfigurationFeature status ENABLED (S3_DATA_EVENTS, RDS_LOGIN_EVENTS, EKS_AUDIT_LOGS... for what the account runs; delete the feature resource rather than declaring it DISABLED only where the service is not used).",
    "Azure Defender for Cloud: security Pricing pricingTier Standard for the plans of the services in use (StorageAccounts, OpenSourceRelationalDatabases, KeyVaults, Arm, Containers...); SecurityContact isEnabled not false with alert notifications (notificationsSources with sourceType Alert) to at least one e-mail address or role.",
  ],
  frameworks: {
    soc2: ["CC7.2", "CC7.3"],
    iso27001: ["A.8.16"],
    pciDss: ["10.7.2", "11.5.1"],
    gdpr: ["Art. 32(1)(d)", "Art. 33"],
    lfpdppp: ["Art. 19"],
    cis: ["AWS Foundations 4.x (GuardDuty enabled)", "Azure 2.1.x (Defender plans On)"],
  },
  uncertain: [
    "GCP: Security Command Center is activated for an organization (or per project in the console); pulumi-gcp has no resource that enables it, so GCP is not checked and a GCP stack's threat detection is an organization-level control (README).",
    "The control cannot see that a detector exists at all: a stack that declares no GuardDuty detector or Defender pricing is not flagged (one detector per account and region may belong to another stack).",
    "CIS benchmark ids differ between benchmark versions; the ids given are indicative.",
  ],
  resources: {
    aws: {
      "aws:guardduty/detector:Detector": (props) =>
        isFalse(get(props, "enable")) ? ["enable is false: the detector is suspended"] : [],
      "aws:guardduty/detectorFeature:DetectorFeature": (props) =>
        str(get(props, "status")) === "ENABLED"
          ? []
          : [`protection plan ${str(get(props, "name")) ?? "?"} is ${str(get(props, "status")) ?? "unset"}`],
      "aws:guardduty/memberDetectorFeature:MemberDetectorFeature": (props) =>
        str(get(props, "status")) === "ENABLED"
          ? []
          : [
              `member protection plan ${str(get(props, "name")) ?? "?"} is ${str(get(props, "status")) ?? "unset"}`,
            ],
      "aws:guardduty/organizationConfiguration:OrganizationConfiguration": (props) =>
        str(get(props, "autoEnableOrganizationMembers")) === "NONE"
          ? ["autoEnableOrganizationMembers is NONE: new member accounts get no detector"]
          : [],
    },
    azure: {
      "azure-native:security:Pricing": (props) =>
        lower(get(props, "pricingTier")) === defenderDetectingTier
          ? []
          : [
              `Defender plan ${str(get(props, "pricingName")) ?? "?"} is on the ${str(get(props, "pricingTier")) ?? "unset"} tier; threat detection needs Standard`,
            ],
      "azure-native:security:SecurityContact": (props) => {
        const out: string[] = [];
        if (isFalse(get(props, "isEnabled")))
          out.push("isEnabled is false: nobody is told of security alerts");
        const emails = (str(get(props, "emails")) ?? "").trim();
        const byRole = lower(get(props, "notificationsByRole.state")) === "on";
        if (emails === "" && !byRole) out.push("no e-mail address and notificationsByRole is not On");
        const sources = get(props, "notificationsSources");
        const alerts = Array.isArray(sources) && sources.some((s) => str(get(s, "sourceType")) === "Alert");
        if (!alerts) out.push("notificationsSources has no Alert source: security alerts are not mailed");
        return out;
      },
    },
  },
});
