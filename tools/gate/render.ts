/** The output formats by name, and their file names under `--out-dir`. */
import type { Evaluation } from "./evaluate";
import { formatComplianceJson, formatComplianceMarkdown } from "./format/compliance";
import { formatJson } from "./format/json";
import { formatJunit } from "./format/junit";
import { formatMarkdown } from "./format/markdown";
import { formatSarif } from "./format/sarif";
import { formatTerminal, summaryLine } from "./format/terminal";
import { boundEvaluation } from "./sanitize";

export const formatNames = ["terminal", "markdown", "json", "sarif", "junit"] as const;
export type FormatName = (typeof formatNames)[number];

export const fileNames: Record<FormatName, string> = {
  terminal: "gate.txt",
  markdown: "gate.md",
  json: "gate.json",
  sarif: "gate.sarif",
  junit: "gate.junit.xml",
};

export interface RenderContext {
  readonly color: boolean;
  /** Repository root (source locations are relative to it). */
  readonly root: string;
}

type Renderer = (result: Evaluation, ctx: RenderContext) => string;

/**
 * Every renderer sees the bounded evaluation (input-derived values capped, credential shapes masked; see
 * sanitize.ts); each format escapes those values for its own syntax.
 */
export const renderers: Record<FormatName | "summary" | "complianceMarkdown" | "complianceJson", Renderer> = {
  terminal: (r, ctx) => formatTerminal(boundEvaluation(r), { color: ctx.color }),
  markdown: (r) => formatMarkdown(boundEvaluation(r)),
  json: (r) => formatJson(boundEvaluation(r)),
  sarif: (r, ctx) => formatSarif(boundEvaluation(r), { root: ctx.root }),
  junit: (r) => formatJunit(boundEvaluation(r)),
  summary: (r) => summaryLine(boundEvaluation(r)),
  complianceMarkdown: (r) => formatComplianceMarkdown(boundEvaluation(r)),
  complianceJson: (r) => formatComplianceJson(boundEvaluation(r)),
};
