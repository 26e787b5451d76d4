import type { Kysely } from 'kysely';
import { badRequest } from '../../errors.js';
import type { Database, UsersTable } from '../../store/schema.js';
import { isSet } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { AuditLog } from '../audit-log.js';
import type { Clock } from '../clock.js';
import { timeOrderedId } from '../time-ordered-id.js';
import { emptyUserRow } from './user-directory.js';
import { type DirectoryUser, toDirectoryUser } from './user-model.js';
import { assertUpnFree, mapUniqueViolation, withLicenses } from './user-queries.js';
import { parseUpn } from './user-rules.js';

/** A user as the sync ingest hands it over: on-premises-mastered attributes, anchored by immutable id. */
export interface SyncedUserInput {
  onPremisesImmutableId: string;
  userPrincipalName: string;
  displayName: string;
  accountEnabled: boolean;
  givenName?: string | null;
  surname?: string | null;
  mail?: string | null;
  mailNickname?: string | null;
  jobTitle?: string | null;
  department?: string | null;
  officeLocation?: string | null;
  mobilePhone?: string | null;
  companyName?: string | null;
  employeeId?: string | null;
  onPremisesSamAccountName?: string | null;
  onPremisesDistinguishedName?: string | null;
  onPremisesDomainName?: string | null;
  onPremisesSecurityIdentifier?: string | null;
  onPremisesUserPrincipalName?: string | null;
}

function syncedValues(input: SyncedUserInput, now: string): Partial<UsersTable> {
  return {
    user_principal_name: input.userPrincipalName,
    upn_key: input.userPrincipalName.toLowerCase(),
    display_name: input.displayName,
    account_enabled: input.accountEnabled ? 1 : 0,
    given_name: input.givenName ?? null,
    surname: input.surname ?? null,
    mail: input.mail ?? null,
    mail_nickname: input.mailNickname ?? parseUpn(input.userPrincipalName).local,
    job_title: input.jobTitle ?? null,
    department: input.department ?? null,
    office_location: input.officeLocation ?? null,
    mobile_phone: input.mobilePhone ?? null,
    company_name: input.companyName ?? null,
    employee_id: input.employeeId ?? null,
    on_premises_sync_enabled: 1,
    on_premises_immutable_id: input.onPremisesImmutableId,
    on_premises_sam_account_name: input.onPremisesSamAccountName ?? null,
    on_premises_distinguished_name: input.onPremisesDistinguishedName ?? null,
    on_premises_domain_name: input.onPremisesDomainName ?? null,
    on_premises_security_identifier: input.onPremisesSecurityIdentifier ?? null,
    on_premises_user_principal_name: input.onPremisesUserPrincipalName ?? null,
    on_premises_last_sync_at: now,
  };
}

/**
 * The sync ingest's entry to users: writes on-premises-mastered attributes without the admin guard.
 * UPN rules (verified suffix, conflict variants) are the ingest's to apply before calling; this
 * layer only keeps UPNs unique. Cloud-mastered attributes (usage location, licences) are left alone.
 */
export function createSyncedUsers({
  db,
  audit,
  clock,
}: {
  db: Kysely<Database>;
  audit: AuditLog;
  clock: Clock;
}) {
  async function findByImmutableId(immutableId: string): Promise<DirectoryUser | undefined> {
    const row = await db
      .selectFrom('users')
      .selectAll()
      .where('on_premises_immutable_id', '=', immutableId)
      .executeTakeFirst();
    return row ? (await withLicenses(db, [row]))[0] : undefined;
  }

  /** Creates or updates the user anchored by `onPremisesImmutableId` (a directory `within` a transaction batches). */
  async function upsertSyncedUser(
    actor: Actor,
    input: SyncedUserInput,
  ): Promise<{ user: DirectoryUser; created: boolean }> {
    if (!input.onPremisesImmutableId)
      throw badRequest('onPremisesImmutableId is required', 'onPremisesImmutableId');
    const now = clock.now().toISOString();
    return audit.audited(
      actor,
      { category: 'UserManagement', activity: 'Synchronize user', operationType: 'Update' },
      async (trx, event) => {
        const existing = await trx
          .selectFrom('users')
          .selectAll()
          .where('on_premises_immutable_id', '=', input.onPremisesImmutableId)
          .executeTakeFirst();
        const id = existing?.id ?? timeOrderedId();
        event.target = { id, type: 'User', name: input.userPrincipalName };
        event.operationType = existing ? 'Update' : 'Add';
        await assertUpnFree(trx, input.userPrincipalName, id);
        const values = syncedValues(input, now);
        const write = existing
          ? trx.updateTable('users').set(values).where('id', '=', id).execute()
          : trx
              .insertInto('users')
              .values({ ...emptyUserRow(id, now), ...values })
              .execute();
        await write.catch((err: unknown) => mapUniqueViolation(err, 'userPrincipalName'));
        // The row as written (every column is text, a number or null): no need to read it back.
        const row: UsersTable = { ...(existing ?? emptyUserRow(id, now)), ...values };
        const [user] = existing ? await withLicenses(trx, [row]) : [toDirectoryUser(row, [])];
        if (!user) throw new Error('unreachable');
        return { user, created: !existing };
      },
    );
  }

  /** Stores a password hash (hash-of-hash from password hash sync, or a reset); never audited with the value. */
  async function setPasswordHash(actor: Actor, userId: string, passwordHash: string): Promise<void> {
    await audit.audited(
      actor,
      { category: 'UserManagement', activity: 'Change user password', operationType: 'Update' },
      async (trx, event) => {
        event.target = { id: userId, type: 'User' };
        const r = await trx
          .updateTable('users')
          .set({ password_hash: passwordHash, password_changed_at: clock.now().toISOString() })
          .where('id', '=', userId)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw badRequest(`user ${userId} does not exist`, 'id');
      },
    );
  }

  return { findByImmutableId, upsertSyncedUser, setPasswordHash };
}

export type SyncedUsers = ReturnType<typeof createSyncedUsers>;

/** What sign-in needs to check a password: never leaves the server. */
export interface SignInRecord {
  id: string;
  userPrincipalName: string;
  accountEnabled: boolean;
  passwordHash: string | null;
}

/** Looks up a live user for sign-in by UPN (case-insensitive). */
export async function findSignInRecord(db: Kysely<Database>, upn: string): Promise<SignInRecord | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'user_principal_name', 'account_enabled', 'password_hash'])
    .where('upn_key', '=', upn.toLowerCase())
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        userPrincipalName: row.user_principal_name,
        accountEnabled: isSet(row.account_enabled),
        passwordHash: row.password_hash,
      }
    : undefined;
}
