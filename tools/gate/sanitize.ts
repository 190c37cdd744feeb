import type { Finding, GateResource, GateResult } from "./model";

/**
 * Making input-derived text safe to print and to post.
 *
 * Every value that comes from the gate's input (resource names, types, URNs, stack and project names,
 * file names, policy messages that quote resource properties, waiver fields from the policy config) is
 * attacker-writable on a pull request. Before any report is built, `boundEvaluation` caps each such value
 * (with the cut marked) and masks credential shapes in it; each format then escapes it once, for its own
 * syntax:
 * - text (terminal, `gate.txt`): `textValue` turns control characters (ANSI/OSC escapes, newlines, C1
 *   controls), bidirectional overrides and line separators into visible escapes, and `neutraliseCommands`
 *   defuses lines a CI reads as commands (GitHub `::cmd::`, Azure `##vso[`/`##[`);
 * - markdown: `mdText` (prose) and `mdCode` (identifiers) leave no HTML, markdown syntax, table pipe,
 *   newline, mention or autolink active; `commentMarkerId` keeps the sticky-comment marker unforgeable;
 * - XML: `xmlText`; JSON: `jsonSafe` escapes what JSON.stringify leaves raw (bidi, separators).
 */

/** Caps per kind of value (characters). */
export const limits = {
  /** Resource names, types, stack/project names, control ids. */
  name: 256,
  /** URNs (type chain plus name). */
  urn: 1024,
  /** Policy messages and waiver reasons. */
  message: 2000,
  /** File names and other labels. */
  label: 512,
} as const;

/** Caps `s` at `max` characters (not splitting a surrogate pair), marking the cut and its size. */
export function cap(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${s.slice(0, end)}…[${s.length - end} more characters cut]`;
}

// ---------------------------------------------------------------------------------------------------------
// Credential shapes (masked wherever they appear in input-derived text)

const mask = "****";

const credentialPatterns: readonly [RegExp, (m: string, ...g: string[]) => string][] = [
  // user:password@ in URLs and in image references (registry credentials): keep the user, mask the password.
  [
    /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/@"'`<>]*):([^\s/@"'`<>]+)@/gi,
    (_m, scheme: string, user: string) => `${scheme}${user}:${mask}@`,
  ],
  // ...and without a scheme, in image references: `user:token@registry.example.com[:port]/repo`.
  [
    /(^|[\s"'`=(,[{])([^\s:/@"'`<>]+):([^\s/@"'`<>]+)@((?:[a-z0-9-]+\.)+[a-z0-9-]+|localhost)(:\d+)?\//gi,
    (_m, lead: string, user: string, _p: string, host: string, port: string | undefined) =>
      `${lead}${user}:${mask}@${host}${port ?? ""}/`,
  ],
  // PEM private keys.
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    () => `[private key ${mask}]`,
  ],
  // AWS access key ids and secret access keys after their usual names.
  [/\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g, (_m, p: string) => `${p}${mask}`],
  // GitHub, GitLab, Slack, npm, Google API tokens.
  [/\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{20,}/g, (_m, p: string) => `${p}${mask}`],
  [/\bglpat-[A-Za-z0-9_-]{20,}/g, () => `glpat-${mask}`],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, (m) => `${m.slice(0, 5)}${mask}`],
  [/\bnpm_[A-Za-z0-9]{36}\b/g, () => `npm_${mask}`],
  [/\bAIza[0-9A-Za-z_-]{35}\b/g, () => `AIza${mask}`],
  // JSON web tokens.
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, () => `[jwt ${mask}]`],
  // key=value secrets: connection strings (AccountKey=, SharedAccessKey=, Password=), query strings (sig=,
  // token=), and "key": "value" in JSON text. Not `key:value` (URNs and types are full of `secret:Secret`).
  [
    /\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|secret[_-]?access[_-]?key|account[_-]?key|shared[_-]?access[_-]?key|client[_-]?secret|sig|x-amz-signature|x-amz-security-token)=([^\s;&"',}]{3,})/gi,
    (_m, k: string) => `${k}=${mask}`,
  ],
  [
    /"(password|passwd|secret|token|api[_-]?key|access[_-]?key|secret[_-]?access[_-]?key|account[_-]?key|client[_-]?secret|private[_-]?key)"(\s*:\s*)"([^"]{3,})"/gi,
    (_m, k: string, sep: string) => `"${k}"${sep}"${mask}"`,
  ],
  // Authorization headers.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{12,}/g, (_m, k: string) => `${k} ${mask}`],
];

/** Masks known credential shapes (passwords in URLs and image references, tokens, keys, connection strings). */
export function maskCredentials(s: string): string {
  let out = s;
  for (const [re, replace] of credentialPatterns) out = out.replace(re, replace as (m: string) => string);
  return out;
}

/** What every input-derived value goes through before any format sees it: masked, then capped. */
export function bound(s: string, max: number): string {
  return cap(maskCredentials(s), max);
}

// ---------------------------------------------------------------------------------------------------------
// Text (terminal, gate.txt)

/** C0/C1 controls, DEL, bidi embeddings/overrides/isolates and marks, line/paragraph separators, BOM. */
const unsafeTextChars =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/g;

const namedEscapes: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\u001b": "\\e" };

/** A value on one line of terminal output: no control or bidi character survives (shown as escapes). */
export function textValue(s: string): string {
  return s.replace(
    unsafeTextChars,
    (ch) => namedEscapes[ch] ?? `\\u{${ch.charCodeAt(0).toString(16).padStart(4, "0")}}`,
  );
}

/**
 * Defuses lines a CI runner reads as commands: GitHub Actions workflow commands (`::name ...::`, after
 * optional whitespace) and Azure Pipelines logging commands (`##vso[`, `##[`). Applied to whole outputs.
 */
export function neutraliseCommands(text: string): string {
  return text
    .replace(/^(\s*)::/gm, "$1: :")
    .replace(/##(vso)?\[/gi, (_m, vso: string | undefined) => `# #${vso ?? ""}[`);
}

// ---------------------------------------------------------------------------------------------------------
// Markdown (pull-request comment, compliance.md, SARIF help)

/**
 * Characters with a meaning in markdown or HTML inside a line (values never start a line): escapes, code,
 * emphasis, strikethrough, links and images, HTML and autolinks, entities, table cells, attribute quotes,
 * math, mentions. Written as numeric character references, which markdown and HTML show literally.
 */
const mdSpecial = /[\\`*_[\]<>&"'|~$@]/g;

function mdEscape(s: string): string {
  return (
    textValue(s)
      .replace(mdSpecial, (ch) => `&#${ch.charCodeAt(0)};`)
      // No extended autolinks (scheme://, www.): a zero-width space breaks the pattern.
      .replace(/:\/\//g, ":&#8203;//")
      .replace(/\b(www)\./gi, "$1&#8203;.")
  );
}

/** A value in markdown prose or a table cell: literal text, one line, no mention, link, HTML or cell break. */
export function mdText(s: string): string {
  return mdEscape(s).replace(/&#64;/g, "&#64;&#8203;");
}

/** An identifier in markdown (names, types, URNs): literal, in a `<code>` element, safe in table cells. */
export function mdCode(s: string): string {
  // Plain identifiers read best as code spans (literal: no HTML, mention or link is parsed inside them).
  if (/^[A-Za-z0-9_.:/@#=+,()-]+( [A-Za-z0-9_.:/@#=+,()-]+)*$/.test(s)) return `\`${s}\``;
  return `<code>${mdEscape(s)}</code>`;
}

/** The stack name as it appears in the sticky-comment marker: `[A-Za-z0-9_.-]` and `%XX` escapes only. */
export function commentMarkerId(stack: string): string {
  return Array.from(new TextEncoder().encode(stack))
    .map((b) => {
      const ch = String.fromCharCode(b);
      return /[A-Za-z0-9_.-]/.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
}

// ---------------------------------------------------------------------------------------------------------
// XML (JUnit) and JSON (json, SARIF, compliance.json)

/** Text or attribute value in XML 1.0: escaped, invalid characters dropped, line breaks and bidi as references. */
export function xmlText(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")
    .replace(
      /[\n\r\t\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g,
      (ch) => `&#x${ch.charCodeAt(0).toString(16)};`,
    );
}

/** A JSON document as text with the characters JSON.stringify leaves raw (bidi, separators, C1) escaped. */
export function jsonSafe(json: string): string {
  return json.replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// The evaluation as reports see it

const bounded = new WeakMap<GateResult, GateResult>();

/**
 * The evaluation with every input-derived string capped and credential shapes masked (memoized per
 * evaluation). Maps keyed by URN stay consistent: the same URN is always bounded to the same text.
 */
export function boundEvaluation<T extends GateResult>(result: T): T {
  const hit = bounded.get(result);
  if (hit) return hit as T;
  const urnCache = new Map<string, string>();
  const urn = (u: string) => {
    let v = urnCache.get(u);
    if (v === undefined) urnCache.set(u, (v = bound(u, limits.urn)));
    return v;
  };
  const name = (s: string) => bound(s, limits.name);
  const message = (s: string) => bound(s, limits.message);
  const label = (s: string) => bound(s, limits.label);
  // Objects whose values need no change are kept as they are (no copy of 50,000 resources for nothing).
  const resource = (r: GateResource): GateResource => {
    const [u, t, n, p] = [urn(r.urn), name(r.type), name(r.name), urn(r.parent)];
    const file = r.source ? label(r.source.file) : undefined;
    if (u === r.urn && t === r.type && n === r.name && p === r.parent && file === r.source?.file) return r;
    return {
      ...r,
      urn: u,
      type: t,
      name: n,
      parent: p,
      ...(r.source ? { source: { ...r.source, file: file! } } : {}),
    };
  };
  const finding = (f: Finding): Finding => {
    const out = boundFinding(f);
    return out.urn === f.urn &&
      out.type === f.type &&
      out.name === f.name &&
      out.message === f.message &&
      out.control === f.control &&
      out.policy === f.policy &&
      JSON.stringify([out.waiver, out.expiredWaiver]) === JSON.stringify([f.waiver, f.expiredWaiver])
      ? f
      : out;
  };
  const boundFinding = (f: Finding): Finding => ({
    ...f,
    control: name(f.control),
    policy: name(f.policy),
    urn: urn(f.urn),
    type: name(f.type),
    name: name(f.name),
    message: message(f.message),
    ...(f.waiver
      ? {
          waiver: {
            reason: message(f.waiver.reason),
            approvedBy: name(f.waiver.approvedBy),
            expires: name(f.waiver.expires),
          },
        }
      : {}),
    ...(f.expiredWaiver
      ? { expiredWaiver: { expires: name(f.expiredWaiver.expires), reason: message(f.expiredWaiver.reason) } }
      : {}),
  });
  const input = result.input;
  const evaluated = (result as { evaluated?: ReadonlyMap<string, readonly string[]> }).evaluated;
  const out: T = {
    ...result,
    input: {
      ...input,
      origin: label(input.origin),
      project: name(input.project),
      stack: name(input.stack),
      resources: input.resources.map(resource),
      ...(input.configFile !== undefined ? { configFile: label(input.configFile) } : {}),
    },
    pack: { name: name(result.pack.name), version: name(result.pack.version) },
    findings: result.findings.map(finding),
    coverage: {
      ...result.coverage,
      notCovered: result.coverage.notCovered.map((t) => ({ ...t, type: name(t.type) })),
    },
    ...(evaluated
      ? {
          evaluated: new Map(
            [...evaluated].map(([id, urns]) => [id, urns.some((u) => urn(u) !== u) ? urns.map(urn) : urns]),
          ),
        }
      : {}),
  };
  bounded.set(result, out);
  bounded.set(out, out); // bounding is applied once
  return out;
}
