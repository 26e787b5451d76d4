import type { WritebackJob, WritebackResult, WritebackSecret } from '@cloudsync/protocol';
import { Attribute, Change } from 'ldapts';
import type { AdConnection } from '../ad/connection.js';
import { AdError } from '../ad/errors.js';

/** AD's `unicodePwd` value: the password in double quotes, UTF-16LE. */
export function unicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

const pwdChange = (operation: 'replace' | 'add' | 'delete', password: string) =>
  new Change({
    operation,
    modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(password)] }),
  });
const replace = (type: string, value: string) =>
  new Change({ operation: 'replace', modification: new Attribute({ type, values: [value] }) });

/**
 * The anchor of an AD object as the cloud knows it (base64 of ms-DS-ConsistencyGuid, else objectGUID),
 * whether it must change its password at next logon, and whether it is locked out (lockoutTime set).
 */
async function anchorOf(
  ad: AdConnection,
  dn: string,
): Promise<{ anchor: string | undefined; mustChange: boolean; lockedOut: boolean }> {
  const [entry] = await ad.search(dn, {
    scope: 'base',
    filter: '(objectClass=user)',
    attributes: ['objectGUID', 'mS-DS-ConsistencyGuid', 'pwdLastSet', 'lockoutTime'],
    explicitBufferAttributes: ['objectGUID', 'mS-DS-ConsistencyGuid'],
  });
  if (!entry) return { anchor: undefined, mustChange: false, lockedOut: false };
  // A missing buffer attribute comes back as an empty array: only 16 bytes make an anchor.
  const guid = (value: unknown) => {
    const first = Array.isArray(value) ? value[0] : value;
    return Buffer.isBuffer(first) && first.length === 16 ? first : undefined;
  };
  const bytes = guid(entry['mS-DS-ConsistencyGuid']) ?? guid(entry.objectGUID);
  const anchor = bytes?.toString('base64');
  const lockout = String(entry.lockoutTime ?? '');
  return {
    anchor,
    mustChange: String(entry.pwdLastSet ?? '') === '0',
    lockedOut: lockout !== '' && lockout !== '0',
  };
}

/** AD's own words, e.g. `0000052D: Constraint violation - check_password_restrictions: the password is too short...`. */
function adWords(err: AdError): { adErrorCode: string; adMessage: string } {
  const cause = err.cause instanceof Error ? err.cause.message : err.message;
  const text = (cause.split('\n')[0] ?? cause).trim();
  const win32 = /\b([0-9A-F]{8}):/.exec(text)?.[1];
  const adErrorCode = `${err.ldapCode ?? 0}${win32 ? `:${win32}` : ''}`;
  return { adErrorCode, adMessage: text.slice(0, 480) || err.message.slice(0, 480) };
}

/**
 * Applies one writeback job to AD over LDAPS: a reset replaces `unicodePwd`; a change deletes the old
 * value and adds the new one in one modify (AD then checks the old password and the history). Then,
 * as the job asks, `lockoutTime` 0 unlocks a locked-out account and `pwdLastSet` 0 keeps "must change
 * at next logon".
 * The DN must still carry the job's anchor, so a renamed or replaced object is never touched.
 */
export async function applyWritebackJob(
  ad: AdConnection,
  job: WritebackJob,
  secret: WritebackSecret,
): Promise<WritebackResult> {
  const failed = (
    code: 'WRITEBACK_REFUSED' | 'WRITEBACK_MISSING_RIGHTS' | 'VALIDATION_FAILED',
    words?: { adErrorCode: string; adMessage: string },
  ) => ({
    jobId: job.jobId,
    status: 'failed' as const,
    code,
    ...(words ?? {}),
  });
  try {
    const { anchor, mustChange, lockedOut } = await anchorOf(ad, job.distinguishedName);
    if (anchor !== job.anchor)
      return failed('VALIDATION_FAILED', {
        adErrorCode: 'anchor',
        adMessage: 'The object at this DN is not the synced user: wait for the next sync and try again.',
      });
    if (job.kind === 'password-change') {
      if (!secret.oldPassword) return failed('VALIDATION_FAILED');
      await ad.modify(job.distinguishedName, [
        pwdChange('delete', secret.oldPassword),
        pwdChange('add', secret.newPassword),
      ]);
    } else {
      await ad.modify(job.distinguishedName, [pwdChange('replace', secret.newPassword)]);
    }
    const after: Change[] = [];
    // Unlocking writes only to an account that is locked: the write costs AD a transaction.
    if (job.unlockAccount && lockedOut) after.push(replace('lockoutTime', '0'));
    if (job.forceChangeAtNextLogon && mustChange) after.push(replace('pwdLastSet', '0'));
    if (after.length > 0) await ad.modify(job.distinguishedName, after);
    return { jobId: job.jobId, status: 'succeeded' };
  } catch (err) {
    if (!(err instanceof AdError)) throw err;
    if (err.code === 'ad.insufficient_rights') return failed('WRITEBACK_MISSING_RIGHTS', adWords(err));
    if (err.code === 'ad.constraint' || err.ldapCode === 19 || err.ldapCode === 53)
      return failed('WRITEBACK_REFUSED', adWords(err));
    throw err;
  }
}
