/**
 * An Azure VNet flow log that writes to a storage account through a user-assigned identity needs that
 * identity's role on the account when the flow log is created; unless the flow log depends on the role
 * assignment the engine creates both at once and Network Watcher cannot write (or refuses the flow log).
 */
import { finding } from "../../lib/checks";
import { list, peek, record, UNKNOWN } from "../../lib/props";
import { dependsOn, designates, knownString, lastSegment, ofTypes, propertyDeps } from "../lib/graph";
import type { Finding, Rule, Subject } from "../lib/rule";

const flowLogTypes = ["azure-native:network:FlowLog"];
const accountTypes = ["azure-native:storage:StorageAccount"];
const identityTypes = ["azure-native:managedidentity:UserAssignedIdentity"];
const roleAssignmentTypes = ["azure-native:authorization:RoleAssignment"];

const source = {
  url: "https://learn.microsoft.com/azure/network-watcher/vnet-flow-logs-managed-identity",
  quote:
    "To use a user-assigned managed identity with VNet flow logs, assign the identity the Storage Blob Data Contributor role on the storage account that stores the flow logs.",
};

/** ARM ids of the user-assigned identities a resource declares (`identity.userAssignedIdentities`, list or map). */
function identityIds(s: Subject): string[] {
  const v = peek(s.props, "identity.userAssignedIdentities");
  if (v === UNKNOWN || v === undefined) return [];
  if (Array.isArray(v)) return list(v).filter((x): x is string => typeof x === "string");
  return Object.keys(record(v));
}

export const requireAzureFlowLogWriterGrantBeforeUse: Rule = {
  id: "require-azure-flow-log-writer-grant-before-use",
  title: "Azure VNet flow logs depend on their identity's writer role on the storage account",
  category: "ordering",
  severity: "high",
  refuses:
    "A VNet flow log whose user-assigned identity has no role on the target storage account yet cannot write its records (created in parallel with the role assignment, the first deploy fails or logs nothing).",
  remediation:
    "Grant the flow log's identity Storage Blob Data Contributor on the account and give the flow log `dependsOn` on that role assignment.",
  sources: [source],
  stackTypes: { azure: [...flowLogTypes, ...accountTypes, ...identityTypes, ...roleAssignmentTypes] },
  stack: (subjects) => {
    const out: Finding[] = [];
    for (const flowLog of ofTypes(subjects, flowLogTypes)) {
      const account = ofTypes(subjects, accountTypes).find((a) =>
        designates(flowLog, "storageId", a, ["accountName"]),
      );
      if (!account) continue;
      const ids = identityIds(flowLog).map((id) => lastSegment(id).toLowerCase());
      const identities = ofTypes(subjects, identityTypes).filter(
        (i) =>
          propertyDeps(flowLog, "identity").includes(i.urn) ||
          ids.includes((knownString(i.props, "resourceName") ?? "").toLowerCase()),
      );
      if (identities.length === 0) continue; // no identity of its own: no grant to wait for
      const grants = ofTypes(subjects, roleAssignmentTypes).filter(
        (ra) =>
          designates(ra, "scope", account, ["accountName"]) &&
          identities.some(
            (i) =>
              propertyDeps(ra, "principalId").includes(i.urn) ||
              (knownString(i.props, "principalId") !== undefined &&
                knownString(ra.props, "principalId") === knownString(i.props, "principalId")),
          ),
      );
      const label = `storage account '${knownString(account.props, "accountName") ?? account.name}'`;
      if (grants.length === 0) {
        out.push(
          finding(
            flowLog,
            `the flow log's identity has no role assignment on ${label}, so it cannot write flow records. Source: ${source.url}`,
          ),
        );
      } else if (!grants.some((g) => dependsOn(subjects, flowLog, g))) {
        out.push(
          finding(
            flowLog,
            `does not depend on its writer role on ${label} (${grants.map((g) => g.name).join(", ")}): it may be created before the identity can write. Source: ${source.url}`,
          ),
        );
      }
    }
    return out;
  },
};
