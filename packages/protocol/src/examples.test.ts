import assert from 'node:assert/strict';
import { test } from 'node:test';
import { protocolExamples as ex } from './examples.js';
import {
  agentJobResultSchema,
  agentJobSchema,
  agentRegistrationRequestSchema,
  changeSetPageSchema,
  cycleAcknowledgementSchema,
  cycleEndSchema,
  cycleLeaseRequestSchema,
  cycleLeaseResponseSchema,
  hashEnvelopeBatchSchema,
  heartbeatRequestSchema,
  pageAcknowledgementSchema,
  syncConfigurationSchema,
  writebackJobSchema,
  writebackResultSchema,
} from './index.js';

const pairs = [
  [agentRegistrationRequestSchema, ex.registration],
  [heartbeatRequestSchema, ex.heartbeat],
  [syncConfigurationSchema, ex.configuration],
  [changeSetPageSchema, ex.changeSetPage],
  [pageAcknowledgementSchema, ex.pageAcknowledgement],
  [cycleEndSchema, ex.cycleEnd],
  [cycleAcknowledgementSchema, ex.cycleAcknowledgement],
  [hashEnvelopeBatchSchema, ex.hashBatch],
  [writebackJobSchema, ex.writebackJob],
  [writebackResultSchema, ex.writebackResult],
  [cycleLeaseRequestSchema, ex.cycleLeaseRequest],
  [cycleLeaseResponseSchema, ex.cycleLeaseResponse],
  [agentJobSchema, ex.agentJob],
  [agentJobResultSchema, ex.agentJobResult],
] as const;

test('every example message parses and round-trips through JSON unchanged', () => {
  for (const [schema, example] of pairs) {
    const wire = JSON.parse(JSON.stringify(example));
    const r = schema.safeParse(wire);
    assert.ok(r.success, `${JSON.stringify(r.error?.issues)}`);
    assert.deepEqual(r.data, wire);
  }
});
