// Full import: a paged subtree search (1.2.840.113556.1.4.319) of the users, groups and contacts
// under each base, streamed page by page so memory stays bounded by the page size.
import { type AdObject, BUFFER_ATTRIBUTE_NAMES, SYNC_ATTRIBUTES, SYNC_FILTER } from './attributes.js';
import type { AdConnection } from './connection.js';
import { toAdObject } from './objects.js';
import { withRangedMember } from './ranged.js';

/** What to import. */
export interface FullImportOptions {
  /** Subtrees to read (the domain root, or the OUs in scope). */
  bases: readonly string[];
  /** Objects per page (default 500; AD's MaxPageSize is 1,000). */
  pageSize?: number;
  /** Values per ranged read of a large group's `member` (default 1,500). */
  rangeSize?: number;
  /** Extra LDAP filter ANDed with the users/groups/contacts filter. */
  filter?: string;
}

/**
 * Streams every user, group and contact under `bases`.
 *
 * @example
 * for await (const obj of fullImport(ad, { bases: [domain.defaultNamingContext] })) {
 *   console.log(obj.kind, obj.guid, obj.text.userPrincipalName?.[0]);
 * }
 */
export async function* fullImport(ad: AdConnection, options: FullImportOptions): AsyncGenerator<AdObject> {
  const filter = options.filter ? `(&${SYNC_FILTER}${options.filter})` : SYNC_FILTER;
  for (const base of options.bases) {
    const pages = ad.searchPages(base, {
      scope: 'sub',
      filter,
      attributes: withRangedMember(SYNC_ATTRIBUTES, options.rangeSize),
      explicitBufferAttributes: BUFFER_ATTRIBUTE_NAMES,
      paged: { pageSize: options.pageSize ?? 500 },
      timeLimit: 0,
    });
    for await (const page of pages) {
      for (const entry of page) {
        const obj = await toAdObject(ad, entry, { rangeSize: options.rangeSize });
        if (obj) yield obj;
      }
    }
  }
}
