import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DrsrError } from '../errors.js';
import { capturedPdus } from '../fixtures/capture.js';
import { decodeEptMapResponse, EPM_SYNTAX, encodeEptMapRequest, towerPort } from './epm.js';
import { PduFramer } from './framing.js';
import {
  decodeBindAck,
  decodeFault,
  decodeHeader,
  decodeResponse,
  encodeBind,
  encodeRequest,
  PFC_FIRST_FRAG,
  PFC_LAST_FRAG,
  PTYPE,
} from './pdu.js';
import { uuidFromBytes, uuidToBytes } from './uuid.js';

const DRSUAPI = { uuid: 'e3514235-4b06-11d1-ab04-00c04fc2dcd2', major: 4, minor: 0 };
const pdus = capturedPdus();
const epm = pdus.filter((p) => p.dstPort === 135 || p.srcPort === 135);
const nth = (n: number): Buffer => {
  const p = epm[n];
  if (!p) throw new Error(`no EPM PDU ${n}`);
  return p.bytes;
};
const isProtocolError = (e: unknown): boolean => e instanceof DrsrError && e.code === 'drsr.protocol';

describe('uuid', () => {
  it('round-trips the mixed-endian wire form', () => {
    const b = uuidToBytes(DRSUAPI.uuid);
    assert.equal(b.toString('hex'), '354251e3064bd111ab0400c04fc2dcd2');
    assert.equal(uuidFromBytes(b), DRSUAPI.uuid);
  });
});

describe('PDUs against the capture', () => {
  it('parses the endpoint mapper bind_ack', () => {
    const ack = decodeBindAck(nth(1));
    assert.equal(ack.result, 0);
    assert.equal(ack.maxRecvFrag, 5840);
    assert.equal(ack.transferSyntax.uuid, '8a885d04-1ceb-11c9-9fe8-08002b104860');
  });

  it('encodes the ept_map request stub byte for byte as Samba did', () => {
    const captured = nth(2);
    const h = decodeHeader(captured);
    assert.equal(h.ptype, PTYPE.request);
    const ours = encodeEptMapRequest(DRSUAPI);
    // Samba numbers its two referents 1 and 2; any non-zero ID is valid, ours are 0x20000 and 0x20004.
    const theirs = Buffer.from(captured.subarray(24));
    theirs.writeUInt32LE(0x20000, 0);
    theirs.writeUInt32LE(0x20004, 20);
    // Samba asks for 127.0.0.1 in the IP floor; we leave the address 0.0.0.0.
    theirs.fill(0, 32 + 71, 32 + 75);
    assert.deepEqual(ours, theirs);
    const pdu = encodeRequest({
      callId: 2,
      flags: PFC_FIRST_FRAG | PFC_LAST_FRAG,
      allocHint: ours.length,
      contextId: 0,
      opnum: 3,
      stub: ours,
    });
    assert.deepEqual(pdu.subarray(0, 24), captured.subarray(0, 24));
  });

  it('finds the DRSUAPI port in the ept_map response', () => {
    const r = decodeResponse(nth(3));
    const reply = decodeEptMapResponse(nth(3).subarray(r.stubStart, r.stubEnd));
    assert.equal(reply.status, 0);
    assert.equal(reply.towers.length, 1);
    assert.equal(towerPort(reply.towers[0] ?? Buffer.alloc(0)), 49153);
  });

  it('encodes a bind the way the capture reads', () => {
    const bind = encodeBind({
      callId: 1,
      maxXmitFrag: 5840,
      maxRecvFrag: 5840,
      contextId: 0,
      abstractSyntax: EPM_SYNTAX,
    });
    const captured = nth(0);
    // Samba also offers a second (bind-time feature negotiation) context; compare the first.
    assert.deepEqual(bind.subarray(16, 24), captured.subarray(16, 24));
    assert.deepEqual(bind.subarray(28, 72), captured.subarray(28, 72));
  });
});

describe('alter_context', () => {
  it('encodes as PDU type 14 and its response decodes like a bind_ack', () => {
    const alter = encodeBind({
      callId: 9,
      maxXmitFrag: 5840,
      maxRecvFrag: 5840,
      contextId: 1,
      abstractSyntax: DRSUAPI,
      alter: true,
    });
    assert.equal(decodeHeader(alter).ptype, PTYPE.alterContext);
    assert.equal(alter.readUInt16LE(28), 1, 'presentation context id');
    const resp = Buffer.from(nth(1));
    resp[2] = PTYPE.alterContextResp;
    assert.equal(decodeBindAck(resp).result, 0);
  });
});

describe('PDU decoders on hostile input', () => {
  it('throw protocol errors on truncation, never anything else', () => {
    for (const p of pdus) {
      for (let cut = 0; cut < p.bytes.length; cut += 7) {
        const b = Buffer.from(p.bytes.subarray(0, cut));
        for (const decode of [decodeHeader, decodeBindAck, decodeResponse, decodeFault]) {
          try {
            decode(b);
          } catch (e) {
            assert.ok(isProtocolError(e), `${decode.name} threw ${String(e)}`);
          }
        }
      }
    }
  });

  it('survive random bytes and random header fields', () => {
    let seed = 7;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let n = 0; n < 3000; n++) {
      const base = pdus[rand() % pdus.length]?.bytes ?? Buffer.alloc(0);
      const b = Buffer.from(base);
      for (let k = 0; k < 1 + (rand() % 6); k++) b[rand() % b.length] = rand() & 0xff;
      for (const decode of [decodeHeader, decodeBindAck, decodeResponse, decodeFault]) {
        try {
          decode(b);
        } catch (e) {
          assert.ok(isProtocolError(e), `${decode.name} threw ${String(e)}`);
        }
      }
      try {
        const r = decodeResponse(b);
        decodeEptMapResponse(b.subarray(r.stubStart, r.stubEnd));
      } catch (e) {
        assert.ok(isProtocolError(e), `ept_map decoder threw ${String(e)}`);
      }
    }
  });

  it('frames a byte stream split anywhere, and rejects a non-RPC stream', () => {
    const stream = Buffer.concat(pdus.map((p) => p.bytes));
    const framer = new PduFramer();
    const out: Buffer[] = [];
    for (let off = 0; off < stream.length; off += 13)
      out.push(...framer.push(stream.subarray(off, off + 13)));
    assert.equal(out.length, pdus.length);
    assert.deepEqual(out[5], pdus[5]?.bytes);
    assert.throws(() => new PduFramer().push(Buffer.from('HTTP/1.1 400 Bad Request\r\n')), isProtocolError);
    const tiny = Buffer.from(nth(0));
    tiny.writeUInt16LE(3, 8);
    assert.throws(() => new PduFramer().push(tiny), isProtocolError);
  });
});
