import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { createAuditLog } from './audit-log.js';
import type { Clock } from './clock.js';
import { createContactDirectory } from './contacts/contact-directory.js';
import type { TxtLookup } from './domains/dns-txt.js';
import { createDomainDirectory } from './domains/domain-directory.js';
import { createGroupDirectory } from './groups/group-directory.js';
import { createSyncedGroups } from './groups/synced-groups.js';
import { createLicenseDirectory } from './licenses/license-directory.js';
import { readOrganization } from './organization.js';
import { createRoleDirectory } from './roles/role-directory.js';
import { createDeletedUsers } from './users/deleted-users.js';
import { createSyncedUsers, findSignInRecord } from './users/synced-users.js';
import { createUserDirectory } from './users/user-directory.js';

export interface DirectoryDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** TXT lookup for domain verification (see `createTxtLookup`). */
  lookupTxt: TxtLookup;
  /** Password hashing for cloud-created users; scrypt by default. */
  hash?: (password: string) => Promise<string>;
}

/**
 * Every directory service over one store, sharing one audit log.
 * @example
 *   const directory = createDirectory({ db: store.db, clock: systemClock, lookupTxt: createTxtLookup() });
 *   await directory.users.get('admin@contoso.cloudsync.test');
 */
export function createDirectory(deps: DirectoryDeps) {
  return {
    ...directoryServices(deps),
    /** The same services over a caller's transaction: their writes join it (see `AuditLog.audited`). */
    within: (trx: Kysely<Database>): DirectoryServices => directoryServices({ ...deps, db: trx }),
  };
}

function directoryServices({ db, clock, lookupTxt, hash }: DirectoryDeps) {
  const audit = createAuditLog({ db, clock });
  const base = { db, audit, clock };
  return {
    audit,
    users: createUserDirectory({ ...base, ...(hash ? { hash } : {}) }),
    deletedUsers: createDeletedUsers(base),
    syncedUsers: createSyncedUsers(base),
    groups: createGroupDirectory(base),
    syncedGroups: createSyncedGroups(base),
    contacts: createContactDirectory(base),
    domains: createDomainDirectory({ ...base, lookupTxt }),
    licenses: createLicenseDirectory(base),
    roles: createRoleDirectory(base),
    organization: () => readOrganization(db),
    findSignInRecord: (upn: string) => findSignInRecord(db, upn),
  };
}

export type Directory = ReturnType<typeof createDirectory>;
/** The directory's services, without `within`. */
export type DirectoryServices = ReturnType<typeof directoryServices>;

export type { Actor } from './actor.js';
export { SYSTEM_ACTOR } from './actor.js';
export type { AuditLog, DirectoryAudit } from './audit-log.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export { createTxtLookup, type TxtLookup } from './domains/dns-txt.js';
export type { SyncedGroupInput } from './groups/synced-groups.js';
export { DEFAULT_CATALOGUE, MAIL_SERVICE_PLANS } from './licenses/catalogue.js';
export { RETENTION_DAYS } from './users/deleted-users.js';
export type { SignInRecord, SyncedUserInput } from './users/synced-users.js';
export type { DirectoryUser } from './users/user-model.js';
