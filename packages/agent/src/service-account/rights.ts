// The rights the agent's service account may hold, as ACEs on the domain root.
import { ACE_FLAG, ACE_TYPE, type Ace, ADS_RIGHT } from './security-descriptor.js';

/** Control access rights and schema GUIDs ([MS-ADTS] 5.1.3.2.1, schema `schemaIDGUID`s). */
export const AD_GUID = {
  replicatingDirectoryChanges: '1131f6aa-9c07-11d1-f79f-00c04fc2dcd2',
  replicatingDirectoryChangesAll: '1131f6ad-9c07-11d1-f79f-00c04fc2dcd2',
  resetPassword: '00299570-246d-11d0-a768-00aa006e0529',
  lockoutTimeAttribute: '28630ebf-41d5-11d1-a9c1-0000f80367c1',
  pwdLastSetAttribute: 'bf967a0a-0de6-11d0-a285-00aa003049e2',
  userClass: 'bf967aba-0de6-11d0-a285-00aa003049e2',
} as const;

/** Names of the rights, as the wizard prints them. */
export type AgentRight =
  | 'Replicating Directory Changes'
  | 'Replicating Directory Changes All'
  | 'Reset Password'
  | 'Write lockoutTime'
  | 'Write pwdLastSet';

/** A right held (or to hold) on an object: what the wizard prints. */
export interface GrantedRight {
  right: AgentRight;
  /** Where: the domain root DN, or "descendant user objects of <DN>". */
  on: string;
}

/** Which features the account serves. */
export interface AgentFeatures {
  /** Password hash sync: needs both replication rights (MS-DRSR GetNCChanges). */
  passwordHashSync: boolean;
  /** Password writeback: reset passwords, unlock, and require a change at next sign-in. */
  writeback: boolean;
}

interface RightTemplate {
  right: AgentRight;
  onDescendantUsers: boolean;
  ace: (sid: string) => Ace;
}

const controlAccess = (objectType: string) => (sid: string) => ({
  type: ACE_TYPE.accessAllowedObject,
  flags: 0,
  mask: ADS_RIGHT.controlAccess,
  objectType,
  sid,
});

// Inherit-only, container-inherit, limited to user objects: applies to every user below the root.
const onUsers = (mask: number, objectType: string) => (sid: string) => ({
  type: ACE_TYPE.accessAllowedObject,
  flags: ACE_FLAG.containerInherit | ACE_FLAG.inheritOnly,
  mask,
  objectType,
  inheritedObjectType: AD_GUID.userClass,
  sid,
});

const TEMPLATES: Record<AgentRight, RightTemplate> = {
  'Replicating Directory Changes': {
    right: 'Replicating Directory Changes',
    onDescendantUsers: false,
    ace: controlAccess(AD_GUID.replicatingDirectoryChanges),
  },
  'Replicating Directory Changes All': {
    right: 'Replicating Directory Changes All',
    onDescendantUsers: false,
    ace: controlAccess(AD_GUID.replicatingDirectoryChangesAll),
  },
  'Reset Password': {
    right: 'Reset Password',
    onDescendantUsers: true,
    ace: onUsers(ADS_RIGHT.controlAccess, AD_GUID.resetPassword),
  },
  'Write lockoutTime': {
    right: 'Write lockoutTime',
    onDescendantUsers: true,
    ace: onUsers(ADS_RIGHT.writeProperty, AD_GUID.lockoutTimeAttribute),
  },
  'Write pwdLastSet': {
    right: 'Write pwdLastSet',
    onDescendantUsers: true,
    ace: onUsers(ADS_RIGHT.writeProperty, AD_GUID.pwdLastSetAttribute),
  },
};

/**
 * The rights the features need. Reading the directory (full import, DirSync with the object-security
 * flag, change notification) needs nothing beyond what Authenticated Users hold.
 */
export function rightsFor(features: AgentFeatures): AgentRight[] {
  const out: AgentRight[] = [];
  if (features.passwordHashSync)
    out.push('Replicating Directory Changes', 'Replicating Directory Changes All');
  if (features.writeback) out.push('Reset Password', 'Write lockoutTime', 'Write pwdLastSet');
  return out;
}

/** The ACE that grants `right` to `sid` on the domain root. */
export function aceFor(right: AgentRight, sid: string): Ace {
  return TEMPLATES[right].ace(sid);
}

/** `{ right, on }` for display. */
export function describe(right: AgentRight, domainRoot: string): GrantedRight {
  return {
    right,
    on: TEMPLATES[right].onDescendantUsers ? `descendant user objects of ${domainRoot}` : domainRoot,
  };
}

/** Every right this module knows, for removal and reports. */
export const ALL_RIGHTS: readonly AgentRight[] = [
  'Replicating Directory Changes',
  'Replicating Directory Changes All',
  'Reset Password',
  'Write lockoutTime',
  'Write pwdLastSet',
];

/**
 * True when `aces` grant `right` to one of `sids`: an allow ACE whose mask covers the needed bits and
 * whose object type is the right's (or absent: all rights/properties). Deny ACEs are not evaluated.
 */
export function holds(aces: readonly Ace[], right: AgentRight, sids: ReadonlySet<string>): boolean {
  const want = TEMPLATES[right].ace('S-1-0-0');
  return aces.some((a) => {
    if (!sids.has(a.sid)) return false;
    if (a.type !== ACE_TYPE.accessAllowed && a.type !== ACE_TYPE.accessAllowedObject) return false;
    if ((a.mask & want.mask) !== want.mask && (a.mask & ADS_RIGHT.genericAll) === 0) return false;
    if (a.type === ACE_TYPE.accessAllowedObject && a.objectType && a.objectType !== want.objectType)
      return false;
    const inheritOnly = (a.flags & ACE_FLAG.inheritOnly) !== 0;
    if (!TEMPLATES[right].onDescendantUsers) return !inheritOnly;
    // Descendant users: an inheritable ACE for users (or for all classes).
    const inherits = (a.flags & ACE_FLAG.containerInherit) !== 0;
    const forUsers = !a.inheritedObjectType || a.inheritedObjectType === AD_GUID.userClass;
    return inherits && forUsers;
  });
}
