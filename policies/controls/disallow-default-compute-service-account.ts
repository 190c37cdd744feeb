import { defineControl } from "../lib/define";
import { UNKNOWN, get, list, peek, str } from "../lib/props";
import type { ResourceCheck } from "../lib/types";

const defaultEmail = /^\d+-compute@developer\.gserviceaccount\.com$/i;

/** `cloud-platform` as an alias or as the full scope URL. */
function fullAccess(scopes: unknown): boolean {
  return list(scopes).some((s) => {
    const v = str(s)?.trim().toLowerCase();
    return v === "cloud-platform" || v === "https://www.googleapis.com/auth/cloud-platform";
  });
}

/**
 * The default compute service account: an unset or empty email (GCE and GKE then use it), "default", or
 * `<project-number>-compute@developer.gserviceaccount.com`. A computed email (unknown during preview) comes
 * from a service account the program creates or looks up, and counts as a dedicated one.
 */
function isDefaultAccount(owner: unknown, key: string): boolean {
  const v = peek(owner, key);
  if (v === UNKNOWN) return false;
  const email = str(v)?.trim() ?? "";
  return email === "" || email.toLowerCase() === "default" || defaultEmail.test(email);
}

const message = (where: string, scopes: unknown) =>
  `${where} uses the default compute service account` +
  (fullAccess(scopes)
    ? " with the cloud-platform scope (full access to all Cloud APIs)"
    : " (which holds the project Editor role in most projects)") +
  "; use a dedicated least-privilege service account";

/**
 * Instances and templates: a `serviceAccount` block with { email, scopes }; no block means no account.
 * The default account is flagged with any scopes (CIS GCP 4.1; narrow scopes are a weak fence, the
 * account still holds Editor), and the message says when it also has cloud-platform (CIS GCP 4.2).
 */
const vmCheck: ResourceCheck = (props) => {
  const sa = get(props, "serviceAccount");
  if (sa === undefined || sa === null) return [];
  return isDefaultAccount(sa, "email") ? [message("serviceAccount", get(sa, "scopes"))] : [];
};

/** GKE node configuration: `serviceAccount` (unset = default compute account) and `oauthScopes`. */
function nodeConfigFindings(nodeConfig: unknown, where: string): string[] {
  if (nodeConfig === undefined || nodeConfig === null) return [];
  return isDefaultAccount(nodeConfig, "serviceAccount")
    ? [message(where, get(nodeConfig, "oauthScopes"))]
    : [];
}

export const disallowDefaultComputeServiceAccount = defineControl({
  id: "disallow-default-compute-service-account",
  title: "VMs and GKE nodes do not run as the default compute service account",
  severity: "high",
  category: "identity",
  kind: "security",
  rationale:
    "The Compute Engine default service account holds the project Editor role in most projects; with the cloud-platform scope, any process on the VM or node (or anyone who reaches its metadata server) can act as a project editor. A dedicated service account with only the roles the workload needs limits that to least privilege (CIS GCP 4.1, 4.2; CIS GKE 5.2.1; PCI DSS 7.2.5).",
  remediation: [
    "GCP: serviceAccount.email of a dedicated service account on gcp.compute.Instance, InstanceTemplate, RegionInstanceTemplate and InstanceFromTemplate (narrowing scopes is not enough: the default account keeps its project roles).",
    "GKE: nodeConfig.serviceAccount of a dedicated node service account (roles/container.defaultNodeServiceAccount) on gcp.container.NodePool, on the cluster's nodeConfig and nodePools, and on clusterAutoscaling.autoProvisioningDefaults.",
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.3"],
    iso27001: ["A.5.15", "A.5.18", "A.8.2"],
    pciDss: ["7.2.1", "7.2.5"],
    gdpr: ["Art. 32(1)(b)", "Art. 25(2)"],
    lfpdppp: ["Art. 18"],
    cis: [
      "GCP 4.1 (instances not configured to use the default service account)",
      "GCP 4.2 (no default service account with full access to all Cloud APIs)",
      "GKE 5.2.1 (nodes not using the Compute Engine default service account)",
    ],
  },
  uncertain: [
    "CIS benchmark ids differ between benchmark versions; the ids given are indicative.",
    "A service account email computed during preview is taken as a dedicated account (the default account's email is known once the project number is).",
  ],
  resources: {
    gcp: {
      "gcp:compute/instance:Instance": vmCheck,
      "gcp:compute/instanceTemplate:InstanceTemplate": vmCheck,
      "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate": vmCheck,
      "gcp:compute/instanceFromTemplate:InstanceFromTemplate": vmCheck,
      "gcp:container/nodePool:NodePool": (props) =>
        nodeConfigFindings(get(props, "nodeConfig"), "nodeConfig"),
      "gcp:container/cluster:Cluster": (props) => [
        ...nodeConfigFindings(get(props, "nodeConfig"), "nodeConfig"),
        ...list(get(props, "nodePools")).flatMap((p, i) =>
          nodeConfigFindings(get(p, "nodeConfig"), `nodePools[${i}].nodeConfig`),
        ),
        ...nodeConfigFindings(
          get(props, "clusterAutoscaling.autoProvisioningDefaults"),
          "clusterAutoscaling.autoProvisioningDefaults",
        ),
      ],
    },
  },
});
