/** Registers the boundary cases of behaviour-cases.ts with the policy test harness (one describe per control). */
import { controlCases } from "./cases";
import { behaviourCases } from "./behaviour-cases";

describe("control behaviour at the boundaries (cases that kill mutants)", () => {
  for (const [control, cases] of Object.entries(behaviourCases)) controlCases(control, cases);
});
