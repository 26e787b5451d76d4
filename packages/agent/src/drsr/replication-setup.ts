// The steps every replication flow starts with: open an authenticated DRSUAPI session, learn the
// domain (root DN, NetBIOS name, the DC's nTDSDSA GUID), and read GetNCChanges' return value.
import { hostname } from 'node:os';
import { ntHash as computeNtHash } from '@cloudsync/protocol';
import { PHS_ATTRIBUTES } from './drsuapi/attributes.js';
import {
  ERROR_ACCESS_DENIED,
  ERROR_DS_CANT_FIND_EXPECTED_NC,
  ERROR_DS_DRA_ACCESS_DENIED,
  ERROR_DS_DRA_BAD_DN,
  NAME_FORMAT,
} from './drsuapi/constants.js';
import type { GetNcChangesReply } from './drsuapi/get-nc-changes-reply.js';
import { attidFromOid } from './drsuapi/prefix-table.js';
import { DrsuapiSession } from './drsuapi/session.js';
import { DrsrError } from './errors.js';
import type { NtlmCredentials } from './ntlm/client.js';

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

export const PARTIAL_ATTRIBUTE_SET = PHS_ATTRIBUTES.map(attidFromOid);

function ntlmCredentials(c: ReplicationCredentials): NtlmCredentials {
  const workstation = hostname().split('.')[0]?.toUpperCase().slice(0, 15) ?? '';
  const nt = 'password' in c ? computeNtHash(c.password) : Buffer.from(c.ntHash);
  return { domain: c.domain, user: c.username, ntHash: nt, workstation };
}

export async function openSession(opts: ConnectionOptions): Promise<DrsuapiSession> {
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

export interface Domain {
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
export async function discoverDomain(session: DrsuapiSession, opts: ConnectionOptions): Promise<Domain> {
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

export function checkReply(reply: GetNcChangesReply, opts: ConnectionOptions, nc: string, root = nc): void {
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
