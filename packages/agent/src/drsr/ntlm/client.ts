// The NTLMSSP client state machine: NEGOTIATE → (CHALLENGE) → AUTHENTICATE, yielding the
// exported session key that seals DCE/RPC and decrypts DRS secrets.
import { randomBytes } from 'node:crypto';
import { rc4 } from '../crypto/rc4.js';
import { DrsrError } from '../errors.js';
import {
  type AvPair,
  encodeAvPairs,
  MSV_AV_CHANNEL_BINDINGS,
  MSV_AV_EOL,
  MSV_AV_FLAG_MIC_PRESENT,
  MSV_AV_FLAGS,
  MSV_AV_TARGET_NAME,
  MSV_AV_TIMESTAMP,
  parseAvPairs,
} from './av-pairs.js';
import { CLIENT_FLAGS, REQUIRED_FLAGS } from './flags.js';
import { decodeChallenge, encodeAuthenticate, encodeNegotiate, MIC_OFFSET } from './messages.js';
import { computeNtlmv2, fileTimeNow, hmacMd5, ntowfv2 } from './ntlmv2.js';

export interface NtlmCredentials {
  domain: string;
  user: string;
  /** NT hash of the password (16 bytes). The client copies it and zeroes its copy when done. */
  ntHash: Uint8Array;
  workstation?: string;
}

export interface NtlmResult {
  authenticate: Buffer;
  /** The 16-byte key both sides now share; seals RPC and decrypts DRS secrets. */
  exportedSessionKey: Buffer;
  flags: number;
}

/** Randomness and clock, injectable so tests can reproduce a captured exchange. */
export interface NtlmEntropy {
  clientChallenge?: Buffer;
  exportedSessionKey?: Buffer;
  now?: number;
}

/**
 * Client side of one NTLMSSP exchange.
 * @example
 *   const ntlm = new NtlmClient({ domain: 'CORP', user: 'svc', ntHash });
 *   const negotiate = ntlm.negotiate();           // send in the bind
 *   const { authenticate, exportedSessionKey } = ntlm.authenticate(challengeFromBindAck);
 */
export class NtlmClient {
  private negotiateMessage: Buffer | undefined;
  private readonly creds: NtlmCredentials;

  constructor(
    creds: NtlmCredentials,
    private readonly spn = '',
    private readonly entropy: NtlmEntropy = {},
  ) {
    this.creds = { ...creds, ntHash: Buffer.from(creds.ntHash) };
  }

  negotiate(): Buffer {
    this.negotiateMessage = encodeNegotiate(CLIENT_FLAGS);
    return this.negotiateMessage;
  }

  authenticate(challengeMessage: Buffer): NtlmResult {
    const negotiate = this.negotiateMessage;
    if (!negotiate) throw new Error('negotiate() must come before authenticate()');
    const challenge = decodeChallenge(challengeMessage);
    const flags = (challenge.flags & CLIENT_FLAGS) >>> 0;
    if ((flags & REQUIRED_FLAGS) !== REQUIRED_FLAGS) {
      throw new DrsrError(
        'drsr.sealing_refused',
        `the DC refused NTLM sealing with 128-bit keys and key exchange (granted flags 0x${challenge.flags.toString(16)}); ` +
          'check the DC allows NTLMv2 with session security for RPC',
      );
    }
    const serverPairs = parseAvPairs(
      challenge.targetInfo.length > 0 ? challenge.targetInfo : Buffer.alloc(4),
    );
    const serverTime = serverPairs.find((p) => p.id === MSV_AV_TIMESTAMP)?.value;
    const pairs: AvPair[] = serverPairs.filter((p) => p.id !== MSV_AV_EOL && p.id !== MSV_AV_FLAGS);
    const avFlags = Buffer.alloc(4);
    avFlags.writeUInt32LE(serverTime ? MSV_AV_FLAG_MIC_PRESENT : 0);
    pairs.push({ id: MSV_AV_FLAGS, value: avFlags });
    pairs.push({ id: MSV_AV_CHANNEL_BINDINGS, value: Buffer.alloc(16) });
    if (this.spn) pairs.push({ id: MSV_AV_TARGET_NAME, value: Buffer.from(this.spn, 'utf16le') });

    const responseKey = ntowfv2(this.creds.ntHash, this.creds.user, this.creds.domain);
    this.creds.ntHash.fill(0);
    const clientChallenge = this.entropy.clientChallenge ?? randomBytes(8);
    const v2 = computeNtlmv2({
      responseKey,
      serverChallenge: challenge.serverChallenge,
      clientChallenge,
      timestamp: serverTime ?? fileTimeNow(this.entropy.now),
      targetInfo: encodeAvPairs(pairs),
    });
    // With a server timestamp the LM response is Z(24) ([MS-NLMP] 3.1.5.1.2), else LMv2.
    const lmResponse = serverTime
      ? Buffer.alloc(24)
      : Buffer.concat([hmacMd5(responseKey, challenge.serverChallenge, clientChallenge), clientChallenge]);
    responseKey.fill(0);
    const exportedSessionKey = this.entropy.exportedSessionKey ?? randomBytes(16);
    const authenticate = encodeAuthenticate({
      flags,
      lmResponse,
      ntResponse: v2.ntResponse,
      domain: this.creds.domain,
      user: this.creds.user,
      workstation: this.creds.workstation ?? '',
      encryptedRandomSessionKey: rc4(v2.sessionBaseKey, exportedSessionKey),
    });
    v2.sessionBaseKey.fill(0);
    if (serverTime) {
      hmacMd5(exportedSessionKey, negotiate, challengeMessage, authenticate).copy(authenticate, MIC_OFFSET);
    }
    return { authenticate, exportedSessionKey, flags };
  }
}
