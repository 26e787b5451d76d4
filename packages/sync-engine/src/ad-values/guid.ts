import { AdValueError, describeValue } from './ad-value-error.js';

const GUID_RE = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i;

/** The byte order of a GUID's string form relative to its 16 bytes: AD stores Data1..3 little-endian. */
const STRING_ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15] as const;

/**
 * The string form of a GUID from its 16 bytes as AD stores them (`objectGUID`,
 * `ms-DS-ConsistencyGuid`): the first three fields little-endian, the rest as is.
 * @example
 *   guidBytesToString(Buffer.from('00010203040506070809 0a0b0c0d0e0f'.replace(' ', ''), 'hex'))
 *   // '03020100-0504-0706-0809-0a0b0c0d0e0f'
 */
export function guidBytesToString(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 16) {
    throw new AdValueError('MALFORMED_GUID', `a GUID is 16 bytes, got ${describeValue(bytes)}`);
  }
  const hex = STRING_ORDER.map((i) => (bytes[i] ?? 0).toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The 16 bytes AD stores for a GUID given in string form (braces optional, any case). */
export function guidStringToBytes(guid: string): Uint8Array {
  const m = typeof guid === 'string' ? GUID_RE.exec(guid) : null;
  if (!m) throw new AdValueError('MALFORMED_GUID', `not a GUID: ${describeValue(guid)}`);
  const hex = Buffer.from(m.slice(1).join(''), 'hex');
  const out = new Uint8Array(16);
  STRING_ORDER.forEach((from, to) => {
    out[from] = hex[to] ?? 0;
  });
  return out;
}

/** True when `guid` is a GUID in string form. */
export function isGuidString(guid: string): boolean {
  return GUID_RE.test(guid);
}
