// The anchor attributes (objectGUID, ms-DS-ConsistencyGuid) of objects known only by DN: a group's
// members that the configuration does not sync, so the cloud can say in the group's provisioning-log
// entry how many it left out.
import { EqualityFilter, OrFilter } from 'ldapts';
import { type AdBinaryAttribute, BUFFER_ATTRIBUTE_NAMES, decodeEntry } from './attributes.js';
import type { AdConnection } from './connection.js';

/** DNs asked for in one search (one OR filter). */
const DNS_PER_SEARCH = 100;

/** The binary attributes an anchor is computed from, by attribute name. */
export type AnchorAttributes = Partial<Record<AdBinaryAttribute, Buffer[]>>;

/**
 * Reads objectGUID and ms-DS-ConsistencyGuid of each DN under `domainRoot`, whatever its class, in
 * batches; keyed by `keyOf(dn)` as AD spells it. DNs AD does not hold (another domain) are absent.
 * @example
 *   const found = await readAnchorAttributes(ad, 'DC=corp,DC=example,DC=test', dns, dnKeyOf);
 */
export async function readAnchorAttributes(
  ad: AdConnection,
  domainRoot: string,
  dns: readonly string[],
  keyOf: (dn: string) => string,
): Promise<Map<string, AnchorAttributes>> {
  const out = new Map<string, AnchorAttributes>();
  for (let i = 0; i < dns.length; i += DNS_PER_SEARCH) {
    const filter = new OrFilter({
      filters: dns
        .slice(i, i + DNS_PER_SEARCH)
        .map((dn) => new EqualityFilter({ attribute: 'distinguishedName', value: dn })),
    });
    const entries = await ad.search(domainRoot, {
      scope: 'sub',
      filter,
      attributes: ['objectGUID', 'mS-DS-ConsistencyGuid'],
      explicitBufferAttributes: BUFFER_ATTRIBUTE_NAMES,
      timeLimit: 0,
    });
    for (const entry of entries) {
      const { binary } = decodeEntry(entry);
      if (binary.objectGUID?.length) out.set(keyOf(entry.dn), binary);
    }
  }
  return out;
}
