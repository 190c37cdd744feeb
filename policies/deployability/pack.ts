/**
 * The deployability pack's contents without its server: the rules, the policies made from them and the
 * pack name. `index.ts` constructs the PolicyPack from these; tests, the catalog tool and
 * `tools/deployability.ts` import this module (constructing a PolicyPack starts a gRPC server).
 */
import type { PolicyPackArgs } from "@pulumi/policy";
import { packPolicies, type Rule } from "./lib/rule";
import { rules as allRules } from "./rules";

export const policyPackName = "multicloud-deployability";

export const rules: readonly Rule[] = allRules;

export const policies: PolicyPackArgs["policies"] = packPolicies(rules);

export const packDescription =
  "Constraints AWS, Azure and GCP enforce only when `pulumi up` runs: names, create-time states and value ranges, zone coverage, grants created before their consumers, and private paths to services closed to the public.";

export type { Rule, RuleCategory, Source } from "./lib/rule";
export { cloudsOf, typesOf, evaluateResource, evaluateStack } from "./lib/rule";
