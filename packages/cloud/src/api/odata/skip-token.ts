import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ODataError } from './errors.js';

/** A sort-key value carried from one page to the next: what the last row held, in JSON form. */
export type SkipTokenValue = string | number | boolean | null;

/** Turns the last row's sort key into an opaque `$skiptoken` and back, refusing any token it did not sign. */
export interface SkipTokenCodec {
  /** `context` names the query (resource, filter, order): a token only opens pages of the same query. */
  encode(values: readonly SkipTokenValue[], context: string): string;
  /** Throws {@link ODataError} (400) for a token that was altered, truncated or made for another query. */
  decode(token: string, context: string, expectedLength: number): SkipTokenValue[];
}

const MAX_TOKEN_LENGTH = 4096;
const MIN_SECRET_BYTES = 16;

function invalidToken(): ODataError {
  return new ODataError('BadRequest', 'The $skiptoken is invalid, or was issued for another query.', {
    option: '$skiptoken',
  });
}

function isTokenValue(value: unknown): value is SkipTokenValue {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/**
 * Creates the signing codec for `$skiptoken`. The token is `base64url(JSON of the key values)` and an
 * HMAC-SHA256 over it and the query's context, so a caller can neither forge a position nor reuse a
 * token under a different `$filter` or `$orderby`. Tokens do not expire: they hold no secret, only a
 * position that the caller could also reach by paging.
 *
 * @example
 * ```ts
 * const tokens = createSkipTokenCodec(config.skipTokenSecret);
 * const token = tokens.encode(['Adele Vance', '5f2b…'], context);
 * tokens.decode(token, context, 2); // ['Adele Vance', '5f2b…']
 * ```
 */
export function createSkipTokenCodec(secret: string | Uint8Array): SkipTokenCodec {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (key.length < MIN_SECRET_BYTES) {
    throw new TypeError(`The $skiptoken secret must be at least ${MIN_SECRET_BYTES} bytes long.`);
  }
  const sign = (payload: string, context: string): Buffer =>
    createHmac('sha256', key).update(payload).update('\n').update(context).digest();

  return {
    encode(values, context) {
      const payload = Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
      return `${payload}.${sign(payload, context).toString('base64url')}`;
    },
    decode(token, context, expectedLength) {
      if (token.length > MAX_TOKEN_LENGTH) throw invalidToken();
      const [payload, signature, extra] = token.split('.');
      if (!payload || !signature || extra !== undefined) throw invalidToken();
      const given = Buffer.from(signature, 'base64url');
      const expected = sign(payload, context);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidToken();
      let values: unknown;
      try {
        values = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        throw invalidToken();
      }
      if (!Array.isArray(values) || values.length !== expectedLength || !values.every(isTokenValue)) {
        throw invalidToken();
      }
      return values;
    },
  };
}

/** A short digest naming a query, for {@link SkipTokenCodec}'s `context`. */
export function queryContext(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}
