/** One value of an AD attribute as the agent hands it to the engine: text, a number, or raw bytes. */
export type SourceValue = string | number | boolean | Uint8Array;

/**
 * An AD object's attributes, by LDAP name. Names are matched case-insensitively, as LDAP does.
 * Multi-valued attributes are arrays; absent attributes may be missing, undefined or null.
 */
export type SourceAttributes = Readonly<
  Record<string, SourceValue | readonly SourceValue[] | null | undefined>
>;

const lowerIndex = new WeakMap<object, Map<string, string>>();

/**
 * Lowercase name → actual key, built once per attribute bag (mappings look up dozens of names).
 * Bags are treated as immutable, as their type says: a key added later is found only by its exact name.
 */
function indexOf(attrs: SourceAttributes): Map<string, string> {
  let index = lowerIndex.get(attrs);
  if (!index) {
    index = new Map(Object.keys(attrs).map((k) => [k.toLowerCase(), k]));
    lowerIndex.set(attrs, index);
  }
  return index;
}

/** Case-insensitive lookup of an attribute's values; absent attributes give `[]`. */
export function getValues(attrs: SourceAttributes, name: string): readonly SourceValue[] {
  let raw = attrs[name];
  if (raw === undefined) {
    const key = indexOf(attrs).get(name.toLowerCase());
    if (key !== undefined) raw = attrs[key];
  }
  if (raw === undefined || raw === null) return [];
  return isValueList(raw) ? raw : [raw];
}

/** The first value of an attribute, or undefined. */
export function getFirst(attrs: SourceAttributes, name: string): SourceValue | undefined {
  return getValues(attrs, name)[0];
}

function isValueList(v: SourceValue | readonly SourceValue[]): v is readonly SourceValue[] {
  return Array.isArray(v);
}
