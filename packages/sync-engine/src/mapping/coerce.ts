import { LIMITS, type TargetValue } from '@cloudsync/protocol';
import { type ExprValue, isList, scalarText } from '../expressions/values.js';
import type { TargetType } from './target-schema.js';

export type Coerced = { ok: true; value: TargetValue } | { ok: false; message: string };

const tooLong = (s: string) => s.length > LIMITS.attributeValueLength;

function toTextList(v: ExprValue): string[] {
  if (v === null) return [];
  return (isList(v) ? v : [v]).map(scalarText).filter((s) => s !== '');
}

function asBoolean(v: ExprValue): boolean | null | undefined {
  const s = isList(v) ? (v[0] ?? null) : v;
  if (s === null || s === '') return null;
  if (typeof s === 'boolean') return s;
  if (typeof s === 'number') return s === 0 ? false : s === 1 ? true : undefined;
  if (typeof s === 'string') {
    const t = s.trim().toLowerCase();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
  }
  return undefined;
}

/**
 * Turns an expression result into the wire value of a target attribute. "No value" is always null:
 * absent, "", and [] all become null, so the cloud and the diff see one spelling of "empty".
 */
export function coerceToTarget(value: ExprValue, type: TargetType | undefined): Coerced {
  const kind = type ?? (isList(value) ? 'string[]' : typeof value === 'boolean' ? 'boolean' : 'string');
  if (kind === 'boolean') {
    const b = asBoolean(value);
    if (b === undefined) return { ok: false, message: `expected True or False, got ${describe(value)}` };
    return { ok: true, value: b };
  }
  const list = toTextList(value);
  if (list.some(tooLong))
    return { ok: false, message: `a value is longer than ${LIMITS.attributeValueLength} characters` };
  if (list.some((s) => s.includes('\u0000')))
    return { ok: false, message: 'a value contains a NUL character' };
  if (kind === 'string[]') {
    if (list.length > LIMITS.attributeValues)
      return { ok: false, message: `more than ${LIMITS.attributeValues} values` };
    return { ok: true, value: list.length ? list : null };
  }
  if (!type && typeof value === 'number') return { ok: true, value };
  return { ok: true, value: list[0] ?? null };
}

function describe(v: ExprValue): string {
  if (v === null) return 'null';
  const s = isList(v) ? `[${v.map(scalarText).join(', ')}]` : scalarText(v);
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}
