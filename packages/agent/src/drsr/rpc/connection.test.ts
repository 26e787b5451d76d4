// RpcConnection against small local TCP peers that misbehave in one way each.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { DrsrError } from '../errors.js';
import { capturedPdus } from '../fixtures/capture.js';
import { NtlmClient } from '../ntlm/client.js';
import { RpcConnection } from './connection.js';
import { EPM_SYNTAX } from './epm.js';
import { PduFramer } from './framing.js';

const servers: Server[] = [];
after(() => {
  for (const s of servers) s.close();
});

async function peer(onConnection: (socket: Socket) => void): Promise<number> {
  const server = createServer(onConnection);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const isCode = (code: string) => (e: unknown) => e instanceof DrsrError && e.code === code;
const epmBindAck = capturedPdus().find((p) => p.srcPort === 135 && p.bytes[2] === 12)?.bytes;

describe('RpcConnection', () => {
  it('times out when the peer never answers', async () => {
    const port = await peer(() => undefined);
    const conn = await RpcConnection.connect('127.0.0.1', port, { timeoutMs: 150 });
    await assert.rejects(conn.bind(EPM_SYNTAX), isCode('drsr.timeout'));
    conn.close();
  });

  it('reports a peer that is not DCE/RPC as a protocol error', async () => {
    const port = await peer((s) => s.on('data', () => s.write('HTTP/1.1 400 Bad Request\r\n\r\n')));
    const conn = await RpcConnection.connect('127.0.0.1', port, { timeoutMs: 2000 });
    await assert.rejects(conn.bind(EPM_SYNTAX), isCode('drsr.protocol'));
    conn.close();
  });

  it('reports a peer that hangs up as unreachable', async () => {
    const port = await peer((s) => s.on('data', () => s.destroy()));
    const conn = await RpcConnection.connect('127.0.0.1', port, { timeoutMs: 2000 });
    await assert.rejects(conn.bind(EPM_SYNTAX), isCode('drsr.unreachable'));
    conn.close();
  });

  it('reports a refused connection as unreachable', async () => {
    const port = await peer(() => undefined);
    const server = servers.pop();
    server?.close();
    if (server) await once(server, 'close');
    await assert.rejects(RpcConnection.connect('127.0.0.1', port), isCode('drsr.unreachable'));
  });

  it('answers an abort with drsr.aborted while waiting', async () => {
    const port = await peer(() => undefined);
    const controller = new AbortController();
    const conn = await RpcConnection.connect('127.0.0.1', port, {
      signal: controller.signal,
      timeoutMs: 5000,
    });
    const pending = conn.bind(EPM_SYNTAX);
    controller.abort();
    await assert.rejects(pending, isCode('drsr.aborted'));
    conn.close();
  });

  it('reports a bind_nak to an NTLM bind as sealing refused', async () => {
    const port = await peer((s) =>
      s.on('data', (d: Buffer) => {
        const nak = Buffer.alloc(20);
        nak.set([5, 0, 13, 3, 0x10, 0, 0, 0]);
        nak.writeUInt16LE(20, 8);
        nak.writeUInt32LE(d.readUInt32LE(12), 12);
        nak.writeUInt16LE(8, 16); // authentication type not recognized
        s.write(nak);
      }),
    );
    const conn = await RpcConnection.connect('127.0.0.1', port, { timeoutMs: 2000 });
    const ntlm = new NtlmClient({ domain: 'CORP', user: 'u', ntHash: Buffer.alloc(16) });
    await assert.rejects(
      conn.bind(EPM_SYNTAX, ntlm),
      (e) => isCode('drsr.sealing_refused')(e) && e instanceof Error && e.message.includes('not recognized'),
    );
    conn.close();
  });

  it('maps a fault PDU to a named RPC fault', async () => {
    assert.ok(epmBindAck);
    const port = await peer((s) => {
      let n = 0;
      s.on('data', (d: Buffer) => {
        const callId = d.readUInt32LE(12);
        if (n++ === 0) {
          const ack = Buffer.from(epmBindAck);
          ack.writeUInt32LE(callId, 12);
          s.write(ack);
          return;
        }
        const fault = Buffer.alloc(32);
        fault.set([5, 0, 3, 3, 0x10, 0, 0, 0]);
        fault.writeUInt16LE(32, 8);
        fault.writeUInt32LE(callId, 12);
        fault.writeUInt32LE(0x1c010002, 24); // nca_s_op_rng_error
        s.write(fault);
      });
    });
    const conn = await RpcConnection.connect('127.0.0.1', port, { timeoutMs: 2000 });
    await conn.bind(EPM_SYNTAX);
    await assert.rejects(
      conn.call(99, Buffer.alloc(8)),
      (e) => isCode('drsr.rpc_fault')(e) && e instanceof Error && e.message.includes('nca_s_op_rng_error'),
    );
    conn.close();
  });

  it('fails every garbled answer to a sealed bind and call with a DrsrError, never a crash', async () => {
    const original = capturedPdus()
      .filter((p) => p.srcPort === 49153)
      .map((p) => p.bytes);
    let seed = 11;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const codes = new Map<string, number>();
    for (let round = 0; round < 40; round++) {
      const garble = (b: Buffer): Buffer => {
        const c = Buffer.from(b);
        for (let k = 0; k < 1 + (rand() % 5); k++) {
          const at = 16 + (rand() % (c.length - 16)); // keep the header's length, damage the rest
          c[at] = rand() & 0xff;
        }
        return c;
      };
      const replies = original.map(garble);
      const port = await peer((s) => {
        const framer = new PduFramer();
        s.on('data', (d: Buffer) => {
          for (const pdu of framer.push(d)) {
            if (pdu[2] === 16) continue; // auth3 has no answer
            const next = replies.shift();
            if (!next) continue;
            next.writeUInt32LE(pdu.readUInt32LE(12), 12);
            s.write(next);
          }
        });
      });
      const conn = await RpcConnection.connect('127.0.0.1', port, { timeoutMs: 300 });
      const attempt = async (): Promise<void> => {
        await conn.bind(EPM_SYNTAX, new NtlmClient({ domain: 'CORP', user: 'u', ntHash: Buffer.alloc(16) }));
        await conn.call(0, Buffer.alloc(60));
      };
      await assert.rejects(attempt(), (e) => {
        if (e instanceof DrsrError) codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
        return e instanceof DrsrError;
      });
      conn.close();
      servers.pop()?.close();
    }
    // Damage past the header is always detected (signature, bounds), never waited on.
    assert.deepEqual([...codes.keys()].sort(), ['drsr.protocol', 'drsr.sealing_refused']);
  });

  it('splits a large request into fragments that reassemble to the stub', async () => {
    assert.ok(epmBindAck);
    const stub = Buffer.alloc(20_000);
    for (let n = 0; n < stub.length; n++) stub[n] = n % 251;
    const received: Buffer[] = [];
    const port = await peer((s) => {
      let pending = Buffer.alloc(0);
      s.on('data', (d: Buffer) => {
        pending = Buffer.concat([pending, d]);
        while (pending.length >= 16 && pending.length >= pending.readUInt16LE(8)) {
          const pdu = pending.subarray(0, pending.readUInt16LE(8));
          pending = pending.subarray(pdu.length);
          if (pdu[2] === 11) {
            const ack = Buffer.from(epmBindAck);
            ack.writeUInt32LE(pdu.readUInt32LE(12), 12);
            s.write(ack);
          } else {
            received.push(Buffer.from(pdu));
            if ((pdu[3] ?? 0) & 2) {
              // Echo the stub back as a response in two fragments.
              const whole = Buffer.concat(received.map((p) => p.subarray(24)));
              const halves = [whole.subarray(0, 7000), whole.subarray(7000)];
              halves.forEach((h, i) => {
                const r = Buffer.alloc(24);
                r.set([5, 0, 2, i === 0 ? 1 : 2, 0x10, 0, 0, 0]);
                r.writeUInt16LE(24 + h.length, 8);
                r.writeUInt32LE(pdu.readUInt32LE(12), 12);
                s.write(Buffer.concat([r, h]));
              });
            }
          }
        }
      });
    });
    const conn = await RpcConnection.connect('127.0.0.1', port, { timeoutMs: 2000 });
    await conn.bind(EPM_SYNTAX);
    const echoed = await conn.call(1, stub);
    assert.ok(received.length >= 4, `sent ${received.length} fragments`);
    assert.ok(received.every((p) => p.length <= 5840));
    assert.equal(received[0]?.[3], 1, 'first fragment flag');
    assert.equal(received.at(-1)?.[3], 2, 'last fragment flag');
    assert.equal(received[0]?.readUInt32LE(16), stub.length, 'alloc_hint of the first fragment');
    assert.deepEqual(echoed, stub);
    conn.close();
  });
});
