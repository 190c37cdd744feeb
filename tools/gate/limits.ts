/**
 * Limits on the gate's input documents (`--preview`, `--state`), checked before anything else reads them,
 * so hostile or broken input is an input error (exit 2, one line naming the file) and never an internal
 * error, a stack overflow or gigabytes of reports:
 * - a document larger than `maxDocumentBytes` is refused before it is read;
 * - a UTF-8 byte order mark is accepted (and dropped);
 * - nesting deeper than `maxDepth` (objects and arrays, counted from the document root) is refused;
 * - a resource whose URN is longer than `maxUrnLength` is refused (names are part of the URN);
 * - a resource whose `inputs` or `outputs` is present but not an object is refused, naming the resource.
 * Long values elsewhere are kept for the pack and capped in the reports (sanitize.ts).
 */
import * as fs from "node:fs";

export const maxDocumentBytes = 512 * 1024 * 1024;
export const maxDepth = 100;
export const maxUrnLength = 16 * 1024;

type Fail = (message: string) => never;

const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

/** Refuses a file larger than the limit (before reading it). Missing files are left to the reader. */
export function checkDocumentSize(file: string, fail: Fail): void {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return;
  }
  if (size > maxDocumentBytes) {
    fail(`${file}: the document is ${mib(size)}, more than the gate reads (${mib(maxDocumentBytes)})`);
  }
}

/** The text without a leading UTF-8 byte order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Refuses nesting deeper than `maxDepth` (iterative: a deep document cannot overflow the stack here). */
export function checkDepth(doc: unknown, file: string, fail: Fail): void {
  const stack: [unknown, number][] = [[doc, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (depth > maxDepth) {
      fail(`${file}: nesting deeper than ${maxDepth} levels (objects and arrays); the gate refuses it`);
    }
    const children = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
    for (const c of children) if (c !== null && typeof c === "object") stack.push([c, depth + 1]);
  }
}

/** Checks one engine resource state before it is normalized. */
export function checkResourceState(state: Record<string, unknown>, where: string, fail: Fail): void {
  const urn = state.urn;
  if (typeof urn === "string" && urn.length > maxUrnLength) {
    fail(
      `${where}: the URN is ${urn.length} characters, more than ${maxUrnLength} (starts ${JSON.stringify(urn.slice(0, 80))})`,
    );
  }
  for (const key of ["inputs", "outputs"] as const) {
    const v = state[key];
    if (v !== undefined && v !== null && (typeof v !== "object" || Array.isArray(v))) {
      fail(
        `${where}: "${key}" of ${typeof urn === "string" ? urn.slice(0, 200) : "the resource"} is ${Array.isArray(v) ? "an array" : `a ${typeof v}`}, not an object`,
      );
    }
  }
}
