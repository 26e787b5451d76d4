// NTLMv2 responses and session keys ([MS-NLMP] 3.3.2, 3.4.5.1).
import { createHmac } from 'node:crypto';

export function hmacMd5(key: Uint8Array, ...data: Uint8Array[]): Buffer {
  const h = createHmac('md5', key);
  for (const d of data) h.update(d);
  return h.digest();
}

/** NTOWFv2: HMAC-MD5 keyed by the NT hash over UTF-16LE(upper(user) + domain). */
export function ntowfv2(ntHash: Uint8Array, user: string, domain: string): Buffer {
  return hmacMd5(ntHash, Buffer.from(user.toUpperCase() + domain, 'utf16le'));
}

export interface Ntlmv2Input {
  /** NTOWFv2 of the account (`ntowfv2(ntHash, user, domain)`). */
  responseKey: Uint8Array;
  serverChallenge: Uint8Array;
  clientChallenge: Uint8Array;
  /** FILETIME (100 ns since 1601) as 8 little-endian bytes: the server's MsvAvTimestamp when it sent one. */
  timestamp: Uint8Array;
  /** AV_PAIR list to embed in the blob (ends with MsvAvEOL). */
  targetInfo: Uint8Array;
}

export interface Ntlmv2Result {
  ntResponse: Buffer;
  ntProofStr: Buffer;
  sessionBaseKey: Buffer;
}

/** Builds the NTLMv2 blob ("temp"), the NT response and the session base key. */
export function computeNtlmv2(input: Ntlmv2Input): Ntlmv2Result {
  const temp = Buffer.concat([
    Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]),
    input.timestamp,
    input.clientChallenge,
    Buffer.alloc(4),
    input.targetInfo,
    Buffer.alloc(4),
  ]);
  const ntProofStr = hmacMd5(input.responseKey, input.serverChallenge, temp);
  return {
    ntResponse: Buffer.concat([ntProofStr, temp]),
    ntProofStr,
    sessionBaseKey: hmacMd5(input.responseKey, ntProofStr),
  };
}

/** The current time as a FILETIME, 8 little-endian bytes. */
export function fileTimeNow(now = Date.now()): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE((BigInt(now) + 11644473600000n) * 10000n);
  return b;
}
