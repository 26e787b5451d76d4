// For tests only: an agent as the real one behaves on the wire — its own key pair, client
// assertions (RFC 7523) signed with jose, bearer tokens from the token endpoint.
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { agentRegistrationResponseSchema } from '@cloudsync/protocol';
import { SignJWT } from 'jose';
import type { ApiFixture } from '../api/api-fixture.js';

export type Json = Record<string, unknown>;

export interface TestAgent {
  agentId: string;
  clientId: string;
  tokenEndpoint: string;
  privateKey: KeyObject;
  token: string;
}

export function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { publicJwk: { ...publicKey.export({ format: 'jwk' }), kid: randomUUID() }, privateKey };
}

/** A client assertion exactly as an agent signs it with its private key. */
export async function clientAssertion(agent: Pick<TestAgent, 'clientId' | 'tokenEndpoint' | 'privateKey'>) {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(agent.clientId)
    .setSubject(agent.clientId)
    .setAudience(agent.tokenEndpoint)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('2m')
    .sign(agent.privateKey);
}

/** Client-credentials token exchange with a client assertion. */
export async function exchange(agent: Pick<TestAgent, 'clientId' | 'tokenEndpoint' | 'privateKey'>) {
  const res = await fetch(agent.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: agent.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await clientAssertion(agent),
    }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

/** Posts an agent's registration (with a fresh key pair) using `token`, the fixture's admin token by default. */
export async function registerAgent(fx: ApiFixture, host: string, domains: string[], token = fx.adminToken) {
  const { publicJwk, privateKey } = keyPair();
  const res = await fx.call('POST', '/agent/v1/agents', {
    token,
    body: { host, version: '0.1.0', domains, publicJwk },
  });
  return { res, privateKey };
}

/** Registers an agent with the fixture's admin token and returns it holding a fresh token. */
export async function registerTestAgent(fx: ApiFixture, host: string, domains: string[]): Promise<TestAgent> {
  const { res, privateKey } = await registerAgent(fx, host, domains);
  assert.equal(res.status, 201, res.text);
  const reg = agentRegistrationResponseSchema.parse(res.body);
  const agent = {
    agentId: reg.agentId,
    clientId: reg.clientId,
    tokenEndpoint: reg.tokenEndpoint,
    privateKey,
  };
  const got = await exchange(agent);
  assert.equal(got.status, 200, JSON.stringify(got.body));
  return { ...agent, token: String(got.body.access_token) };
}
