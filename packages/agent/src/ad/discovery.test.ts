import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adFromEnv, createOu, readSid } from '../../../../tests/support/ad.js';
import { type AdConnection, connectAd } from './connection.js';
import { AD_CONTROL } from './controls.js';
import { discoverDomain, highestCommittedUsn } from './discovery.js';

const env = adFromEnv();
let ad: AdConnection;

describe('domain discovery', () => {
  before(async () => {
    ad = await connectAd({
      url: env.ldapsUrl,
      bindDn: env.adminUpn,
      password: env.adminPassword,
      tls: { caFile: env.caFile },
    });
  });
  after(() => ad.close());

  test('finds the naming context, DNS and NetBIOS names, SID, DC and controls', async () => {
    const d = await discoverDomain(ad);
    assert.equal(d.defaultNamingContext, env.baseDn);
    assert.equal(d.configurationNamingContext, `CN=Configuration,${env.baseDn}`);
    assert.equal(d.dnsDomainName.toLowerCase(), env.realm.toLowerCase());
    assert.equal(d.netbiosName, env.netbiosDomain);
    assert.equal(d.domainSid, await readSid(env.baseDn));
    assert.match(d.domainSid, /^S-1-5-21-\d+-\d+-\d+$/);
    assert.match(d.domainGuid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.match(d.dcHostName, new RegExp(`\\.${env.realm.replaceAll('.', '\\.')}$`, 'i'));
    assert.match(d.highestCommittedUsn, /^\d+$/);
    for (const oid of [
      AD_CONTROL.pagedResults,
      AD_CONTROL.dirSync,
      AD_CONTROL.notification,
      AD_CONTROL.sdFlags,
    ]) {
      assert.ok(d.supportedControls.includes(oid), `${oid} supported`);
    }
    assert.equal(new Set(d.supportedControls).size, d.supportedControls.length);
  });

  test('highestCommittedUSN moves forward after a write', async () => {
    const before = BigInt(await highestCommittedUsn(ad));
    await createOu('usn');
    assert.ok(BigInt(await highestCommittedUsn(ad)) > before);
  });
});
