import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adFromEnv } from '../../../../tests/support/ad.js';
import { connectAd } from '../ad/connection.js';
import { SD_PART, SdFlagsControl } from '../ad/controls.js';
import { readDacl } from './dacl.js';
import { aceFor } from './rights.js';
import {
  ACE_FLAG,
  ACE_TYPE,
  aceToSddl,
  addAces,
  encodeSecurityDescriptor,
  parseSecurityDescriptor,
  removeAcesOf,
} from './security-descriptor.js';

const SID = 'S-1-5-21-1-2-3-1234';

describe('security descriptors', () => {
  test('an ACE written is the ACE read, in SDDL', () => {
    const sd = parseSecurityDescriptor(
      encodeSecurityDescriptor({
        revision: 1,
        control: 0,
        dacl: { revision: 4, aces: [aceFor('Reset Password', SID)] },
      }),
    );
    assert.deepEqual(sd.dacl?.aces.map(aceToSddl), [
      `(OA;CIIO;CR;00299570-246d-11d0-a768-00aa006e0529;bf967aba-0de6-11d0-a285-00aa003049e2;${SID})`,
    ]);
  });

  test('new ACEs go after the explicit ones and before the inherited ones, once', () => {
    const inherited = {
      type: ACE_TYPE.accessAllowed,
      flags: ACE_FLAG.inherited,
      mask: 0x10,
      sid: 'S-1-5-11',
    };
    const explicit = { type: ACE_TYPE.accessDenied, flags: 0, mask: 0x20, sid: 'S-1-1-0' };
    const sd = { revision: 1, control: 0, dacl: { revision: 4, aces: [explicit, inherited] } };
    const ace = aceFor('Replicating Directory Changes', SID);
    assert.equal(addAces(sd, [ace, ace]), 1);
    assert.equal(addAces(sd, [ace]), 0);
    assert.deepEqual(
      sd.dacl.aces.map((a) => a.sid),
      ['S-1-1-0', SID, 'S-1-5-11'],
    );
    assert.equal(removeAcesOf(sd, SID), 1);
    assert.equal(removeAcesOf(sd, 'S-1-5-11'), 0, 'inherited ACEs are not ours to remove');
  });

  test("the domain root's real descriptor survives parse → encode → parse", async () => {
    const env = adFromEnv();
    const ad = await connectAd({
      url: env.ldapsUrl,
      bindDn: env.adminUpn,
      password: env.adminPassword,
      tls: { caFile: env.caFile },
    });
    try {
      const [entry] = await ad.search(
        env.baseDn,
        {
          scope: 'base',
          attributes: ['nTSecurityDescriptor'],
          explicitBufferAttributes: ['nTSecurityDescriptor'],
        },
        [new SdFlagsControl(SD_PART.owner | SD_PART.group | SD_PART.dacl)],
      );
      const raw = entry?.nTSecurityDescriptor;
      assert.ok(Buffer.isBuffer(raw));
      const sd = parseSecurityDescriptor(raw);
      assert.ok(sd.owner && sd.group && (sd.dacl?.aces.length ?? 0) > 5);
      assert.deepEqual(parseSecurityDescriptor(encodeSecurityDescriptor(sd)), sd);
      const daclOnly = await readDacl(ad, env.baseDn);
      assert.equal(daclOnly.owner, undefined);
      assert.ok(daclOnly.dacl?.aces.some((a) => a.type === ACE_TYPE.accessAllowedObject));
    } finally {
      await ad.close();
    }
  });
});
