// The export step against a real cloud (SQLite): one page in flight while the next fills, pages in
// sequence, and a refused page surfacing at flush. The uplink's HTTP client is the real one, wrapped
// only to note when each page request starts and ends.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { agentRegistrationResponseSchema, type Change } from '@cloudsync/protocol';
import { type ApiFixture, startApiFixture } from '../../../cloud/src/api/api-fixture.js';
import { loadOrCreateKey } from '../state/identity.js';
import { type LocalStore, openLocalStore } from '../state/local-store.js';
import { sendHttp } from '../uplink/http.js';
import { createUplink, type Uplink } from '../uplink/uplink.js';
import { CycleStopped } from './errors.js';
import { createPageSender } from './export-pages.js';

let fx: ApiFixture;
let uplink: Uplink;
let store: LocalStore;
let configurationId: string;
let version: number;
const events: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'cloudsync-export-pages-'));
const DOMAIN = `pages-${randomUUID().slice(0, 8)}.test`;

const user = (n: number): Change => ({
  op: 'upsert',
  objectType: 'user',
  anchor: Buffer.alloc(16, n + 1).toString('base64'),
  objectGuid: `${(n + 1).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
  distinguishedName: `CN=p${n},OU=Pages,DC=pages,DC=test`,
  attributes: { userPrincipalName: `p${n}@${DOMAIN}`, displayName: `P ${n}`, accountEnabled: true },
});

before(async () => {
  fx = await startApiFixture();
  store = openLocalStore(dir);
  const key = await loadOrCreateKey(dir);
  const res = await fx.call('POST', '/agent/v1/agents', {
    body: { host: 'pages.test', version: '0.1.0', domains: [DOMAIN], publicJwk: key.publicJwk },
  });
  const reg = agentRegistrationResponseSchema.parse(res.body);
  uplink = createUplink({
    agentId: reg.agentId,
    clientId: reg.clientId,
    tokenEndpoint: reg.tokenEndpoint,
    apiBaseUrl: reg.apiBaseUrl,
    privateKey: key.privateKey,
    retry: { initialMs: 20, maxMs: 200 },
    send: async (req) => {
      const page = /\/cycles\/[^/]+\/pages$/.test(req.url)
        ? JSON.parse(req.body ?? '{}').sequence
        : undefined;
      if (page !== undefined) events.push(`page ${page} sent`);
      const answer = await sendHttp(req);
      if (page !== undefined) events.push(`page ${page} acknowledged`);
      return answer;
    },
  });
  const created = await fx.call('POST', '/v1.0/cloudsync/configurations', {
    body: { domain: { dnsName: DOMAIN, netbiosName: 'PAGES', sid: 'S-1-5-21-1-2-3' } },
  });
  configurationId = String((created.body as { id: string }).id);
  const enabled = await fx.call('POST', `/v1.0/cloudsync/configurations/${configurationId}/enable`);
  version = (enabled.body as { version: number }).version;
});
after(async () => {
  store.close();
  await fx.close();
  rmSync(dir, { recursive: true, force: true });
});

async function senderFor(configurationVersion: number) {
  const cycleId = randomUUID();
  const lease = await uplink.acquireLease(configurationId, { cycleId, kind: 'delta' });
  assert.equal(lease.state, 'granted');
  const pages = createPageSender({
    uplink,
    store,
    configurationId,
    configurationVersion,
    cycleId,
    kind: 'delta',
    pageSize: 2,
  });
  return { cycleId, pages };
}

test('the next page fills while one is in flight; pages go one at a time, in sequence', async () => {
  events.length = 0;
  const { cycleId, pages } = await senderFor(version);
  for (let n = 0; n < 5; n++) {
    await pages.add(user(n));
    events.push(`added ${n}`);
  }
  await pages.flush();
  events.push('flushed');
  // Change 2 is taken while page 1 is still with the cloud; page 2 leaves only after page 1's answer.
  assert.ok(events.indexOf('added 2') < events.indexOf('page 1 acknowledged'), events.join(', '));
  assert.deepEqual(
    events.filter((e) => e.startsWith('page')),
    [
      'page 1 sent',
      'page 1 acknowledged',
      'page 2 sent',
      'page 2 acknowledged',
      'page 3 sent',
      'page 3 acknowledged',
    ],
  );
  assert.equal(events.at(-1), 'flushed', 'flush waits for the last acknowledgement');
  assert.equal(pages.pages, 3);
  const now = new Date().toISOString();
  const ack = await uplink.endCycle({
    configurationId,
    configurationVersion: version,
    cycleId,
    kind: 'delta',
    pages: 3,
    counts: { upserts: 5, deletes: 0, outOfScope: 0, unchanged: 0 },
    startedAt: now,
    endedAt: now,
  });
  assert.deepEqual(ack.missingSequences, []);
  assert.equal(ack.advanceCursor, true);
  await uplink.releaseLease(configurationId, cycleId);
});

test('a page the cloud refuses surfaces at the next add or at flush, never unhandled', async () => {
  const { cycleId, pages } = await senderFor(version - 1);
  await pages.add(user(10));
  await pages.add(user(11));
  await assert.rejects(
    pages.flush(),
    (err) => err instanceof CycleStopped && err.body.code === 'CONFIG_VERSION_STALE',
  );
  await uplink.releaseLease(configurationId, cycleId);
});
