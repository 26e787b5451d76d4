// The whole client stack — TCP, bind with NTLM, auth3, sealed calls, unsealing, NDR, decryption —
// against a peer that replays the DC's side of the reference capture. With the capture's exported
// session key fixed on our side, the DC's sealed PDUs unseal for us exactly as they did for Samba.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ntHash } from '@cloudsync/protocol';
import { toAccount } from '../account.js';
import { capturedPdus, probeOutput } from '../fixtures/capture.js';
import { decodeAuthenticate, decodeChallenge } from '../ntlm/messages.js';
import { hmacMd5, ntowfv2 } from '../ntlm/ntlmv2.js';
import { EXOP, MAX_NDR_SIZE, NAME_FORMAT, OBJECT_REPLICATION_FLAGS } from './constants.js';
import { DrsuapiSession } from './session.js';

const DC_PORT = 49153;
const dcSide = capturedPdus()
  .filter((p) => p.srcPort === DC_PORT)
  .map((p) => p.bytes);
const PASSWORD = 'Sync!Pass12345'; // the capture's account, published with it as a test vector
const BOBBY_DN = 'CN=Bobby Smith,CN=Users,DC=corp,DC=example,DC=test';

describe('DrsuapiSession replaying the captured DC', () => {
  let server: Server;
  let port = 0;
  let authenticate: Buffer | undefined;

  before(async () => {
    server = createServer((socket) => {
      const replies = [...dcSide];
      let pending = Buffer.alloc(0);
      socket.on('data', (d: Buffer) => {
        pending = Buffer.concat([pending, d]);
        while (pending.length >= 16 && pending.length >= pending.readUInt16LE(8)) {
          const pdu = pending.subarray(0, pending.readUInt16LE(8));
          pending = pending.subarray(pdu.length);
          if (pdu[2] === 16) {
            authenticate = Buffer.from(pdu.subarray(pdu.length - pdu.readUInt16LE(10)));
            continue; // auth3 has no answer
          }
          const next = replies.shift();
          if (next) socket.write(next);
          else socket.destroy();
        }
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address && typeof address === 'object') port = address.port;
  });
  after(() => server.close());

  it("authenticates, makes the captured calls and decrypts bobby's NT hash", async () => {
    const { sessionKey } = probeOutput();
    const session = await DrsuapiSession.open({
      host: '127.0.0.1',
      port,
      credentials: { domain: 'CORP', user: 'svc-drsync', ntHash: ntHash(PASSWORD) },
      ntlmEntropy: { exportedSessionKey: Buffer.from(sessionKey) },
      timeoutMs: 5000,
    });
    assert.equal(session.serverExtensions, 0x2fffff6f);

    // The DC would accept our AUTHENTICATE: its NTProofStr checks out for the password.
    assert.ok(authenticate);
    const auth = decodeAuthenticate(authenticate);
    const challenge = decodeChallenge(
      dcSide[0]?.subarray(dcSide[0].length - dcSide[0].readUInt16LE(10)) ?? Buffer.alloc(0),
    );
    const key = ntowfv2(ntHash(PASSWORD), auth.user, auth.domain);
    assert.deepEqual(
      hmacMd5(key, challenge.serverChallenge, auth.ntResponse.subarray(16)),
      auth.ntResponse.subarray(0, 16),
    );

    const dn = await session.crackName('CORP\\bobby', NAME_FORMAT.NT4_ACCOUNT, NAME_FORMAT.FQDN_1779);
    assert.equal(dn.name, BOBBY_DN);
    const guid = await session.crackName('CORP\\bobby', NAME_FORMAT.NT4_ACCOUNT, NAME_FORMAT.UNIQUE_ID);
    assert.equal(guid.name, '{b9e08132-82f4-432f-9cdb-15bd3a081fc8}');
    const [dc] = await session.domainControllers('corp.example.test');
    assert.equal(dc?.ntdsDsaObjectGuid, 'efb50aba-0070-4eeb-a2cb-73ae6b133a94');
    const reply = await session.getNcChanges({
      destinationDsa: dc?.ntdsDsaObjectGuid ?? '',
      nc: { dn: BOBBY_DN },
      flags: OBJECT_REPLICATION_FLAGS,
      maxObjects: 1,
      maxBytes: MAX_NDR_SIZE,
      extendedOp: EXOP.REPL_OBJ,
    });
    const [obj] = reply.objects;
    assert.ok(obj);
    const account = toAccount(obj, reply.prefixTable, session.sessionKey);
    assert.equal(account.sAMAccountName, 'bobby');
    assert.equal(account.rid, 1102);
    assert.equal(account.ntHash?.toString('hex'), 'c40949eb63cdd8474de110be7a4ab510');
    account.ntHash?.fill(0);
    await session.close();
    assert.deepEqual(session.sessionKey, Buffer.alloc(16), 'close() zeroes the session key');
  });
});
