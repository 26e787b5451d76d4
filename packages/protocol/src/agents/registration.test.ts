import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { protocolExamples } from '../examples.js';
import { publicJwkSchema } from './public-jwk.js';
import { agentRegistrationRequestSchema, agentRegistrationResponseSchema } from './registration.js';

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
  assert.equal(agentRegistrationRequestSchema.safeParse({ ...reg, host: '' }).success, false);
  assert.equal(agentRegistrationRequestSchema.safeParse({ ...reg, host: 'dc\u0000' }).success, false);
});

test('registration response: only http(s) URLs', () => {
  const base = {
    agentId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    clientId: 'agent-1',
    tokenEndpoint: 'https://login.contoso.test/oidc/token',
    apiBaseUrl: 'http://127.0.0.1:3000',
    scopes: ['agent'],
  };
  assert.ok(agentRegistrationResponseSchema.safeParse(base).success);
  assert.equal(
    agentRegistrationResponseSchema.safeParse({ ...base, tokenEndpoint: 'javascript:alert(1)' }).success,
    false,
  );
  assert.equal(
    agentRegistrationResponseSchema.safeParse({ ...base, apiBaseUrl: 'ftp://x.test' }).success,
    false,
  );
});
