/**
 * The trust policy of a service role that only the named AWS service may assume (no conditions): the
 * JSON document IAM expects in `assumeRolePolicy`.
 */
export function serviceTrustPolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}
