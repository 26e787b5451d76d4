// One DCE/RPC association over TCP: bind (optionally NTLMSSP at packet privacy), then calls with
// request fragmentation, sealed stubs and response reassembly.
import { type Socket, connect as tcpConnect } from 'node:net';
import { DrsrError, protocolError } from '../errors.js';
import type { NtlmClient } from '../ntlm/client.js';
import { NtlmSessionSecurity, SIGNATURE_LENGTH } from '../ntlm/session-security.js';
import {
  bindNakReason,
  FAULT_ACCESS_DENIED,
  FAULT_PROTO_ERROR,
  FAULT_SEC_PKG_ERROR,
  faultName,
} from './faults.js';
import { PduFramer } from './framing.js';
import {
  decodeBindAck,
  decodeBindNak,
  decodeFault,
  decodeHeader,
  decodeResponse,
  encodeAuth3,
  encodeBind,
  encodeRequest,
  NDR_SYNTAX,
  PFC_FIRST_FRAG,
  PFC_LAST_FRAG,
  PTYPE,
  REQUEST_HEADER_LENGTH,
  SEC_TRAILER_LENGTH,
  type SyntaxId,
} from './pdu.js';

/** RPC_C_AUTHN_WINNT: NTLMSSP. */
export const AUTH_TYPE_NTLMSSP = 10;
/** RPC_C_AUTHN_LEVEL_PKT_PRIVACY: every stub sealed. */
export const AUTH_LEVEL_PKT_PRIVACY = 6;
const AUTH_CONTEXT_ID = 1;
const SEAL_PAD = 16;
const MAX_FRAG = 5840;

export interface RpcOptions {
  /** Time to wait for any one PDU from the server (default 120 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Largest reassembled response stub accepted (default 256 MiB). */
  maxResponseBytes?: number;
}

const DEFAULTS = { timeoutMs: 120_000, maxResponseBytes: 256 * 1024 * 1024 };

function netError(host: string, port: number, err: Error & { code?: string }): DrsrError {
  return new DrsrError(
    'drsr.unreachable',
    `cannot reach the DC at ${host}:${port} (${err.code ?? err.message}); check the address, that the DC is up ` +
      'and that TCP 135 and the dynamic RPC ports (49152–65535) are open from this server',
    { cause: err },
  );
}

export class RpcConnection {
  private readonly framer = new PduFramer();
  private readonly queue: Buffer[] = [];
  private waiter: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private nextCallId = 1;
  private contextId = 0;
  private maxXmitFrag = MAX_FRAG;
  private security: NtlmSessionSecurity | undefined;
  private authenticatedCalls = 0;
  private readonly opts: Required<Omit<RpcOptions, 'signal'>> & { signal?: AbortSignal };
  private readonly onAbort = (): void =>
    this.fail(new DrsrError('drsr.aborted', 'replication was cancelled'));

  private constructor(
    private readonly socket: Socket,
    readonly host: string,
    readonly port: number,
    opts: RpcOptions,
  ) {
    this.opts = {
      timeoutMs: opts.timeoutMs ?? DEFAULTS.timeoutMs,
      maxResponseBytes: opts.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
      signal: opts.signal,
    };
    socket.on('data', (chunk: Buffer) => {
      try {
        this.queue.push(...this.framer.push(chunk));
        this.wake();
      } catch (e) {
        this.fail(e instanceof Error ? e : new Error(String(e)));
      }
    });
    socket.on('error', (e) => this.fail(netError(host, port, e)));
    socket.on('close', () =>
      this.fail(new DrsrError('drsr.unreachable', `the DC at ${host}:${port} closed the RPC connection`)),
    );
    opts.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Opens a TCP connection to `host:port`. */
  static connect(host: string, port: number, opts: RpcOptions = {}): Promise<RpcConnection> {
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) {
        reject(new DrsrError('drsr.aborted', 'replication was cancelled'));
        return;
      }
      const socket = tcpConnect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new DrsrError('drsr.unreachable', `timed out connecting to the DC at ${host}:${port}`));
      }, opts.timeoutMs ?? DEFAULTS.timeoutMs);
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(netError(host, port, e));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        resolve(new RpcConnection(socket, host, port, opts));
      });
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.resolve();
  }

  private fail(e: Error): void {
    if (!this.failure) this.failure = e;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(this.failure);
    this.socket.destroy();
  }

  private async nextPdu(): Promise<Buffer> {
    for (;;) {
      const pdu = this.queue.shift();
      if (pdu) return pdu;
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.waiter = undefined;
          reject(new DrsrError('drsr.timeout', `the DC at ${this.host}:${this.port} did not answer in time`));
        }, this.opts.timeoutMs);
        this.waiter = {
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        };
      });
    }
  }

  private write(pdu: Buffer): void {
    if (this.failure) throw this.failure;
    this.socket.write(pdu);
  }

  /**
   * Binds the interface. With `ntlm`, authenticates with NTLMSSP at packet privacy and returns
   * the exported session key (the caller zeroes it when done).
   */
  async bind(abstractSyntax: SyntaxId, ntlm?: NtlmClient): Promise<Buffer | undefined> {
    const callId = this.nextCallId++;
    const auth = ntlm
      ? {
          authType: AUTH_TYPE_NTLMSSP,
          authLevel: AUTH_LEVEL_PKT_PRIVACY,
          padLength: 0,
          contextId: AUTH_CONTEXT_ID,
          value: ntlm.negotiate(),
        }
      : undefined;
    this.write(
      encodeBind({
        callId,
        maxXmitFrag: MAX_FRAG,
        maxRecvFrag: MAX_FRAG,
        contextId: this.contextId,
        abstractSyntax,
        auth,
      }),
    );
    const reply = await this.nextPdu();
    const h = decodeHeader(reply);
    if (h.ptype === PTYPE.bindNak) {
      const reason = decodeBindNak(reply);
      throw new DrsrError(
        ntlm ? 'drsr.sealing_refused' : 'drsr.rpc_fault',
        `the DC refused the RPC bind (${bindNakReason(reason)})` +
          (ntlm ? ': it must accept NTLM authentication at packet privacy for DRSUAPI' : ''),
        { status: reason },
      );
    }
    const ack = decodeBindAck(reply);
    if (h.callId !== callId) throw protocolError('bind_ack for another call');
    if (ack.result !== 0) {
      throw new DrsrError(
        'drsr.rpc_fault',
        `the DC rejected interface ${abstractSyntax.uuid} (reason ${ack.reason})`,
      );
    }
    if (ack.transferSyntax.uuid !== NDR_SYNTAX.uuid)
      throw protocolError('the DC chose a transfer syntax other than NDR');
    this.maxXmitFrag = Math.min(MAX_FRAG, ack.maxRecvFrag);
    if (this.maxXmitFrag < 256) throw protocolError(`max_recv_frag ${ack.maxRecvFrag} is too small`);
    if (!ntlm || !auth) return undefined;
    if (!ack.auth || ack.auth.authType !== AUTH_TYPE_NTLMSSP) {
      throw new DrsrError('drsr.sealing_refused', 'the DC answered the bind without an NTLM challenge');
    }
    const { authenticate, exportedSessionKey } = ntlm.authenticate(ack.auth.value);
    this.write(encodeAuth3(this.nextCallId++, { ...auth, value: authenticate }));
    this.security = new NtlmSessionSecurity(exportedSessionKey);
    return exportedSessionKey;
  }

  /** Calls `opnum` with an NDR stub and returns the response stub. */
  async call(opnum: number, stub: Buffer): Promise<Buffer> {
    const callId = this.nextCallId++;
    for (const fragment of this.requestFragments(callId, opnum, stub)) this.write(fragment);
    const first = this.authenticatedCalls === 0;
    this.authenticatedCalls++;
    try {
      return await this.readResponse(callId);
    } catch (e) {
      // Samba faults the first sealed call with nca_s_proto_error when auth3 failed; Windows
      // answers access denied. Either way, on the first call it is the credentials.
      if (first && this.security && e instanceof DrsrError && e.status === FAULT_PROTO_ERROR) {
        throw new DrsrError(
          'drsr.bad_credentials',
          'the DC rejected the NTLM authentication: check the account name, domain and password (and that the account is enabled and not locked)',
          { status: e.status, cause: e },
        );
      }
      // NTLM failures surface on the first sealed call: the DC drops the connection or faults.
      if (first && this.security && e instanceof DrsrError && e.code === 'drsr.unreachable') {
        throw new DrsrError(
          'drsr.bad_credentials',
          'the DC closed the connection after NTLM authentication: check the account name, domain and password',
          { cause: e },
        );
      }
      throw e;
    }
  }

  private *requestFragments(callId: number, opnum: number, stub: Buffer): Generator<Buffer> {
    const overhead = REQUEST_HEADER_LENGTH + (this.security ? SEC_TRAILER_LENGTH + SIGNATURE_LENGTH : 0);
    const room = this.maxXmitFrag - overhead;
    const perFragment = this.security ? room - (room % SEAL_PAD) : room;
    let off = 0;
    do {
      const chunk = stub.subarray(off, off + perFragment);
      const flags =
        (off === 0 ? PFC_FIRST_FRAG : 0) | (off + chunk.length >= stub.length ? PFC_LAST_FRAG : 0);
      const allocHint = stub.length - off;
      off += chunk.length;
      yield this.security
        ? this.sealedRequest(callId, opnum, flags, allocHint, chunk)
        : encodeRequest({
            callId,
            flags,
            allocHint,
            contextId: this.contextId,
            opnum,
            stub: chunk,
          });
    } while (off < stub.length);
  }

  private sealedRequest(
    callId: number,
    opnum: number,
    flags: number,
    allocHint: number,
    chunk: Buffer,
  ): Buffer {
    const security = this.security;
    if (!security) throw new Error('no security context');
    const padLength = (SEAL_PAD - (chunk.length % SEAL_PAD)) % SEAL_PAD;
    const padded = Buffer.concat([chunk, Buffer.alloc(padLength)]);
    const pdu = encodeRequest({
      callId,
      flags,
      allocHint,
      contextId: this.contextId,
      opnum,
      stub: padded,
      auth: {
        authType: AUTH_TYPE_NTLMSSP,
        authLevel: AUTH_LEVEL_PKT_PRIVACY,
        padLength,
        contextId: AUTH_CONTEXT_ID,
        value: Buffer.alloc(SIGNATURE_LENGTH),
      },
    });
    const sigAt = pdu.length - SIGNATURE_LENGTH;
    security
      .seal(pdu.subarray(0, sigAt), REQUEST_HEADER_LENGTH, REQUEST_HEADER_LENGTH + padded.length)
      .copy(pdu, sigAt);
    return pdu;
  }

  private async readResponse(callId: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      const pdu = await this.nextPdu();
      const h = decodeHeader(pdu);
      if (h.callId !== callId)
        throw protocolError(`response for call ${h.callId} while waiting for ${callId}`);
      if (h.ptype === PTYPE.fault) throw this.faultError(decodeFault(pdu));
      const r = decodeResponse(pdu);
      let stub: Buffer;
      if (this.security) {
        if (!r.auth || r.auth.authLevel !== AUTH_LEVEL_PKT_PRIVACY) {
          throw protocolError('the DC sent an unsealed response on a sealed connection');
        }
        if (r.auth.padLength > r.stubEnd - r.stubStart)
          throw protocolError('auth_pad_length exceeds the stub');
        const sigAt = h.fragLength - h.authLength;
        this.security.unseal(pdu.subarray(0, sigAt), r.stubStart, r.stubEnd, r.auth.value);
        stub = pdu.subarray(r.stubStart, r.stubEnd - r.auth.padLength);
      } else {
        stub = pdu.subarray(r.stubStart, r.stubEnd);
      }
      total += stub.length;
      if (total > this.opts.maxResponseBytes)
        throw protocolError('response larger than the configured limit');
      parts.push(stub);
      if (h.flags & PFC_LAST_FRAG) return Buffer.concat(parts, total);
    }
  }

  private faultError(status: number): DrsrError {
    const name = faultName(status);
    if (status === FAULT_ACCESS_DENIED || status === FAULT_SEC_PKG_ERROR) {
      return new DrsrError(
        'drsr.bad_credentials',
        `the DC refused the authenticated RPC call (${name}): check the account name, domain and password`,
        { status },
      );
    }
    return new DrsrError('drsr.rpc_fault', `the DC answered with RPC fault ${name}`, { status });
  }

  /** Closes the TCP connection. */
  close(): void {
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    this.failure ??= new DrsrError('drsr.unreachable', 'the RPC connection was closed');
    this.socket.destroy();
  }
}
