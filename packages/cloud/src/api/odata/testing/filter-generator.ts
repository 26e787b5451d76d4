// Test support: random, valid `$filter` strings over the user fixture, for agreement tests against the
// in-memory reference. Values are drawn from the fixture so that filters select something.
import { type FixtureData, type FixtureUser, SKUS } from './user-fixture.js';

type Next = () => number;

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

function pick<T>(next: Next, items: readonly T[]): T {
  const item = items[Math.floor(next() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

// ASCII letters only: SQLite's lower() folds nothing else, PostgreSQL's folds all of Unicode.
function jumble(next: Next, text: string): string {
  return text.replace(/[A-Za-z]/g, (char) => (next() < 0.5 ? char.toUpperCase() : char.toLowerCase()));
}

function stringTerm(next: Next, property: string, value: string | null, caseInsensitive: boolean): string {
  if (value === null) return `${property} ${next() < 0.5 ? 'eq' : 'ne'} null`;
  const text = caseInsensitive ? jumble(next, value) : value;
  const cut = Math.floor(next() * (text.length + 1));
  switch (Math.floor(next() * 4)) {
    case 0:
      return `${property} ${next() < 0.5 ? 'eq' : 'ne'} ${quote(text)}`;
    case 1:
      return `startswith(${property},${quote(text.slice(0, cut))})`;
    case 2:
      return `endswith(${property},${quote(text.slice(cut))})`;
    default:
      return `${property} in (${quote(text)}, ${quote(text.slice(0, cut))})`;
  }
}

const ORDERING = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];

function term(next: Next, data: FixtureData): string {
  const user: FixtureUser = pick(next, data.users);
  switch (Math.floor(next() * 9)) {
    case 0:
      return stringTerm(next, 'displayName', user.display_name, true);
    case 1:
      return stringTerm(next, 'mail', user.mail, true);
    case 2:
      return stringTerm(next, 'department', user.department, false);
    case 3:
      return `accountEnabled ${next() < 0.5 ? 'eq' : 'ne'} ${next() < 0.5}`;
    case 4:
      return `createdDateTime ${pick(next, ORDERING)} ${user.created_at}`;
    case 5:
      return user.sign_in_count === null
        ? 'signInCount eq null'
        : `signInCount ${pick(next, ORDERING)} ${user.sign_in_count}`;
    case 6:
      return next() < 0.5 ? `id eq ${user.id}` : `id in (${user.id}, ${pick(next, data.users).id})`;
    case 7:
      return `assignedLicenses/any(l:l/skuId eq ${pick(next, SKUS)}${next() < 0.5 ? ` or l/skuId eq ${pick(next, SKUS)}` : ''})`;
    default:
      return `proxyAddresses/any(p:startswith(p,${quote(jumble(next, pick(next, ['smtp:', 'SMTP:a', 'smtp:m', 'x'])))}))`;
  }
}

function expression(next: Next, data: FixtureData, depth: number): string {
  const roll = next();
  if (depth <= 0 || roll < 0.35) return term(next, data);
  if (roll < 0.5) return `not (${expression(next, data, depth - 1)})`;
  const joiner = roll < 0.75 ? ' and ' : ' or ';
  const count = 2 + Math.floor(next() * 2);
  const parts = Array.from({ length: count }, () => expression(next, data, depth - 1));
  return next() < 0.5 ? `(${parts.join(joiner)})` : parts.join(joiner);
}

/** `count` random filters, the same for every run with the same seed. */
export function generateFilters(data: FixtureData, count: number, seed: number): string[] {
  let state = seed;
  const next: Next = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  return Array.from({ length: count }, () => expression(next, data, 3));
}
