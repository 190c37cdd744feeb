/**
 * The exact text of the findings this pack reports about waivers, and parsers for them (the offline gate
 * imports these). The Pulumi policy server prefixes every message a policy reports with the policy's
 * description and a newline, so the parsers look at the last line; see README.md, "Finding messages".
 */
import type { Waiver } from "./lib/settings";

export interface WaivedFinding {
  readonly control: string;
  readonly message: string;
  readonly reason: string;
  readonly approvedBy: string;
  readonly expires: string;
}

export interface UnusedWaiver {
  readonly control: string;
  readonly resource: string;
}

export interface ExpiredWaiverFinding {
  readonly message: string;
  readonly expires: string;
  readonly reason: string;
}

/** Policy names of the two advisory stack policies that report waivers. */
export const waivedFindingsPolicy = "report-waived-findings";
export const unusedWaiversPolicy = "report-unused-waivers";

export function formatWaivedFinding(control: string, message: string, waiver: Waiver): string {
  return `waived ${control}: ${message} | reason=${waiver.reason}; approvedBy=${waiver.approvedBy}; expires=${waiver.expires}`;
}

export function formatExpiredWaiver(message: string, waiver: Waiver): string {
  return `${message} (waiver expired ${waiver.expires}: ${waiver.reason})`;
}

export function formatUnusedWaiver(waiver: Waiver): string {
  const on = [
    waiver.type !== undefined ? `type ${waiver.type}` : "",
    waiver.role !== undefined ? `role ${waiver.role}` : "",
    waiver.resource ?? "",
  ].filter(Boolean);
  return `unused waiver for ${waiver.control} on ${on.join(", ")}`;
}

function lastLine(message: string): string {
  const lines = message.split("\n");
  return lines[lines.length - 1] ?? "";
}

const waivedPattern =
  /^waived ([^\s:]+): ([\s\S]*) \| reason=([\s\S]*); approvedBy=([\s\S]*); expires=(\d{4}-\d{2}-\d{2})$/;
const unusedPattern = /^unused waiver for (\S+) on ([\s\S]+)$/;
const expiredPattern = /^([\s\S]*) \(waiver expired (\d{4}-\d{2}-\d{2}): ([\s\S]*)\)$/;

/** Parses a `report-waived-findings` message (with or without the server's description line). */
export function parseWaivedFinding(message: string): WaivedFinding | undefined {
  const m = waivedPattern.exec(lastLine(message));
  if (!m) return undefined;
  return { control: m[1]!, message: m[2]!, reason: m[3]!, approvedBy: m[4]!, expires: m[5]! };
}

/** Parses a `report-unused-waivers` message. */
export function parseUnusedWaiver(message: string): UnusedWaiver | undefined {
  const m = unusedPattern.exec(lastLine(message));
  return m ? { control: m[1]!, resource: m[2]! } : undefined;
}

/** Parses a control's violation that carries the expired-waiver suffix. */
export function parseExpiredWaiver(message: string): ExpiredWaiverFinding | undefined {
  const m = expiredPattern.exec(lastLine(message));
  return m ? { message: m[1]!, expires: m[2]!, reason: m[3]! } : undefined;
}
