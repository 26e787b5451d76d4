import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentPath } from './routes.js';

test('agentPath fills and encodes parameters, and insists on them', () => {
  assert.equal(agentPath('cyclePage', { cycleId: 'a/b' }), '/agent/v1/cycles/a%2Fb/pages');
  assert.equal(agentPath('configurations'), '/agent/v1/configurations');
  assert.throws(() => agentPath('heartbeat'), /missing parameter agentId/);
});
