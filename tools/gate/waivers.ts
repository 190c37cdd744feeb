/**
 * How the policy pack reports waivers (contract with the pack; policies/findings.ts holds the pack's own
 * formatters and parsers). Kept in one small module so a format change touches one place:
 * - a waived violation is reported by the advisory stack policy `report-waived-findings` as
 *   `waived <control-id>: <original message> | reason=<reason>; approvedBy=<who>; expires=<YYYY-MM-DD>`;
 * - a control whose waiver expired reports its normal violation with the suffix
 *   ` (waiver expired <YYYY-MM-DD>: <reason>)`;
 * - a waiver that matched nothing is reported by `report-unused-waivers` as
 *   `unused waiver for <control-id> on <pattern>`.
 */
export const waivedFindingsPolicy = "report-waived-findings";
export const unusedWaiversPolicy = "report-unused-waivers";

/** Policies that report about waivers rather than being controls themselves. */
export const reportingPolicies: ReadonlySet<string> = new Set([waivedFindingsPolicy, unusedWaiversPolicy]);

export interface WaivedFinding {
  readonly control: string;
  readonly message: string;
  readonly reason: string;
  readonly approvedBy: string;
  readonly expires: string;
}

const waivedPattern =
  /^waived ([^\s:]+): ([\s\S]*) \| reason=([\s\S]*); approvedBy=([\s\S]*); expires=(\d{4}-\d{2}-\d{2})$/;
const unusedPattern = /^unused waiver for (\S+) on ([\s\S]+)$/;
const expiredPattern = /^([\s\S]*) \(waiver expired (\d{4}-\d{2}-\d{2}): ([\s\S]*)\)$/;

/** The policy's own text: the server prefixes string violations with the description and a newline. */
function lastLine(message: string): string {
  const lines = message.split("\n");
  return lines[lines.length - 1] ?? "";
}

export function parseWaivedFinding(message: string): WaivedFinding | undefined {
  const m = waivedPattern.exec(lastLine(message));
  return m ? { control: m[1]!, message: m[2]!, reason: m[3]!, approvedBy: m[4]!, expires: m[5]! } : undefined;
}

export function parseUnusedWaiver(message: string): { control: string; resource: string } | undefined {
  const m = unusedPattern.exec(lastLine(message));
  return m ? { control: m[1]!, resource: m[2]! } : undefined;
}

export function parseExpiredWaiver(
  message: string,
): { message: string; expires: string; reason: string } | undefined {
  const m = expiredPattern.exec(lastLine(message));
  return m ? { message: m[1]!, expires: m[2]!, reason: m[3]! } : undefined;
}

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
