import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { badRequest, duplicateValue, notFound } from '../../errors.js';
import type { Database, DomainsTable } from '../../store/schema.js';
import { isSet } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { DirectoryServiceDeps } from '../service-deps.js';
import { isDnsName } from '../users/user-rules.js';
import type { TxtLookup } from './dns-txt.js';

/** Graph's `domain` resource. */
export interface Domain {
  id: string;
  authenticationType: string;
  isAdminManaged: boolean;
  isDefault: boolean;
  isInitial: boolean;
  isRoot: boolean;
  isVerified: boolean;
  supportedServices: string[];
}

/** Graph's `domainDnsTxtRecord`. */
export interface DomainDnsTxtRecord {
  '@odata.type': '#microsoft.graph.domainDnsTxtRecord';
  id: string;
  isOptional: boolean;
  label: string;
  recordType: 'Txt';
  supportedService: string;
  text: string;
  ttl: number;
}

export const VERIFICATION_PREFIX = 'cloudsync-verification=';

function toDomain(row: DomainsTable): Domain {
  return {
    id: row.id,
    authenticationType: row.authentication_type,
    isAdminManaged: true,
    isDefault: isSet(row.is_default),
    isInitial: isSet(row.is_initial),
    isRoot: true,
    isVerified: isSet(row.is_verified),
    supportedServices: isSet(row.is_verified) ? ['Email'] : [],
  };
}

/**
 * Domains of the tenant: added unverified, verified by a DNS TXT record `cloudsync-verification=<token>`.
 * @example
 *   const domains = createDomainDirectory({ db, audit, clock, lookupTxt: createTxtLookup(['127.0.0.1:5353']) });
 */
export function createDomainDirectory(deps: DirectoryServiceDeps & { lookupTxt: TxtLookup }) {
  const { db, audit, clock, lookupTxt } = deps;

  async function requireRow(trx: Kysely<Database>, name: string): Promise<DomainsTable> {
    const row = await trx
      .selectFrom('domains')
      .selectAll()
      .where('id', '=', name.toLowerCase())
      .executeTakeFirst();
    if (!row) throw notFound(name);
    return row;
  }

  async function list(): Promise<Domain[]> {
    return (await db.selectFrom('domains').selectAll().orderBy('id').execute()).map(toDomain);
  }

  /** A new domain's row: an added one unverified, the tenant's initial one verified and default. */
  function newRow(id: string, initial: boolean): DomainsTable {
    const flag = initial ? 1 : 0;
    return {
      id,
      is_verified: flag,
      is_default: flag,
      is_initial: flag,
      authentication_type: 'Managed',
      verification_token: randomBytes(16).toString('hex'),
      created_at: clock.now().toISOString(),
      verified_at: initial ? clock.now().toISOString() : null,
    };
  }

  async function get(name: string): Promise<Domain> {
    return toDomain(await requireRow(db, name));
  }

  async function add(actor: Actor, name: string): Promise<Domain> {
    const id = name.toLowerCase();
    return audit.audited(
      actor,
      {
        category: 'DirectoryManagement',
        activity: 'Add unverified domain',
        operationType: 'Add',
        target: { id, type: 'Domain', name: id },
      },
      async (trx) => {
        if (!isDnsName(id)) throw badRequest(`'${name}' is not a valid domain name.`, 'id');
        const taken = await trx.selectFrom('domains').select('id').where('id', '=', id).executeTakeFirst();
        if (taken) throw duplicateValue('id');
        const row = newRow(id, false);
        await trx.insertInto('domains').values(row).execute();
        return toDomain(row);
      },
    );
  }

  async function verificationDnsRecords(name: string): Promise<DomainDnsTxtRecord[]> {
    const row = await requireRow(db, name);
    return [
      {
        '@odata.type': '#microsoft.graph.domainDnsTxtRecord',
        id: `txt-${row.id}`,
        isOptional: false,
        label: row.id,
        recordType: 'Txt',
        supportedService: 'Email',
        text: `${VERIFICATION_PREFIX}${row.verification_token}`,
        ttl: 3600,
      },
    ];
  }

  async function verify(actor: Actor, name: string): Promise<Domain> {
    const row = await requireRow(db, name);
    if (isSet(row.is_verified)) return toDomain(row);
    const expected = `${VERIFICATION_PREFIX}${row.verification_token}`;
    const records = await lookupTxt(row.id);
    return audit.audited(
      actor,
      {
        category: 'DirectoryManagement',
        activity: 'Verify domain',
        operationType: 'Verify',
        target: { id: row.id, type: 'Domain', name: row.id },
      },
      async (trx) => {
        if (!records.includes(expected)) {
          throw badRequest(
            `Domain verification failed: no TXT record '${expected}' was found at ${row.id}. ` +
              'Add it at your DNS host, wait for it to propagate, and try again.',
            'id',
          );
        }
        const verifiedAt = clock.now().toISOString();
        await trx
          .updateTable('domains')
          .set({ is_verified: 1, verified_at: verifiedAt })
          .where('id', '=', row.id)
          .execute();
        return toDomain({ ...row, is_verified: 1, verified_at: verifiedAt });
      },
    );
  }

  async function remove(actor: Actor, name: string): Promise<void> {
    await audit.audited(
      actor,
      {
        category: 'DirectoryManagement',
        activity: 'Remove domain',
        operationType: 'Delete',
        target: { id: name.toLowerCase(), type: 'Domain', name },
      },
      async (trx) => {
        const row = await requireRow(trx, name);
        if (isSet(row.is_initial)) throw badRequest('The initial domain cannot be removed.', 'id');
        const used = await trx
          .selectFrom('users')
          .select('id')
          .where('upn_key', 'like', `%@${row.id}`)
          .executeTakeFirst();
        if (used)
          throw badRequest(
            `Domain ${row.id} is still used by users' userPrincipalName; change them first.`,
            'id',
          );
        await trx.deleteFrom('domains').where('id', '=', row.id).execute();
      },
    );
  }

  /** Inserts the tenant's initial domain, verified and default (tenant init only). */
  async function addInitial(trx: Kysely<Database>, name: string): Promise<void> {
    await trx.insertInto('domains').values(newRow(name.toLowerCase(), true)).execute();
  }

  return { list, get, add, verificationDnsRecords, verify, remove, addInitial };
}

export type DomainDirectory = ReturnType<typeof createDomainDirectory>;
