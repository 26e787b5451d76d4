import { filterSyntaxError } from './errors.js';

/** Kinds of `$filter` tokens. Keywords (`eq`, `and`, `true`…) are identifiers; the parser tells them apart. */
export type TokenKind =
  | 'identifier'
  | 'string'
  | 'number'
  | 'guid'
  | 'datetime'
  | 'openParen'
  | 'closeParen'
  | 'comma'
  | 'colon'
  | 'slash'
  | 'end';

export interface Token {
  kind: TokenKind;
  /** The token as written; for strings the unescaped value, for datetimes the normalised ISO form. */
  text: string;
  /** 0-based index of the token's first character in the filter. */
  index: number;
}

const PUNCTUATION: Readonly<Record<string, TokenKind>> = {
  '(': 'openParen',
  ')': 'closeParen',
  ',': 'comma',
  ':': 'colon',
  '/': 'slash',
};

// Sticky regular expressions without nested quantifiers: each runs in time linear in what it reads.
const GUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/y;
const DATETIME =
  /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?(?![\w:.+-])/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.])/y;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
const WHITESPACE = /[ \t\r\n]+/y;

function matchAt(pattern: RegExp, input: string, index: number): string | undefined {
  pattern.lastIndex = index;
  return pattern.exec(input)?.[0];
}

const DATE_PARTS = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/;

/** Turns an OData datetime literal into `Date#toISOString()` form, or undefined when it is no real instant. */
export function normaliseDateTime(literal: string): string | undefined {
  const parts = DATE_PARTS.exec(literal);
  if (!parts) return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = parts
    .slice(1)
    .map((part) => Number(part ?? 0));
  // Date.parse rolls 2024-02-31 over to March; a literal naming no real day or time is refused instead.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const dateValid = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth;
  if (!dateValid || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(literal.includes('T') ? literal : `${literal}T00:00:00Z`);
  // Years 1 to 9999 in UTC: what both databases store and what `toISOString` writes as four digits.
  const utcYear = date.getUTCFullYear();
  return Number.isNaN(date.getTime()) || utcYear < 1 || utcYear > 9999 ? undefined : date.toISOString();
}

function readString(input: string, start: number): { value: string; end: number } {
  let value = '';
  let index = start + 1;
  while (index < input.length) {
    const quote = input.indexOf("'", index);
    if (quote < 0) break;
    value += input.slice(index, quote);
    if (input[quote + 1] === "'") {
      value += "'";
      index = quote + 2;
      continue;
    }
    // PostgreSQL refuses NUL in text; refusing it here keeps that a 400 rather than a database error.
    if (value.includes('\u0000')) throw filterSyntaxError(input, start, 'a string may not contain NUL');
    return { value, end: quote + 1 };
  }
  throw filterSyntaxError(input, start, 'unterminated string literal');
}

function readLiteral(input: string, index: number): { token: Token; length: number } | undefined {
  const guid = matchAt(GUID, input, index);
  if (guid) return { token: { kind: 'guid', text: guid.toLowerCase(), index }, length: guid.length };
  const datetime = matchAt(DATETIME, input, index);
  if (datetime) {
    const iso = normaliseDateTime(datetime);
    if (!iso) throw filterSyntaxError(input, index, `'${datetime}' is not a valid date and time`);
    return { token: { kind: 'datetime', text: iso, index }, length: datetime.length };
  }
  const number = matchAt(NUMBER, input, index);
  if (number) return { token: { kind: 'number', text: number, index }, length: number.length };
  const identifier = matchAt(IDENTIFIER, input, index);
  if (identifier)
    return { token: { kind: 'identifier', text: identifier, index }, length: identifier.length };
  return undefined;
}

/** Splits a `$filter` value into tokens, ending with an `end` token; throws {@link ODataError} on bad input. */
export function tokenizeFilter(input: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < input.length) {
    const space = matchAt(WHITESPACE, input, index);
    if (space) {
      index += space.length;
      continue;
    }
    const char = input.charAt(index);
    const punctuation = PUNCTUATION[char];
    if (punctuation) {
      tokens.push({ kind: punctuation, text: char, index });
      index += 1;
      continue;
    }
    if (char === "'") {
      const { value, end } = readString(input, index);
      tokens.push({ kind: 'string', text: value, index });
      index = end;
      continue;
    }
    const literal = readLiteral(input, index);
    if (!literal) throw filterSyntaxError(input, index, `unexpected character '${char}'`);
    tokens.push(literal.token);
    index += literal.length;
  }
  tokens.push({ kind: 'end', text: '', index: input.length });
  return tokens;
}
