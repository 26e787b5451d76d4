// From what the AD source read to what the sync engine plans with.
import type { Members } from '@cloudsync/protocol';
import type { SourceEntry, SourceValue } from '@cloudsync/sync-engine';
import type { AdObject } from '../ad/attributes.js';

/**
 * An AD object as a sync-engine entry: text values as strings, binary ones as bytes. `inGroups`
 * (the selected groups it is in through nested groups) completes its direct `memberOf` for the
 * scope; the `memberOf` attribute itself stays as AD has it.
 */
export function toSourceEntry(obj: AdObject, members?: Members, inGroups?: readonly string[]): SourceEntry {
  const attributes: Record<string, readonly SourceValue[]> = {};
  for (const [name, values] of Object.entries(obj.text)) if (values) attributes[name] = values;
  for (const [name, values] of Object.entries(obj.binary)) if (values) attributes[name] = values;
  attributes.distinguishedName = [obj.dn];
  return {
    objectType: obj.kind,
    distinguishedName: obj.dn,
    attributes,
    memberOf: [...(obj.text.memberOf ?? []), ...(inGroups ?? [])],
    ...(members ? { members } : {}),
  };
}

/**
 * A group's members by anchor: `anchorOf(dn)` finds each member DN among the objects exported (or
 * exported in this cycle); members that are not synced (out of scope, computers) are left out.
 */
export function membersOf(obj: AdObject, anchorOf: (dn: string) => string | undefined): Members | undefined {
  if (obj.kind !== 'group') return undefined;
  const anchors = new Set<string>();
  for (const dn of obj.text.member ?? []) {
    const anchor = anchorOf(dn);
    if (anchor) anchors.add(anchor);
  }
  return { mode: 'complete', anchors: [...anchors] };
}
