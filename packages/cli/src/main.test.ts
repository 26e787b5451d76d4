import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildProgram } from './main.js';

test('the cloudsync program names itself and has a version', () => {
  const program = buildProgram();
  assert.equal(program.name(), 'cloudsync');
  assert.match(program.version() ?? '', /^\d+\.\d+\.\d+$/);
});
