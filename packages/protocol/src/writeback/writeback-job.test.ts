import assert from 'node:assert/strict';
import { test } from 'node:test';
import { protocolExamples } from '../examples.js';
import { writebackJobSchema, writebackResultSchema } from './writeback-job.js';

test('a job whose secret is not a compact JWE is refused', () => {
  const job = structuredClone(protocolExamples.writebackJob);
  assert.equal(writebackJobSchema.safeParse({ ...job, encrypted: 'NewPassw0rd!' }).success, false);
  assert.equal(writebackJobSchema.safeParse({ ...job, encrypted: 'a.b.c' }).success, false);
});

test('a failure without any code is refused; a success needs none', () => {
  const jobId = protocolExamples.writebackJob.jobId;
  assert.equal(writebackResultSchema.safeParse({ jobId, status: 'failed' }).success, false);
  assert.ok(writebackResultSchema.safeParse({ jobId, status: 'succeeded' }).success);
});
