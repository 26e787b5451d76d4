// The attributes and classes this client asks for and understands, by OID.

export const ATTR = {
  objectClass: '2.5.4.0',
  isDeleted: '1.2.840.113556.1.2.48',
  name: '1.2.840.113556.1.4.1',
  objectGUID: '1.2.840.113556.1.4.2',
  userAccountControl: '1.2.840.113556.1.4.8',
  unicodePwd: '1.2.840.113556.1.4.90',
  ntPwdHistory: '1.2.840.113556.1.4.94',
  pwdLastSet: '1.2.840.113556.1.4.96',
  dBCSPwd: '1.2.840.113556.1.4.55',
  lmPwdHistory: '1.2.840.113556.1.4.160',
  supplementalCredentials: '1.2.840.113556.1.4.125',
  objectSid: '1.2.840.113556.1.4.146',
  sAMAccountName: '1.2.840.113556.1.4.221',
  userPrincipalName: '1.2.840.113556.1.4.656',
} as const;

export type AttributeName = keyof typeof ATTR;

const BY_OID = new Map<string, AttributeName>(
  Object.entries(ATTR).map(([name, oid]) => [oid, name as AttributeName]), // keys of ATTR are AttributeName
);

export function attributeName(oid: string): AttributeName | undefined {
  return BY_OID.get(oid);
}

/** Secret attributes whose values carry the extra RID-keyed DES layer ([MS-DRSR] 4.1.10.6.17). */
export const RID_ENCRYPTED: ReadonlySet<string> = new Set([
  ATTR.unicodePwd,
  ATTR.ntPwdHistory,
  ATTR.dBCSPwd,
  ATTR.lmPwdHistory,
]);

export const CLASS = {
  top: '2.5.6.0',
  person: '2.5.6.6',
  organizationalPerson: '2.5.6.7',
  user: '1.2.840.113556.1.5.9',
  computer: '1.2.840.113556.1.3.30',
  group: '1.2.840.113556.1.5.8',
  inetOrgPerson: '2.16.840.1.113730.3.2.2',
} as const;

/**
 * What a password-hash-sync run asks for: identity, state and the NT hash. Password history and
 * supplementalCredentials are left out on purpose — the agent has no use for them.
 */
export const PHS_ATTRIBUTES: readonly string[] = [
  ATTR.objectClass,
  ATTR.isDeleted,
  ATTR.objectSid,
  ATTR.sAMAccountName,
  ATTR.userPrincipalName,
  ATTR.userAccountControl,
  ATTR.pwdLastSet,
  ATTR.unicodePwd,
];
