/**
 * The pack's contents without its server: the policy list, the control metadata and the pack name.
 * `index.ts` constructs the PolicyPack from these; tests, the catalog tool and the offline gate import
 * this module (constructing a PolicyPack starts a gRPC server, so nothing but index.ts may do it).
 */
import type { PolicyPackArgs } from "@pulumi/policy";
import { controls as allControls } from "./controls";
import { packPolicies } from "./lib/policy";
import type { Control } from "./lib/types";

export const policyPackName = "multicloud-compliance";

export const controls: readonly Control[] = allControls;

export const policies: PolicyPackArgs["policies"] = packPolicies(controls);

export const packDescription =
  "Security and compliance controls for AWS, Azure, GCP and Kubernetes, mapped to SOC 2, ISO/IEC 27001:2022, PCI DSS v4.0.1, GDPR and Mexico's LFPDPPP (2025).";

export { settingsSchema, defaultSettings, validateSettings } from "./lib/settings";
export type { PackSettings, Waiver } from "./lib/settings";
export type { Control, ControlMetadata, Cloud, FrameworkId, Severity, Category } from "./lib/types";
export { reconcilePolicyConfig, parsePolicyConfigFile } from "./lib/cli-config";
export { parseWaivedFinding, parseUnusedWaiver, parseExpiredWaiver } from "./findings";
