import type { Kysely, SelectQueryBuilder } from 'kysely';
import { badRequest, syncMastered } from '../../errors.js';
import { hashPassword } from '../../sign-in/password-hash.js';
import type { Database, UsersTable } from '../../store/schema.js';
import { isSet } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { ModifiedProperty } from '../audit-log.js';
import { CLOUD_ONLY_COLUMNS } from '../cloud-only.js';
import { isVerifiedDomain } from '../domains/domain-queries.js';
import { assertNotLastGlobalAdmin } from '../roles/role-directory.js';
import type { DirectoryServiceDeps } from '../service-deps.js';
import { timeOrderedId } from '../time-ordered-id.js';
import {
  type DirectoryUser,
  SYNC_MASTERED_USER_PROPERTIES,
  toDirectoryUser,
  USER_PROFILE_COLUMNS,
} from './user-model.js';
import {
  assertUpnFree,
  mapUniqueViolation,
  requireUserRow,
  userWrites,
  withLicenses,
} from './user-queries.js';
import { assertPasswordComplexity, parseUpn } from './user-rules.js';

/** Profile attributes an admin may set on create and update. */
export type UserProfile = {
  -readonly [K in keyof typeof USER_PROFILE_COLUMNS]?: K extends 'accountEnabled' ? boolean : string | null;
};

export interface NewUser extends UserProfile {
  displayName: string;
  userPrincipalName: string;
  /** Without a password the user cannot sign in until one is set (a cloudsync relaxation of Graph). */
  passwordProfile?: { password: string; forceChangePasswordNextSignIn?: boolean };
}

export interface UserPatch extends UserProfile {
  userPrincipalName?: string;
  passwordProfile?: { password: string; forceChangePasswordNextSignIn?: boolean };
}

/** A live-users query a caller may refine (filter, order, page) before it runs. */
export type UserQuery = SelectQueryBuilder<Database, 'users', UsersTable>;

export interface UserDirectoryDeps extends DirectoryServiceDeps {
  /** Password hashing; scrypt by default. */
  hash?: (password: string) => Promise<string>;
}

function profileValues(input: UserProfile): Partial<UsersTable> {
  const values: Partial<Record<keyof UsersTable, string | number | null>> = {};
  for (const [prop, column] of Object.entries(USER_PROFILE_COLUMNS)) {
    // prop is a key of USER_PROFILE_COLUMNS, which UserProfile mirrors.
    const v = input[prop as keyof UserProfile];
    if (v === undefined) continue;
    values[column] = typeof v === 'boolean' ? Number(v) : v;
  }
  // Keys come from USER_PROFILE_COLUMNS, whose values are UsersTable columns of these value types.
  return values as Partial<UsersTable>;
}

/**
 * Users of the directory: cloud-created users and the admin view of synced ones.
 * @example
 *   const users = createUserDirectory({ db, audit, clock: systemClock });
 *   const alice = await users.create(actor, { displayName: 'Alice', userPrincipalName: 'alice@contoso.cloudsync.test' });
 */
export function createUserDirectory({ db, audit, clock, hash = hashPassword }: UserDirectoryDeps) {
  async function assertUsableUpn(trx: Kysely<Database>, upn: string, exceptId?: string): Promise<void> {
    const { domain } = parseUpn(upn);
    if (!(await isVerifiedDomain(trx, domain))) {
      throw badRequest(
        'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
        'userPrincipalName',
      );
    }
    await assertUpnFree(trx, upn, exceptId);
  }

  async function create(actor: Actor, input: NewUser): Promise<DirectoryUser> {
    if (input.passwordProfile) assertPasswordComplexity(input.passwordProfile.password);
    const passwordHash = input.passwordProfile ? await hash(input.passwordProfile.password) : null;
    const id = timeOrderedId();
    const now = clock.now().toISOString();
    return audit.audited(
      actor,
      { category: 'UserManagement', activity: 'Add user', operationType: 'Add' },
      async (trx, event) => {
        event.target = { id, type: 'User', name: input.userPrincipalName };
        await assertUsableUpn(trx, input.userPrincipalName);
        const row: UsersTable = {
          ...emptyUserRow(id, now),
          ...profileValues(input),
          user_principal_name: input.userPrincipalName,
          upn_key: input.userPrincipalName.toLowerCase(),
          display_name: input.displayName,
          mail_nickname: input.mailNickname ?? parseUpn(input.userPrincipalName).local,
          password_hash: passwordHash,
          password_changed_at: passwordHash ? now : null,
        };
        await trx
          .insertInto('users')
          .values(row)
          .execute()
          .catch((err: unknown) => mapUniqueViolation(err, 'userPrincipalName'));
        return toDirectoryUser(row, []);
      },
    );
  }

  async function get(idOrUpn: string): Promise<DirectoryUser> {
    const [user] = await withLicenses(db, [await requireUserRow(db, idOrUpn)]);
    if (!user) throw new Error('unreachable');
    return user;
  }

  /** Lists live users; `refine` adds filters, order and limits (OData), default order is by id. */
  async function list(refine: (q: UserQuery) => UserQuery): Promise<DirectoryUser[]> {
    const rows = await refine(db.selectFrom('users').selectAll().where('deleted_at', 'is', null)).execute();
    return withLicenses(db, rows);
  }

  async function update(actor: Actor, idOrUpn: string, patch: UserPatch): Promise<DirectoryUser> {
    if (patch.passwordProfile) assertPasswordComplexity(patch.passwordProfile.password);
    return userWrites(audit).change(
      actor,
      idOrUpn,
      { activity: 'Update user', operationType: 'Update' },
      async (trx, before, event) => {
        if (isSet(before.on_premises_sync_enabled)) {
          const mastered = Object.keys(patch).find((p) => SYNC_MASTERED_USER_PROPERTIES.has(p));
          if (mastered) throw syncMastered(mastered);
        }
        if (patch.accountEnabled === false) await assertNotLastGlobalAdmin(trx, before.id);
        const values: Partial<UsersTable> = profileValues(patch);
        if (patch.userPrincipalName !== undefined) {
          await assertUsableUpn(trx, patch.userPrincipalName, before.id);
          values.user_principal_name = patch.userPrincipalName;
          values.upn_key = patch.userPrincipalName.toLowerCase();
        }
        if (patch.passwordProfile) {
          values.password_hash = await hash(patch.passwordProfile.password);
          values.password_changed_at = clock.now().toISOString();
        }
        event.modifiedProperties = describeChanges(before, values);
        if (Object.keys(values).length > 0) {
          await trx
            .updateTable('users')
            .set(values)
            .where('id', '=', before.id)
            .execute()
            .catch((err: unknown) => mapUniqueViolation(err, 'userPrincipalName'));
        }
        const [user] = await withLicenses(trx, [await requireUserRow(trx, before.id)]);
        if (!user) throw new Error('unreachable');
        return user;
      },
    );
  }

  /** The live-users query for OData to refine and run; turn its rows into users with `hydrate`. */
  function query(): UserQuery {
    return db.selectFrom('users').selectAll().where('deleted_at', 'is', null);
  }

  const hydrate = (rows: UsersTable[]) => withLicenses(db, rows);

  return { create, get, list, update, query, hydrate };
}

export type UserDirectory = ReturnType<typeof createUserDirectory>;

function describeChanges(before: UsersTable, values: Partial<UsersTable>): ModifiedProperty[] {
  const changes: ModifiedProperty[] = [];
  for (const [column, value] of Object.entries(values)) {
    if (column === 'upn_key' || column === 'password_changed_at') continue;
    const secret = column === 'password_hash';
    // column comes from Object.entries of a Partial<UsersTable>.
    const old = before[column as keyof UsersTable];
    changes.push({
      displayName: column,
      oldValue: secret ? null : JSON.stringify(old ?? null),
      newValue: secret ? null : JSON.stringify(value ?? null),
    });
  }
  return changes;
}

/** A user row with every optional column empty. */
export function emptyUserRow(id: string, now: string): UsersTable {
  return {
    id,
    user_principal_name: '',
    upn_key: '',
    display_name: '',
    given_name: null,
    surname: null,
    mail: null,
    mail_nickname: null,
    account_enabled: 1,
    usage_location: null,
    job_title: null,
    department: null,
    office_location: null,
    mobile_phone: null,
    company_name: null,
    employee_id: null,
    ...CLOUD_ONLY_COLUMNS,
    on_premises_user_principal_name: null,
    password_hash: null,
    password_changed_at: null,
    created_at: now,
    deleted_at: null,
  };
}
