import { ExpressionError } from './expression-error.js';

export type Token =
  | { type: 'attribute'; value: string; pos: number }
  | { type: 'string'; value: string; pos: number }
  | { type: 'number'; value: number; pos: number }
  | { type: 'identifier'; value: string; pos: number }
  | { type: 'op'; value: '=' | '<>' | '<' | '<=' | '>' | '>='; pos: number }
  | { type: '(' | ')' | ','; pos: number }
  | { type: 'end'; pos: number };

const syntax = (detail: string, pos: number) => new ExpressionError('syntax', detail, pos);

/** Splits an expression into tokens. @throws ExpressionError (syntax) naming the position. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: c, pos: i++ });
    } else if (c === '[') {
      i = readAttribute(text, i, tokens);
    } else if (c === '"') {
      i = readString(text, i, tokens);
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text.charAt(i + 1)))) {
      const m = /^-?\d+(\.\d+)?/.exec(text.slice(i)) ?? [''];
      const n = Number(m[0]);
      // Integers past 2^53 (FILETIMEs such as 129699324000000000) stay exact as digit strings.
      if (Number.isInteger(n) && !Number.isSafeInteger(n))
        tokens.push({ type: 'string', value: m[0], pos: i });
      else tokens.push({ type: 'number', value: n, pos: i });
      i += m[0].length;
    } else if (c === '&' && /[hH]/.test(text.charAt(i + 1))) {
      const m = /^&[hH]([0-9A-Fa-f]{1,16})/.exec(text.slice(i));
      if (!m?.[1]) throw syntax('expected hexadecimal digits after &H', i);
      tokens.push({ type: 'number', value: Number.parseInt(m[1], 16), pos: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i)) ?? [''];
      tokens.push({ type: 'identifier', value: m[0], pos: i });
      i += m[0].length;
    } else if (c === '<' || c === '>' || c === '=') {
      const two = text.slice(i, i + 2);
      const op = two === '<>' || two === '<=' || two === '>=' ? two : c;
      tokens.push({ type: 'op', value: op, pos: i });
      i += op.length;
    } else {
      throw syntax(`unexpected character ${JSON.stringify(c)}`, i);
    }
  }
  tokens.push({ type: 'end', pos: text.length });
  return tokens;
}

function readAttribute(text: string, start: number, tokens: Token[]): number {
  const end = text.indexOf(']', start + 1);
  if (end < 0) throw syntax('attribute reference is missing its closing ]', start);
  const name = text.slice(start + 1, end).trim();
  if (!name) throw syntax('empty attribute reference []', start);
  if (/[[\n"]/.test(name)) throw syntax(`invalid attribute name ${JSON.stringify(name)}`, start);
  tokens.push({ type: 'attribute', value: name, pos: start });
  return end + 1;
}

/** Strings are double-quoted; `\"` and `\\` are escapes, any other backslash stays as written. */
function readString(text: string, start: number, tokens: Token[]): number {
  let out = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '"') {
      tokens.push({ type: 'string', value: out, pos: start });
      return i + 1;
    }
    if (c === '\\' && (text.charAt(i + 1) === '"' || text.charAt(i + 1) === '\\')) {
      out += text.charAt(i + 1);
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  throw syntax('string is missing its closing quote', start);
}
