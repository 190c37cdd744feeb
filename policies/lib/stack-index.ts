/**
 * Indexes over the resources of one stack analysis, so that stack checks stay linear in the number of
 * resources: "which resources of these types refer to this parent through this key" is answered from a
 * map built once per (resource list, types, key) instead of a scan of every resource per parent.
 *
 * Indexes are memoized per resource array (a WeakMap keyed by the array the policy server's resources were
 * mapped to), so an index lives as long as the stack policy's evaluation that built it. The arrays are
 * treated as immutable (controls never mutate their `subjects`).
 */
import { UNKNOWN, peek } from "./props";
import type { Subject } from "./types";

const memos = new WeakMap<readonly Subject[], Map<string, unknown>>();

/** The value `build` returns for this resource list and key, built at most once per list. */
export function memoize<T>(subjects: readonly Subject[], key: string, build: () => T): T {
  let m = memos.get(subjects);
  if (!m) {
    m = new Map();
    memos.set(subjects, m);
  }
  if (m.has(key)) return m.get(key) as T;
  const value = build();
  m.set(key, value);
  return value;
}

function push<K>(map: Map<K, number[]>, key: K, i: number): void {
  const list = map.get(key);
  if (list) {
    if (list[list.length - 1] !== i) list.push(i);
  } else map.set(key, [i]);
}

/**
 * Candidate children of a parent, by the three ways `refersTo` links a child's `key` to a parent:
 * the engine's property dependencies (URN), an equal or prefixed known value (name, id, ARN, ARM id), and
 * the resource's dependencies when the value is unknown and no property dependencies are recorded.
 */
export interface RefIndex {
  /** Positions (ascending) in the resource list of the resources that may refer to one of these. */
  candidates(urn: string, ids: ReadonlySet<string>): number[];
}

/** Separators after which a value may embed a parent id (see `refersTo`): ".../x/..." and "arn:...:x:...". */
const prefixMinLength = 8;

export function refIndex(subjects: readonly Subject[], types: readonly string[], key: string): RefIndex {
  return memoize(subjects, `ref\u0000${types.join(",")}\u0000${key}`, () => {
    const byUrn = new Map<string, number[]>();
    const byValue = new Map<string, number[]>();
    const byPrefix = new Map<string, number[]>();
    const byDependency = new Map<string, number[]>();
    const typeSet = new Set(types);
    subjects.forEach((s, i) => {
      if (!typeSet.has(s.type)) return;
      const deps = s.propertyDependencies[key];
      if (deps) for (const u of deps) push(byUrn, u, i);
      const v = peek(s.props, key);
      if (typeof v === "string" && v !== "") {
        push(byValue, v, i);
        for (let p = prefixMinLength + 1; p < v.length; p++) {
          const ch = v.charCodeAt(p);
          if (ch === 47 /* / */ || ch === 58 /* : */) push(byPrefix, v.slice(0, p), i);
        }
      }
      if (deps === undefined && v === UNKNOWN) for (const d of s.dependencies) push(byDependency, d, i);
    });
    return {
      candidates(urn: string, ids: ReadonlySet<string>): number[] {
        const out = new Set<number>();
        const add = (list: number[] | undefined) => {
          if (list) for (const i of list) out.add(i);
        };
        add(byUrn.get(urn));
        add(byDependency.get(urn));
        for (const id of ids) {
          add(byValue.get(id));
          if (id.length > prefixMinLength) add(byPrefix.get(id));
        }
        return [...out].sort((a, b) => a - b);
      },
    };
  });
}

/** Positions of the resources of each type, in list order. */
export function byType(subjects: readonly Subject[]): ReadonlyMap<string, readonly Subject[]> {
  return memoize(subjects, "byType", () => {
    const out = new Map<string, Subject[]>();
    for (const s of subjects) {
      const list = out.get(s.type);
      if (list) list.push(s);
      else out.set(s.type, [s]);
    }
    return out;
  });
}
