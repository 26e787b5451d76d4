// The public replication flows: every account of the domain with its NT hash (full or from a
// watermark), and one account on demand. Each is a pipeline of named steps:
// open session → discover the domain → GetNCChanges pages → typed accounts → watermark.
import { hostname } from 'node:os';
import { ntHash as computeNtHash } from '@cloudsync/protocol';
import { isWantedAccount, type ReplicatedAccount, toAccount } from './account.js';
import { PHS_ATTRIBUTES } from './drsuapi/attributes.js';
import {
  ERROR_ACCESS_DENIED,
  ERROR_DS_CANT_FIND_EXPECTED_NC,
  ERROR_DS_DRA_ACCESS_DENIED,
  ERROR_DS_DRA_BAD_DN,
  EXOP,
  EXOP_ERR_SUCCESS,
  MAX_NDR_SIZE,
  NAME_FORMAT,
  NC_REPLICATION_FLAGS,
  OBJECT_REPLICATION_FLAGS,
} from './drsuapi/constants.js';
import type { GetNcChangesReply } from './drsuapi/get-nc-changes-reply.js';
import { attidFromOid } from './drsuapi/prefix-table.js';
import { DrsuapiSession } from './drsuapi/session.js';
import { ZERO_USN_VECTOR } from './drsuapi/usn.js';
import { DrsrError } from './errors.js';
import type { NtlmCredentials } from './ntlm/client.js';
import { cursorsOf, toWatermark, usnVectorOf, type Watermark } from './watermark.js';

/** The replication account. Give the password, or its NT hash if that is what the agent stores. */
export type ReplicationCredentials =
  | { domain: string; username: string; password: string }
  | { domain: string; username: string; ntHash: Uint8Array };

export interface ConnectionOptions {
  /** DC host name or IP address. */
  host: string;
  /** DRSUAPI port; resolved through the endpoint mapper on TCP 135 when omitted. */
  port?: number;
  /** Domain (NetBIOS `CORP` or DNS `corp.example.com`) and account (`svc-sync`) with both replication rights. */
  credentials: ReplicationCredentials;
  signal?: AbortSignal;
  /** Time to wait for any one answer from the DC (default 120 s). */
  timeoutMs?: number;
}

export interface ReplicationOptions extends ConnectionOptions {
  /** The watermark a previous run returned; only changes since then come back. */
  since?: Watermark;
  /** Objects per GetNCChanges page (default 1000). */
  pageSize?: number;
  /** Also return computer accounts (default false). */
  includeComputers?: boolean;
}

/** An in-progress replication: iterate it for accounts, then read `watermark`. */
export interface ReplicationRun extends AsyncIterable<ReplicatedAccount> {
  /** Set once iteration has finished cleanly: save it and pass it as `since` next time. */
  readonly watermark: Watermark | undefined;
  /** True when `since` was given but belongs to another DC (or a restored one): a full run. */
  readonly restartedFromScratch: boolean;
}

const PARTIAL_ATTRIBUTE_SET = PHS_ATTRIBUTES.map(attidFromOid);

function ntlmCredentials(c: ReplicationCredentials): NtlmCredentials {
  const workstation = hostname().split('.')[0]?.toUpperCase().slice(0, 15) ?? '';
  const nt = 'password' in c ? computeNtHash(c.password) : Buffer.from(c.ntHash);
  return { domain: c.domain, user: c.username, ntHash: nt, workstation };
}

async function openSession(opts: ConnectionOptions): Promise<DrsuapiSession> {
  const credentials = ntlmCredentials(opts.credentials);
  try {
    return await DrsuapiSession.open({
      host: opts.host,
      port: opts.port,
      credentials,
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
    });
  } finally {
    credentials.ntHash.fill(0);
  }
}

interface Domain {
  namingContext: string;
  dnsDomain: string;
  /** NetBIOS name, for NT4-style account names (`CORP\\bobby`). */
  netbiosDomain: string;
  destinationDsa: string;
}

/** The domain root from a NetBIOS (`CORP`) or DNS (`corp.example.com`) domain name. */
async function crackDomainRoot(session: DrsuapiSession, domain: string) {
  const nt4 = await session.crackName(`${domain}\\`, NAME_FORMAT.NT4_ACCOUNT, NAME_FORMAT.FQDN_1779);
  if (nt4.status === 0 || !domain.includes('.')) return nt4;
  return session.crackName(`${domain}/`, NAME_FORMAT.CANONICAL, NAME_FORMAT.FQDN_1779);
}

/** Finds the domain root DN and the DC's nTDSDSA GUID (the destination GetNCChanges expects). */
async function discoverDomain(session: DrsuapiSession, opts: ConnectionOptions): Promise<Domain> {
  const root = await crackDomainRoot(session, opts.credentials.domain);
  if (root.status !== 0 || !root.name || !root.domain) {
    throw new DrsrError(
      'drsr.name_not_found',
      `the DC does not know the domain '${opts.credentials.domain}' (status ${root.status}); give its NetBIOS or DNS name`,
    );
  }
  const nt4 = await session.crackName(root.name, NAME_FORMAT.FQDN_1779, NAME_FORMAT.NT4_ACCOUNT);
  const netbiosDomain = nt4.status === 0 && nt4.name ? nt4.name.replace(/\\$/, '') : opts.credentials.domain;
  const dcs = await session.domainControllers(root.domain);
  const host = opts.host.toLowerCase();
  const dc = dcs.find((d) => d.dnsHostName?.toLowerCase() === host) ?? dcs[0];
  if (!dc) throw new DrsrError('drsr.rpc_fault', `the DC lists no domain controllers for ${root.domain}`);
  return {
    namingContext: root.name,
    dnsDomain: root.domain,
    netbiosDomain,
    destinationDsa: dc.ntdsDsaObjectGuid,
  };
}

function checkReply(reply: GetNcChangesReply, opts: ConnectionOptions, nc: string, root = nc): void {
  if (reply.status === 0) return;
  const account = `${opts.credentials.domain}\\${opts.credentials.username}`;
  if (reply.status === ERROR_DS_DRA_ACCESS_DENIED || reply.status === ERROR_ACCESS_DENIED) {
    throw new DrsrError(
      'drsr.missing_rights',
      `${account} may not replicate secrets: grant 'Replicating Directory Changes' and ` +
        `'Replicating Directory Changes All' on ${root} to ${account}`,
      { status: reply.status },
    );
  }
  if (reply.status === ERROR_DS_DRA_BAD_DN || reply.status === ERROR_DS_CANT_FIND_EXPECTED_NC) {
    throw new DrsrError('drsr.name_not_found', `the DC has no object or naming context ${nc}`, {
      status: reply.status,
    });
  }
  throw new DrsrError('drsr.rpc_fault', `IDL_DRSGetNCChanges failed with Win32 error ${reply.status}`, {
    status: reply.status,
  });
}

/**
 * Replicates the domain naming context and yields every user account with its NT hash.
 * Each `ntHash` buffer belongs to the caller, who must zero it after use.
 * @example
 *   const run = replicateSecrets({ host: 'dc1.corp.example', credentials, since: saved });
 *   for await (const account of run) {
 *     await send(account);
 *     account.ntHash?.fill(0);
 *   }
 *   await store(JSON.stringify(run.watermark));
 */
export function replicateSecrets(opts: ReplicationOptions): ReplicationRun {
  const state: { watermark: Watermark | undefined; restarted: boolean } = {
    watermark: undefined,
    restarted: false,
  };
  async function* run(): AsyncGenerator<ReplicatedAccount> {
    const session = await openSession(opts);
    try {
      const domain = await discoverDomain(session, opts);
      let since = opts.since;
      let from = since ? usnVectorOf(since) : ZERO_USN_VECTOR;
      for (let page = 0; ; page++) {
        if (opts.signal?.aborted) throw new DrsrError('drsr.aborted', 'replication was cancelled');
        const reply = await session.getNcChanges({
          destinationDsa: domain.destinationDsa,
          sourceInvocationId: since?.invocationId,
          nc: { dn: domain.namingContext },
          from,
          upToDate: since ? cursorsOf(since) : undefined,
          flags: NC_REPLICATION_FLAGS,
          maxObjects: opts.pageSize ?? 1000,
          maxBytes: MAX_NDR_SIZE,
          extendedOp: EXOP.NONE,
          partialAttributeSet: PARTIAL_ATTRIBUTE_SET,
        });
        checkReply(reply, opts, domain.namingContext);
        if (page === 0 && since && reply.sourceInvocationId !== since.invocationId) {
          // The watermark is another DC's (or a restored one's): its USNs mean nothing here.
          since = undefined;
          state.restarted = true;
          from = ZERO_USN_VECTOR;
          page = -1;
          continue;
        }
        for (const obj of reply.objects) {
          if (isWantedAccount(obj, reply.prefixTable, opts.includeComputers ?? false)) {
            yield toAccount(obj, reply.prefixTable, session.sessionKey);
          }
        }
        from = reply.to;
        if (!reply.moreData) {
          state.watermark = toWatermark(reply.sourceInvocationId, reply.to, reply.upToDate ?? []);
          return;
        }
      }
    } finally {
      await session.close();
    }
  }
  return {
    [Symbol.asyncIterator]: run,
    get watermark() {
      return state.watermark;
    },
    get restartedFromScratch() {
      return state.restarted;
    },
  };
}

export interface ObjectOptions extends ConnectionOptions {
  /** sAMAccountName (`bobby`) or distinguished name (`CN=Bobby,CN=Users,DC=…`). */
  account: string;
}

/** EXOP_REPL_SECRET-free single-object replication (EXOP_REPL_OBJ) of one account, with its NT hash. */
export async function replicateObject(opts: ObjectOptions): Promise<ReplicatedAccount> {
  const session = await openSession(opts);
  try {
    const domain = await discoverDomain(session, opts);
    let dn = opts.account;
    if (!dn.includes('=')) {
      const cracked = await session.crackName(
        `${domain.netbiosDomain}\\${opts.account}`,
        NAME_FORMAT.NT4_ACCOUNT,
        NAME_FORMAT.FQDN_1779,
      );
      if (cracked.status !== 0 || !cracked.name) {
        throw new DrsrError('drsr.name_not_found', `no account '${opts.account}' in ${domain.dnsDomain}`, {
          status: cracked.status,
        });
      }
      dn = cracked.name;
    }
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
  } finally {
    await session.close();
  }
}
