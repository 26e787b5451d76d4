// NDR 2.0 encoder (little-endian), the mirror of NdrReader.
import { uuidToBytes } from '../rpc/uuid.js';
import { DeferralQueue, type Deferred } from './deferral.js';

export class NdrWriter {
  private buf = Buffer.alloc(256);
  private len = 0;
  private nextReferent = 0x00020000;
  private readonly queue = new DeferralQueue();

  private grow(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  get length(): number {
    return this.len;
  }

  align(n: number): this {
    const pad = (n - (this.len % n)) % n;
    this.grow(pad);
    this.buf.fill(0, this.len, this.len + pad);
    this.len += pad;
    return this;
  }

  u8(v: number): this {
    this.grow(1);
    this.buf.writeUInt8(v, this.len++);
    return this;
  }

  u16(v: number): this {
    this.align(2).grow(2);
    this.buf.writeUInt16LE(v, this.len);
    this.len += 2;
    return this;
  }

  u32(v: number): this {
    this.align(4).grow(4);
    this.buf.writeUInt32LE(v >>> 0, this.len);
    this.len += 4;
    return this;
  }

  u64(v: bigint): this {
    this.align(8).grow(8);
    this.buf.writeBigUInt64LE(v, this.len);
    this.len += 8;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.grow(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  uuid(v: string): this {
    return this.align(4).bytes(uuidToBytes(v));
  }

  /** A unique pointer: a fresh referent ID (or 0 for null), the pointee written at its deferred place. */
  pointer<T>(value: T | undefined | null, write: (v: T) => void): this {
    if (value === undefined || value === null) return this.u32(0);
    this.u32(this.nextReferent);
    this.nextReferent += 4;
    this.queue.defer(() => write(value));
    return this;
  }

  /**
   * An embedded `[ref]` pointer: never null, so any non-zero ID will do; this is the marker Samba
   * writes, and it takes no number from the unique-pointer sequence.
   */
  refPointer<T>(value: T, write: (v: T) => void): this {
    this.u32(0xaef1aef1);
    this.queue.defer(() => write(value));
    return this;
  }

  /** Writes one top-level parameter: scalars via `write`, then its deferred referents. */
  param(write: Deferred): this {
    this.queue.scope(write);
    return this;
  }

  /** `[string] wchar_t*` pointee: conformant varying UTF-16LE with its terminating NUL. */
  wideString(s: string): this {
    const n = s.length + 1;
    this.u32(n).u32(0).u32(n);
    return this.bytes(Buffer.from(`${s}\0`, 'utf16le'));
  }

  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}
