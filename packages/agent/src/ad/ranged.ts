// Ranged retrieval of multi-valued attributes ([MS-ADTS] 3.1.1.3.1.3.3): Windows AD returns at most
// MaxValRange (1,500) values of `member` per read and expects `member;range=1500-*` for the rest.

import type { Control } from 'ldapts';
import { parseRangedName } from './attributes.js';
import type { AdConnection } from './connection.js';
import { AdError } from './errors.js';

/** Windows AD's default MaxValRange. */
export const DEFAULT_RANGE_SIZE = 1500;

/**
 * `attributes` with `member` asked for by range (`member;range=0-1499`), as Windows AD answers a
 * large group anyway: the first range comes with the search, `toAdObject` reads the rest. Samba
 * answers a plain `member` whole, so asking for the range is what takes the same path against it.
 * @example
 *   ad.searchPages(base, { attributes: withRangedMember(SYNC_ATTRIBUTES), ... });
 */
export function withRangedMember(attributes: readonly string[], rangeSize = DEFAULT_RANGE_SIZE): string[] {
  return attributes.map((a) => (a.toLowerCase() === 'member' ? `member;range=0-${rangeSize - 1}` : a));
}

/** One answer to a ranged read. */
export interface ValueRange {
  values: string[];
  low: number;
  /** Undefined when this was the last range (`low-*`). */
  high: number | undefined;
}

/**
 * Reads one range of `attribute` of `dn`: `attribute;range=low-high` (or `low-*`). When the DC
 * ignores the range and returns the plain attribute, all values come back as the last range.
 */
export async function readValueRange(
  ad: AdConnection,
  dn: string,
  attribute: string,
  low: number,
  high?: number,
  controls: Control[] = [],
): Promise<ValueRange> {
  const asked = `${attribute};range=${low}-${high ?? '*'}`;
  const [entry] = await ad.search(
    dn,
    { scope: 'base', filter: '(objectClass=*)', attributes: [asked] },
    controls,
  );
  if (!entry) throw new AdError('ad.no_such_object', `${dn} vanished while reading ${attribute}`);
  for (const [name, value] of Object.entries(entry)) {
    if (name === 'dn') continue;
    const values = (Array.isArray(value) ? value : [value]).map((v) =>
      Buffer.isBuffer(v) ? v.toString() : v,
    );
    const ranged = parseRangedName(name);
    if (ranged && ranged.attribute.toLowerCase() === attribute.toLowerCase()) {
      return { values, low: ranged.low, high: ranged.high };
    }
    if (name.toLowerCase() === attribute.toLowerCase() && values.length > 0) {
      return { values, low, high: undefined };
    }
  }
  return { values: [], low, high: undefined };
}

/**
 * Reads every value of a large multi-valued attribute range by range, starting at `from`.
 *
 * @example
 * const members = await readAllValues(ad, groupDn, 'member'); // 0-1499, 1500-2999, ... until `-*`
 */
export async function readAllValues(
  ad: AdConnection,
  dn: string,
  attribute = 'member',
  options: { from?: number; rangeSize?: number; controls?: Control[] } = {},
): Promise<string[]> {
  const size = options.rangeSize ?? DEFAULT_RANGE_SIZE;
  const out: string[] = [];
  let low = options.from ?? 0;
  for (;;) {
    const range = await readValueRange(ad, dn, attribute, low, low + size - 1, options.controls);
    out.push(...range.values);
    if (range.high === undefined || range.values.length === 0) return out;
    if (range.high < low)
      throw new AdError('ad.protocol', `the DC answered range ${range.low}-${range.high} to ${low}-`);
    low = range.high + 1;
  }
}
