/** A single value while an expression runs. Dates come from DateFromNum/CDate/Now. */
export type ExprScalar = string | number | boolean | Uint8Array | Date;
/** A value while an expression runs: null (no value), a scalar, or a multi-valued list. */
export type ExprValue = ExprScalar | readonly ExprScalar[] | null;

export function isList(v: ExprValue): v is readonly ExprScalar[] {
  return Array.isArray(v);
}

/** Text of a scalar: booleans as True/False (as the mapping language prints them), bytes as base64. */
export function scalarText(v: ExprScalar): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (v instanceof Date) return v.toISOString();
  return Buffer.from(v).toString('base64');
}

/** Text of a value; a list gives its first value; null stays null. */
export function toText(v: ExprValue): string | null {
  if (v === null) return null;
  if (isList(v)) {
    const first = v[0];
    return first === undefined ? null : scalarText(first);
  }
  return scalarText(v);
}

/** Null, an empty string or an empty list. */
export function isNullOrEmpty(v: ExprValue): boolean {
  return v === null || v === '' || (isList(v) && v.length === 0);
}

/** Truthiness for IIF, Not and CBool: true/"True"/non-zero numbers; null and "" are false. */
export function toBoolean(v: ExprValue): boolean {
  const s = isList(v) ? (v[0] ?? null) : v;
  if (s === null) return false;
  if (typeof s === 'boolean') return s;
  if (typeof s === 'number') return s !== 0;
  if (typeof s === 'string') {
    const t = s.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false' || t === '') return false;
    const n = Number(t);
    return Number.isFinite(n) ? n !== 0 : true;
  }
  return true;
}

/** A number from a number or numeric text; undefined otherwise. */
export function toNumber(v: ExprValue): number | undefined {
  const s = isList(v) ? (v[0] ?? null) : v;
  if (typeof s === 'number') return s;
  if (typeof s === 'boolean') return s ? 1 : 0;
  if (typeof s === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(s)) return Number(s);
  return undefined;
}

/** Applies a text function to each value of a list, or to a single value; null stays null. */
export function mapText(v: ExprValue, fn: (s: string) => string): ExprValue {
  if (v === null) return null;
  if (isList(v)) return v.map((s) => fn(scalarText(s)));
  return fn(scalarText(v));
}

/** All values of a value as a list (null → []). */
export function toList(v: ExprValue): readonly ExprScalar[] {
  if (v === null) return [];
  return isList(v) ? v : [v];
}
