// Granting and revoking the agent's rights on the domain root: edits of its DACL over LDAP.
import type { AdConnection } from '../ad/connection.js';
import { AdError } from '../ad/errors.js';
import { readDacl, writeDacl } from './dacl.js';
import { type AgentRight, aceFor, describe, type GrantedRight } from './rights.js';
import {
  type Ace,
  addAces,
  isInherited,
  removeAcesOf,
  type SecurityDescriptor,
  sameAce,
} from './security-descriptor.js';

/**
 * Applies `edit` to the domain root's DACL and writes it back, then re-reads it until `done` holds.
 * A write is read-modify-write of the whole DACL, so a concurrent writer could undo it; checking
 * and retrying makes ours stick.
 */
async function editDacl(
  ad: AdConnection,
  dn: string,
  edit: (sd: SecurityDescriptor) => number,
  done: (sd: SecurityDescriptor) => boolean,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const sd = await readDacl(ad, dn);
    if (edit(sd) > 0) await writeDacl(ad, dn, sd);
    if (done(await readDacl(ad, dn))) return;
    if (attempt >= 5)
      throw new AdError('ad.protocol', `the DACL of ${dn} did not keep the change after ${attempt} writes`);
  }
}

/** Grants `rights` to `sid` on the domain root (read DACL, add ACEs, write back). */
export async function grantRights(
  ad: AdConnection,
  domainRoot: string,
  sid: string,
  rights: readonly AgentRight[],
): Promise<GrantedRight[]> {
  if (rights.length === 0) return [];
  const aces = rights.map((r) => aceFor(r, sid));
  await editDacl(
    ad,
    domainRoot,
    (sd) => addAces(sd, aces),
    (sd) => aces.every((a) => sd.dacl?.aces.some((b) => !isInherited(b) && sameAce(a, b))),
  );
  return rights.map((r) => describe(r, domainRoot));
}

/** Removes every explicit ACE of `sid` from the domain root; returns how many there were. */
export async function revokeAll(ad: AdConnection, domainRoot: string, sid: string): Promise<number> {
  let removed = 0;
  await editDacl(
    ad,
    domainRoot,
    (sd) => {
      const n = removeAcesOf(sd, sid);
      removed += n;
      return n;
    },
    (sd) => !sd.dacl?.aces.some((a) => !isInherited(a) && a.sid === sid),
  );
  return removed;
}

/**
 * Makes `rights` exactly what `sid` holds explicitly on the domain root: adds the missing ACEs and
 * removes its other explicit ACEs, in one DACL write (a repair after features changed).
 */
export async function setExactRights(
  ad: AdConnection,
  domainRoot: string,
  sid: string,
  rights: readonly AgentRight[],
): Promise<GrantedRight[]> {
  const wanted = rights.map((r) => aceFor(r, sid));
  const isWanted = (a: Ace) => wanted.some((w) => sameAce(a, w));
  const stray = (a: Ace) => !isInherited(a) && a.sid === sid && !isWanted(a);
  await editDacl(
    ad,
    domainRoot,
    (sd) => {
      const before = sd.dacl?.aces.length ?? 0;
      if (sd.dacl) sd.dacl.aces = sd.dacl.aces.filter((a) => !stray(a));
      const removed = before - (sd.dacl?.aces.length ?? 0);
      return removed + addAces(sd, wanted);
    },
    (sd) =>
      !sd.dacl?.aces.some(stray) &&
      wanted.every((w) => sd.dacl?.aces.some((b) => !isInherited(b) && sameAce(w, b))),
  );
  return rights.map((r) => describe(r, domainRoot));
}
