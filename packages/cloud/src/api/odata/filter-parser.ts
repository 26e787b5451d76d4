import { filterSyntaxError, ODataError } from './errors.js';
import type {
  ComparisonOperator,
  FilterLiteral,
  FilterNode,
  FilterPath,
  StringFunction,
} from './filter-ast.js';
import { type Token, type TokenKind, tokenizeFilter } from './filter-lexer.js';

/** Bounds that keep a hostile `$filter` from costing more than a page of SQL. */
export interface FilterLimits {
  /** Characters in the filter text. */
  maxLength: number;
  /** Nesting of parentheses, `not` and lambdas. */
  maxDepth: number;
  /** Comparisons and function calls in the whole filter. */
  maxTerms: number;
  /** Values in one `in (…)` list. */
  maxInValues: number;
}

export const DEFAULT_FILTER_LIMITS: Readonly<FilterLimits> = Object.freeze({
  // Room for an `in` list of 100 GUIDs; Node's 16 KiB header limit bounds the URL anyway.
  maxLength: 4096,
  maxDepth: 16,
  maxTerms: 64,
  maxInValues: 100,
});

const COMPARISONS: readonly ComparisonOperator[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
const FUNCTIONS: readonly StringFunction[] = ['startswith', 'endswith'];

function isComparison(word: string): word is ComparisonOperator {
  return COMPARISONS.some((op) => op === word);
}

function isFunction(word: string): word is StringFunction {
  return FUNCTIONS.some((name) => name === word);
}
const UNSUPPORTED_FUNCTIONS = new Set<string>([
  'contains',
  'substringof',
  'tolower',
  'toupper',
  'length',
  'trim',
]);

class FilterParser {
  private position = 0;
  private depth = 0;
  private terms = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly limits: FilterLimits,
  ) {}

  parse(): FilterNode {
    const node = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') this.fail(next, `unexpected '${next.text}'`);
    return node;
  }

  private parseOr(): FilterNode {
    const operands = [this.parseAnd()];
    while (this.isKeyword(this.peek(), 'or')) {
      this.advance();
      operands.push(this.parseAnd());
    }
    return operands.length === 1 && operands[0] ? operands[0] : { kind: 'or', operands };
  }

  private parseAnd(): FilterNode {
    const operands = [this.parseUnary()];
    while (this.isKeyword(this.peek(), 'and')) {
      this.advance();
      operands.push(this.parseUnary());
    }
    return operands.length === 1 && operands[0] ? operands[0] : { kind: 'and', operands };
  }

  // `not` binds looser than a comparison, so `not displayName eq 'a'` means `not (displayName eq 'a')`.
  private parseUnary(): FilterNode {
    const token = this.peek();
    if (this.isKeyword(token, 'not')) {
      this.advance();
      return { kind: 'not', operand: this.nested(token, () => this.parseUnary()) };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FilterNode {
    const token = this.peek();
    if (token.kind === 'openParen') {
      this.advance();
      const inner = this.nested(token, () => this.parseOr());
      this.expect('closeParen', "')'");
      return inner;
    }
    if (token.kind !== 'identifier') return this.fail(token, "expected a property, '(' or 'not'");
    if (this.peek(1).kind === 'openParen') return this.parseFunction(token);
    const path = this.parsePath();
    if (this.peek().kind === 'openParen') return this.parseLambda(path);
    return this.parseComparison(path);
  }

  private parseFunction(name: Token): FilterNode {
    const lower = name.text.toLowerCase();
    if (UNSUPPORTED_FUNCTIONS.has(lower)) {
      throw new ODataError(
        'Request_UnsupportedQuery',
        `The function '${name.text}' is not supported in $filter.`,
        {
          option: '$filter',
          position: name.index + 1,
        },
      );
    }
    if (!isFunction(lower)) return this.fail(name, `unknown function '${name.text}'`);
    this.countTerm(name);
    this.advance();
    this.expect('openParen', "'('");
    const path = this.parsePath();
    this.expect('comma', "','");
    const value = this.parseLiteral();
    this.expect('closeParen', "')'");
    return { kind: 'function', name: lower, path, value };
  }

  private parseLambda(path: FilterPath): FilterNode {
    const operator = path.segments.pop();
    const open = this.peek();
    if (operator?.toLowerCase() !== 'any' || path.segments.length === 0) {
      return this.fail(open, `expected a comparison operator after '${path.segments.join('/')}'`);
    }
    this.countTerm(open);
    this.advance();
    if (this.peek().kind === 'closeParen') {
      this.advance();
      return { kind: 'lambda', operator: 'any', collection: path };
    }
    const variable = this.expect('identifier', 'a lambda variable name').text;
    this.expect('colon', "':'");
    const predicate = this.nested(open, () => this.parseOr());
    this.expect('closeParen', "')'");
    return { kind: 'lambda', operator: 'any', collection: path, variable, predicate };
  }

  private parseComparison(path: FilterPath): FilterNode {
    const operator = this.peek();
    const op = operator.text.toLowerCase();
    if (operator.kind !== 'identifier' || (!isComparison(op) && op !== 'in')) {
      return this.fail(operator, `expected a comparison operator after '${path.segments.join('/')}'`);
    }
    this.countTerm(operator);
    this.advance();
    if (!isComparison(op)) return { kind: 'in', path, values: this.parseList() };
    return { kind: 'compare', op, path, value: this.parseLiteral() };
  }

  private parseList(): FilterLiteral[] {
    const open = this.expect('openParen', "'('");
    const values = [this.parseLiteral()];
    while (this.peek().kind === 'comma') {
      this.advance();
      values.push(this.parseLiteral());
      if (values.length > this.limits.maxInValues) {
        this.fail(open, `an 'in' list may hold at most ${this.limits.maxInValues} values`);
      }
    }
    this.expect('closeParen', "')'");
    return values;
  }

  private parsePath(): FilterPath {
    const first = this.expect('identifier', 'a property name');
    const segments = [first.text];
    while (this.peek().kind === 'slash') {
      this.advance();
      segments.push(this.expect('identifier', 'a property name after /').text);
    }
    return { segments, index: first.index };
  }

  private parseLiteral(): FilterLiteral {
    const token = this.advance();
    const index = token.index;
    switch (token.kind) {
      case 'string':
        return { type: 'string', value: token.text, index };
      case 'guid':
        return { type: 'guid', value: token.text, index };
      case 'datetime':
        return { type: 'datetime', value: token.text, index };
      case 'number': {
        const value = Number(token.text);
        if (!Number.isFinite(value)) return this.fail(token, `'${token.text}' is out of range`);
        return { type: 'number', value, index };
      }
      case 'identifier': {
        const word = token.text.toLowerCase();
        if (word === 'true' || word === 'false') return { type: 'bool', value: word === 'true', index };
        if (word === 'null') return { type: 'null', index };
        return this.fail(token, `expected a literal value, found '${token.text}'`);
      }
      default:
        return this.fail(
          token,
          token.kind === 'end' ? 'expected a literal value' : `unexpected '${token.text}'`,
        );
    }
  }

  private nested<T>(token: Token, parse: () => T): T {
    this.depth += 1;
    if (this.depth > this.limits.maxDepth)
      this.fail(token, `nesting deeper than ${this.limits.maxDepth} levels`);
    const result = parse();
    this.depth -= 1;
    return result;
  }

  private countTerm(token: Token): void {
    this.terms += 1;
    if (this.terms > this.limits.maxTerms) this.fail(token, `more than ${this.limits.maxTerms} conditions`);
  }

  private isKeyword(token: Token, word: string): boolean {
    return token.kind === 'identifier' && token.text.toLowerCase() === word;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)] ?? this.endToken();
  }

  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.position += 1;
    return token;
  }

  private expect(kind: TokenKind, what: string): Token {
    const token = this.peek();
    if (token.kind !== kind)
      this.fail(token, `expected ${what}${token.kind === 'end' ? '' : `, found '${token.text}'`}`);
    return this.advance();
  }

  private endToken(): Token {
    return { kind: 'end', text: '', index: this.text.length };
  }

  private fail(token: Token, reason: string): never {
    throw filterSyntaxError(this.text, token.index, reason);
  }
}

/**
 * Parses a `$filter` value into a {@link FilterNode} tree of Graph property names, without checking them.
 * Throws {@link ODataError} (`BadRequest` with a 1-based position) for anything else, and stops at the
 * {@link FilterLimits} so no input can exhaust the stack or the CPU.
 *
 * @example
 * ```ts
 * parseFilter("startswith(displayName,'Ad') and accountEnabled eq true");
 * // { kind: 'and', operands: [{ kind: 'function', name: 'startswith', … }, { kind: 'compare', op: 'eq', … }] }
 * ```
 */
export function parseFilter(text: string, limits: Partial<FilterLimits> = {}): FilterNode {
  const bounds = { ...DEFAULT_FILTER_LIMITS, ...limits };
  if (text.length > bounds.maxLength) {
    throw new ODataError('BadRequest', `The $filter is longer than ${bounds.maxLength} characters.`, {
      option: '$filter',
    });
  }
  if (text.trim() === '') throw filterSyntaxError(text, 0, 'the filter is empty');
  return new FilterParser(text, tokenizeFilter(text), bounds).parse();
}
