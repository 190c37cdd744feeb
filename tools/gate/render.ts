/** The output formats by name, and their file names under `--out-dir`. */
import type { Evaluation } from "./evaluate";
import { formatComplianceJson, formatComplianceMarkdown } from "./format/compliance";
import { formatJson } from "./format/json";
import { formatJunit } from "./format/junit";
import { formatMarkdown } from "./format/markdown";
import { formatSarif } from "./format/sarif";
import { formatTerminal, summaryLine } from "./format/terminal";

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

export const renderers: Record<FormatName | "summary" | "complianceMarkdown" | "complianceJson", Renderer> = {
  terminal: (r, ctx) => formatTerminal(r, { color: ctx.color }),
  markdown: (r) => formatMarkdown(r),
  json: (r) => formatJson(r),
  sarif: (r, ctx) => formatSarif(r, { root: ctx.root }),
  junit: (r) => formatJunit(r),
  summary: (r) => summaryLine(r),
  complianceMarkdown: (r) => formatComplianceMarkdown(r),
  complianceJson: (r) => formatComplianceJson(r),
};
