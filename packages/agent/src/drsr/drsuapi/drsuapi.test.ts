import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { isWantedAccount, toAccount } from '../account.js';
import { DrsrError } from '../errors.js';
import { type CapturedCall, capturedCalls, probeOutput } from '../fixtures/capture.js';
import { decryptNtHash } from '../secrets/decrypt.js';
import { ATTR } from './attributes.js';
import { decodeBindResponse, encodeBindRequest } from './bind.js';
import { EXOP, MAX_NDR_SIZE, NAME_FORMAT, OBJECT_REPLICATION_FLAGS, OP } from './constants.js';
import { decodeCrackNamesResponse, encodeCrackNamesRequest } from './crack-names.js';
import { decodeDcInfoResponse, encodeDcInfoRequest } from './dc-info.js';
import { sidRid, sidToString } from './dsname.js';
import { decodeGetNcChangesResponse, type GetNcChangesReply } from './get-nc-changes-reply.js';
import { encodeGetNcChangesRequest } from './get-nc-changes-request.js';
import { attidFromOid, oidFromAttid } from './prefix-table.js';

let calls: CapturedCall[] = [];
const call = (opnum: number, nth = 0): CapturedCall => {
  const c = calls.filter((x) => x.opnum === opnum)[nth];
  if (!c) throw new Error(`capture has no call ${opnum}#${nth}`);
  return c;
};
const BOBBY_DN = 'CN=Bobby Smith,CN=Users,DC=corp,DC=example,DC=test';
const NTDS_GUID = 'efb50aba-0070-4eeb-a2cb-73ae6b133a94';

before(async () => {
  calls = await capturedCalls();
});

describe('DRSUAPI against the capture', () => {
  it('encodes DsBind as Samba did and reads the DC extensions', () => {
    const bind = call(OP.bind);
    assert.deepEqual(encodeBindRequest(), bind.request.subarray(0, 60));
    const reply = decodeBindResponse(bind.response);
    assert.equal(reply.serverExtensions, 0x2fffff6f);
    assert.equal(reply.status, 0);
    assert.equal(reply.handle.length, 20);
    assert.deepEqual(reply.handle, call(OP.crackNames).request.subarray(0, 20));
  });

  it('encodes DsCrackNames as Samba did and decodes DN and GUID answers', () => {
    const handle = call(OP.crackNames).request.subarray(0, 20);
    const toDn = call(OP.crackNames, 0);
    const toGuid = call(OP.crackNames, 1);
    const req = (formatDesired: number) =>
      encodeCrackNamesRequest(handle, {
        formatOffered: NAME_FORMAT.NT4_ACCOUNT,
        formatDesired,
        names: ['CORP\\bobby'],
      });
    assert.deepEqual(req(NAME_FORMAT.FQDN_1779), toDn.request);
    assert.deepEqual(req(NAME_FORMAT.UNIQUE_ID), toGuid.request);
    const dn = decodeCrackNamesResponse(toDn.response);
    assert.equal(dn.status, 0);
    assert.deepEqual(dn.items, [{ status: 0, domain: 'corp.example.test', name: BOBBY_DN }]);
    assert.equal(
      decodeCrackNamesResponse(toGuid.response).items[0]?.name,
      '{b9e08132-82f4-432f-9cdb-15bd3a081fc8}',
    );
  });

  it('encodes DsGetDomainControllerInfo as Samba did and finds the NTDS GUID', () => {
    const c = call(OP.domainControllerInfo);
    assert.deepEqual(encodeDcInfoRequest(c.request.subarray(0, 20), 'corp.example.test'), c.request);
    const info = decodeDcInfoResponse(c.response);
    assert.equal(info.status, 0);
    assert.equal(info.items.length, 1);
    assert.equal(info.items[0]?.ntdsDsaObjectGuid, NTDS_GUID);
    assert.equal(info.items[0]?.dnsHostName, 'vm.corp.example.test');
    assert.equal(info.items[0]?.netbiosName, 'VM');
  });

  it('encodes the GetNCChanges V8 request byte for byte', () => {
    const c = call(OP.getNcChanges);
    const attids = [
      ATTR.unicodePwd,
      ATTR.ntPwdHistory,
      ATTR.dBCSPwd,
      ATTR.lmPwdHistory,
      ATTR.supplementalCredentials,
      ATTR.objectSid,
      ATTR.sAMAccountName,
      ATTR.userAccountControl,
      ATTR.pwdLastSet,
      ATTR.userPrincipalName,
    ].map(attidFromOid);
    const ours = encodeGetNcChangesRequest(c.request.subarray(0, 20), {
      destinationDsa: NTDS_GUID,
      nc: { dn: BOBBY_DN },
      flags: OBJECT_REPLICATION_FLAGS,
      maxObjects: 1,
      maxBytes: MAX_NDR_SIZE,
      extendedOp: EXOP.REPL_OBJ,
      partialAttributeSet: attids,
    });
    assert.deepEqual(ours, c.request);
  });

  it('decodes the GetNCChanges V6 reply and decrypts the NT hash', () => {
    const reply = decodeGetNcChangesResponse(call(OP.getNcChanges).response);
    assert.equal(reply.status, 0);
    assert.equal(reply.extendedRet, 1);
    assert.equal(reply.prefixTable.length, 42);
    assert.equal(reply.moreData, false);
    assert.equal(reply.objects.length, 1);
    const bobby = reply.objects[0];
    assert.ok(bobby);
    assert.equal(bobby.name.dn, BOBBY_DN);
    assert.equal(bobby.name.guid, 'b9e08132-82f4-432f-9cdb-15bd3a081fc8');
    assert.equal(sidToString(bobby.name.sid), 'S-1-5-21-2659823043-223161285-2357937802-1102');
    const rid = sidRid(bobby.name.sid);
    assert.equal(rid, 1102);
    const byOid = new Map(bobby.attributes.map((a) => [oidFromAttid(reply.prefixTable, a.attid), a.values]));
    assert.equal(byOid.get(ATTR.sAMAccountName)?.[0]?.toString('utf16le'), 'bobby');
    assert.equal(byOid.get(ATTR.userPrincipalName)?.[0]?.toString('utf16le'), 'bobby@corp.example.test');
    assert.equal(byOid.get(ATTR.userAccountControl)?.[0]?.readUInt32LE(0), 512);
    assert.equal(byOid.get(ATTR.pwdLastSet)?.[0]?.readBigUInt64LE(0), 134400206608844000n);
    const blob = byOid.get(ATTR.unicodePwd)?.[0];
    assert.ok(blob);
    assert.equal(blob.length, 36);
    const nt = decryptNtHash(probeOutput().sessionKey, rid ?? 0, blob);
    assert.equal(nt.toString('hex'), 'c40949eb63cdd8474de110be7a4ab510');
    assert.equal(nt.toString('hex'), probeOutput().ntHash);
  });

  it('refuses to decrypt with the wrong session key', () => {
    const reply = decodeGetNcChangesResponse(call(OP.getNcChanges).response);
    const pwd = reply.objects[0]?.attributes.find(
      (a) => oidFromAttid(reply.prefixTable, a.attid) === ATTR.unicodePwd,
    );
    const blob = pwd?.values[0];
    assert.ok(blob);
    assert.throws(
      () => decryptNtHash(Buffer.alloc(16, 1), 1102, blob),
      (e) => e instanceof DrsrError && e.code === 'drsr.decrypt_failed',
    );
  });
});

describe('DRSUAPI decoders on hostile input', () => {
  const decoders: [string, (b: Buffer) => unknown][] = [
    ['bind', decodeBindResponse],
    ['crack names', decodeCrackNamesResponse],
    ['dc info', decodeDcInfoResponse],
    ['get nc changes', decodeGetNcChangesResponse],
  ];
  const opnums = [OP.bind, OP.crackNames, OP.domainControllerInfo, OP.getNcChanges];
  const ok = (e: unknown): boolean =>
    e instanceof DrsrError && (e.code === 'drsr.protocol' || e.code === 'drsr.decrypt_failed');
  // A decoded reply goes on into account conversion and decryption, which must fail typed too.
  const toAccounts = (reply: unknown): void => {
    const r = reply as GetNcChangesReply; // only the get-nc-changes decoder's output comes here
    for (const obj of r.objects) {
      if (isWantedAccount(obj, r.prefixTable, true)) toAccount(obj, r.prefixTable, probeOutput().sessionKey);
    }
  };

  it('throw only protocol errors on every truncation of the captured replies', () => {
    decoders.forEach(([name, decode], n) => {
      const full = call(opnums[n] ?? -1).response;
      for (let cut = 0; cut < full.length; cut++) {
        try {
          decode(full.subarray(0, cut));
        } catch (e) {
          assert.ok(ok(e), `${name} cut at ${cut}: ${String(e)}`);
        }
      }
    });
  });

  it('throw only protocol errors on random corruption, and never allocate past the input', () => {
    let seed = 99;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    decoders.forEach(([name, decode], n) => {
      const full = call(opnums[n] ?? -1).response;
      for (let k = 0; k < 2000; k++) {
        const b = Buffer.from(full);
        for (let m = 0; m < 1 + (rand() % 4); m++) {
          const at = rand() % b.length;
          b[at] = rand() % 3 === 0 ? 0xff : rand() & 0xff;
        }
        try {
          const reply = decode(b);
          if (name === 'get nc changes') toAccounts(reply);
        } catch (e) {
          assert.ok(ok(e), `${name}: ${String(e)}`);
        }
      }
    });
  });

  it('reject an array count larger than the stub before allocating', () => {
    const full = Buffer.from(call(OP.getNcChanges).response);
    // The prefix table array's conformance (42) sits right after the V6 scalars; make it huge.
    const at = full.indexOf(Buffer.from([42, 0, 0, 0]), 160);
    assert.ok(at > 0);
    full.writeUInt32LE(0x7fffffff, at);
    assert.throws(() => decodeGetNcChangesResponse(full), ok);
  });
});
