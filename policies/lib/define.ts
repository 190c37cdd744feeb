/** `defineControl` fills the framework map and the standard mapping notes, so each control lists only what it maps. */
import { frameworkIds, type Control, type FrameworkMap } from "./types";

/**
 * LFPDPPP article numbers: the 2025 law (DOF 20 March 2025) renumbered the 2010 law. The numbers used here
 * (Art. 18 security measures, Art. 19 breach notification, Art. 20 confidentiality) come from secondary
 * sources, not from the DOF text itself.
 */
export const lfpdpppNote =
  "LFPDPPP (2025): article numbers (Art. 18 security measures, Art. 19 breach notification, Art. 20 confidentiality) taken from secondary sources; verify against the DOF text of 20 March 2025.";

export type ControlInput = Omit<Control, "frameworks" | "uncertain"> & {
  readonly frameworks: Partial<FrameworkMap>;
  readonly uncertain?: readonly string[];
};

export function defineControl(input: ControlInput): Control {
  const frameworks = Object.fromEntries(
    frameworkIds.map((f) => [f, [...(input.frameworks[f] ?? [])]]),
  ) as FrameworkMap;
  const uncertain = [...(input.uncertain ?? [])];
  if (frameworks.lfpdppp.length > 0 && !uncertain.includes(lfpdpppNote)) uncertain.push(lfpdpppNote);
  return { ...input, frameworks, uncertain };
}
