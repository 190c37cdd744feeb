import { defineControl } from "../lib/define";
import { get, str } from "../lib/props";

export const disallowPublicFunctionUrls = defineControl({
  id: "disallow-public-function-urls",
  title: "Lambda function URLs require IAM authentication",
  severity: "high",
  category: "exposure",
  kind: "security",
  rationale:
    'A function URL with authorizationType "NONE" is an unauthenticated HTTPS endpoint on the internet: anyone who finds it invokes the function with its role\'s permissions. AWS_IAM requires SigV4-signed requests; public APIs belong behind API Gateway or CloudFront with authentication and a WAF (PCI DSS 1.4.1, 8.2; Checkov CKV_AWS_258).',
  remediation: [
    'AWS: aws.lambda.FunctionUrl authorizationType: "AWS_IAM" (callers sign requests; CloudFront origin access control can sign for a distribution), or remove the function URL and front the function with API Gateway and an authorizer.',
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.6"],
    iso27001: ["A.8.3", "A.8.5", "A.8.20"],
    pciDss: ["1.4.1", "8.2.1"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: ["No CIS AWS Foundations recommendation covers Lambda function URLs; none is mapped."],
  resources: {
    aws: {
      "aws:lambda/functionUrl:FunctionUrl": (props) =>
        str(get(props, "authorizationType"))?.toUpperCase() === "NONE"
          ? ['authorizationType is "NONE" (public, unauthenticated function URL); use "AWS_IAM"']
          : [],
    },
  },
});
