// From what the AD source read to what the sync engine plans with.
import { LIMITS, type Members } from '@cloudsync/protocol';
import { anchorOf, type SourceEntry, type SourceValue } from '@cloudsync/sync-engine';
import { readAnchorAttributes } from '../ad/anchor-attributes.js';
import type { AdObject } from '../ad/attributes.js';
import type { AdConnection } from '../ad/connection.js';
import { dnKeyOf } from '../state/local-store.js';

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
 * exported in this cycle). Members that are not synced (out of scope, computers) are sent by the
 * anchor `outsideAnchorOf(dn)` gives, when it knows one, up to the protocol's limit: the cloud finds
 * no synced object for them, leaves them out and says so in the group's provisioning-log entry.
 */
export function membersOf(
  obj: AdObject,
  anchorOf: (dn: string) => string | undefined,
  outsideAnchorOf: (dn: string) => string | undefined = () => undefined,
): Members | undefined {
  if (obj.kind !== 'group') return undefined;
  const anchors = new Set<string>();
  const outside = new Set<string>();
  for (const dn of obj.text.member ?? []) {
    const anchor = anchorOf(dn);
    if (anchor) anchors.add(anchor);
    else {
      const other = outsideAnchorOf(dn);
      if (other) outside.add(other);
    }
  }
  for (const anchor of outside) {
    if (anchors.size >= LIMITS.membersPerChange) break;
    anchors.add(anchor);
  }
  return { mode: 'complete', anchors: [...anchors] };
}

/** The member DNs of a group that `anchorOf` does not resolve (not synced, or not yet known). */
export function unresolvedMembers(obj: AdObject, anchorOf: (dn: string) => string | undefined): string[] {
  if (obj.kind !== 'group') return [];
  return (obj.text.member ?? []).filter((dn) => !anchorOf(dn));
}

/**
 * The anchors of objects known only by DN (keyed by `dnKeyOf`), read from AD; objects without a
 * usable anchor are absent.
 * @example
 *   planChanges({ ...ctx, anchorsOutside: (dns) => anchorsOfDns(ad, domainRoot, dns) }, items);
 */
export async function anchorsOfDns(
  ad: AdConnection,
  domainRoot: string,
  dns: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [key, binary] of await readAnchorAttributes(ad, domainRoot, dns, dnKeyOf)) {
    try {
      out.set(key, anchorOf(binary).anchor);
    } catch {
      // A malformed GUID cannot be an anchor: the member is left out, as before.
    }
  }
  return out;
}
