/**
 * The stack as a graph: which resource waits for which (the engine creates a resource only after every
 * URN in its `dependencies` exists, and those wait for theirs), and how resources name each other
 * (property dependencies during preview, ids, ARNs and ARM ids when known).
 */
import { UNKNOWN, peek } from "../../lib/props";
import type { Subject } from "../../lib/types";

const indexes = new WeakMap<readonly Subject[], Map<string, Subject>>();

export function byUrn(subjects: readonly Subject[]): Map<string, Subject> {
  let index = indexes.get(subjects);
  if (!index) {
    index = new Map(subjects.map((s) => [s.urn, s]));
    indexes.set(subjects, index);
  }
  return index;
}

/** Every URN `subject` waits for before it is created: its dependencies, transitively. */
export function waitsFor(subjects: readonly Subject[], subject: Subject): Set<string> {
  const index = byUrn(subjects);
  const seen = new Set<string>();
  const stack = [...directDependencies(subject)];
  while (stack.length > 0) {
    const urn = stack.pop()!;
    if (seen.has(urn)) continue;
    seen.add(urn);
    const next = index.get(urn);
    if (next) stack.push(...directDependencies(next));
  }
  return seen;
}

function directDependencies(s: Subject): string[] {
  return [...s.dependencies, ...Object.values(s.propertyDependencies).flat()];
}

/** True when `consumer` is created only after `target` exists. */
export function dependsOn(subjects: readonly Subject[], consumer: Subject, target: Subject): boolean {
  return waitsFor(subjects, consumer).has(target.urn);
}

/** URNs the top-level input `key` of `s` depends on (as the engine records them). */
export function propertyDeps(s: Subject, key: string): readonly string[] {
  return s.propertyDependencies[key.split(".")[0]!] ?? [];
}

/** A known string at `path` (undefined when unset, not a string or unknown during preview). */
export function knownString(obj: unknown, path: string): string | undefined {
  const v = peek(obj, path);
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** True when the value at `path` is unknown during preview. */
export function isUnknownAt(obj: unknown, path: string): boolean {
  return peek(obj, path) === UNKNOWN;
}

/** The last segment of an ARM id, ARN or resource path ("…/vaults/kv-x" -> "kv-x"). */
export function lastSegment(id: string): string {
  const parts = id.split(/[/:]/).filter((p) => p !== "");
  return parts[parts.length - 1] ?? "";
}

const lower = (s: string | undefined) => (s ?? "").toLowerCase();

/**
 * True when the input at `path` of `child` designates `parent`: the engine's property dependency on
 * it, or a known value equal to one of the parent's names/ids, or an id (ARM id, ARN, resource path)
 * whose last segment is the parent's name.
 */
export function designates(
  child: Subject,
  path: string,
  parent: Subject,
  nameKeys: readonly string[],
): boolean {
  if (propertyDeps(child, path).includes(parent.urn)) return true;
  const value = knownString(child.props, path);
  if (value === undefined) return false;
  const names = nameKeys.map((k) => knownString(parent.props, k)).filter((n): n is string => n !== undefined);
  const ids = ["id", "arn"]
    .map((k) => knownString(parent.props, k))
    .filter((n): n is string => n !== undefined);
  if (ids.some((id) => lower(id) === lower(value))) return true;
  return names.some((n) => lower(n) === lower(value) || lower(lastSegment(value)) === lower(n));
}

export function ofTypes(subjects: readonly Subject[], types: readonly string[]): Subject[] {
  return subjects.filter((s) => types.includes(s.type));
}
