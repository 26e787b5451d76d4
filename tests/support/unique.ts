// Names that stay unique across test files running at once against one shared DC and PostgreSQL,
// and across runs against a reused development DC.
import { randomBytes } from 'node:crypto';

let counter = 0;

/**
 * `prefix` plus a suffix unique to this process, call and run (10 characters of [a-z0-9]).
 * Throws when the result is longer than `maxLength` (default 20, the limit of sAMAccountName).
 * @example uniqueName('alice') // 'alice-k3f90a1x2q'
 */
export function uniqueName(prefix: string, maxLength = 20): string {
  counter += 1;
  const pid = process.pid.toString(36).slice(-4).padStart(4, '0');
  const count = counter.toString(36).padStart(2, '0');
  const random = randomBytes(4).readUInt32BE(0).toString(36).slice(0, 4).padStart(4, '0');
  const name = `${prefix}-${pid}${count}${random}`;
  if (name.length > maxLength) {
    throw new Error(
      `uniqueName: '${name}' is longer than ${maxLength}; use a prefix of at most ${maxLength - 11}`,
    );
  }
  return name;
}
