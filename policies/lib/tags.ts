/**
 * The pack's own map of where each resource type keeps its tags or labels, from data/taggable-types.json
 * (generated from the installed SDKs by `npm run catalog`; the pack does not read the program's copy).
 */
import taggable from "../data/taggable-types.json";

export interface TaggableEntry {
  readonly property: string;
  readonly types: readonly string[];
}

export const taggableCatalog = taggable as Readonly<Record<string, TaggableEntry>>;

const propertyByType = new Map<string, string>();
for (const entry of Object.values(taggableCatalog))
  for (const t of entry.types) if (!propertyByType.has(t)) propertyByType.set(t, entry.property);

/** The tag property of a type ("tags", "labels", "userLabels", "settings.userLabels"), if the type is taggable. */
export function tagPropertyOf(type: string): string | undefined {
  return propertyByType.get(type);
}
