import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DrsrError } from '../errors.js';
import { NdrReader } from './reader.js';
import { NdrWriter } from './writer.js';

const isProtocol = (e: unknown): boolean => e instanceof DrsrError && e.code === 'drsr.protocol';

describe('NDR writer and reader', () => {
  it('align primitives to their size', () => {
    const w = new NdrWriter().u8(1).u16(2).u8(3).u32(4).u8(5).u64(6n);
    const b = w.toBuffer();
    assert.equal(b.toString('hex'), '010002000300000004000000050000000600000000000000');
    const r = new NdrReader(b);
    assert.deepEqual([r.u8(), r.u16(), r.u8(), r.u32(), r.u8(), r.u64()], [1, 2, 3, 4, 5, 6n]);
    r.end();
  });

  it('defer embedded referents after the scalars, nested ones right after their parent', () => {
    // struct { A* a; B* b; } with A = { u32 x; C* c } — wire: ids, A.x, A.c id, C, B.
    const w = new NdrWriter();
    w.param(() => {
      w.pointer(0xa, (x) => {
        w.u32(x);
        w.pointer(0xc, (c) => w.u32(c));
      });
      w.pointer(0xb, (b) => w.u32(b));
    });
    const words = [];
    const b = w.toBuffer();
    for (let off = 0; off < b.length; off += 4) words.push(b.readUInt32LE(off));
    assert.deepEqual(words, [0x20000, 0x20004, 0xa, 0x20008, 0xc, 0xb]);

    const r = new NdrReader(b);
    const seen: number[] = [];
    r.param(() => {
      r.pointer(() => {
        seen.push(r.u32());
        r.pointer(() => seen.push(r.u32()));
      });
      r.pointer(() => seen.push(r.u32()));
    });
    assert.deepEqual(seen, [0xa, 0xc, 0xb]);
    r.end();
  });

  it('walk a linked list of 200,000 entries without growing the stack', () => {
    const n = 200_000;
    const w = new NdrWriter();
    const writeNode = (k: number): void => {
      w.pointer(k + 1 < n ? k + 1 : undefined, writeNode);
      w.u32(k);
    };
    w.param(() => w.pointer(0, writeNode));
    const r = new NdrReader(w.toBuffer());
    const values: number[] = [];
    const readNode = (): void => {
      r.pointer(readNode);
      values.push(r.u32());
    };
    r.param(() => r.pointer(readNode));
    assert.equal(values.length, n);
    assert.equal(values[n - 1], n - 1);
  });

  it('round-trip strings and refuse inconsistent string bounds', () => {
    const b = new NdrWriter().wideString('CORP\\bobby').toBuffer();
    assert.equal(new NdrReader(b).wideString(), 'CORP\\bobby');
    const badOffset = Buffer.from(b);
    badOffset.writeUInt32LE(1, 4);
    assert.throws(() => new NdrReader(badOffset).wideString(), isProtocol);
    const tooLong = Buffer.from(b);
    tooLong.writeUInt32LE(50, 8);
    assert.throws(() => new NdrReader(tooLong).wideString(), isProtocol);
  });

  it('refuse a count the stub cannot hold, before allocating anything', () => {
    const b = Buffer.alloc(16);
    b.writeUInt32LE(0xffffffff, 0);
    assert.throws(() => new NdrReader(b).count(1), isProtocol);
    b.writeUInt32LE(4, 0);
    assert.throws(() => new NdrReader(b).count(4), isProtocol);
    assert.equal(new NdrReader(b).count(3), 4);
  });

  it('throw protocol errors past the end, never RangeError', () => {
    const r = new NdrReader(Buffer.from([1, 2, 3]));
    assert.throws(() => r.u32(), isProtocol);
    assert.throws(() => new NdrReader(Buffer.alloc(7)).u64(), isProtocol);
    assert.throws(() => new NdrReader(Buffer.alloc(15)).uuid(), isProtocol);
    assert.throws(() => new NdrReader(Buffer.alloc(2)).bytes(3), isProtocol);
    assert.throws(() => new NdrReader(Buffer.alloc(4)).end(), isProtocol);
  });
});
