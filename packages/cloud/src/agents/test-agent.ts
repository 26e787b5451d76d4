// For tests only: an agent as the real one behaves on the wire — its own key pair, client
// assertions (RFC 7523) signed with jose, bearer tokens from the token endpoint.
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import {
  agentRegistrationResponseSchema,
  type WritebackJob,
  type WritebackResult,
  writebackPollResponseSchema,
} from '@cloudsync/protocol';
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

/** One heartbeat, so the cloud counts the agent as active (writeback picks active agents only). */
export async function sendHeartbeat(fx: ApiFixture, agent: TestAgent): Promise<void> {
  const res = await fx.call('POST', `/agent/v1/agents/${agent.agentId}/heartbeat`, {
    token: agent.token,
    body: {
      status: 'idle',
      currentCycle: null,
      versions: { agent: '0.1.0', protocol: '1' },
      configurationVersions: {},
      lastError: null,
      sentAt: new Date().toISOString(),
    },
  });
  assert.equal(res.status, 200, res.text);
}

/** A writeback job this agent holds, answered when the test says so (late, or never). */
export interface HeldWritebackJob {
  job: WritebackJob;
  /** Posts the agent's answer; resolves to the HTTP status (204 when taken). */
  answer(result: Omit<WritebackResult, 'jobId'>): Promise<number>;
}

/**
 * Long-polls the writeback queue as the agent does and claims the next job, but does not answer:
 * the test answers through `answer` when it wants (an agent slow in AD, or one that crashed).
 * @example
 *   const held = claimWriteback(fx, agent);
 *   const outcome = await reset(userId, 'New-Passw0rd!', 'password-reset'); // times out
 *   await (await held).answer({ status: 'succeeded' });
 */
export async function claimWriteback(
  fx: ApiFixture,
  agent: TestAgent,
  waitSeconds = 20,
): Promise<HeldWritebackJob> {
  const polled = await fx.call('GET', `/agent/v1/writeback/jobs?wait=${waitSeconds}`, { token: agent.token });
  assert.equal(polled.status, 200, polled.text);
  const [job] = writebackPollResponseSchema.parse(polled.body).jobs;
  assert.ok(job, 'a writeback job came within the wait');
  return {
    job,
    async answer(result) {
      const res = await fx.call('POST', `/agent/v1/writeback/jobs/${job.jobId}/result`, {
        token: agent.token,
        body: { ...result, jobId: job.jobId },
      });
      return res.status;
    },
  };
}
