import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import test from 'node:test';
import { protocolExamples, type WritebackJob, type WritebackResult } from '@cloudsync/protocol';
import { CompactEncrypt } from 'jose';
import pino from 'pino';
import type { WritebackChannel } from './channel.js';
import { createWritebackWorker } from './worker.js';

const newKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** A job sealed to `publicKey` whose secret names another job: the worker opens it, then refuses it before AD. */
async function mismatchedJob(publicKey: KeyObject): Promise<WritebackJob> {
  const secret = JSON.stringify({ jobId: randomUUID(), newPassword: 'not used' });
  const encrypted = await new CompactEncrypt(new TextEncoder().encode(secret))
    .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', cty: 'json' })
    .encrypt(publicKey);
  const expiresAt = new Date(Date.now() + 60_000).toISOString();
  return { ...protocolExamples.writebackJob, jobId: randomUUID(), encrypted, expiresAt };
}

function recordingWorker(privateKey: KeyObject, reloadKey?: () => Promise<KeyObject | undefined>) {
  const results: WritebackResult[] = [];
  const channel: WritebackChannel = {
    poll: async () => [],
    result: async (r) => {
      results.push(r);
    },
  };
  const worker = createWritebackWorker({
    channel,
    connectAd: () => Promise.reject(new Error('AD is not reached for a refused secret')),
    privateKey,
    ...(reloadKey ? { reloadKey } : {}),
    log: pino({ level: 'silent' }),
  });
  return { worker, results };
}

test('a job sealed to the key a repair put on disk is opened after reloading it once', async () => {
  const old = newKey();
  const repaired = newKey();
  let reloads = 0;
  const { worker, results } = recordingWorker(old.privateKey, async () => {
    reloads++;
    return repaired.privateKey;
  });
  const first = await mismatchedJob(repaired.publicKey);
  await worker.handle(first);
  assert.deepEqual(results, [{ jobId: first.jobId, status: 'failed', code: 'VALIDATION_FAILED' }]);
  const second = await mismatchedJob(repaired.publicKey);
  await worker.handle(second);
  assert.equal(results.length, 2);
  assert.equal(reloads, 1, 'the new key is kept: the second job needs no reload');
});

test('without a newer key on disk, a job the key cannot open fails and nothing is posted', async () => {
  const held = newKey();
  const { worker, results } = recordingWorker(held.privateKey, async () => held.privateKey);
  await assert.rejects(worker.handle(await mismatchedJob(newKey().publicKey)));
  assert.deepEqual(results, []);
});
