// Connection-oriented DCE/RPC PDUs (DCE 1.1 RPC ch. 12, [MS-RPCE] 2.2.2): the common header and
// the bodies this client sends (bind, alter_context, auth3, request) and reads (bind_ack,
// alter_context_resp, bind_nak, response, fault).
import { protocolError } from '../errors.js';
import { uuidFromBytes, uuidToBytes } from './uuid.js';

export const PTYPE = {
  request: 0,
  response: 2,
  fault: 3,
  bind: 11,
  bindAck: 12,
  bindNak: 13,
  alterContext: 14,
  alterContextResp: 15,
  auth3: 16,
  shutdown: 17,
} as const;

export const PFC_FIRST_FRAG = 0x01;
export const PFC_LAST_FRAG = 0x02;
/** On bind and bind_ack: the client/server signs the PDU header too ([MS-RPCE] 2.2.2.3). */
export const PFC_SUPPORT_HEADER_SIGN = 0x04;
export const COMMON_HEADER_LENGTH = 16;
export const REQUEST_HEADER_LENGTH = 24;
export const SEC_TRAILER_LENGTH = 8;

/** Little-endian integers, ASCII characters, IEEE floats. */
const DREP = [0x10, 0, 0, 0];

export const NDR_SYNTAX = { uuid: '8a885d04-1ceb-11c9-9fe8-08002b104860', major: 2, minor: 0 };

export interface SyntaxId {
  uuid: string;
  major: number;
  minor: number;
}

export interface PduHeader {
  ptype: number;
  flags: number;
  fragLength: number;
  authLength: number;
  callId: number;
}

export interface AuthVerifier {
  authType: number;
  authLevel: number;
  padLength: number;
  contextId: number;
  value: Buffer;
}

export function decodeHeader(pdu: Buffer): PduHeader {
  if (pdu.length < COMMON_HEADER_LENGTH) throw protocolError('RPC PDU shorter than its header');
  if (pdu[0] !== 5 || pdu[1] !== 0) throw protocolError(`not DCE/RPC 5.0 (version ${pdu[0]}.${pdu[1]})`);
  if (pdu[4] !== 0x10) throw protocolError('RPC PDU is not little-endian NDR');
  const header = {
    ptype: pdu[2] ?? 0,
    flags: pdu[3] ?? 0,
    fragLength: pdu.readUInt16LE(8),
    authLength: pdu.readUInt16LE(10),
    callId: pdu.readUInt32LE(12),
  };
  if (header.fragLength !== pdu.length) throw protocolError('RPC frag_length disagrees with the PDU size');
  const trailer = header.authLength > 0 ? header.authLength + SEC_TRAILER_LENGTH : 0;
  if (COMMON_HEADER_LENGTH + trailer > header.fragLength) throw protocolError('RPC auth_length too large');
  return header;
}

function header(ptype: number, flags: number, callId: number, body: Buffer, auth?: AuthVerifier): Buffer {
  const trailer = auth ? encodeSecTrailer(auth) : Buffer.alloc(0);
  const h = Buffer.alloc(COMMON_HEADER_LENGTH);
  h[0] = 5;
  h[2] = ptype;
  h[3] = flags;
  Buffer.from(DREP).copy(h, 4);
  const len = COMMON_HEADER_LENGTH + body.length + trailer.length + (auth?.value.length ?? 0);
  if (len > 0xffff) throw new RangeError('RPC PDU longer than 65535 bytes');
  h.writeUInt16LE(len, 8);
  h.writeUInt16LE(auth?.value.length ?? 0, 10);
  h.writeUInt32LE(callId >>> 0, 12);
  return Buffer.concat([h, body, trailer, auth?.value ?? Buffer.alloc(0)]);
}

export function encodeSecTrailer(a: Omit<AuthVerifier, 'value'>): Buffer {
  const t = Buffer.alloc(SEC_TRAILER_LENGTH);
  t[0] = a.authType;
  t[1] = a.authLevel;
  t[2] = a.padLength;
  t.writeUInt32LE(a.contextId >>> 0, 4);
  return t;
}

/** The auth verifier at the end of a PDU, or undefined if auth_length is 0. */
export function decodeAuthVerifier(pdu: Buffer, h: PduHeader): AuthVerifier | undefined {
  if (h.authLength === 0) return undefined;
  const at = h.fragLength - h.authLength - SEC_TRAILER_LENGTH;
  return {
    authType: pdu[at] ?? 0,
    authLevel: pdu[at + 1] ?? 0,
    padLength: pdu[at + 2] ?? 0,
    contextId: pdu.readUInt32LE(at + 4),
    value: Buffer.from(pdu.subarray(at + SEC_TRAILER_LENGTH)),
  };
}

function syntax(s: SyntaxId): Buffer {
  const b = Buffer.alloc(20);
  uuidToBytes(s.uuid).copy(b, 0);
  b.writeUInt16LE(s.major, 16);
  b.writeUInt16LE(s.minor, 18);
  return b;
}

export interface BindParams {
  callId: number;
  maxXmitFrag: number;
  maxRecvFrag: number;
  assocGroupId?: number;
  contextId: number;
  abstractSyntax: SyntaxId;
  auth?: AuthVerifier;
  /** alter_context instead of bind. */
  alter?: boolean;
}

/** A bind (or alter_context) with one presentation context offering NDR 2.0. */
export function encodeBind(p: BindParams): Buffer {
  const body = Buffer.alloc(8 + 4 + 4 + 20 + 20);
  body.writeUInt16LE(p.maxXmitFrag, 0);
  body.writeUInt16LE(p.maxRecvFrag, 2);
  body.writeUInt32LE(p.assocGroupId ?? 0, 4);
  body[8] = 1; // n_context_elem
  body.writeUInt16LE(p.contextId, 12);
  body[14] = 1; // n_transfer_syn
  syntax(p.abstractSyntax).copy(body, 16);
  syntax(NDR_SYNTAX).copy(body, 36);
  const flags = PFC_FIRST_FRAG | PFC_LAST_FRAG | (p.auth ? PFC_SUPPORT_HEADER_SIGN : 0);
  return header(p.alter ? PTYPE.alterContext : PTYPE.bind, flags, p.callId, body, p.auth);
}

export interface BindAck {
  maxXmitFrag: number;
  maxRecvFrag: number;
  assocGroupId: number;
  /** 0 acceptance, 1 user rejection, 2 provider rejection, 3 negotiate_ack. */
  result: number;
  reason: number;
  transferSyntax: SyntaxId;
  auth: AuthVerifier | undefined;
}

/** Parses bind_ack or alter_context_resp and returns the first context's result. */
export function decodeBindAck(pdu: Buffer): BindAck {
  const h = decodeHeader(pdu);
  if (h.ptype !== PTYPE.bindAck && h.ptype !== PTYPE.alterContextResp) {
    throw protocolError(`expected bind_ack, got PDU type ${h.ptype}`);
  }
  const end = h.fragLength - (h.authLength ? h.authLength + SEC_TRAILER_LENGTH : 0);
  const need = (n: number): void => {
    if (n > end) throw protocolError('bind_ack is truncated');
  };
  need(26);
  const secAddrLength = pdu.readUInt16LE(24);
  let off = 26 + secAddrLength;
  off = (off + 3) & ~3;
  need(off + 4 + 24);
  const results = pdu[off] ?? 0;
  if (results < 1) throw protocolError('bind_ack has no presentation result');
  off += 4;
  return {
    maxXmitFrag: pdu.readUInt16LE(16),
    maxRecvFrag: pdu.readUInt16LE(18),
    assocGroupId: pdu.readUInt32LE(20),
    result: pdu.readUInt16LE(off),
    reason: pdu.readUInt16LE(off + 2),
    transferSyntax: {
      uuid: uuidFromBytes(pdu.subarray(off + 4, off + 20)),
      major: pdu.readUInt16LE(off + 20),
      minor: pdu.readUInt16LE(off + 22),
    },
    auth: decodeAuthVerifier(pdu, h),
  };
}

/** bind_nak's reject reason (0 unspecified, 2 local limit exceeded, 4 protocol version, ...). */
export function decodeBindNak(pdu: Buffer): number {
  const h = decodeHeader(pdu);
  if (h.ptype !== PTYPE.bindNak || pdu.length < 18) throw protocolError('malformed bind_nak');
  return pdu.readUInt16LE(16);
}

/** auth3: four pad bytes then the auth verifier carrying the last leg of the handshake. */
export function encodeAuth3(callId: number, auth: AuthVerifier): Buffer {
  return header(PTYPE.auth3, PFC_FIRST_FRAG | PFC_LAST_FRAG, callId, Buffer.alloc(4), auth);
}

export interface RequestFragment {
  callId: number;
  flags: number;
  allocHint: number;
  contextId: number;
  opnum: number;
  stub: Buffer;
  auth?: AuthVerifier;
}

/** One request fragment; with `auth` the stub must already include its auth padding. */
export function encodeRequest(r: RequestFragment): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt32LE(r.allocHint >>> 0, 0);
  body.writeUInt16LE(r.contextId, 4);
  body.writeUInt16LE(r.opnum, 6);
  return header(PTYPE.request, r.flags, r.callId, Buffer.concat([body, r.stub]), r.auth);
}

export interface ResponseFragment {
  header: PduHeader;
  allocHint: number;
  contextId: number;
  /** Stub bytes as they are on the wire (still sealed, auth padding included). */
  stubStart: number;
  stubEnd: number;
  auth: AuthVerifier | undefined;
}

/** Locates the stub of a response PDU. */
export function decodeResponse(pdu: Buffer): ResponseFragment {
  const h = decodeHeader(pdu);
  if (h.ptype !== PTYPE.response) throw protocolError(`expected a response PDU, got type ${h.ptype}`);
  if (pdu.length < REQUEST_HEADER_LENGTH) throw protocolError('response PDU is truncated');
  const auth = decodeAuthVerifier(pdu, h);
  const stubEnd = h.fragLength - (h.authLength ? h.authLength + SEC_TRAILER_LENGTH : 0);
  if (stubEnd < REQUEST_HEADER_LENGTH) throw protocolError('response stub has negative length');
  return {
    header: h,
    allocHint: pdu.readUInt32LE(16),
    contextId: pdu.readUInt16LE(20),
    stubStart: REQUEST_HEADER_LENGTH,
    stubEnd,
    auth,
  };
}

/** The status code of a fault PDU. */
export function decodeFault(pdu: Buffer): number {
  const h = decodeHeader(pdu);
  if (h.ptype !== PTYPE.fault || pdu.length < 28) throw protocolError('malformed fault PDU');
  return pdu.readUInt32LE(24);
}
