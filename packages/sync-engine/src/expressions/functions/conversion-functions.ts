import { AdValueError } from '../../ad-values/ad-value-error.js';
import { sidBytesToString } from '../../ad-values/sid.js';
import { dateToFileTime, fileTimeToDate, generalizedTimeToDate } from '../../ad-values/time.js';
import { type ExprScalar, type ExprValue, isList, scalarText, toText } from '../values.js';
import { type FnArgs, type FunctionDef, fn } from './function-def.js';

function first(v: ExprValue): ExprScalar | null {
  return isList(v) ? (v[0] ?? null) : v;
}

function bitAndOperand(a: FnArgs, i: number): bigint {
  const v = first(a.value(i));
  if (v === null) return 0n;
  const s =
    typeof v === 'number' ? (Number.isInteger(v) ? String(v) : '') : typeof v === 'string' ? v.trim() : '';
  if (!/^-?\d{1,20}$/.test(s)) a.fail('BitAnd takes integers', i);
  return BigInt(s);
}

function toDate(a: FnArgs, i: number): Date | null {
  const v = first(a.value(i));
  if (v === null || v === '') return null;
  if (v instanceof Date) return v;
  const s = scalarText(v);
  if (/^\d{14}/.test(s)) return generalizedTimeToDate(s);
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) a.fail(`not a date: ${JSON.stringify(s.slice(0, 40))}`, i);
  return d;
}

function adValue<T>(a: FnArgs, i: number, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof AdValueError) a.fail(err.message, i);
    throw err;
  }
}

export const conversionFunctions: readonly FunctionDef[] = [
  fn('BitAnd', 2, 2, (a) => Number(BigInt.asIntN(64, bitAndOperand(a, 0) & bitAndOperand(a, 1)))),
  fn('CStr', 1, 1, (a) => toText(a.value(0))),
  fn('CDate', 1, 1, (a) => toDate(a, 0)),
  fn('Now', 0, 0, (_a, ctx) => ctx.now),
  fn('DateFromNum', 1, 1, (a) => {
    const v = first(a.value(0));
    if (v === null || v === '') return null;
    if (typeof v !== 'string' && typeof v !== 'number')
      return a.fail('DateFromNum takes an AD date number', 0);
    return adValue(a, 0, () => fileTimeToDate(v));
  }),
  fn('NumFromDate', 1, 1, (a) => {
    const d = toDate(a, 0);
    return d === null ? null : dateToFileTime(d);
  }),
  fn('ConvertToBase64', 1, 1, (a) => {
    const v = first(a.value(0));
    if (v === null) return null;
    if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
    return Buffer.from(scalarText(v), 'utf16le').toString('base64');
  }),
  fn('ConvertToUTF8Hex', 1, 1, (a) => {
    const t = toText(a.value(0));
    return t === null ? null : Buffer.from(t, 'utf8').toString('hex').toUpperCase();
  }),
  fn('ConvertSidToString', 1, 1, (a) => {
    const v = first(a.value(0));
    if (v === null) return null;
    if (!(v instanceof Uint8Array))
      return a.fail('ConvertSidToString takes a binary SID such as [objectSid]', 0);
    return adValue(a, 0, () => sidBytesToString(v));
  }),
];
