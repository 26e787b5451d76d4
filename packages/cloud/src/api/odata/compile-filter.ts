import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { BoundFilter, ColumnTarget, FilterValue } from './bound-filter.js';
import type { ComparisonOperator } from './filter-ast.js';

type Sql = RawBuilder<unknown>;

const SQL_OPERATORS: Record<ComparisonOperator, string> = {
  eq: '=',
  ne: '<>',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
};
const NEGATED: Record<ComparisonOperator, ComparisonOperator> = {
  eq: 'ne',
  ne: 'eq',
  gt: 'le',
  ge: 'lt',
  lt: 'ge',
  le: 'gt',
};

/**
 * A value as SQL. Booleans are written as the keywords `true`/`false` (one of two fixed words, never input
 * text) because better-sqlite3 cannot bind a JS boolean; SQLite reads them as 1/0, PostgreSQL as booleans.
 * Everything else is a bound parameter.
 */
export function valueSql(value: FilterValue): Sql {
  return typeof value === 'boolean' ? sql.lit(value) : sql.val(value);
}

function columnSql(target: ColumnTarget): Sql {
  const ref = sql.ref(target.column);
  return target.caseInsensitive && target.type === 'string' ? sql`lower(${ref})` : ref;
}

function operandSql(target: ColumnTarget, value: FilterValue): Sql {
  return target.caseInsensitive && target.type === 'string' ? sql`lower(${sql.val(value)})` : valueSql(value);
}

/** `LIKE` pattern for a literal prefix or suffix: the wildcards `%` and `_` and the escape `\` match themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

// OData comparisons are two-valued: `null eq 'a'` is false, so `not (p eq 'a')` holds for a null p. SQL's
// three-valued logic would drop those rows, so `not` is pushed down to the leaves (De Morgan) and every
// negated leaf adds `or <column> is null`.
function orNull(target: ColumnTarget, condition: Sql): Sql {
  return sql`(${condition} or ${sql.ref(target.column)} is null)`;
}

function compileCompare(node: Extract<BoundFilter, { kind: 'compare' }>, negate: boolean): Sql {
  const op = negate ? NEGATED[node.op] : node.op;
  const ref = sql.ref(node.target.column);
  if (node.value === null) return op === 'eq' ? sql`${ref} is null` : sql`${ref} is not null`;
  const condition = sql`${columnSql(node.target)} ${sql.raw(SQL_OPERATORS[op])} ${operandSql(node.target, node.value)}`;
  // A null column fails `eq` and the orderings, as SQL's null does, but passes `ne` and a negated ordering
  // (`not (p gt 3)`); a negated `ne` is `eq`, which it fails again.
  const nullPasses = node.op === 'eq' || node.op === 'ne' ? op === 'ne' : negate;
  return nullPasses ? orNull(node.target, condition) : condition;
}

function compileIn(node: Extract<BoundFilter, { kind: 'in' }>, negate: boolean): Sql {
  const list = sql.join(node.values.map((value) => operandSql(node.target, value)));
  const column = columnSql(node.target);
  return negate ? orNull(node.target, sql`${column} not in (${list})`) : sql`${column} in (${list})`;
}

function compileFunction(node: Extract<BoundFilter, { kind: 'function' }>, negate: boolean): Sql {
  const { target, value } = node;
  let condition: Sql;
  if (target.caseInsensitive) {
    const pattern = node.name === 'startswith' ? `${escapeLike(value)}%` : `%${escapeLike(value)}`;
    condition = sql`lower(${sql.ref(target.column)}) like lower(${sql.val(pattern)}) escape '\\'`;
  } else {
    // SQLite's LIKE ignores ASCII case whatever we do, so exact matching compares a substring instead.
    const length = sql.lit([...value].length);
    const ref = sql.ref(target.column);
    const part =
      node.name === 'startswith'
        ? sql`substr(${ref}, 1, ${length})`
        : sql`substr(${ref}, length(${ref}) - ${length} + 1)`;
    condition = sql`${part} = ${sql.val(value)}`;
  }
  return negate ? orNull(target, sql`not (${condition})`) : condition;
}

/** Characters after which Graph's tokenised search starts a new word. */
const WORD_SEPARATORS = [' ', '.', '-', '_', '@'];

function compileSearch(node: Extract<BoundFilter, { kind: 'search' }>, negate: boolean): Sql {
  const term = escapeLike(node.term);
  const patterns = [`${term}%`];
  if (node.words) patterns.push(...WORD_SEPARATORS.map((separator) => `%${escapeLike(separator)}${term}%`));
  const column = sql`lower(${sql.ref(node.target.column)})`;
  const likes = patterns.map((pattern) => sql`${column} like lower(${sql.val(pattern)}) escape '\\'`);
  const condition = sql`(${sql.join(likes, sql` or `)})`;
  return negate ? orNull(node.target, sql`not ${condition}`) : condition;
}

function compileAny(node: Extract<BoundFilter, { kind: 'any' }>, negate: boolean): Sql {
  const link = sql`${sql.ref(`${node.table}.${node.foreignKey}`)} = ${sql.ref(node.ownerKey)}`;
  const where = node.predicate ? sql`${link} and ${compileNode(node.predicate, false)}` : link;
  const exists = sql`exists (select 1 from ${sql.table(node.table)} where ${where})`;
  return negate ? sql`not ${exists}` : exists;
}

function compileNode(node: BoundFilter, negate: boolean): Sql {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const joiner = (node.kind === 'and') !== negate ? sql` and ` : sql` or `;
      return sql`(${sql.join(
        node.operands.map((operand) => compileNode(operand, negate)),
        joiner,
      )})`;
    }
    case 'not':
      return compileNode(node.operand, !negate);
    case 'compare':
      return compileCompare(node, negate);
    case 'in':
      return compileIn(node, negate);
    case 'function':
      return compileFunction(node, negate);
    case 'any':
      return compileAny(node, negate);
    case 'search':
      return compileSearch(node, negate);
  }
}

/**
 * Compiles a bound `$filter` to a Kysely boolean expression for `.where(…)`. Every value is a bound
 * parameter (booleans excepted, see {@link valueSql}); columns come from the property map only.
 *
 * @example
 * ```ts
 * const filter = bindFilter(parseFilter("userPrincipalName eq 'Adele@contoso.com'"), USER_PROPERTIES);
 * db.selectFrom('users').selectAll().where(compileFilter(filter));
 * // … where lower("users"."upn") = lower(?)
 * ```
 */
export function compileFilter(filter: BoundFilter): RawBuilder<SqlBool> {
  return sql<SqlBool>`${compileNode(filter, false)}`;
}
