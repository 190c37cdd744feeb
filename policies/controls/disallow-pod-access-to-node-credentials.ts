import { finding, ofType } from "../lib/checks";
import { defineControl } from "../lib/define";
import { lower, num, peek, UNKNOWN } from "../lib/props";
import type { Finding, Subject } from "../lib/types";

const nodeGroupTypes = ["aws:eks/nodeGroup:NodeGroup"];
const launchTemplateTypes = ["aws:ec2/launchTemplate:LaunchTemplate"];

/** The launch template a node group uses: by property dependency (preview) or by id / name (known values). */
function launchTemplateOf(group: Subject, templates: readonly Subject[]): Subject | undefined {
  const deps = group.propertyDependencies["launchTemplate"] ?? [];
  const byDep = templates.find((t) => deps.includes(t.urn));
  if (byDep) return byDep;
  const id = peek(group.props, "launchTemplate.id");
  const name = peek(group.props, "launchTemplate.name");
  return templates.find(
    (t) =>
      (typeof id === "string" && id !== "" && peek(t.props, "id") === id) ||
      (typeof name === "string" && name !== "" && peek(t.props, "name") === name),
  );
}

/** What lets a pod (one network hop from the node) read the node role's credentials from IMDS. */
function metadataProblems(template: Subject): string[] {
  const options = peek(template.props, "metadataOptions");
  if (options === UNKNOWN) return [];
  if (lower(peek(options, "httpEndpoint")) === "disabled") return [];
  const out: string[] = [];
  const tokens = peek(options, "httpTokens");
  if (tokens !== UNKNOWN && tokens !== "required")
    out.push(
      `metadataOptions.httpTokens is ${tokens === undefined ? "unset" : String(tokens)} (IMDSv1 answers any pod)`,
    );
  const hops = peek(options, "httpPutResponseHopLimit");
  if (hops !== UNKNOWN && num(hops) !== 1)
    out.push(
      `metadataOptions.httpPutResponseHopLimit is ${hops === undefined ? "unset" : String(hops)}; 1 keeps the IMDSv2 token from reaching pods`,
    );
  return out;
}

/**
 * Workloads get cloud credentials through workload identity, never the node's. Cloud-tagged: each cloud's
 * implementation adds its node pool checks (GKE workloadMetadataConfig GKE_METADATA, for instance).
 */
export const disallowPodAccessToNodeCredentials = defineControl({
  id: "disallow-pod-access-to-node-credentials",
  title: "Pods cannot reach the credentials of the node they run on",
  severity: "high",
  category: "kubernetes",
  kind: "security",
  rationale:
    "Every pod on a node can act as the node's cloud identity when it can reach the instance metadata service: one compromised container then pulls images, attaches network interfaces or reads whatever the node role may. Workloads take their own identities (EKS Pod Identity, IRSA); the node's stay one hop away from them (EKS best practices: restrict access to the instance profile; PCI DSS 7.2.1, 8.6.3).",
  remediation: [
    'AWS EKS: give every managed node group a launch template with metadataOptions { httpTokens: "required", httpPutResponseHopLimit: 1 } (EKS\'s own default launch template sets a hop limit of 2); grant workloads permissions through EKS Pod Identity associations.',
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.3"],
    iso27001: ["A.8.2", "A.8.9"],
    pciDss: ["7.2.1", "8.6.3"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["CIS EKS 4.x (workload identity; restrict node metadata access)"],
  },
  uncertain: [
    "CIS benchmark ids differ between benchmark versions; the ids given are indicative.",
    "A launch template outside the stack (referenced by a literal id that no resource of the plan has) is not judged.",
    "Pods with hostNetwork share the node's network namespace and still reach IMDS; the Pod Security restricted profile forbids hostNetwork.",
  ],
  resources: {},
  stack: (subjects) => {
    const out: Finding[] = [];
    const templates = ofType(subjects, launchTemplateTypes);
    for (const group of ofType(subjects, nodeGroupTypes)) {
      const ref = peek(group.props, "launchTemplate");
      if (ref === undefined || ref === null) {
        out.push(
          finding(
            group,
            "no launch template: EKS's default launch template sets an IMDS hop limit of 2, so pods can read the node role's credentials; use a launch template with httpTokens required and httpPutResponseHopLimit 1",
          ),
        );
        continue;
      }
      const template = launchTemplateOf(group, templates);
      if (!template) continue;
      for (const problem of metadataProblems(template))
        out.push(finding(group, `launch template ${template.name}: ${problem}`));
    }
    return out;
  },
  stackTypes: { aws: [...nodeGroupTypes, ...launchTemplateTypes] },
});
