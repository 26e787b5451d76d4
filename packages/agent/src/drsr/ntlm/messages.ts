// NTLMSSP message layouts ([MS-NLMP] 2.2.1): NEGOTIATE out, CHALLENGE in, AUTHENTICATE out.
import { protocolError } from '../errors.js';

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');
/** Version field: 6.1 build 0, NTLM revision 15, as Samba's client sends it (debugging only). */
const VERSION = Buffer.from([6, 1, 0, 0, 0, 0, 0, 15]);
export const NEGOTIATE_LENGTH = 40;
export const AUTHENTICATE_HEADER_LENGTH = 88;
export const MIC_OFFSET = 72;

/** NEGOTIATE_MESSAGE with no domain or workstation supplied. */
export function encodeNegotiate(flags: number): Buffer {
  const b = Buffer.alloc(NEGOTIATE_LENGTH);
  SIGNATURE.copy(b, 0);
  b.writeUInt32LE(1, 8);
  b.writeUInt32LE(flags >>> 0, 12);
  // No domain or workstation: zero lengths, offsets pointing at the end (as Samba sends them).
  b.writeUInt32LE(NEGOTIATE_LENGTH, 20);
  b.writeUInt32LE(NEGOTIATE_LENGTH, 28);
  VERSION.copy(b, 32);
  return b;
}

export interface ChallengeMessage {
  flags: number;
  serverChallenge: Buffer;
  targetName: string;
  /** Raw AV_PAIR list (MsvAvEOL included), empty if the server sent none. */
  targetInfo: Buffer;
}

function field(msg: Buffer, at: number, what: string): Buffer {
  const len = msg.readUInt16LE(at);
  const off = msg.readUInt32LE(at + 4);
  if (len === 0) return Buffer.alloc(0);
  if (off > msg.length || off + len > msg.length) throw protocolError(`NTLM ${what} runs past the message`);
  return msg.subarray(off, off + len);
}

function checkHeader(msg: Buffer, type: number, minLength: number): void {
  if (msg.length < minLength) throw protocolError('NTLM message is too short');
  if (!msg.subarray(0, 8).equals(SIGNATURE)) throw protocolError('not an NTLMSSP message');
  const got = msg.readUInt32LE(8);
  if (got !== type) throw protocolError(`expected NTLM message type ${type}, got ${got}`);
}

/** Parses a CHALLENGE_MESSAGE. */
export function decodeChallenge(msg: Buffer): ChallengeMessage {
  checkHeader(msg, 2, 48);
  const flags = msg.readUInt32LE(20);
  const name = field(msg, 12, 'target name');
  return {
    flags,
    serverChallenge: Buffer.from(msg.subarray(24, 32)),
    targetName: name.toString(flags & 1 ? 'utf16le' : 'latin1'),
    targetInfo: Buffer.from(field(msg, 40, 'target info')),
  };
}

export interface AuthenticateFields {
  flags: number;
  lmResponse: Buffer;
  ntResponse: Buffer;
  domain: string;
  user: string;
  workstation: string;
  encryptedRandomSessionKey: Buffer;
}

/** AUTHENTICATE_MESSAGE with Version and a zeroed MIC field (filled in by the caller). */
export function encodeAuthenticate(f: AuthenticateFields): Buffer {
  const payload: Buffer[] = [];
  const header = Buffer.alloc(AUTHENTICATE_HEADER_LENGTH);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(3, 8);
  let off = AUTHENTICATE_HEADER_LENGTH;
  const put = (at: number, data: Buffer): void => {
    header.writeUInt16LE(data.length, at);
    header.writeUInt16LE(data.length, at + 2);
    header.writeUInt32LE(off, at + 4);
    payload.push(data);
    off += data.length;
  };
  put(12, f.lmResponse);
  put(20, f.ntResponse);
  put(28, Buffer.from(f.domain, 'utf16le'));
  put(36, Buffer.from(f.user, 'utf16le'));
  put(44, Buffer.from(f.workstation, 'utf16le'));
  put(52, f.encryptedRandomSessionKey);
  header.writeUInt32LE(f.flags >>> 0, 60);
  VERSION.copy(header, 64);
  return Buffer.concat([header, ...payload]);
}

/** Parses an AUTHENTICATE_MESSAGE (used to check captures, and by tests). */
export function decodeAuthenticate(msg: Buffer): AuthenticateFields & { mic: Buffer } {
  checkHeader(msg, 3, AUTHENTICATE_HEADER_LENGTH);
  return {
    flags: msg.readUInt32LE(60),
    lmResponse: Buffer.from(field(msg, 12, 'LM response')),
    ntResponse: Buffer.from(field(msg, 20, 'NT response')),
    domain: field(msg, 28, 'domain').toString('utf16le'),
    user: field(msg, 36, 'user').toString('utf16le'),
    workstation: field(msg, 44, 'workstation').toString('utf16le'),
    encryptedRandomSessionKey: Buffer.from(field(msg, 52, 'session key')),
    mic: Buffer.from(msg.subarray(MIC_OFFSET, MIC_OFFSET + 16)),
  };
}
