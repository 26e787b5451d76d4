import { AdValueError, describeValue } from './ad-value-error.js';

/**
 * A 32-bit integer attribute (`userAccountControl`, `groupType`) as AD returns it: a decimal string,
 * possibly negative (groupType of security groups), or a number.
 */
export function parseInt32(value: unknown, what: string): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^-?\d{1,10}$/.test(value.trim())) n = Number(value.trim());
  else throw new AdValueError('MALFORMED_INTEGER', `${what} is not an integer: ${describeValue(value)}`);
  if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 32) {
    throw new AdValueError('MALFORMED_INTEGER', `${what} is out of 32-bit range: ${describeValue(value)}`);
  }
  return n | 0;
}
