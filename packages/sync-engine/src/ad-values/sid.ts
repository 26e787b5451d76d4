import { AdValueError, describeValue } from './ad-value-error.js';

const MAX_SUB_AUTHORITIES = 15;

/**
 * The string form of a binary SID (`objectSid`): revision 1, sub-authority count, a 48-bit
 * big-endian identifier authority, then that many 32-bit little-endian sub-authorities.
 * @example
 *   sidBytesToString(bytes) // 'S-1-5-21-1004336348-1177238915-682003330-512'
 */
export function sidBytesToString(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array) || bytes.length < 8) {
    throw new AdValueError('MALFORMED_SID', `a SID is at least 8 bytes, got ${describeValue(bytes)}`);
  }
  const revision = bytes[0] ?? 0;
  const count = bytes[1] ?? 0;
  if (revision !== 1) throw new AdValueError('MALFORMED_SID', `SID revision ${revision}, expected 1`);
  if (count > MAX_SUB_AUTHORITIES) {
    throw new AdValueError(
      'MALFORMED_SID',
      `SID with ${count} sub-authorities, at most ${MAX_SUB_AUTHORITIES}`,
    );
  }
  if (bytes.length !== 8 + 4 * count) {
    throw new AdValueError('MALFORMED_SID', `SID of ${bytes.length} bytes for ${count} sub-authorities`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const authority = view.getUint16(2) * 2 ** 32 + view.getUint32(4);
  const parts = [`S-1-${authority}`];
  for (let i = 0; i < count; i++) parts.push(String(view.getUint32(8 + 4 * i, true)));
  return parts.join('-');
}

/** The binary form of a SID given as `S-1-…`. */
export function sidStringToBytes(sid: string): Uint8Array {
  const m = typeof sid === 'string' ? /^S-1-(\d{1,15})((?:-\d{1,10}){0,15})$/i.exec(sid) : null;
  if (!m?.[1]) throw new AdValueError('MALFORMED_SID', `not a SID: ${describeValue(sid)}`);
  const authority = Number(m[1]);
  const subs = (m[2] ?? '').split('-').slice(1).map(Number);
  if (authority >= 2 ** 48) throw new AdValueError('MALFORMED_SID', 'SID authority exceeds 48 bits');
  const out = new Uint8Array(8 + 4 * subs.length);
  const view = new DataView(out.buffer);
  out[0] = 1;
  out[1] = subs.length;
  view.setUint16(2, Math.floor(authority / 2 ** 32));
  view.setUint32(4, authority % 2 ** 32);
  subs.forEach((sub, i) => {
    if (sub >= 2 ** 32) throw new AdValueError('MALFORMED_SID', 'SID sub-authority exceeds 32 bits');
    view.setUint32(8 + 4 * i, sub, true);
  });
  return out;
}

/** The relative identifier (last sub-authority) of a SID string, e.g. 512 for Domain Admins. */
export function ridOf(sid: string): number {
  const bytes = sidStringToBytes(sid);
  if ((bytes[1] ?? 0) === 0)
    throw new AdValueError('MALFORMED_SID', 'SID without sub-authorities has no RID');
  return new DataView(bytes.buffer).getUint32(bytes.length - 4, true);
}
