import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { protocolExamples } from '../examples.js';
import { publicJwkSchema } from './public-jwk.js';
import { agentRegistrationRequestSchema } from './registration.js';

test('public JWKs exported by node pass; private ones are refused', () => {
  for (const [type, opts] of [
    ['rsa', { modulusLength: 2048 }],
    ['ec', { namedCurve: 'P-256' }],
  ] as const) {
    const { publicKey, privateKey } =
      type === 'rsa'
        ? generateKeyPairSync('rsa', opts as { modulusLength: number })
        : generateKeyPairSync('ec', opts as { namedCurve: string });
    assert.ok(publicJwkSchema.safeParse(publicKey.export({ format: 'jwk' })).success, type);
    assert.equal(publicJwkSchema.safeParse(privateKey.export({ format: 'jwk' })).success, false, type);
  }
});

test('registration needs at least one domain and bounds the host', () => {
  const reg = structuredClone(protocolExamples.registration);
  assert.equal(agentRegistrationRequestSchema.safeParse({ ...reg, domains: [] }).success, false);
  assert.equal(agentRegistrationRequestSchema.safeParse({ ...reg, host: 'h'.repeat(300) }).success, false);
});
