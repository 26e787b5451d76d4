// One DCE/RPC association over TCP: bind (optionally NTLMSSP at packet privacy), then calls with
// request fragmentation, sealed stubs and response reassembly.
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
import { DEFAULTS, PduTransport, type RpcOptions } from './transport.js';

export type { RpcOptions } from './transport.js';

/** RPC_C_AUTHN_WINNT: NTLMSSP. */
export const AUTH_TYPE_NTLMSSP = 10;
/** RPC_C_AUTHN_LEVEL_PKT_PRIVACY: every stub sealed. */
export const AUTH_LEVEL_PKT_PRIVACY = 6;
const AUTH_CONTEXT_ID = 1;
const SEAL_PAD = 16;
const MAX_FRAG = 5840;

export class RpcConnection {
  private nextCallId = 1;
  private readonly contextId = 0;
  private maxXmitFrag = MAX_FRAG;
  private security: NtlmSessionSecurity | undefined;
  private authenticatedCalls = 0;
  private readonly maxResponseBytes: number;

  private constructor(
    private readonly transport: PduTransport,
    opts: RpcOptions,
  ) {
    this.maxResponseBytes = opts.maxResponseBytes ?? DEFAULTS.maxResponseBytes;
  }

  get host(): string {
    return this.transport.host;
  }

  get port(): number {
    return this.transport.port;
  }

  /** Opens a TCP connection to `host:port`. */
  static async connect(host: string, port: number, opts: RpcOptions = {}): Promise<RpcConnection> {
    return new RpcConnection(await PduTransport.connect(host, port, opts), opts);
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
    this.transport.write(
      encodeBind({
        callId,
        maxXmitFrag: MAX_FRAG,
        maxRecvFrag: MAX_FRAG,
        contextId: this.contextId,
        abstractSyntax,
        auth,
      }),
    );
    const reply = await this.transport.next();
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
    this.transport.write(encodeAuth3(this.nextCallId++, { ...auth, value: authenticate }));
    this.security = new NtlmSessionSecurity(exportedSessionKey);
    return exportedSessionKey;
  }

  /** Calls `opnum` with an NDR stub and returns the response stub. */
  async call(opnum: number, stub: Buffer): Promise<Buffer> {
    const callId = this.nextCallId++;
    for (const fragment of this.requestFragments(callId, opnum, stub)) this.transport.write(fragment);
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
      const pdu = await this.transport.next();
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
      if (total > this.maxResponseBytes) throw protocolError('response larger than the configured limit');
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
    this.transport.close();
  }
}
