/**
 * How the policy pack reports waivers. The message formats and their parsers belong to the pack
 * (policies/findings.ts, documented in policies/README.md); the gate uses them from here only, so a
 * format change touches one place:
 * - a waived violation is reported by the advisory stack policy `report-waived-findings` as
 *   `waived <control-id>: <original message> | reason=<reason>; approvedBy=<who>; expires=<YYYY-MM-DD>`;
 * - a control whose waiver expired reports its normal violation with the suffix
 *   ` (waiver expired <YYYY-MM-DD>: <reason>)`;
 * - a waiver that matched nothing is reported by `report-unused-waivers` as
 *   `unused waiver for <control-id> on <pattern>`.
 */
import {
  parseExpiredWaiver,
  parseUnusedWaiver,
  parseWaivedFinding,
  unusedWaiversPolicy,
  waivedFindingsPolicy,
} from "../../policies/findings";

export {
  parseExpiredWaiver,
  parseUnusedWaiver,
  parseWaivedFinding,
  unusedWaiversPolicy,
  waivedFindingsPolicy,
};

/** Policies that report about waivers rather than being controls themselves. */
export const reportingPolicies: ReadonlySet<string> = new Set([waivedFindingsPolicy, unusedWaiversPolicy]);

/**
 * The policy server prefixes a string violation with the policy description and a newline; the control's
 * own message is what follows.
 */
export function stripDescription(message: string, description: string): string {
  if (description && message.startsWith(`${description}\n`)) return message.slice(description.length + 1);
  return message;
}

/** `can't run policy '<name>' from policy pack '<pack>@v<version>' during preview: <reason>` */
export function isPreviewUnknown(message: string): boolean {
  return /^can't run policy '[^']+' from policy pack '[^']+' during preview: /.test(message);
}
