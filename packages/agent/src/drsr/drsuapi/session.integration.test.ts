// DrsuapiSession against the harness DC: sealed requests and replies that span many fragments.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ntHash } from '@cloudsync/protocol';
import { adFromEnv } from '../../../../../tests/support/ad.js';
import { NAME_FORMAT } from './constants.js';
import { encodeCrackNamesRequest } from './crack-names.js';
import { DrsuapiSession } from './session.js';

describe('DrsuapiSession against Samba AD', { timeout: 120_000 }, () => {
  const ad = adFromEnv();
  let session: DrsuapiSession;

  before(async () => {
    session = await DrsuapiSession.open({
      host: ad.ip,
      credentials: { domain: ad.netbiosDomain, user: 'Administrator', ntHash: ntHash(ad.adminPassword) },
    });
  });
  after(async () => {
    await session?.close();
  });

  it('binds with the extensions replication needs and a 16-byte session key', () => {
    assert.equal(session.sessionKey.length, 16);
    assert.notDeepEqual(session.sessionKey, Buffer.alloc(16));
    assert.ok(session.serverExtensions & 0x04000000, 'GetNCChanges reply V6');
  });

  it('cracks the domain root and the DC list', async () => {
    const root = await session.crackName(
      `${ad.netbiosDomain}\\`,
      NAME_FORMAT.NT4_ACCOUNT,
      NAME_FORMAT.FQDN_1779,
    );
    assert.equal(root.name?.toLowerCase(), ad.baseDn.toLowerCase());
    assert.equal(root.domain?.toLowerCase(), ad.realm.toLowerCase());
    const dcs = await session.domainControllers(ad.realm.toLowerCase());
    assert.equal(dcs.length, 1);
    assert.match(dcs[0]?.ntdsDsaObjectGuid ?? '', /^[0-9a-f-]{36}$/);
  });

  it('carries a sealed request and reply over many fragments each', async () => {
    // 600 names make a ~40 KB request (7+ fragments of 5840 bytes) and a reply about as large.
    const names = Array.from({ length: 600 }, (_, n) => `${ad.netbiosDomain}\\no-such-user-${n}`);
    names[321] = `${ad.netbiosDomain}\\Administrator`;
    const stub = encodeCrackNamesRequest(Buffer.alloc(20), {
      formatOffered: NAME_FORMAT.NT4_ACCOUNT,
      formatDesired: NAME_FORMAT.FQDN_1779,
      names,
    });
    assert.ok(stub.length > 5840 * 5);
    const reply = await session.crackNames(names);
    assert.equal(reply.status, 0);
    assert.equal(reply.items.length, 600);
    assert.equal(reply.items[321]?.status, 0);
    assert.equal(reply.items[321]?.name, ad.adminDn);
    assert.ok(reply.items.filter((i) => i.status !== 0).length === 599);
  });
});
