// Names that stay unique across test files running at once against one shared DC and PostgreSQL,
// and across runs against a reused development DC.
import { randomBytes } from 'node:crypto';

let counter = 0;

/**
 * `prefix` plus a suffix unique to this process, call and run: a dash and 10 characters of [a-z0-9]
 * (the pid, a per-process counter, two random characters for runs against a reused DC).
 * Throws when the result is longer than `maxLength` (default 20, the limit of sAMAccountName), so
 * keep prefixes to 9 characters for account names.
 * @example uniqueName('alice') // 'alice-02n9c001k7'
 */
export function uniqueName(prefix: string, maxLength = 20): string {
  counter += 1;
  const pid = process.pid.toString(36).padStart(5, '0');
  const count = counter.toString(36).padStart(3, '0');
  const random = (randomBytes(2).readUInt16BE(0) % 1296).toString(36).padStart(2, '0');
  const name = `${prefix}-${pid}${count}${random}`;
  if (name.length > maxLength) {
    throw new Error(
      `uniqueName: '${name}' is longer than ${maxLength}; use a prefix of at most ${maxLength - 11}`,
    );
  }
  return name;
}
