/**
 * Stable codes of the replication client's errors. Each names one thing the operator can act on.
 */
export type DrsrErrorCode =
  /** The DC did not answer on TCP (endpoint mapper or DRSUAPI port): address, firewall, DC down. */
  | 'drsr.unreachable'
  /** NTLM authentication failed: wrong user name, domain or password, or the account is locked/disabled. */
  | 'drsr.bad_credentials'
  /** The account authenticated but lacks the replication extended rights on the domain root. */
  | 'drsr.missing_rights'
  /** The DC refused RPC packet privacy (sealing) or the NTLM features it needs. */
  | 'drsr.sealing_refused'
  /** The DC answered with an RPC fault or a DRS error this client has no better name for. */
  | 'drsr.rpc_fault'
  /** A PDU, NTLM message or NDR stub was malformed: a bug, or something that is not a DC on the port. */
  | 'drsr.protocol'
  /** A secret attribute did not decrypt (CRC mismatch): wrong session key or corrupted data. */
  | 'drsr.decrypt_failed'
  /** The DC did not answer in time. */
  | 'drsr.timeout'
  /** The caller's AbortSignal fired. */
  | 'drsr.aborted'
  /** A name given to DsCrackNames did not resolve to exactly one object. */
  | 'drsr.name_not_found';

/** An error of the MS-DRSR client: a stable `code`, a message saying what to do, optional RPC status. */
export class DrsrError extends Error {
  override readonly name = 'DrsrError';
  readonly code: DrsrErrorCode;
  /** The RPC fault status or Win32/DRS error code that caused this, when there was one. */
  readonly status: number | undefined;

  constructor(code: DrsrErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status;
  }
}

/** Shorthand for the malformed-input error every decoder throws. */
export function protocolError(message: string): DrsrError {
  return new DrsrError('drsr.protocol', `malformed reply from the DC: ${message}`);
}
