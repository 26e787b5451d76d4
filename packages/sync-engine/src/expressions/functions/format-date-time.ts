import { type ExprScalar, type ExprValue, isList, scalarText, toText } from '../values.js';
import { type FunctionDef, fn } from './function-def.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** One piece of a .NET custom date format: a specifier run (`yyyy`, `MM`, `fff`) or literal text. */
type Piece = { spec: string } | { literal: string };

const SPECIFIERS = /^(y{1,4}|M{1,4}|d{1,4}|H{1,2}|h{1,2}|m{1,2}|s{1,2}|f{1,7}|F{1,7}|t{1,2}|z{1,3}|K)/;

/** Splits a .NET custom format (invariant culture): specifiers, quoted text, `\x` escapes, literals. */
function tokenizeFormat(format: string): Piece[] {
  const pieces: Piece[] = [];
  let i = 0;
  while (i < format.length) {
    const c = format.charAt(i);
    const m = SPECIFIERS.exec(format.slice(i));
    if (m?.[0]) {
      pieces.push({ spec: m[0] });
      i += m[0].length;
    } else if (c === "'" || c === '"') {
      const end = format.indexOf(c, i + 1);
      const stop = end < 0 ? format.length : end;
      pieces.push({ literal: format.slice(i + 1, stop) });
      i = stop + 1;
    } else if (c === '\\') {
      pieces.push({ literal: format.charAt(i + 1) });
      i += 2;
    } else {
      pieces.push({ literal: c });
      i++;
    }
  }
  return pieces;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function formatPiece(spec: string, d: Date): string {
  const h = d.getUTCHours();
  switch (spec[0]) {
    case 'y':
      return spec.length === 2 ? pad(d.getUTCFullYear() % 100, 2) : pad(d.getUTCFullYear(), spec.length);
    case 'M': {
      const month = d.getUTCMonth();
      if (spec.length >= 3)
        return spec.length === 3 ? (MONTHS[month] ?? '').slice(0, 3) : (MONTHS[month] ?? '');
      return pad(month + 1, spec.length);
    }
    case 'd': {
      if (spec.length >= 3)
        return spec.length === 3 ? (DAYS[d.getUTCDay()] ?? '').slice(0, 3) : (DAYS[d.getUTCDay()] ?? '');
      return pad(d.getUTCDate(), spec.length);
    }
    case 'H':
      return pad(h, spec.length);
    case 'h':
      return pad(h % 12 || 12, spec.length);
    case 'm':
      return pad(d.getUTCMinutes(), spec.length);
    case 's':
      return pad(d.getUTCSeconds(), spec.length);
    case 'f':
    case 'F': {
      const digits = pad(d.getUTCMilliseconds(), 3).padEnd(7, '0').slice(0, spec.length);
      return spec[0] === 'F' ? digits.replace(/0+$/, '') : digits;
    }
    case 't':
      return (h < 12 ? 'AM' : 'PM').slice(0, spec.length);
    case 'z':
      return spec.length === 3 ? '+00:00' : spec.length === 2 ? '+00' : '+0';
    default:
      return 'Z';
  }
}

/** The regular expression matching one specifier when parsing. */
function parsePattern(spec: string): string {
  switch (spec[0]) {
    case 'y':
      return spec.length === 2 ? '(\\d{2})' : '(\\d{4})';
    case 'M':
      return spec.length >= 3 ? '([A-Za-z]+)' : spec.length === 2 ? '(\\d{2})' : '(\\d{1,2})';
    case 'd':
      return spec.length >= 3 ? '(?:[A-Za-z]+)' : spec.length === 2 ? '(\\d{2})' : '(\\d{1,2})';
    case 'f':
      return `(\\d{${spec.length}})`;
    case 'F':
      return `(\\d{0,${spec.length}})`;
    case 't':
      return '(AM|PM|A|P)';
    case 'z':
      return spec.length === 3
        ? '([+-]\\d{2}:\\d{2})'
        : spec.length === 2
          ? '([+-]\\d{2})'
          : '([+-]\\d{1,2})';
    case 'K':
      return '(Z|[+-]\\d{2}:\\d{2})?';
    default:
      return spec.length === 2 ? '(\\d{2})' : '(\\d{1,2})';
  }
}

/** Parses `text` with a .NET custom format; a value without an offset is taken as UTC. */
export function parseWithFormat(text: string, format: string): Date | undefined {
  const pieces = tokenizeFormat(format);
  const specs: string[] = [];
  const source = pieces
    .map((p) => {
      if ('literal' in p) return p.literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const pattern = parsePattern(p.spec);
      if (pattern.startsWith('(') && !pattern.startsWith('(?:')) specs.push(p.spec);
      return pattern;
    })
    .join('');
  const m = new RegExp(`^\\s*${source}\\s*$`).exec(text);
  if (!m) return undefined;
  const f = { y: 1, M: 1, d: 1, H: 0, m: 0, s: 0, ms: 0, pm: undefined as boolean | undefined, offset: 0 };
  specs.forEach((spec, i) => {
    const v = m[i + 1] ?? '';
    const n = Number(v);
    switch (spec[0]) {
      case 'y':
        f.y = spec.length === 2 ? 2000 + n : n;
        break;
      case 'M':
        f.M = spec.length >= 3 ? MONTHS.findIndex((x) => x.toLowerCase().startsWith(v.toLowerCase())) + 1 : n;
        break;
      case 'd':
        f.d = n;
        break;
      case 'H':
      case 'h':
        f.H = n;
        break;
      case 'm':
        f.m = n;
        break;
      case 's':
        f.s = n;
        break;
      case 'f':
      case 'F':
        f.ms = Math.round(Number(`0.${v || '0'}`) * 1000);
        break;
      case 't':
        f.pm = v.startsWith('P');
        break;
      default:
        if (v && v !== 'Z')
          f.offset = (v.startsWith('-') ? -1 : 1) * (Number(v.slice(1, 3)) * 60 + Number(v.slice(4, 6) || 0));
    }
  });
  if (f.pm !== undefined) f.H = (f.H % 12) + (f.pm ? 12 : 0);
  const t = Date.UTC(f.y, f.M - 1, f.d, f.H, f.m, f.s, f.ms) - f.offset * 60_000;
  const check = new Date(t + f.offset * 60_000);
  if (f.M < 1 || check.getUTCDate() !== f.d || check.getUTCMonth() !== f.M - 1) return undefined;
  return new Date(t);
}

/** Formats a date (UTC) with a .NET custom format. */
export function formatWithFormat(date: Date, format: string): string {
  return tokenizeFormat(format)
    .map((p) => ('literal' in p ? p.literal : formatPiece(p.spec, date)))
    .join('');
}

function first(v: ExprValue): ExprScalar | null {
  return isList(v) ? (v[0] ?? null) : v;
}

/** FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat); dateTimeStyles is accepted and ignored. */
export const formatDateTimeFunction: FunctionDef = fn('FormatDateTime', 3, 4, (a) => {
  const [inputIndex, outputIndex] = a.count === 4 ? [2, 3] : [1, 2];
  const source = first(a.value(0));
  if (source === null || source === '') return null;
  const outputFormat = toText(a.value(outputIndex)) ?? '';
  if (source instanceof Date) return formatWithFormat(source, outputFormat);
  const text = scalarText(source);
  const date = parseWithFormat(text, toText(a.value(inputIndex)) ?? '');
  if (!date) return a.fail(`${JSON.stringify(text.slice(0, 40))} does not match the input format`, 0);
  return formatWithFormat(date, outputFormat);
});
