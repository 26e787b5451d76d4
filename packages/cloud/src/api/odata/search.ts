import type { BoundFilter } from './bound-filter.js';
import { ODataError } from './errors.js';
import type { FilterLimits } from './filter-parser.js';
import { type PropertyMap, requireProperty, unsupportedProperty } from './property-map.js';

const OPTION = '$search';

function searchError(text: string, index: number, reason: string): ODataError {
  const position = index + 1;
  return new ODataError('BadRequest', `Invalid $search at position ${position} in '${text}': ${reason}.`, {
    option: OPTION,
    position,
  });
}

interface Clause {
  property: string;
  term: string;
  index: number;
}

type SearchToken = { kind: 'clause'; clause: Clause } | { kind: 'and' | 'or'; index: number };

// A clause is "property:term" in double quotes; Graph's directory search has no escapes inside them.
const CLAUSE = /"([^"]*)"/y;
const KEYWORD = /(AND|OR)(?=\s|"|$)/iy;
const SPACE = /\s+/y;

function tokenize(text: string): SearchToken[] {
  const tokens: SearchToken[] = [];
  let index = 0;
  while (index < text.length) {
    for (const pattern of [CLAUSE, KEYWORD, SPACE]) pattern.lastIndex = index;
    const space = SPACE.exec(text);
    if (space) {
      index += space[0].length;
      continue;
    }
    const clause = CLAUSE.exec(text);
    if (clause) {
      const body = clause[1] ?? '';
      const colon = body.indexOf(':');
      if (colon <= 0) throw searchError(text, index, 'expected "property:term"');
      tokens.push({
        kind: 'clause',
        clause: { property: body.slice(0, colon), term: body.slice(colon + 1), index },
      });
      index += clause[0].length;
      continue;
    }
    const keyword = KEYWORD.exec(text);
    if (!keyword) throw searchError(text, index, 'expected a quoted "property:term", AND or OR');
    tokens.push({ kind: keyword[0].toLowerCase() === 'and' ? 'and' : 'or', index });
    index += keyword[0].length;
  }
  return tokens;
}

function bindClause(clause: Clause, map: PropertyMap): BoundFilter {
  const found = requireProperty(map, clause.property, OPTION);
  if (found.spec.type === 'collection' || !found.spec.search)
    throw unsupportedProperty(map, found.name, OPTION);
  if (clause.term.trim() === '') {
    throw new ODataError('BadRequest', `The $search term for '${found.name}' is empty.`, { option: OPTION });
  }
  if (clause.term.includes('\u0000')) {
    throw new ODataError('BadRequest', 'A $search term may not contain NUL.', { option: OPTION });
  }
  return {
    kind: 'search',
    target: { property: found.name, column: found.spec.column, type: 'string', caseInsensitive: true },
    term: clause.term,
    words: found.spec.search === 'words',
  };
}

/**
 * Parses and binds Graph's directory `$search`: quoted `"property:term"` clauses joined by `AND` / `OR`
 * (`AND` binds tighter), e.g. `"displayName:adele" OR "mail:adele"`. Only properties marked `search` in the
 * map may appear.
 */
export function parseSearch(text: string, map: PropertyMap, limits: FilterLimits): BoundFilter {
  if (text.length > limits.maxLength) {
    throw new ODataError('BadRequest', `The $search is longer than ${limits.maxLength} characters.`, {
      option: OPTION,
    });
  }
  const tokens = tokenize(text);
  const alternatives: BoundFilter[][] = [[]];
  let expectClause = true;
  let clauses = 0;
  for (const token of tokens) {
    const index = token.kind === 'clause' ? token.clause.index : token.index;
    if (expectClause !== (token.kind === 'clause')) {
      throw searchError(
        text,
        index,
        expectClause ? 'expected a quoted "property:term"' : 'expected AND or OR',
      );
    }
    expectClause = token.kind !== 'clause';
    if (token.kind === 'clause') {
      clauses += 1;
      if (clauses > limits.maxTerms) throw searchError(text, index, `more than ${limits.maxTerms} clauses`);
      alternatives.at(-1)?.push(bindClause(token.clause, map));
    } else if (token.kind === 'or') {
      alternatives.push([]);
    }
  }
  if (expectClause) throw searchError(text, text.length, 'expected a quoted "property:term"');
  const ors = alternatives.map(
    (all): BoundFilter => (all.length === 1 && all[0] ? all[0] : { kind: 'and', operands: all }),
  );
  return ors.length === 1 && ors[0] ? ors[0] : { kind: 'or', operands: ors };
}
