// The set of objectGUIDs in scope: scanned cheaply (objectGUID only, paged) and kept between cycles
// so deletions can be found by difference when the account cannot see tombstones.
import { SYNC_FILTER } from './attributes.js';
import type { AdConnection } from './connection.js';

/** A set of objectGUIDs, keyed by their lower-case hex. */
export type GuidSet = Set<string>;

/** Serialises a GUID set compactly: base64 of the sorted 16-byte GUIDs. */
export function encodeGuidSet(set: GuidSet): string {
  return Buffer.from([...set].sort().join(''), 'hex').toString('base64');
}

/** Inverse of `encodeGuidSet`. */
export function decodeGuidSet(text: string): GuidSet {
  const hex = Buffer.from(text, 'base64').toString('hex');
  const out: GuidSet = new Set();
  for (let i = 0; i + 32 <= hex.length; i += 32) out.add(hex.slice(i, i + 32));
  return out;
}

/**
 * Every objectGUID of the users, groups and contacts under `bases` (paged, objectGUID only: a few
 * dozen bytes an object on the wire).
 */
export async function scanGuids(
  ad: AdConnection,
  bases: readonly string[],
  pageSize = 1000,
): Promise<GuidSet> {
  const out: GuidSet = new Set();
  for (const base of bases) {
    const pages = ad.searchPages(base, {
      scope: 'sub',
      filter: SYNC_FILTER,
      attributes: ['objectGUID'],
      explicitBufferAttributes: ['objectGUID'],
      paged: { pageSize },
      timeLimit: 0,
    });
    for await (const page of pages) {
      for (const entry of page) {
        const guid = entry.objectGUID;
        if (Buffer.isBuffer(guid)) out.add(guid.toString('hex'));
      }
    }
  }
  return out;
}
