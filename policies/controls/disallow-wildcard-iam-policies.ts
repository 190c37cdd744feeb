import { defineControl } from "../lib/define";
import { get, jsonDocument, list, lower, record } from "../lib/props";

/**
 * Statements of an IAM policy document that allow every action on every resource, or its equivalents on
 * Resource "*": all of IAM (a principal that can edit IAM can grant itself everything) or Allow + NotAction.
 * Allow + NotResource counts as every resource (all but the few it lists).
 */
export function adminStatements(document: unknown): string[] {
  const doc = record(jsonDocument(document));
  const out: string[] = [];
  list(doc["Statement"]).forEach((raw, i) => {
    const s = record(raw);
    if (lower(s["Effect"]) !== "allow") return;
    const actions = list(s["Action"]).map(String);
    // Allow with NotResource matches every resource but the listed ones: AWS calls Allow + Action "*" +
    // NotResource "very dangerous" (it lets the principal add a policy that reaches the excluded ones too).
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
    const everyResource = list(s["Resource"]).map(String).includes("*");
    if (!everyResource && s["NotResource"] === undefined) return;
    const on = everyResource ? 'Resource "*"' : "every resource except NotResource";
    const id = String(s["Sid"] ?? i);
    if (actions.some((a) => a === "*" || a === "*:*")) {
      out.push(`statement ${id} allows Action "*" on ${on}`);
    } else if (actions.some((a) => lower(a) === "iam:*")) {
      // All of IAM on every resource lets the principal grant itself AdministratorAccess.
      out.push(`statement ${id} allows Action "iam:*" on ${on} (can grant itself every action)`);
    } else if (s["NotAction"] !== undefined) {
      out.push(`statement ${id} allows every action except NotAction on ${on}`);
    }
  });
  return out;
}

const policyDoc = (key: string) => (props: Record<string, unknown>) => adminStatements(get(props, key));

export const disallowWildcardIamPolicies = defineControl({
  id: "disallow-wildcard-iam-policies",
  title: "No IAM policy or custom role allows every action on every resource",
  severity: "critical",
  category: "identity",
  kind: "security",
  rationale:
    'A "*" on "*" grant is full administrator rights: it defeats least privilege and turns any compromised principal into an account takeover (PCI DSS 7.2.1, 7.2.2; SOC 2 CC6.3; CIS AWS 1.16).',
  remediation: [
    'AWS: replace Action "*" (or "iam:*", or Allow with NotAction) on Resource "*" (or with NotResource) statements in IAM policies, inline role/user/group policies and role inlinePolicies with the actions and resources the principal needs.',
    'Azure: custom role definitions must not grant actions "*"; use built-in least-privilege roles.',
  ],
  frameworks: {
    soc2: ["CC6.3", "CC6.1"],
    iso27001: ["A.5.15", "A.8.2"],
    pciDss: ["7.2.1", "7.2.2"],
    gdpr: ["Art. 32(1)(b)", "Art. 25"],
    lfpdppp: ["Art. 18"],
    cis: [
      "AWS Foundations 1.16 (no full *:* administrative privileges)",
      "Azure 1.23 (no custom subscription administrator roles)",
    ],
  },
  uncertain: [
    "GCP IAM has no wildcard permissions; its equivalent (primitive owner/editor roles) is covered by disallow-primitive-admin-roles.",
    "CIS benchmark ids differ between benchmark versions; the ids given are indicative.",
  ],
  resources: {
    aws: {
      "aws:iam/policy:Policy": policyDoc("policy"),
      "aws:iam/rolePolicy:RolePolicy": policyDoc("policy"),
      "aws:iam/userPolicy:UserPolicy": policyDoc("policy"),
      "aws:iam/groupPolicy:GroupPolicy": policyDoc("policy"),
      "aws:iam/role:Role": (props) =>
        list(get(props, "inlinePolicies")).flatMap((p) => adminStatements(get(p, "policy"))),
    },
    azure: {
      "azure-native:authorization:RoleDefinition": (props) =>
        list(get(props, "permissions")).some((p) => list(get(p, "actions")).includes("*"))
          ? ['permissions grant actions "*" (a custom owner role)']
          : [],
    },
  },
});
