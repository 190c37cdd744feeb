import { defineControl } from "../lib/define";
import { get, jsonDocument, list, lower, record, str } from "../lib/props";

const primitive = new Set(["roles/owner", "roles/editor"]);
const humanOrWorkload = /^(user|serviceaccount|group|domain|principal|principalset):/i;
const adminPolicies = new Set([
  "arn:aws:iam::aws:policy/AdministratorAccess",
  "arn:aws:iam::aws:policy/IAMFullAccess",
]);
/** Built-in Azure role definition GUIDs: Owner, Contributor, User Access Administrator. */
const azureAdmins: Record<string, string> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
};

function gcpGrant(role: unknown, members: unknown[]): string[] {
  if (!primitive.has(lower(role))) return [];
  return members
    .filter((m) => humanOrWorkload.test(String(m)))
    .map((m) => `${String(role)} granted to ${String(m)}`);
}

const awsAttachment = (props: Record<string, unknown>) => {
  const arn = str(get(props, "policyArn"));
  return arn && adminPolicies.has(arn) ? [`attaches ${arn}`] : [];
};

export const disallowPrimitiveAdminRoles = defineControl({
  id: "disallow-primitive-admin-roles",
  title: "No broad administrator roles are granted to users or workloads",
  severity: "high",
  category: "identity",
  kind: "security",
  rationale:
    "Primitive owner/editor roles on a GCP project, Owner/Contributor on an Azure subscription and the AdministratorAccess policy on AWS grant thousands of permissions; least privilege (PCI DSS 7.2.2, SOC 2 CC6.3) needs narrow predefined or custom roles.",
  remediation: [
    "GCP: replace roles/owner and roles/editor bindings for users, groups and service accounts on projects, folders and organizations with predefined roles.",
    "Azure: do not assign Owner, Contributor or User Access Administrator at subscription or management-group scope; use narrower roles at resource-group scope and PIM for elevation.",
    "AWS: do not attach AdministratorAccess or IAMFullAccess to roles, users or groups; use scoped policies and permission boundaries.",
  ],
  frameworks: {
    soc2: ["CC6.3"],
    iso27001: ["A.8.2", "A.5.15", "A.5.18"],
    pciDss: ["7.2.1", "7.2.2"],
    gdpr: ["Art. 32(1)(b)", "Art. 25"],
    lfpdppp: ["Art. 18"],
    cis: [
      "GCP 1.5 (no admin privileges for service accounts)",
      "GCP 1.6 (no project-level Service Account User)",
      "AWS Foundations 1.16",
    ],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    gcp: {
      "gcp:projects/iAMMember:IAMMember": (props) => gcpGrant(get(props, "role"), [get(props, "member")]),
      "gcp:projects/iAMBinding:IAMBinding": (props) =>
        gcpGrant(get(props, "role"), list(get(props, "members"))),
      "gcp:projects/iAMPolicy:IAMPolicy": (props) =>
        list(record(jsonDocument(get(props, "policyData")))["bindings"]).flatMap((b) =>
          gcpGrant(record(b)["role"], list(record(b)["members"])),
        ),
      "gcp:folder/iAMMember:IAMMember": (props) => gcpGrant(get(props, "role"), [get(props, "member")]),
      "gcp:folder/iAMBinding:IAMBinding": (props) =>
        gcpGrant(get(props, "role"), list(get(props, "members"))),
      "gcp:organizations/iAMMember:IAMMember": (props) =>
        gcpGrant(get(props, "role"), [get(props, "member")]),
      "gcp:organizations/iAMBinding:IAMBinding": (props) =>
        gcpGrant(get(props, "role"), list(get(props, "members"))),
    },
    azure: {
      "azure-native:authorization:RoleAssignment": (props) => {
        const def = lower(get(props, "roleDefinitionId"));
        const guid = def.split("/").pop() ?? "";
        const role = azureAdmins[guid];
        if (!role) return [];
        const scope = lower(get(props, "scope"));
        const broad =
          /^\/subscriptions\/[^/]+\/?$/.test(scope) ||
          scope.startsWith("/providers/microsoft.management/managementgroups/") ||
          scope === "/";
        return broad ? [`${role} assigned at ${scope}`] : [];
      },
    },
    aws: {
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment": awsAttachment,
      "aws:iam/userPolicyAttachment:UserPolicyAttachment": awsAttachment,
      "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": awsAttachment,
      "aws:iam/policyAttachment:PolicyAttachment": awsAttachment,
      "aws:iam/role:Role": (props) =>
        list(get(props, "managedPolicyArns"))
          .filter((a) => adminPolicies.has(String(a)))
          .map((a) => `managedPolicyArns includes ${String(a)}`),
    },
  },
});
