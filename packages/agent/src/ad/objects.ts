// From decoded entries to the typed objects the agent syncs.
import type { Entry } from 'ldapts';
import { type AdObject, decodeEntry, guidToString, kindOf } from './attributes.js';
import type { AdConnection } from './connection.js';
import { AdError } from './errors.js';
import { readAllValues } from './ranged.js';

/**
 * Builds an `AdObject` from a search entry; undefined when the entry is not a user, group or
 * contact or has no objectGUID. A `member` that came back in ranges is completed with ranged reads.
 */
export async function toAdObject(
  ad: AdConnection,
  entry: Entry,
  options: { rangeSize?: number } = {},
): Promise<AdObject | undefined> {
  const decoded = decodeEntry(entry);
  const guid = decoded.binary.objectGUID?.[0];
  const kind = kindOf(decoded.text.objectClass ?? []);
  if (!guid || !kind) return undefined;
  const obj: AdObject = {
    kind,
    dn: decoded.dn,
    objectGuid: guid,
    guid: guidToString(guid),
    text: decoded.text,
    binary: decoded.binary,
  };
  const member = decoded.ranged.find((r) => r.attribute === 'member');
  if (member && member.high !== undefined) {
    let rest: string[];
    try {
      rest = await readAllValues(ad, decoded.dn, 'member', {
        from: member.high + 1,
        rangeSize: options.rangeSize,
      });
    } catch (err) {
      // Deleted between the search and the ranged reads: gone, as if the search had missed it (the
      // next delta or deletion scan sees the deletion); anything else is a real failure.
      if (err instanceof AdError && err.code === 'ad.no_such_object') return undefined;
      throw err;
    }
    obj.text.member = [...(obj.text.member ?? []), ...rest];
    obj.memberRanged = true;
  }
  return obj;
}
