import type { Kysely, SelectQueryBuilder } from 'kysely';
import { notFound, syncMastered } from '../../errors.js';
import type { ContactsTable, Database } from '../../store/schema.js';
import { isSet } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import { objectReads } from '../object-reads.js';
import { objectWrites } from '../object-writes.js';
import type { DirectoryServiceDeps } from '../service-deps.js';
import { timeOrderedId } from '../time-ordered-id.js';

/** Graph's `orgContact`. */
export interface DirectoryContact {
  id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  mailNickname: string | null;
  companyName: string | null;
  jobTitle: string | null;
  department: string | null;
  onPremisesSyncEnabled: boolean | null;
  onPremisesLastSyncDateTime: string | null;
  createdDateTime: string;
}

export interface ContactInput {
  displayName: string;
  givenName?: string | null;
  surname?: string | null;
  mail?: string | null;
  mailNickname?: string | null;
  companyName?: string | null;
  jobTitle?: string | null;
  department?: string | null;
}

export type ContactQuery = SelectQueryBuilder<Database, 'contacts', ContactsTable>;

/** Graph property → column, for `$filter`/`$orderby` on contacts. */
export const CONTACT_COLUMNS = {
  id: 'id',
  displayName: 'display_name',
  givenName: 'given_name',
  surname: 'surname',
  mail: 'mail',
  companyName: 'company_name',
  createdDateTime: 'created_at',
} as const satisfies Record<string, keyof ContactsTable>;

export function toContact(row: ContactsTable): DirectoryContact {
  return {
    id: row.id,
    displayName: row.display_name,
    givenName: row.given_name,
    surname: row.surname,
    mail: row.mail,
    mailNickname: row.mail_nickname,
    companyName: row.company_name,
    jobTitle: row.job_title,
    department: row.department,
    onPremisesSyncEnabled: isSet(row.on_premises_sync_enabled) ? true : null,
    onPremisesLastSyncDateTime: row.on_premises_last_sync_at,
    createdDateTime: row.created_at,
  };
}

function columns(input: Partial<ContactInput>): Partial<ContactsTable> {
  const v: Partial<ContactsTable> = {};
  if (input.displayName !== undefined) v.display_name = input.displayName;
  if (input.givenName !== undefined) v.given_name = input.givenName;
  if (input.surname !== undefined) v.surname = input.surname;
  if (input.mail !== undefined) v.mail = input.mail;
  if (input.mailNickname !== undefined) v.mail_nickname = input.mailNickname;
  if (input.companyName !== undefined) v.company_name = input.companyName;
  if (input.jobTitle !== undefined) v.job_title = input.jobTitle;
  if (input.department !== undefined) v.department = input.department;
  return v;
}

/** Organisational contacts (mail-enabled people outside the tenant). */
export function createContactDirectory({ db, audit, clock }: DirectoryServiceDeps) {
  async function requireRow(trx: Kysely<Database>, id: string): Promise<ContactsTable> {
    const row = await trx.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(id);
    return row;
  }
  const writes = objectWrites({
    audit,
    requireRow,
    category: 'DirectoryManagement',
    type: 'Contact',
    nameOf: (row) => row.display_name,
  });
  const query = (): ContactQuery => db.selectFrom('contacts').selectAll();
  const { get, list } = objectReads({ db, requireRow, query, toModel: toContact });

  function blank(id: string): ContactsTable {
    return {
      id,
      display_name: '',
      given_name: null,
      surname: null,
      mail: null,
      mail_nickname: null,
      company_name: null,
      job_title: null,
      department: null,
      on_premises_sync_enabled: 0,
      on_premises_immutable_id: null,
      on_premises_last_sync_at: null,
      created_at: clock.now().toISOString(),
    };
  }

  async function create(actor: Actor, input: ContactInput): Promise<DirectoryContact> {
    const id = timeOrderedId();
    return audit.audited(
      actor,
      {
        category: 'DirectoryManagement',
        activity: 'Add contact',
        operationType: 'Add',
        target: { id, type: 'Contact', name: input.displayName },
      },
      async (trx) => {
        const row = { ...blank(id), ...columns(input) };
        await trx.insertInto('contacts').values(row).execute();
        return toContact(row);
      },
    );
  }

  async function update(actor: Actor, id: string, patch: Partial<ContactInput>): Promise<DirectoryContact> {
    return writes.change(
      actor,
      id,
      { activity: 'Update contact', operationType: 'Update' },
      async (trx, row) => {
        const first = Object.keys(patch)[0];
        if (isSet(row.on_premises_sync_enabled) && first) throw syncMastered(first);
        const values = columns(patch);
        if (Object.keys(values).length > 0)
          await trx.updateTable('contacts').set(values).where('id', '=', id).execute();
        return toContact({ ...row, ...values });
      },
    );
  }

  async function remove(actor: Actor, id: string, options: { bySync?: boolean } = {}): Promise<void> {
    await writes.remove(
      actor,
      id,
      options,
      { activity: 'Delete contact', how: 'delete it on premises' },
      async (trx) => {
        await trx.deleteFrom('group_members').where('member_id', '=', id).execute();
        await trx.deleteFrom('contacts').where('id', '=', id).execute();
      },
    );
  }

  /** The sync ingest's entry: creates or updates the contact anchored by `immutableId`. */
  async function upsertSyncedContact(
    actor: Actor,
    immutableId: string,
    input: ContactInput,
  ): Promise<DirectoryContact> {
    return audit.audited(
      actor,
      { category: 'DirectoryManagement', activity: 'Synchronize contact', operationType: 'Update' },
      async (trx, event) => {
        const existing = await trx
          .selectFrom('contacts')
          .selectAll()
          .where('on_premises_immutable_id', '=', immutableId)
          .executeTakeFirst();
        const now = clock.now().toISOString();
        const row: ContactsTable = {
          ...(existing ?? blank(timeOrderedId())),
          ...columns(input),
          on_premises_sync_enabled: 1,
          on_premises_immutable_id: immutableId,
          on_premises_last_sync_at: now,
        };
        event.target = { id: row.id, type: 'Contact', name: row.display_name };
        if (existing) await trx.updateTable('contacts').set(row).where('id', '=', row.id).execute();
        else await trx.insertInto('contacts').values(row).execute();
        return toContact(row);
      },
    );
  }

  return { create, get, list, update, remove, upsertSyncedContact, query };
}

export type ContactDirectory = ReturnType<typeof createContactDirectory>;
