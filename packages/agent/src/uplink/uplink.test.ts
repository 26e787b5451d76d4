// The uplink against a real cloud (SQLite) behind a relay the test can cut.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { agentRegistrationResponseSchema } from '@cloudsync/protocol';
import { type ApiFixture, startApiFixture } from '../../../cloud/src/api/api-fixture.js';
import { type Relay, startRelay } from '../ad/testing/relay.js';
import { loadOrCreateKey } from '../state/identity.js';
import { UplinkError } from './errors.js';
import { createUplink, type Uplink } from './uplink.js';

let fx: ApiFixture;
let relay: Relay;
let uplink: Uplink;
let configurationId: string;
const dir = mkdtempSync(join(tmpdir(), 'cloudsync-uplink-'));
const DOMAIN = `uplink-${randomUUID().slice(0, 8)}.test`;

before(async () => {
  fx = await startApiFixture();
  relay = await startRelay(fx.url, '127.0.0.1');
  const key = await loadOrCreateKey(dir);
  const res = await fx.call('POST', '/agent/v1/agents', {
    body: { host: 'uplink.test', version: '0.1.0', domains: [DOMAIN], publicJwk: key.publicJwk },
  });
  const reg = agentRegistrationResponseSchema.parse(res.body);
  const viaRelay = (u: string) => u.replace(fx.url, relay.url.replace('ldaps:', 'http:'));
  uplink = createUplink({
    agentId: reg.agentId,
    clientId: reg.clientId,
    tokenEndpoint: viaRelay(reg.tokenEndpoint),
    apiBaseUrl: viaRelay(reg.apiBaseUrl),
    privateKey: key.privateKey,
    retry: { initialMs: 20, maxMs: 200 },
  });
  const created = await fx.call('POST', '/v1.0/cloudsync/configurations', {
    body: { domain: { dnsName: DOMAIN, netbiosName: 'UPLINK', sid: 'S-1-5-21-1-2-3' } },
  });
  configurationId = String((created.body as { id: string }).id);
  await fx.call('POST', `/v1.0/cloudsync/configurations/${configurationId}/enable`);
});
after(async () => {
  await relay.close();
  await fx.close();
  rmSync(dir, { recursive: true, force: true });
});

test('heartbeat and configurations, authenticated with the agent key', async () => {
  const beat = await uplink.heartbeat({
    status: 'idle',
    currentCycle: null,
    versions: { agent: '0.1.0', protocol: '1' },
    configurationVersions: {},
    lastError: null,
    sentAt: new Date().toISOString(),
  });
  assert.deepEqual(
    beat.configurations.map((c) => c.id),
    [configurationId],
  );
  const { configurations } = await uplink.configurations();
  assert.equal(configurations[0]?.domain.dnsName, DOMAIN);
});

test('cloud unreachable: short calls fail with CLOUD_UNREACHABLE, lease requests wait for it', async () => {
  await relay.cut();
  await assert.rejects(
    uplink.configurations(),
    (err) => err instanceof UplinkError && err.code === 'CLOUD_UNREACHABLE',
  );
  const pending = uplink.acquireLease(configurationId, { cycleId: randomUUID(), kind: 'full' });
  let settled = false;
  void pending.finally(() => {
    settled = true;
  });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(settled, false, 'still retrying while the cloud is away');
  await relay.resume();
  const lease = await pending;
  assert.equal(lease.state, 'granted');
});

test('a refused call is not retried and carries the cloud code', async () => {
  await assert.rejects(
    uplink.acquireLease(randomUUID(), { cycleId: randomUUID(), kind: 'delta' }),
    (err) => err instanceof UplinkError && err.code === 'CONFIG_NOT_FOUND' && !err.retryable,
  );
});
