import type { TargetAttributes, TargetValue } from '@cloudsync/protocol';

/** One changed attribute, old → new, for the provisioning log. "No value" is always null. */
export interface AttributeChange {
  attribute: string;
  old: TargetValue;
  new: TargetValue;
}

/** Null, undefined, "", [] and lists of only "" all mean "no value". */
export function normalizeTargetValue(v: TargetValue | undefined): TargetValue {
  if (v === undefined || v === null || v === '') return null;
  if (Array.isArray(v)) {
    const values = v.filter((s) => s !== '');
    return values.length ? values : null;
  }
  return v;
}

/** Multi-valued attributes are sets in AD: order does not matter, duplicates do not count. */
function sameValue(a: TargetValue, b: TargetValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const sa = new Set(a);
    const sb = new Set(b);
    return sa.size === sb.size && [...sa].every((x) => sb.has(x));
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    // A single value and a one-element list carry the same information.
    const list = Array.isArray(a) ? a : b;
    const single = Array.isArray(a) ? b : a;
    return Array.isArray(list) && new Set(list).size === 1 && list[0] === single;
  }
  return Object.is(a, b);
}

/**
 * The attributes that differ between what was last exported for an object and what it maps to now.
 * Absent, null and empty are the same; attribute names are compared exactly (Graph names); the
 * result is sorted by attribute name.
 * @example
 *   diffAttributes({ city: 'Seattle', mail: null }, { city: 'Redmond', mail: '' })
 *   // [{ attribute: 'city', old: 'Seattle', new: 'Redmond' }]
 */
export function diffAttributes(
  previous: TargetAttributes | undefined,
  next: TargetAttributes,
): AttributeChange[] {
  const before = previous ?? {};
  const names = new Set([...Object.keys(before), ...Object.keys(next)]);
  const changes: AttributeChange[] = [];
  for (const attribute of names) {
    const old = normalizeTargetValue(before[attribute]);
    const now = normalizeTargetValue(next[attribute]);
    if (!sameValue(old, now)) changes.push({ attribute, old, new: now });
  }
  return changes.sort((a, b) => (a.attribute < b.attribute ? -1 : a.attribute > b.attribute ? 1 : 0));
}

/** True when an object needs exporting: something differs from the last export. */
export function hasChanges(previous: TargetAttributes | undefined, next: TargetAttributes): boolean {
  return diffAttributes(previous, next).length > 0;
}
