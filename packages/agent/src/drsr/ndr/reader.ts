// NDR 2.0 decoder (little-endian) with bounds checks on every read. Every failure is a
// DrsrError 'drsr.protocol'; array counts are checked against the bytes left before anything is
// allocated, so a hostile length field cannot make the client allocate more than it received.
import { protocolError } from '../errors.js';
import { uuidFromBytes } from '../rpc/uuid.js';
import { DeferralQueue, type Deferred } from './deferral.js';

export class NdrReader {
  private off = 0;
  private readonly queue = new DeferralQueue();

  constructor(private readonly buf: Buffer) {}

  get offset(): number {
    return this.off;
  }

  get remaining(): number {
    return this.buf.length - this.off;
  }

  private need(n: number, what: string): void {
    if (n < 0 || this.off + n > this.buf.length)
      throw protocolError(`NDR ${what} runs past the end of the stub`);
  }

  align(n: number): void {
    const pad = (n - (this.off % n)) % n;
    this.need(pad, 'alignment');
    this.off += pad;
  }

  u8(): number {
    this.need(1, 'byte');
    return this.buf.readUInt8(this.off++);
  }

  u16(): number {
    this.align(2);
    this.need(2, 'short');
    const v = this.buf.readUInt16LE(this.off);
    this.off += 2;
    return v;
  }

  u32(): number {
    this.align(4);
    this.need(4, 'long');
    const v = this.buf.readUInt32LE(this.off);
    this.off += 4;
    return v;
  }

  i32(): number {
    this.align(4);
    this.need(4, 'long');
    const v = this.buf.readInt32LE(this.off);
    this.off += 4;
    return v;
  }

  /** hyper (USN, DSTIME, LARGE_INTEGER) as a bigint. */
  u64(): bigint {
    this.align(8);
    this.need(8, 'hyper');
    const v = this.buf.readBigUInt64LE(this.off);
    this.off += 8;
    return v;
  }

  i64(): bigint {
    this.align(8);
    this.need(8, 'hyper');
    const v = this.buf.readBigInt64LE(this.off);
    this.off += 8;
    return v;
  }

  /** `n` raw bytes, copied (the stub buffer may be reused or zeroed by the caller). */
  bytes(n: number): Buffer {
    this.need(n, 'byte array');
    const v = Buffer.from(this.buf.subarray(this.off, this.off + n));
    this.off += n;
    return v;
  }

  /** A GUID (4-byte aligned, 16 bytes). */
  uuid(): string {
    this.align(4);
    this.need(16, 'GUID');
    const v = uuidFromBytes(this.buf.subarray(this.off, this.off + 16));
    this.off += 16;
    return v;
  }

  /** The RPC context handle (20 bytes). */
  contextHandle(): Buffer {
    this.align(4);
    return this.bytes(20);
  }

  /**
   * An element count (u32) for an array whose elements take at least `minElementSize` bytes
   * each; throws if the stub cannot hold that many.
   */
  count(minElementSize: number, what = 'array'): number {
    const n = this.u32();
    if (n * minElementSize > this.remaining) {
      throw protocolError(`NDR ${what} claims ${n} elements, more than the stub holds`);
    }
    return n;
  }

  /**
   * A unique (or non-aliased full) pointer: reads the referent ID and, if it is not null,
   * queues `read` for the pointee at its deferred place. Returns whether the pointer is set.
   */
  pointer(read: Deferred): boolean {
    const ref = this.u32();
    if (ref === 0) return false;
    this.queue.defer(read);
    return true;
  }

  /** Reads one top-level parameter: its scalars via `read`, then every deferred referent. */
  param(read: Deferred): void {
    this.queue.scope(read);
  }

  /** `[string] wchar_t*` pointee: conformant varying UTF-16LE string, terminating NUL dropped. */
  wideString(): string {
    const max = this.count(2, 'string');
    const offset = this.u32();
    const actual = this.u32();
    if (offset !== 0 || actual > max) throw protocolError('NDR string bounds are inconsistent');
    const raw = this.bytes(actual * 2);
    const text = raw.toString('utf16le');
    return text.endsWith('\0') ? text.slice(0, -1) : text;
  }

  /** Throws unless the whole stub was consumed. */
  end(): void {
    if (this.off !== this.buf.length) {
      throw protocolError(`NDR stub has ${this.buf.length - this.off} unexpected trailing bytes`);
    }
  }
}
