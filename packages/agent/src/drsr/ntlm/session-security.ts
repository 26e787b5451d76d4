// NTLM2 session security ([MS-NLMP] 3.4.4.2, 3.4.5.2–3.4.5.3): signing and sealing keys, and
// SEAL/UNSEAL with per-direction sequence numbers and RC4 states that run on across messages.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Rc4 } from '../crypto/rc4.js';
import { protocolError } from '../errors.js';
import { hmacMd5 } from './ntlmv2.js';

const md5 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
};
const magic = (s: string): Buffer => Buffer.from(`session key to ${s} key magic constant\0`, 'latin1');

export const SIGNATURE_LENGTH = 16;

/** The four keys of one NTLM session, derived from the exported session key (128-bit). */
export function deriveSessionKeys(exportedSessionKey: Uint8Array) {
  return {
    clientSign: md5(exportedSessionKey, magic('client-to-server signing')),
    serverSign: md5(exportedSessionKey, magic('server-to-client signing')),
    clientSeal: md5(exportedSessionKey, magic('client-to-server sealing')),
    serverSeal: md5(exportedSessionKey, magic('server-to-client sealing')),
  };
}

interface Direction {
  signKey: Buffer;
  seal: Rc4;
  seq: number;
}

/**
 * One side of an NTLM session with extended session security, 128-bit keys and key exchange.
 * `seal` and `unseal` work in place on a whole message, as DCE/RPC needs: the signature covers
 * the whole PDU (in plaintext) and only the stub region is encrypted.
 */
export class NtlmSessionSecurity {
  private readonly send: Direction;
  private readonly recv: Direction;

  constructor(exportedSessionKey: Uint8Array, role: 'client' | 'server' = 'client') {
    const k = deriveSessionKeys(exportedSessionKey);
    const client = { signKey: k.clientSign, seal: new Rc4(k.clientSeal), seq: 0 };
    const server = { signKey: k.serverSign, seal: new Rc4(k.serverSeal), seq: 0 };
    this.send = role === 'client' ? client : server;
    this.recv = role === 'client' ? server : client;
  }

  /**
   * Signs `whole` (plaintext), then encrypts `whole[start, end)` in place.
   * Returns the 16-byte NTLMSSP_MESSAGE_SIGNATURE.
   */
  seal(whole: Buffer, start: number, end: number): Buffer {
    // The MAC covers the plaintext, but the RC4 handle encrypts the message before the checksum.
    const d = this.send;
    const seq = Buffer.alloc(4);
    seq.writeUInt32LE(d.seq >>> 0);
    const mac = hmacMd5(d.signKey, seq, whole);
    d.seal.update(whole.subarray(start, end)).copy(whole, start);
    const checksum = d.seal.update(mac.subarray(0, 8));
    d.seq = (d.seq + 1) >>> 0;
    return Buffer.concat([Buffer.from([1, 0, 0, 0]), checksum, seq]);
  }

  /** Signs `message` without encrypting it (packet integrity); returns the 16-byte signature. */
  sign(message: Uint8Array): Buffer {
    return this.signature(this.send, message);
  }

  /** Checks a signature made by the peer's `sign`; throws a protocol error if it is wrong. */
  verify(message: Uint8Array, signature: Uint8Array): void {
    if (signature.length !== SIGNATURE_LENGTH) throw protocolError('NTLM signature is not 16 bytes');
    if (!timingSafeEqual(this.signature(this.recv, message), signature)) {
      throw protocolError('NTLM signature check failed (wrong key or tampered data)');
    }
  }

  /** MAC(seq ‖ message) with the checksum RC4'd by the sealing handle, then seq += 1. */
  private signature(d: Direction, message: Uint8Array): Buffer {
    const seq = Buffer.alloc(4);
    seq.writeUInt32LE(d.seq >>> 0);
    const checksum = d.seal.update(hmacMd5(d.signKey, seq, message).subarray(0, 8));
    d.seq = (d.seq + 1) >>> 0;
    return Buffer.concat([Buffer.from([1, 0, 0, 0]), checksum, seq]);
  }

  /**
   * Decrypts `whole[start, end)` in place, then checks `signature` over the plaintext `whole`.
   * Throws a protocol error if the signature or sequence number is wrong.
   */
  unseal(whole: Buffer, start: number, end: number, signature: Uint8Array): void {
    if (signature.length !== SIGNATURE_LENGTH) throw protocolError('NTLM signature is not 16 bytes');
    const d = this.recv;
    d.seal.update(whole.subarray(start, end)).copy(whole, start);
    const seq = Buffer.alloc(4);
    seq.writeUInt32LE(d.seq >>> 0);
    const mac = hmacMd5(d.signKey, seq, whole);
    const checksum = d.seal.update(mac.subarray(0, 8));
    d.seq = (d.seq + 1) >>> 0;
    const expected = Buffer.concat([Buffer.from([1, 0, 0, 0]), checksum, seq]);
    if (!timingSafeEqual(expected, signature)) {
      throw protocolError('NTLM signature check failed on a sealed PDU (wrong key or tampered data)');
    }
  }
}
