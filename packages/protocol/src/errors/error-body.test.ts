import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorBody, errorBodySchema, ProtocolError } from './error-body.js';
import { ERROR_CODE_LIST, ERROR_CODES } from './error-codes.js';

test('every code has a status, a message and builds a valid body', () => {
  assert.ok(ERROR_CODE_LIST.length > 20);
  for (const code of ERROR_CODE_LIST) {
    const def = ERROR_CODES[code];
    assert.ok(def.status >= 400 && def.status < 600, code);
    assert.ok(def.message.length > 10, code);
    assert.ok(errorBodySchema.safeParse(errorBody(code)).success, code);
  }
});

test('ProtocolError carries code, status and serializes to the shared body', () => {
  const err = new ProtocolError('DELETE_THRESHOLD_EXCEEDED', undefined, { deletions: 612, threshold: 500 });
  assert.equal(err.status, 409);
  const body = err.toBody('req-1');
  assert.equal(body.code, 'DELETE_THRESHOLD_EXCEEDED');
  assert.equal(body.details?.deletions, 612);
  assert.ok(errorBodySchema.safeParse(body).success);
});

test('an unknown code is refused', () => {
  assert.equal(errorBodySchema.safeParse({ code: 'NOPE', message: 'x', retryable: false }).success, false);
});
