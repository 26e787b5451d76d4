import type { CompareOperator, ExprNode } from './ast.js';
import { ExpressionError } from './expression-error.js';
import { lookupFunction } from './functions/registry.js';
import { type Token, tokenize } from './tokenizer.js';

/** Deeper nesting than this is refused, so a hostile expression cannot exhaust the stack. */
const MAX_DEPTH = 64;
const MAX_LENGTH = 4096;

/** Bare words the language knows: booleans and InStr's compare modes. */
const BARE_WORDS: Readonly<Record<string, string | boolean>> = {
  true: true,
  false: false,
  vbtextcompare: 'vbTextCompare',
  vbbinarycompare: 'vbBinaryCompare',
};

const syntax = (detail: string, pos: number) => new ExpressionError('syntax', detail, pos);

class Parser {
  private i = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token {
    return this.tokens[this.i] ?? { type: 'end', pos: 0 };
  }

  private next(): Token {
    const t = this.peek();
    this.i++;
    return t;
  }

  parseAll(): ExprNode {
    const node = this.expression(0, true);
    const t = this.peek();
    if (t.type !== 'end') throw syntax(`unexpected ${describe(t)} after the end of the expression`, t.pos);
    return node;
  }

  private expression(depth: number, topLevel: boolean): ExprNode {
    const left = this.operand(depth, topLevel);
    const t = this.peek();
    if (t.type !== 'op') return left;
    this.next();
    const right = this.operand(depth, false);
    const after = this.peek();
    if (after.type === 'op') throw syntax('comparisons cannot be chained; nest them in IIF', after.pos);
    const op: CompareOperator = t.value;
    return { kind: 'compare', op, left, right, pos: t.pos };
  }

  private operand(depth: number, topLevel: boolean): ExprNode {
    if (depth > MAX_DEPTH) throw syntax(`expression nested deeper than ${MAX_DEPTH} levels`, this.peek().pos);
    const t = this.next();
    switch (t.type) {
      case 'attribute':
        return { kind: 'attribute', name: t.value, pos: t.pos };
      case 'string':
        return { kind: 'string', value: t.value, pos: t.pos };
      case 'number':
        return { kind: 'number', value: t.value, pos: t.pos };
      case 'identifier':
        return this.peek().type === '('
          ? this.call(t.value, t.pos, depth, topLevel)
          : this.bareWord(t.value, t.pos);
      case '(': {
        const inner = this.expression(depth + 1, false);
        const close = this.next();
        if (close.type !== ')') throw syntax(`expected ) but found ${describe(close)}`, close.pos);
        return inner;
      }
      default:
        throw syntax(`expected a value but found ${describe(t)}`, t.pos);
    }
  }

  private bareWord(word: string, pos: number): ExprNode {
    const v = BARE_WORDS[word.toLowerCase()];
    if (typeof v === 'boolean') return { kind: 'boolean', value: v, pos };
    if (typeof v === 'string') return { kind: 'string', value: v, pos };
    throw syntax(`unknown name ${word}: attributes are written [${word}], text "${word}"`, pos);
  }

  private call(name: string, pos: number, depth: number, topLevel: boolean): ExprNode {
    this.next(); // (
    const args: (ExprNode | null)[] = [];
    if (this.peek().type === ')') {
      this.next();
    } else {
      for (;;) {
        const t = this.peek();
        args.push(t.type === ',' || t.type === ')' ? null : this.expression(depth + 1, false));
        const sep = this.next();
        if (sep.type === ')') break;
        if (sep.type !== ',')
          throw syntax(`expected , or ) in ${name}(…) but found ${describe(sep)}`, sep.pos);
      }
    }
    checkCall(name, args, pos, topLevel);
    return { kind: 'call', name, args, pos };
  }
}

function checkCall(name: string, args: readonly (ExprNode | null)[], pos: number, topLevel: boolean): void {
  const def = lookupFunction(name);
  if (!def) throw syntax(`unknown function ${name}`, pos);
  if (def.unsupported) throw syntax(`${def.name} is not supported here: ${def.unsupported}`, pos);
  if (def.topLevelOnly && !topLevel)
    throw syntax(`${def.name} must be the whole expression, not nested`, pos);
  const n = args.length;
  if (n < def.minArgs || n > def.maxArgs) {
    const range =
      def.maxArgs === def.minArgs
        ? `${def.minArgs}`
        : def.maxArgs === Number.POSITIVE_INFINITY
          ? `at least ${def.minArgs}`
          : `${def.minArgs} to ${def.maxArgs}`;
    throw syntax(`${def.name} takes ${range} argument${range === '1' ? '' : 's'}, got ${n}`, pos);
  }
  if (def.evenArgs && n % 2 !== 0)
    throw syntax(`${def.name} takes an even number of arguments, got ${n}`, pos);
}

function describe(t: Token): string {
  switch (t.type) {
    case 'end':
      return 'the end of the expression';
    case 'attribute':
      return `[${t.value}]`;
    case 'string':
      return 'a string';
    case 'number':
      return `the number ${t.value}`;
    case 'identifier':
      return t.value;
    case 'op':
      return `operator ${t.value}`;
    default:
      return `"${t.type}"`;
  }
}

/**
 * Parses a Cloud Sync attribute-mapping expression and checks every function name and argument count.
 * @throws ExpressionError (syntax) naming the position.
 * @example
 *   parseExpression('Join(" ", [givenName], [sn])')
 */
export function parseExpression(text: string): ExprNode {
  if (text.length > MAX_LENGTH) throw syntax(`expression longer than ${MAX_LENGTH} characters`, MAX_LENGTH);
  return new Parser(tokenize(text)).parseAll();
}
