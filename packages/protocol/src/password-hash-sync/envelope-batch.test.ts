import assert from 'node:assert/strict';
import { test } from 'node:test';
import { protocolExamples } from '../examples.js';
import { hashEnvelopeBatchSchema, hashEnvelopeSchema } from './envelope-batch.js';
import { hashOfHash, ntHash } from './hash-of-hash.js';

test('a real hash-of-hash envelope passes the wire schema', async () => {
  const envelope = await hashOfHash(ntHash('Bobby!Pass123'));
  assert.ok(hashEnvelopeSchema.safeParse(envelope).success, envelope);
});

test('an item carrying an NT hash field makes the batch invalid', () => {
  const batch = structuredClone(protocolExamples.hashBatch);
  const item = { ...batch.items[0], ntHash: '8846f7eaee8fb117ad06bdd830b7586c' };
  assert.equal(hashEnvelopeBatchSchema.safeParse({ ...batch, items: [item] }).success, false);
});

test('weak or malformed envelopes are refused', () => {
  for (const bad of [
    '$pbkdf2-sha256-nt$i=999$AAECAwQFBgcICQ==$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
    '$pbkdf2-sha256$i=1000$AAECAwQFBgcICQ==$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
    '$pbkdf2-sha256-nt$i=1000$AAECAwQFBgcICQ==$short=',
    '8846f7eaee8fb117ad06bdd830b7586c',
  ]) {
    assert.equal(hashEnvelopeSchema.safeParse(bad).success, false, bad);
  }
});

test('empty and oversized batches are refused', () => {
  const batch = structuredClone(protocolExamples.hashBatch);
  assert.equal(hashEnvelopeBatchSchema.safeParse({ ...batch, items: [] }).success, false);
  const item = batch.items[0];
  assert.equal(
    hashEnvelopeBatchSchema.safeParse({ ...batch, items: Array.from({ length: 1001 }, () => item) }).success,
    false,
  );
});
