import { AdValueError, describeValue } from './ad-value-error.js';

/** 100-ns intervals between 1601-01-01 and 1970-01-01. */
const EPOCH_DIFF = 116_444_736_000_000_000n;
const NEVER = 0x7fff_ffff_ffff_ffffn;

/**
 * A FILETIME attribute (`pwdLastSet`, `accountExpires`, `lastLogonTimestamp`): 100-ns intervals since
 * 1601-01-01 UTC as a decimal string. Returns null for 0 and 0x7FFFFFFFFFFFFFFF, which AD uses for
 * "never" / "must change at next logon".
 * @example
 *   fileTimeToDate('129699324000000000') // 2012-01-01T23:00:00.000Z
 */
export function fileTimeToDate(value: string | bigint | number): Date | null {
  let ticks: bigint;
  if (typeof value === 'bigint') ticks = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) ticks = BigInt(value);
  else if (typeof value === 'string' && /^-?\d{1,20}$/.test(value.trim())) ticks = BigInt(value.trim());
  else throw new AdValueError('MALFORMED_FILETIME', `not a FILETIME: ${describeValue(value)}`);
  if (ticks === 0n || ticks === NEVER) return null;
  if (ticks < 0n || ticks > NEVER) {
    throw new AdValueError('MALFORMED_FILETIME', `FILETIME out of range: ${describeValue(String(value))}`);
  }
  const ms = (ticks - EPOCH_DIFF) / 10_000n;
  const date = new Date(Number(ms));
  if (Number.isNaN(date.getTime())) {
    throw new AdValueError('MALFORMED_FILETIME', `FILETIME beyond JavaScript dates: ${String(value)}`);
  }
  return date;
}

/** The FILETIME (decimal string) of a date. */
export function dateToFileTime(date: Date): string {
  return (BigInt(date.getTime()) * 10_000n + EPOCH_DIFF).toString();
}

/**
 * An LDAP Generalized Time (`whenCreated`, `whenChanged`): `YYYYMMDDHHMMSS[.f]Z` or with a `±HHMM`
 * offset; minutes and seconds may be omitted (RFC 4517 3.3.13).
 */
export function generalizedTimeToDate(value: string): Date {
  const m =
    typeof value === 'string'
      ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d{1,7}))?(Z|[+-]\d{2}(?:\d{2})?)$/.exec(value)
      : null;
  if (!m)
    throw new AdValueError('MALFORMED_GENERALIZED_TIME', `not a Generalized Time: ${describeValue(value)}`);
  const [, y, mo, d, h, mi = '00', s = '00', frac = '0', zone = 'Z'] = m;
  const [Y, Mo, D, H, Mi, S] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (Mo < 1 || Mo > 12 || D < 1 || D > 31 || H > 23 || Mi > 59 || S > 60) {
    throw new AdValueError('MALFORMED_GENERALIZED_TIME', `Generalized Time out of range: ${value}`);
  }
  const ms = Math.round(Number(`0.${frac}`) * 1000);
  let t = Date.UTC(Y, Mo - 1, D, H, Mi, Math.min(S, 59), ms);
  if (new Date(t).getUTCDate() !== D) {
    throw new AdValueError('MALFORMED_GENERALIZED_TIME', `no such day: ${value}`);
  }
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const offset = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5) || '0');
    t -= sign * offset * 60_000;
  }
  return new Date(t);
}
