// The agent's token source against a real cloud (SQLite): renewal before expiry on an injected clock,
// renewal after `invalidate()`, and a key replaced on disk (a repair) picked up when the old one is refused.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type AgentRegistrationResponse, agentRegistrationResponseSchema } from '@cloudsync/protocol';
import { decodeJwt } from 'jose';
import { type ApiFixture, startApiFixture } from '../../../cloud/src/api/api-fixture.js';
import { type AgentKey, loadOrCreateKey } from '../state/identity.js';
import { UplinkError } from './errors.js';
import { type HttpRequest, sendHttp } from './http.js';
import { createTokenSource, type TokenSourceOptions } from './token.js';

let fx: ApiFixture;
let reg: AgentRegistrationResponse;
let key: AgentKey;
const dir = mkdtempSync(join(tmpdir(), 'cloudsync-token-'));
const host = `token-${randomUUID().slice(0, 8)}.test`;

async function register(agentKey: AgentKey): Promise<AgentRegistrationResponse> {
  const res = await fx.call('POST', '/agent/v1/agents', {
    body: { host, version: '0.1.0', domains: ['token.test'], publicJwk: agentKey.publicJwk },
  });
  return agentRegistrationResponseSchema.parse(res.body);
}

before(async () => {
  fx = await startApiFixture();
  key = await loadOrCreateKey(dir);
  reg = await register(key);
});
after(async () => {
  await fx.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A token source for the registered agent; `extra` adds or replaces options. */
function source(send: TokenSourceOptions['send'], extra: Partial<TokenSourceOptions> = {}) {
  return createTokenSource({
    clientId: reg.clientId,
    tokenEndpoint: reg.tokenEndpoint,
    privateKey: key.privateKey,
    send,
    ...extra,
  });
}

/** A real HTTP client that counts the token requests it carries. */
function countingSend() {
  const counter = { tokenRequests: 0 };
  const send = (req: HttpRequest) => {
    if (req.url === reg.tokenEndpoint) counter.tokenRequests++;
    return sendHttp(req);
  };
  return { counter, send };
}

test('a cached token is renewed before its exp, on the agent clock', async () => {
  let clock = Date.now();
  const { counter, send } = countingSend();
  const tokens = source(send, { now: () => new Date(clock) });
  const first = await tokens.token();
  const { iat, exp } = decodeJwt(first);
  assert.ok(iat !== undefined && exp !== undefined, 'the cloud issues JWTs with iat and exp');
  const lifetimeMs = (exp - iat) * 1000;
  assert.ok(lifetimeMs > 120_000, `a lifetime of more than two minutes (${lifetimeMs} ms)`);

  clock += lifetimeMs - 61_000; // more than a minute left: the cached token is used
  assert.equal(await tokens.token(), first);
  assert.equal(counter.tokenRequests, 1);

  clock += 2_000; // less than a minute left: renewed before use
  const second = await tokens.token();
  assert.notEqual(second, first);
  assert.equal(counter.tokenRequests, 2);

  tokens.invalidate(); // what the uplink does after a 401
  const third = await tokens.token();
  assert.notEqual(third, second);
  assert.equal(counter.tokenRequests, 3);
});

test('concurrent callers share one token request', async () => {
  const { counter, send } = countingSend();
  const tokens = source(send);
  const got = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);
  assert.equal(new Set(got).size, 1);
  assert.equal(counter.tokenRequests, 1);
});

test('a key replaced on disk (repair) is picked up when the cloud refuses the old one', async () => {
  const oldKey = key.privateKey;
  const { counter, send } = countingSend();
  const replaced = await loadOrCreateKey(dir, { rotate: true });
  const again = await register(replaced); // same host: a new key generation, a new client id

  const stale = source(send, { privateKey: oldKey });
  await assert.rejects(
    stale.token(),
    (err) => err instanceof UplinkError && err.code === 'UNAUTHENTICATED',
    'without reloadKey, the old key is refused',
  );

  const reloading = source(send, {
    privateKey: oldKey,
    reloadKey: async () => ({
      clientId: again.clientId,
      privateKey: (await loadOrCreateKey(dir)).privateKey,
    }),
  });
  const before = counter.tokenRequests;
  assert.ok(decodeJwt(await reloading.token()).exp);
  assert.equal(counter.tokenRequests - before, 2, 'refused once with the old key, then the new one');
  key = replaced;
  reg = again;
});
