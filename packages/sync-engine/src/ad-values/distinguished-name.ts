import { AdValueError, describeValue } from './ad-value-error.js';

/** Splits on an unescaped separator (RFC 4514: a backslash escapes the next character or hex pair). */
function splitUnescaped(s: string, separators: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuotes = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (c === '\\') {
      current += c + s.charAt(i + 1);
      i++;
    } else if (c === '"') {
      inQuotes = !inQuotes;
      current += c;
    } else if (!inQuotes && separators.includes(c)) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function unescapeValue(raw: string, dn: string): string {
  let v = raw.trim();
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1);
  const bytes: number[] = [];
  let out = '';
  const flush = () => {
    if (bytes.length) out += Buffer.from(bytes).toString('utf8');
    bytes.length = 0;
  };
  for (let i = 0; i < v.length; i++) {
    const c = v.charAt(i);
    if (c === '\\') {
      const hex = v.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        i += 2;
        continue;
      }
      if (i + 1 >= v.length)
        throw new AdValueError('MALFORMED_DN', `dangling escape in ${describeValue(dn)}`);
      flush();
      out += v.charAt(i + 1);
      i++;
    } else {
      flush();
      out += c;
    }
  }
  flush();
  return out;
}

/**
 * A DN in comparable form: one string per RDN (attribute types and values lowercased, escapes
 * resolved, spaces around separators dropped, multi-valued RDNs sorted), leaf first. AD compares DNs
 * case-insensitively, and so does this.
 * @throws AdValueError `MALFORMED_DN`.
 * @example
 *   normalizeDn('CN=Bobby\\, Jr.,OU=Staff,DC=corp') // ['cn=bobby, jr.', 'ou=staff', 'dc=corp']
 */
export function normalizeDn(dn: string): string[] {
  if (typeof dn !== 'string' || dn.trim() === '') {
    throw new AdValueError('MALFORMED_DN', `not a distinguished name: ${describeValue(dn)}`);
  }
  return splitUnescaped(dn, ',;').map((rdn) => {
    const avas = splitUnescaped(rdn, '+').map((ava) => {
      const eq = ava.indexOf('=');
      const type = ava.slice(0, eq).trim().toLowerCase();
      if (eq < 1 || !/^[a-z][a-z0-9-]*$|^\d+(\.\d+)*$/.test(type)) {
        throw new AdValueError('MALFORMED_DN', `bad RDN ${describeValue(rdn)} in ${describeValue(dn)}`);
      }
      return `${type}=${unescapeValue(ava.slice(eq + 1), dn).toLowerCase()}`;
    });
    return avas.sort().join('+');
  });
}

/** True when `dn` is `base` or lies beneath it. Both must be well-formed. */
export function isDnUnder(dn: readonly string[], base: readonly string[]): boolean {
  if (base.length > dn.length) return false;
  const offset = dn.length - base.length;
  return base.every((rdn, i) => dn[offset + i] === rdn);
}

/** The comparable single-string form of a DN, for sets and maps. */
export function dnKey(dn: string): string {
  return normalizeDn(dn).join(',');
}
