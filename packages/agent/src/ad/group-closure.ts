// The members of a `groups` scope, nested groups included. Two cheap reads per selected group:
// the groups nested in it at any depth (one paged search with LDAP_MATCHING_RULE_IN_CHAIN, which
// the DC evaluates with its own cycle protection), then the direct `member` values of each of
// those groups, ranged past 1,500 values and with the extended-DN control, so every member comes
// with its objectGUID (stable across renames) and no member object is read.
import { AndFilter, EqualityFilter, ExtensibleFilter } from 'ldapts';
import type { AdConnection } from './connection.js';
import { ExtendedDnControl } from './controls.js';
import { AdError } from './errors.js';
import type { GuidSet } from './guid-set.js';
import { readAllValues } from './ranged.js';

/** LDAP_MATCHING_RULE_IN_CHAIN: `memberOf` followed transitively ([MS-ADTS] 3.1.1.3.4.4.1). */
export const IN_CHAIN_RULE = '1.2.840.113556.1.4.1941';

/** Who is in a `groups` scope. */
export interface GroupScopeMembers {
  /** objectGUID (hex) of every member, at any depth → the selected groups (as configured) it is in. */
  byGuid: Map<string, string[]>;
  /** Selected groups that do not exist in AD (deleted, renamed or moved): they have no members. */
  missing: string[];
  /** Groups whose `member` was read (the selected ones and every group nested in them). */
  groupsRead: number;
}

/** One `member` value read with the extended-DN control. */
export interface ExtendedDn {
  /** objectGUID, lower-case hex in the attribute's byte order. */
  guid: string;
  dn: string;
}

/**
 * Splits `<GUID=hex>;<SID=hex>;CN=…` (the SID part is absent for objects without one); undefined
 * for a value without a GUID.
 */
export function parseExtendedDn(value: string): ExtendedDn | undefined {
  const m = /^<GUID=([0-9a-fA-F]{32})>;(?:<SID=[0-9a-fA-F]*>;)?(.*)$/s.exec(value);
  if (!m?.[1] || m[2] === undefined) return undefined;
  return { guid: m[1].toLowerCase(), dn: m[2] };
}

/**
 * The objects whose scope may have changed since the last cycle: members that joined or left,
 * less those the delta read anyway (`touched`).
 * @example
 *   scopeMovement(new Set(['a', 'b']), new Set(['b', 'c']), new Set(['c'])); // ['a']
 */
export function scopeMovement(
  before: GuidSet,
  now: Iterable<string>,
  touched: ReadonlySet<string>,
): string[] {
  const out: string[] = [];
  const current = new Set(now);
  for (const g of current) if (!before.has(g) && !touched.has(g)) out.push(g);
  for (const g of before) if (!current.has(g) && !touched.has(g)) out.push(g);
  return out;
}

/** DNs of the groups nested in `group` at any depth (paged; includes `group` itself when in a cycle). */
async function nestedGroups(ad: AdConnection, domainRoot: string, group: string): Promise<string[]> {
  // Filter objects, not a filter string: a DN may hold characters a filter string must escape.
  const filter = new AndFilter({
    filters: [
      new EqualityFilter({ attribute: 'objectClass', value: 'group' }),
      new ExtensibleFilter({ matchType: 'memberOf', rule: IN_CHAIN_RULE, value: group }),
    ],
  });
  const out: string[] = [];
  const pages = ad.searchPages(domainRoot, {
    scope: 'sub',
    filter,
    attributes: ['objectGUID'],
    explicitBufferAttributes: ['objectGUID'],
    paged: { pageSize: 1000 },
    timeLimit: 0,
  });
  for await (const page of pages) for (const entry of page) out.push(entry.dn);
  return out;
}

/** The direct members of `group` with their GUIDs; undefined when the group does not exist. */
async function directMembers(
  ad: AdConnection,
  group: string,
  rangeSize: number | undefined,
): Promise<ExtendedDn[] | undefined> {
  let values: string[];
  try {
    values = await readAllValues(ad, group, 'member', {
      controls: [new ExtendedDnControl()],
      ...(rangeSize ? { rangeSize } : {}),
    });
  } catch (err) {
    if (err instanceof AdError && err.code === 'ad.no_such_object') return undefined;
    throw err;
  }
  return values.map(parseExtendedDn).filter((m): m is ExtendedDn => m !== undefined);
}

/**
 * Everyone in the selected `groups`, directly or through nested groups, by objectGUID. A cycle
 * in the group graph (A ∈ B ∈ A) ends: each group is read once.
 * @example
 *   const members = await resolveGroupScope(ad, root, ['CN=Sync Users,OU=Groups,DC=corp,DC=test']);
 *   members.byGuid.get(user.objectGuid.toString('hex')); // ['CN=Sync Users,OU=Groups,DC=corp,DC=test']
 */
export async function resolveGroupScope(
  ad: AdConnection,
  domainRoot: string,
  groups: readonly string[],
  options: { rangeSize?: number } = {},
): Promise<GroupScopeMembers> {
  const byGuid = new Map<string, string[]>();
  const missing: string[] = [];
  const read = new Map<string, ExtendedDn[] | undefined>();
  const membersOf = async (group: string) => {
    const key = group.toLowerCase();
    if (!read.has(key)) read.set(key, await directMembers(ad, group, options.rangeSize));
    return read.get(key);
  };
  for (const selected of groups) {
    const direct = await membersOf(selected);
    if (!direct) {
      missing.push(selected);
      continue;
    }
    const all = [...direct];
    for (const nested of await nestedGroups(ad, domainRoot, selected))
      all.push(...((await membersOf(nested)) ?? []));
    for (const member of all) {
      const inGroups = byGuid.get(member.guid) ?? [];
      if (!inGroups.includes(selected)) inGroups.push(selected);
      byGuid.set(member.guid, inGroups);
    }
  }
  return { byGuid, missing, groupsRead: [...read.values()].filter(Boolean).length };
}
