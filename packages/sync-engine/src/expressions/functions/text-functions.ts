import { type ExprValue, isList, isNullOrEmpty, mapText, scalarText, toList, toText } from '../values.js';
import { type FunctionDef, fn, intArg } from './function-def.js';
import { normalizeDiacritics } from './normalize-diacritics.js';

function text(v: ExprValue): string {
  return toText(v) ?? '';
}

/** A culture name usable by toLocale*Case, or undefined (invariant) for anything else. */
function culture(v: ExprValue): string | undefined {
  const t = toText(v);
  if (!t) return undefined;
  try {
    return Intl.getCanonicalLocales(t)[0];
  } catch {
    return undefined;
  }
}

/** Title case: the first letter of each word upper, the rest lower. */
function pcase(source: string, separators?: string): string {
  const isSep = separators
    ? (c: string) => separators.includes(c)
    : (c: string) => !/[\p{L}\p{N}\p{M}]/u.test(c);
  let out = '';
  let start = true;
  for (const c of source) {
    if (isSep(c)) {
      out += c;
      start = true;
    } else {
      out += start ? c.toUpperCase() : c.toLowerCase();
      start = false;
    }
  }
  return out;
}

export const textFunctions: readonly FunctionDef[] = [
  fn('Append', 2, 2, (a) => mapText(a.value(0) ?? '', (s) => s + text(a.value(1)))),
  fn('Join', 1, Number.POSITIVE_INFINITY, (a) => {
    const parts: string[] = [];
    for (let i = 1; i < a.count; i++) {
      for (const v of toList(a.value(i))) {
        const s = scalarText(v);
        if (s !== '') parts.push(s);
      }
    }
    return parts.join(text(a.value(0)));
  }),
  fn('Left', 2, 2, (a) => {
    const n = intArg(a, 1, 'NumChars');
    return mapText(a.value(0) ?? '', (s) => (n < 0 ? s : [...s].slice(0, n).join('')));
  }),
  fn('Mid', 3, 3, (a) => {
    const start = intArg(a, 1, 'start');
    const length = intArg(a, 2, 'length');
    if (start < 1) a.fail('start is 1-based and must be at least 1', 1);
    if (length < 0) a.fail('length must not be negative', 2);
    return mapText(a.value(0), (s) => [...s].slice(start - 1, start - 1 + length).join(''));
  }),
  fn('Trim', 1, 1, (a) => mapText(a.value(0), (s) => s.trim())),
  fn('StripSpaces', 1, 1, (a) => mapText(a.value(0), (s) => s.replaceAll(' ', ''))),
  fn('ToLower', 1, 2, (a) => {
    const c = culture(a.value(1));
    return mapText(a.value(0), (s) => (c ? s.toLocaleLowerCase(c) : s.toLowerCase()));
  }),
  fn('ToUpper', 1, 2, (a) => {
    const c = culture(a.value(1));
    return mapText(a.value(0), (s) => (c ? s.toLocaleUpperCase(c) : s.toUpperCase()));
  }),
  fn('PCase', 1, 2, (a) => {
    const seps = a.isEmpty(1) ? undefined : text(a.value(1));
    return mapText(a.value(0), (s) => pcase(s, seps));
  }),
  fn('NormalizeDiacritics', 1, 1, (a) => mapText(a.value(0), normalizeDiacritics)),
  fn('Split', 2, 2, (a) => {
    const source = toText(a.value(0));
    if (source === null) return null;
    const delimiter = text(a.value(1));
    if (delimiter === '') a.fail('the delimiter must not be empty', 1);
    return source.split(delimiter);
  }),
  fn('Word', 3, 3, (a) => {
    const n = intArg(a, 1, 'WordNumber');
    const delimiters = [...text(a.value(2))];
    const source = text(a.value(0));
    if (n < 1) return '';
    const words: string[] = [];
    let current = '';
    for (const c of source) {
      if (delimiters.includes(c)) {
        if (current) words.push(current);
        current = '';
      } else current += c;
    }
    if (current) words.push(current);
    return words[n - 1] ?? '';
  }),
  fn('InStr', 2, 4, (a) => {
    const haystack = text(a.value(0));
    const needle = text(a.value(1));
    const start = a.isEmpty(2) ? 1 : intArg(a, 2, 'start');
    if (start < 1) a.fail('start is 1-based and must be at least 1', 2);
    const ignoreCase = toText(a.value(3))?.toLowerCase() === 'vbtextcompare';
    const h = ignoreCase ? haystack.toLowerCase() : haystack;
    const n = ignoreCase ? needle.toLowerCase() : needle;
    return h.indexOf(n, start - 1) + 1;
  }),
  fn('Item', 2, 2, (a) => {
    const index = intArg(a, 1, 'index');
    if (index < 1) a.fail('index is 1-based and must be at least 1', 1);
    return toList(a.value(0))[index - 1] ?? null;
  }),
  fn('Count', 1, 1, (a) => toList(a.value(0)).length),
  fn('RemoveDuplicates', 1, 1, (a) => {
    const v = a.value(0);
    if (!isList(v)) return v;
    const seen = new Set<string>();
    return v.filter((s) => {
      const key = scalarText(s);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }),
  fn('IsNullOrEmpty', 1, 1, (a) => isNullOrEmpty(a.value(0))),
  fn('IsPresent', 1, 1, (a) => !isNullOrEmpty(a.value(0))),
  fn('IsNull', 1, 1, (a) => a.value(0) === null),
  fn('IsString', 1, 1, (a) => typeof a.value(0) === 'string'),
];
