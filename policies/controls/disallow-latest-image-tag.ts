import { containerLabel, containersOf } from "../lib/checks";
import { defineControl } from "../lib/define";
import { workloadChecks } from "../lib/k8s-control";
import { get, str } from "../lib/props";

/** "registry:5000/team/app:1.2" -> tag "1.2"; digests count as pinned. */
export function imageProblem(image: string): string | undefined {
  if (image.includes("@sha256:")) return undefined;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  if (colon < 0) return "has no tag (defaults to :latest)";
  const tag = lastSegment.slice(colon + 1);
  return tag === "latest" ? "uses the :latest tag" : undefined;
}

export const disallowLatestImageTag = defineControl({
  id: "disallow-latest-image-tag",
  title: "Container images are pinned to a version or digest",
  severity: "medium",
  category: "kubernetes",
  kind: "security",
  rationale:
    "`:latest` or untagged images change under a running deployment: what runs is not what was reviewed and scanned, and rollbacks are impossible (PCI DSS 6.3.2 software inventory, ISO 27001 A.8.19, A.8.32).",
  remediation: ["Reference images by an immutable version tag or, better, by digest (image@sha256:...)."],
  frameworks: {
    soc2: ["CC8.1", "CC7.1"],
    iso27001: ["A.8.19", "A.8.32"],
    pciDss: ["6.3.2", "2.2.1"],
    gdpr: ["Art. 32(1)(d)"],
  },
  uncertain: ["The PCI DSS mapping (6.3.2 inventory of bespoke and third-party software) is indirect."],
  resources: {
    kubernetes: workloadChecks((pod) =>
      containersOf(pod).flatMap((c) => {
        const image = str(get(c.spec, "image"));
        if (!image) return [`${containerLabel(c)} has no image`];
        const problem = imageProblem(image);
        return problem ? [`${containerLabel(c)} image ${image} ${problem}`] : [];
      }),
    ),
  },
});
