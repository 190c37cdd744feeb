/**
 * Alert routing helpers the cloud implementations use at run time (kept apart from
 * components/monitoring.ts, which imports the implementations: no runtime import cycle).
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * PagerDuty's endpoint for the CloudWatch (SNS) and Azure Monitor integrations: the integration key is
 * part of the URL, so the URL is as secret as the key.
 * https://support.pagerduty.com/main/docs/amazon-cloudwatch-integration-guide,
 * https://support.pagerduty.com/main/docs/microsoft-azure-integration-guide.
 */
export function pagerDutyIntegrationUrl(key: pulumi.Output<string>): pulumi.Output<string> {
  return pulumi.secret(key.apply((k) => `https://events.pagerduty.com/integration/${k}/enqueue`));
}
