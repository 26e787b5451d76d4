import { AdValueError } from './ad-value-error.js';
import { parseInt32 } from './integer.js';

/** userAccountControl flags cloudsync reads ([MS-ADTS] 2.2.16). */
export const UAC = Object.freeze({
  ACCOUNTDISABLE: 0x0002,
  LOCKOUT: 0x0010,
  PASSWD_NOTREQD: 0x0020,
  NORMAL_ACCOUNT: 0x0200,
  WORKSTATION_TRUST_ACCOUNT: 0x1000,
  SERVER_TRUST_ACCOUNT: 0x2000,
  DONT_EXPIRE_PASSWORD: 0x10000,
  SMARTCARD_REQUIRED: 0x40000,
  PASSWORD_EXPIRED: 0x800000,
});

/**
 * Parses `userAccountControl` (a decimal string from LDAP, or a number) into its flags.
 * @throws AdValueError `MALFORMED_UAC` when the value is not a 32-bit integer.
 */
export function parseUserAccountControl(value: unknown): number {
  try {
    return parseInt32(value, 'userAccountControl') >>> 0;
  } catch (err) {
    if (err instanceof AdValueError) throw new AdValueError('MALFORMED_UAC', err.message);
    throw err;
  }
}

/** True when the account is disabled (bit 0x2). */
export function isAccountDisabled(userAccountControl: unknown): boolean {
  return (parseUserAccountControl(userAccountControl) & UAC.ACCOUNTDISABLE) !== 0;
}
