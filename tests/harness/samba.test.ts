// The lab and large fixtures provision a DC once and start copies of it: prove a copy runs as a DC
// of its own on another loopback address, beside nothing else's files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Client } from 'ldapts';
import { AddressInUseError, copyDc, provisionDc, startDc, startDcOnFreeAddress } from './samba.js';

/** Reserved for this test (see README: the test DC is .21, the lab .11, developers .31–39). */
const COPY_IPS = ['127.0.0.22', '127.0.0.41', '127.0.0.42', '127.0.0.43', '127.0.0.44', '127.0.0.45'];
const PASSWORD = 'Copy-Test-Adm1n!';

test('a DC started from a copy of a provisioned folder answers LDAPS on its own IP', async () => {
  const base = await mkdtemp(join(tmpdir(), 'cloudsync-dccopy-'));
  after(() => rm(base, { recursive: true, force: true }));
  await provisionDc({
    dir: join(base, 'template'),
    realm: 'COPY.EXAMPLE.TEST',
    netbiosDomain: 'COPY',
    adminPassword: PASSWORD,
  });
  copyDc(join(base, 'template'), join(base, 'copy'));
  const dc = await startDcOnFreeAddress({ dir: join(base, 'copy'), ips: COPY_IPS, adminPassword: PASSWORD });
  const ip = dc.info.ip;
  try {
    assert.equal(dc.info.baseDn, 'DC=copy,DC=example,DC=test');
    assert.equal(dc.info.caFile, join(base, 'copy', 'tls', 'ca.pem'));
    const client = new Client({ url: dc.info.ldapsUrl, tlsOptions: { ca: [readFileSync(dc.info.caFile)] } });
    try {
      await client.bind(dc.info.adminUpn, PASSWORD);
      const { searchEntries } = await client.search('', { scope: 'base', attributes: ['dnsHostName'] });
      assert.equal(String(searchEntries[0]?.dnsHostName).toLowerCase(), 'dc1.copy.example.test');
    } finally {
      await client.unbind();
    }
    await assert.rejects(
      startDc({ dir: join(base, 'copy'), ip: '127.0.0.23', adminPassword: PASSWORD }),
      /running already/,
    );
    await assert.rejects(
      startDc({ dir: join(base, 'template'), ip, adminPassword: PASSWORD }),
      AddressInUseError,
    );
  } finally {
    await dc.stop();
  }
  // Stopped means gone: the address is free again.
  const again = await startDc({ dir: join(base, 'copy'), ip, adminPassword: PASSWORD });
  await again.stop();
});
