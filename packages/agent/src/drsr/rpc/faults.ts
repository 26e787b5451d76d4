// RPC fault and bind_nak codes ([MS-RPCE] 2.2.2.14, 3.1.1.5.5; DCE 1.1 appendix E) by name.

const FAULTS: Record<number, string> = {
  5: 'nca_s_fault_access_denied',
  1752: 'nca_s_fault_cant_perform',
  1783: 'nca_s_fault_ndr',
  1825: 'nca_s_fault_sec_pkg_error',
  469762054: 'nca_s_fault_invalid_tag',
  469762056: 'nca_s_fault_invalid_bound',
  469762066: 'nca_s_fault_unspec',
  469762074: 'nca_s_fault_context_mismatch',
  469827586: 'nca_s_op_rng_error',
  469827587: 'nca_s_unk_if',
  469827595: 'nca_s_proto_error',
};

/** The symbolic name of an RPC fault status, or its hex value. */
export function faultName(status: number): string {
  return FAULTS[status] ?? `0x${status.toString(16).padStart(8, '0')}`;
}

export const FAULT_ACCESS_DENIED = 0x00000005;
export const FAULT_SEC_PKG_ERROR = 0x00000721;
export const FAULT_PROTO_ERROR = 0x1c01000b;

const NAK_REASONS: Record<number, string> = {
  0: 'reason not specified',
  1: 'temporary congestion',
  2: 'local limit exceeded',
  4: 'protocol version not supported',
  8: 'authentication type not recognized',
  9: 'invalid checksum',
};

export function bindNakReason(reason: number): string {
  return NAK_REASONS[reason] ?? `reason ${reason}`;
}
