import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openStore, type Store } from '../../store/open-store.js';
import { initTenant } from '../../tenant/init-tenant.js';
import { SYSTEM_ACTOR } from '../actor.js';
import { systemClock } from '../clock.js';
import { rejectsWith } from '../directory-contract.js';
import { createDirectory, type Directory } from '../index.js';
import { createTxtLookup } from './dns-txt.js';
import { startTinyDnsServer, type TinyDnsServer } from './tiny-dns-server.js';

let dns: TinyDnsServer;
let store: Store;
let directory: Directory;

before(async () => {
  dns = await startTinyDnsServer();
  store = await openStore({ sqliteFile: ':memory:' });
  directory = createDirectory({
    db: store.db,
    clock: systemClock,
    lookupTxt: createTxtLookup([dns.address]),
  });
  await initTenant(
    { directory, clock: systemClock },
    { name: 'contoso', domainSuffix: 'cloudsync.test', adminPassword: 'Admin-Pass-1' },
  );
});
after(async () => {
  await store.close();
  await dns.close();
});

test('the TXT lookup reads records from the configured server, and none for unknown names', async () => {
  dns.records.set('example.test', ['hello', 'x'.repeat(300)]);
  const lookup = createTxtLookup([dns.address]);
  assert.deepEqual(await lookup('example.test'), ['hello', 'x'.repeat(300)]);
  assert.deepEqual(await lookup('unknown.test'), []);
});

test('a domain verifies only once its cloudsync-verification TXT record is published', async () => {
  await directory.domains.add(SYSTEM_ACTOR, 'fabrikam.test');
  const [record] = await directory.domains.verificationDnsRecords('fabrikam.test');
  const text = record?.text ?? '';
  await rejectsWith(directory.domains.verify(SYSTEM_ACTOR, 'fabrikam.test'), 400, /verification failed/);
  dns.records.set('fabrikam.test', ['v=spf1 -all', 'cloudsync-verification=0000']);
  await rejectsWith(directory.domains.verify(SYSTEM_ACTOR, 'fabrikam.test'), 400, /verification failed/);
  assert.equal((await directory.domains.get('fabrikam.test')).isVerified, false);
  dns.records.set('fabrikam.test', ['v=spf1 -all', text]);
  assert.equal((await directory.domains.verify(SYSTEM_ACTOR, 'fabrikam.test')).isVerified, true);
  const audits = await directory.audit.list({ top: 3 });
  assert.deepEqual(
    audits.map((a) => [a.activityDisplayName, a.result]),
    [
      ['Verify domain', 'success'],
      ['Verify domain', 'failure'],
      ['Verify domain', 'failure'],
    ],
  );
});
