import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ODataError } from './errors.js';
import { createSkipTokenCodec, queryContext } from './skip-token.js';

const codec = createSkipTokenCodec('a secret of at least sixteen bytes');
const context = queryContext(['user', "startswith(displayName,'a')", [['displayName', 'asc']]]);

function refused(run: () => unknown) {
  assert.throws(run, (error: unknown) => error instanceof ODataError && error.code === 'BadRequest');
}

test('a token carries the key values and is URL-safe', () => {
  const values = ["O'Brien %_", 12.5, true, null, '2024-01-01T00:00:00.000Z'];
  const token = codec.encode(values, context);
  assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  assert.deepEqual(codec.decode(token, context, values.length), values);
});

test('a token opens only the query it was made for, with the secret it was signed with', () => {
  const token = codec.encode(['a', 'b'], context);
  refused(() => codec.decode(token, queryContext(['user', null, []]), 2));
  refused(() => createSkipTokenCodec('another secret, sixteen bytes+').decode(token, context, 2));
  refused(() => codec.decode(token, context, 3));
});

test('altered, truncated or malformed tokens are refused', () => {
  const token = codec.encode(['a', 'b'], context);
  const [payload = '', signature = ''] = token.split('.');
  const other = Buffer.from(JSON.stringify(['a', 'c'])).toString('base64url');
  for (const bad of [
    `${other}.${signature}`,
    `${payload}.${signature.slice(1)}`,
    `${payload}.`,
    `.${signature}`,
    `${payload}${signature}`,
    `${token}.`,
    '',
    'x'.repeat(5000),
  ]) {
    refused(() => codec.decode(bad, context, 2));
  }
  const notJson = Buffer.from('not json').toString('base64url');
  const signedGarbage = createSkipTokenCodec('a secret of at least sixteen bytes');
  // A correctly signed payload that is not an array of scalars is refused as well.
  const objectToken = signedGarbage.encode([{ nested: true } as never], context);
  refused(() => codec.decode(objectToken, context, 1));
  refused(() => codec.decode(`${notJson}.${signature}`, context, 2));
});

test('the secret must be long enough to sign with', () => {
  assert.throws(() => createSkipTokenCodec('short'), TypeError);
  assert.doesNotThrow(() => createSkipTokenCodec(new Uint8Array(32)));
});
