import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ntHash } from '@cloudsync/protocol';
import { rc4 } from '../crypto/rc4.js';
import { DrsrError } from '../errors.js';
import { type CapturedPdu, capturedPdus, probeOutput } from '../fixtures/capture.js';
import {
  encodeAvPairs,
  MSV_AV_NB_COMPUTER_NAME,
  MSV_AV_NB_DOMAIN_NAME,
  MSV_AV_TIMESTAMP,
  parseAvPairs,
} from './av-pairs.js';
import { NtlmClient } from './client.js';
import { CLIENT_FLAGS } from './flags.js';
import { decodeAuthenticate, decodeChallenge, MIC_OFFSET } from './messages.js';
import { computeNtlmv2, hmacMd5, ntowfv2 } from './ntlmv2.js';
import { deriveSessionKeys, NtlmSessionSecurity } from './session-security.js';

// The capture's account; its password is published with the reference capture as a test vector.
const CAPTURE_USER = { domain: 'CORP', user: 'svc-drsync', password: 'Sync!Pass12345' };

const pdus = capturedPdus();
const rpc = pdus.filter((p) => p.srcPort !== 135 && p.dstPort !== 135);
const authValue = (p: CapturedPdu): Buffer => {
  const authLength = p.bytes.readUInt16LE(10);
  return p.bytes.subarray(p.bytes.length - authLength);
};
const at = (n: number): CapturedPdu => {
  const p = rpc[n];
  if (!p) throw new Error(`capture has no RPC PDU ${n}`);
  return p;
};
const negotiateToken = authValue(at(0));
const challengeToken = authValue(at(1));
const authenticateToken = authValue(at(2));

describe('NTLMSSP against the captured exchange', () => {
  it('parses the CHALLENGE message', () => {
    const c = decodeChallenge(challengeToken);
    assert.equal(c.serverChallenge.toString('hex'), '0a8aa7455c96c211');
    assert.equal(c.targetName, 'CORP');
    assert.equal(c.flags, 0x62898235);
    const pairs = parseAvPairs(c.targetInfo);
    assert.ok(pairs.some((p) => p.id === MSV_AV_TIMESTAMP));
  });

  it('sends the same NEGOTIATE flags as Samba', () => {
    assert.equal(negotiateToken.readUInt32LE(12), CLIENT_FLAGS);
    const ours = new NtlmClient({ domain: 'D', user: 'u', ntHash: Buffer.alloc(16) }).negotiate();
    assert.deepEqual(ours, negotiateToken);
  });

  it('recomputes NTProofStr, the session base key and the exported session key', () => {
    const auth = decodeAuthenticate(authenticateToken);
    const challenge = decodeChallenge(challengeToken);
    assert.equal(auth.user, CAPTURE_USER.user);
    const key = ntowfv2(ntHash(CAPTURE_USER.password), auth.user, auth.domain);
    const temp = auth.ntResponse.subarray(16);
    const proof = hmacMd5(key, challenge.serverChallenge, temp);
    assert.deepEqual(proof, auth.ntResponse.subarray(0, 16));
    const sessionBaseKey = hmacMd5(key, proof);
    const exported = rc4(sessionBaseKey, auth.encryptedRandomSessionKey);
    assert.deepEqual(exported, probeOutput().sessionKey);
  });

  it('verifies the captured MIC with the exported session key', () => {
    const zeroed = Buffer.from(authenticateToken);
    zeroed.fill(0, MIC_OFFSET, MIC_OFFSET + 16);
    const mic = hmacMd5(probeOutput().sessionKey, negotiateToken, challengeToken, zeroed);
    assert.deepEqual(mic, decodeAuthenticate(authenticateToken).mic);
  });

  it('builds an AUTHENTICATE a server accepts for the captured challenge', () => {
    const exportedSessionKey = randomBytes(16);
    const client = new NtlmClient(
      { domain: 'CORP', user: 'svc-drsync', ntHash: ntHash(CAPTURE_USER.password) },
      'host/dc',
      { exportedSessionKey },
    );
    const negotiate = client.negotiate();
    const result = client.authenticate(challengeToken);
    // Check it the way a DC does.
    const auth = decodeAuthenticate(result.authenticate);
    const key = ntowfv2(ntHash(CAPTURE_USER.password), auth.user, auth.domain);
    const proof = hmacMd5(key, decodeChallenge(challengeToken).serverChallenge, auth.ntResponse.subarray(16));
    assert.deepEqual(proof, auth.ntResponse.subarray(0, 16));
    assert.deepEqual(rc4(hmacMd5(key, proof), auth.encryptedRandomSessionKey), exportedSessionKey);
    const zeroed = Buffer.from(result.authenticate);
    zeroed.fill(0, MIC_OFFSET, MIC_OFFSET + 16);
    assert.deepEqual(hmacMd5(exportedSessionKey, negotiate, challengeToken, zeroed), auth.mic);
    assert.deepEqual(auth.lmResponse, Buffer.alloc(24));
    assert.deepEqual(result.exportedSessionKey, exportedSessionKey);
  });

  it('refuses a CHALLENGE that drops sealing or key exchange', () => {
    const weak = Buffer.from(challengeToken);
    weak.writeUInt32LE(challengeToken.readUInt32LE(20) & ~0x40000000, 20);
    const client = new NtlmClient({ domain: 'CORP', user: 'x', ntHash: Buffer.alloc(16) });
    client.negotiate();
    assert.throws(
      () => client.authenticate(weak),
      (e) => e instanceof DrsrError && e.code === 'drsr.sealing_refused',
    );
  });
});

describe('NTLM sealing of the captured PDUs', () => {
  // Request and response PDUs after auth3: 24-byte header, stub, sec_trailer, 16-byte verifier.
  const unsealAll = (list: CapturedPdu[], side: NtlmSessionSecurity): Buffer[] =>
    list.map((p) => {
      const b = Buffer.from(p.bytes);
      const authLength = b.readUInt16LE(10);
      const sigAt = b.length - authLength;
      side.unseal(b.subarray(0, sigAt), 24, sigAt - 8, b.subarray(sigAt));
      return b;
    });

  it('unseals every request and response with the exported session key', () => {
    const key = probeOutput().sessionKey;
    const requests = rpc.filter((p) => p.bytes[2] === 0);
    const responses = rpc.filter((p) => p.bytes[2] === 2);
    assert.equal(requests.length, 5);
    // A DC reads requests: the 'server' role unseals what the client sealed.
    const plainRequests = unsealAll(requests, new NtlmSessionSecurity(key, 'server'));
    const plainResponses = unsealAll(responses, new NtlmSessionSecurity(key, 'client'));
    // DsBind's request stub: a unique pointer, then DRSUAPI_DS_BIND_GUID e24d201a-4fd6-11d1-a3da-0000f875ae0d.
    assert.equal(plainRequests[0]?.subarray(28, 44).toString('hex'), '1a204de2d64fd111a3da0000f875ae0d');
    assert.ok(plainResponses.every((r) => r.length > 0));
  });

  it('reseals to the same bytes and signature', () => {
    const key = probeOutput().sessionKey;
    const first = rpc.find((p) => p.bytes[2] === 0);
    assert.ok(first);
    const b = Buffer.from(first.bytes);
    const sigAt = b.length - 16;
    new NtlmSessionSecurity(key, 'server').unseal(b.subarray(0, sigAt), 24, sigAt - 8, b.subarray(sigAt));
    const again = Buffer.from(b);
    const sig = new NtlmSessionSecurity(key, 'client').seal(again.subarray(0, sigAt), 24, sigAt - 8);
    assert.deepEqual(again.subarray(0, sigAt), first.bytes.subarray(0, sigAt));
    assert.deepEqual(sig, first.bytes.subarray(sigAt));
  });

  it('rejects a tampered PDU', () => {
    const key = probeOutput().sessionKey;
    const first = rpc.find((p) => p.bytes[2] === 0);
    assert.ok(first);
    const b = Buffer.from(first.bytes);
    b[30] = (b[30] ?? 0) ^ 1;
    const sigAt = b.length - 16;
    assert.throws(
      () =>
        new NtlmSessionSecurity(key, 'server').unseal(b.subarray(0, sigAt), 24, sigAt - 8, b.subarray(sigAt)),
      (e) => e instanceof DrsrError && e.code === 'drsr.protocol',
    );
  });
});

describe('NTLM decoders on hostile input', () => {
  const ok = (e: unknown): boolean =>
    e instanceof DrsrError && (e.code === 'drsr.protocol' || e.code === 'drsr.sealing_refused');

  it('throw only typed errors on truncated or corrupted CHALLENGE messages', () => {
    let seed = 5;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const inputs: Buffer[] = [];
    for (let cut = 0; cut <= challengeToken.length; cut++) inputs.push(challengeToken.subarray(0, cut));
    for (let n = 0; n < 3000; n++) {
      const b = Buffer.from(challengeToken);
      for (let k = 0; k < 1 + (rand() % 4); k++) b[rand() % b.length] = rand() & 0xff;
      inputs.push(b);
    }
    for (const input of inputs) {
      const client = new NtlmClient({ domain: 'CORP', user: 'x', ntHash: Buffer.alloc(16) });
      client.negotiate();
      try {
        client.authenticate(input);
      } catch (e) {
        assert.ok(ok(e), String(e));
      }
    }
  });

  it('reject AV pair lists without an end or running past their buffer', () => {
    assert.throws(() => parseAvPairs(Buffer.from([2, 0, 8, 0, 1, 2])), ok);
    assert.throws(() => parseAvPairs(Buffer.from([2, 0, 0, 0])), ok);
    assert.deepEqual(parseAvPairs(Buffer.from([0, 0, 0, 0])), []);
  });
});

describe('NTLM2 session security', () => {
  it('round-trips many messages of random sizes in both directions, in order', () => {
    const key = randomBytes(16);
    const client = new NtlmSessionSecurity(key, 'client');
    const server = new NtlmSessionSecurity(key, 'server');
    for (let n = 0; n < 200; n++) {
      const [from, to] = n % 3 === 0 ? [server, client] : [client, server];
      const plain = randomBytes(24 + ((n * 37) % 3000));
      const msg = Buffer.from(plain);
      const start = 8;
      const sig = from.seal(msg, start, msg.length);
      assert.notDeepEqual(msg.subarray(start), plain.subarray(start), 'the region is encrypted');
      assert.deepEqual(msg.subarray(0, start), plain.subarray(0, start), 'the rest stays in the clear');
      to.unseal(msg, start, msg.length, sig);
      assert.deepEqual(msg, plain);
    }
  });

  it('signs without encrypting, and verifies in order', () => {
    const key = randomBytes(16);
    const client = new NtlmSessionSecurity(key, 'client');
    const server = new NtlmSessionSecurity(key, 'server');
    const messages = [randomBytes(10), randomBytes(300), Buffer.alloc(0)];
    for (const m of messages) server.verify(m, client.sign(m));
    const forged = client.sign(Buffer.from('pay 100'));
    assert.throws(
      () => server.verify(Buffer.from('pay 900'), forged),
      (e) => e instanceof DrsrError,
    );
  });

  it('rejects a replayed message (sequence numbers advance)', () => {
    const key = randomBytes(16);
    const client = new NtlmSessionSecurity(key, 'client');
    const server = new NtlmSessionSecurity(key, 'server');
    const msg = randomBytes(64);
    const copy = Buffer.from(msg);
    const sig = client.seal(msg, 0, 64);
    const replay = Buffer.from(msg);
    server.unseal(msg, 0, 64, sig);
    assert.deepEqual(msg, copy);
    assert.throws(
      () => server.unseal(replay, 0, 64, sig),
      (e) => e instanceof DrsrError,
    );
  });
});

describe('[MS-NLMP] 4.2.4 NTLMv2 test vectors', () => {
  // User "User", domain "Domain", password "Password", server challenge 0123456789abcdef,
  // client challenge aa×8, time 0, random session key 55×16.
  const responseKey = ntowfv2(ntHash('Password'), 'User', 'Domain');
  const serverChallenge = Buffer.from('0123456789abcdef', 'hex');
  const clientChallenge = Buffer.alloc(8, 0xaa);
  const targetInfo = encodeAvPairs([
    { id: MSV_AV_NB_DOMAIN_NAME, value: Buffer.from('Domain', 'utf16le') },
    { id: MSV_AV_NB_COMPUTER_NAME, value: Buffer.from('Server', 'utf16le') },
  ]);

  it('derives NTOWFv2, NTProofStr, the session base key, LMv2 and the encrypted session key', () => {
    assert.equal(responseKey.toString('hex'), '0c868a403bfd7a93a3001ef22ef02e3f');
    const r = computeNtlmv2({
      responseKey,
      serverChallenge,
      clientChallenge,
      timestamp: Buffer.alloc(8),
      targetInfo,
    });
    assert.equal(r.ntProofStr.toString('hex'), '68cd0ab851e51c96aabc927bebef6a1c');
    assert.equal(r.sessionBaseKey.toString('hex'), '8de40ccadbc14a82f15cb0ad0de95ca3');
    assert.equal(
      hmacMd5(responseKey, serverChallenge, clientChallenge).toString('hex'),
      '86c35097ac9cec102554764a57cccc19',
    );
    assert.equal(
      rc4(r.sessionBaseKey, Buffer.alloc(16, 0x55)).toString('hex'),
      'c5dad2544fc9799094ce1ce90bc9d03e',
    );
  });

  it('derives the client signing and sealing keys and seals "Plaintext" (4.2.4.4)', () => {
    const keys = deriveSessionKeys(Buffer.alloc(16, 0x55));
    assert.equal(keys.clientSign.toString('hex'), '4788dc861b4782f35d43fd98fe1a2d39');
    assert.equal(keys.clientSeal.toString('hex'), '59f600973cc4960a25480a7c196e4c58');
    const msg = Buffer.from('Plaintext', 'utf16le');
    const signature = new NtlmSessionSecurity(Buffer.alloc(16, 0x55)).seal(msg, 0, msg.length);
    assert.equal(msg.toString('hex'), '54e50165bf1936dc996020c1811b0f06fb5f');
    assert.equal(signature.toString('hex'), '010000007fb38ec5c55d497600000000');
  });
});
