import { defineControl } from "../lib/define";
import { get, isFalse, isSet, isTrue, lower, str } from "../lib/props";

/** Synthetics runtimes that can no longer create canaries (deprecated before this release). */
const deprecatedRuntime = /^syn-(1\.0|nodejs-2\.|nodejs-puppeteer-[3-7]\.|python-selenium-[1-5]\.)/;

export const enforceSyntheticCheckHardening = defineControl({
  id: "enforce-synthetic-check-hardening",
  title: "Synthetic checks validate TLS, keep their results encrypted and use supported runtimes",
  severity: "medium",
  category: "logging",
  kind: "security",
  rationale:
    "A synthetic check is the evidence that the public endpoint is available and served over valid TLS (SOC 2 A1.2, CC7.2; PCI DSS 4.2.1, 10.7). A check that ignores certificate errors reports an endpoint with an expired or forged certificate as healthy; canary artifacts (screenshots, HAR files, logs) hold response content and belong under the site's key; a canary on a deprecated runtime cannot be updated; Application Insights local (instrumentation key) authentication lets anyone holding the key write fake availability results.",
  remediation: [
    "AWS Synthetics canary: artifactConfig.s3Encryption { encryptionMode: SSE_KMS, kmsKeyArn } and a supported runtimeVersion (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Runtime_Support_Policy.html).",
    "Azure: Application Insights components disableLocalAuth true; standard web tests validationRules.sSLCheck true for https URLs.",
    "GCP: uptime checks httpCheck.useSsl and validateSsl true.",
  ],
  frameworks: {
    soc2: ["A1.2", "CC7.2"],
    iso27001: ["A.8.16", "A.8.24"],
    pciDss: ["4.2.1", "10.7.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 19"],
  },
  resources: {
    aws: {
      "aws:synthetics/canary:Canary": (props) => {
        const out: string[] = [];
        if (
          str(get(props, "artifactConfig.s3Encryption.encryptionMode")) !== "SSE_KMS" ||
          !isSet(props, "artifactConfig.s3Encryption.kmsKeyArn")
        )
          out.push("artifactConfig.s3Encryption is not SSE_KMS with a customer-managed key");
        const runtime = str(get(props, "runtimeVersion")) ?? "";
        if (deprecatedRuntime.test(runtime)) out.push(`runtimeVersion ${runtime} is deprecated`);
        return out;
      },
    },
    azure: {
      "azure-native:applicationinsights:Component": (props) =>
        isTrue(get(props, "disableLocalAuth"))
          ? []
          : ["disableLocalAuth is not true: the instrumentation key alone can write telemetry"],
      "azure-native:applicationinsights:WebTest": (props) => {
        const url = lower(get(props, "request.requestUrl"));
        if (lower(get(props, "kind")) !== "standard" && lower(get(props, "webTestKind")) !== "standard")
          return [];
        return url.startsWith("https://") && !isTrue(get(props, "validationRules.sSLCheck"))
          ? ["validationRules.sSLCheck is not true for an https URL: certificate errors pass"]
          : [];
      },
    },
    gcp: {
      "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": (props) => {
        if (!isSet(props, "httpCheck")) return [];
        const out: string[] = [];
        if (!isTrue(get(props, "httpCheck.useSsl"))) out.push("httpCheck.useSsl is not true (plain HTTP)");
        if (isFalse(get(props, "httpCheck.validateSsl")) || !isTrue(get(props, "httpCheck.validateSsl")))
          out.push("httpCheck.validateSsl is not true: certificate errors pass");
        return out;
      },
    },
  },
});
