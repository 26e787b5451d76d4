// One account, or a list of them, on demand: EXOP_REPL_OBJ over one session.
import { type ReplicatedAccount, toAccount } from './account.js';
import {
  EXOP,
  EXOP_ERR_SUCCESS,
  MAX_NDR_SIZE,
  NAME_FORMAT,
  OBJECT_REPLICATION_FLAGS,
} from './drsuapi/constants.js';
import type { DrsuapiSession } from './drsuapi/session.js';
import { DrsrError } from './errors.js';
import {
  type ConnectionOptions,
  checkReply,
  type Domain,
  discoverDomain,
  openSession,
  PARTIAL_ATTRIBUTE_SET,
} from './replication-setup.js';

export interface ObjectOptions extends ConnectionOptions {
  /** sAMAccountName (`bobby`) or distinguished name (`CN=Bobby,CN=Users,DC=…`). */
  account: string;
}

export interface ObjectsOptions extends ConnectionOptions {
  /** sAMAccountNames or distinguished names, replicated one by one over a single session. */
  accounts: Iterable<string>;
}

async function resolveDn(session: DrsuapiSession, domain: Domain, account: string): Promise<string> {
  if (account.includes('=')) return account;
  const cracked = await session.crackName(
    `${domain.netbiosDomain}\\${account}`,
    NAME_FORMAT.NT4_ACCOUNT,
    NAME_FORMAT.FQDN_1779,
  );
  if (cracked.status !== 0 || !cracked.name) {
    throw new DrsrError('drsr.name_not_found', `no account '${account}' in ${domain.dnsDomain}`, {
      status: cracked.status,
    });
  }
  return cracked.name;
}

async function replicateOne(
  session: DrsuapiSession,
  domain: Domain,
  opts: ConnectionOptions,
  account: string,
): Promise<ReplicatedAccount> {
  const dn = await resolveDn(session, domain, account);
  const reply = await session.getNcChanges({
    destinationDsa: domain.destinationDsa,
    nc: { dn },
    flags: OBJECT_REPLICATION_FLAGS,
    maxObjects: 1,
    maxBytes: MAX_NDR_SIZE,
    extendedOp: EXOP.REPL_OBJ,
    partialAttributeSet: PARTIAL_ATTRIBUTE_SET,
  });
  checkReply(reply, opts, dn, domain.namingContext);
  if (reply.extendedRet !== EXOP_ERR_SUCCESS) {
    throw new DrsrError(
      'drsr.rpc_fault',
      `EXOP_REPL_OBJ for ${dn} failed (extended result ${reply.extendedRet})`,
      {
        status: reply.extendedRet,
      },
    );
  }
  const obj = reply.objects.find((o) => o.name.dn.toLowerCase() === dn.toLowerCase()) ?? reply.objects[0];
  if (!obj) throw new DrsrError('drsr.name_not_found', `the DC returned no object for ${dn}`);
  return toAccount(obj, reply.prefixTable, session.sessionKey);
}

/**
 * Replicates one account (EXOP_REPL_OBJ) with its NT hash; the caller zeroes `ntHash` after use.
 * @example const bobby = await replicateObject({ host, credentials, account: 'bobby' });
 */
export async function replicateObject(opts: ObjectOptions): Promise<ReplicatedAccount> {
  const session = await openSession(opts);
  try {
    return await replicateOne(session, await discoverDomain(session, opts), opts, opts.account);
  } finally {
    await session.close();
  }
}

/**
 * Replicates several accounts over one session, yielding each with the name it was asked for;
 * `replicated` is undefined for a name the DC does not know. Other errors end the iteration.
 * @example
 *   for await (const { account, replicated } of replicateObjects({ host, credentials, accounts })) {
 *     replicated?.ntHash?.fill(0);
 *   }
 */
export async function* replicateObjects(
  opts: ObjectsOptions,
): AsyncGenerator<{ account: string; replicated: ReplicatedAccount | undefined }> {
  const session = await openSession(opts);
  try {
    const domain = await discoverDomain(session, opts);
    for (const account of opts.accounts) {
      if (opts.signal?.aborted) throw new DrsrError('drsr.aborted', 'replication was cancelled');
      try {
        yield { account, replicated: await replicateOne(session, domain, opts, account) };
      } catch (e) {
        if (!(e instanceof DrsrError && e.code === 'drsr.name_not_found')) throw e;
        yield { account, replicated: undefined };
      }
    }
  } finally {
    await session.close();
  }
}
