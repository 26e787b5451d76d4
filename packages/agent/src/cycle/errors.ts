// Errors of a cycle as the protocol's error bodies, for the heartbeat's lastError and the status.
import { ERROR_CODES, type ErrorBody, type ErrorCode, errorBody } from '@cloudsync/protocol';
import { AdError } from '../ad/errors.js';
import { DrsrError } from '../drsr/errors.js';
import { errorBodyOf } from '../uplink/errors.js';

const AD_CODES: Partial<Record<AdError['code'], ErrorCode>> = {
  'ad.unreachable': 'AD_UNREACHABLE',
  'ad.timeout': 'AD_UNREACHABLE',
  'ad.connection_lost': 'AD_UNREACHABLE',
  'ad.bind_refused': 'AD_BIND_FAILED',
  'ad.tls_untrusted': 'AD_TLS_FAILED',
  'ad.tls_pin_mismatch': 'AD_TLS_FAILED',
};

/** The protocol error body for anything a cycle step threw (AD, MS-DRSR, the cloud, a bug). */
export function cycleErrorBody(err: unknown): ErrorBody {
  if (err instanceof AdError) {
    const code = AD_CODES[err.code] ?? 'AD_SEARCH_FAILED';
    return errorBody(code, {
      message: `${ERROR_CODES[code].message} (${err.message.slice(0, 1500)})`,
      details: { adCode: err.code, ...(err.ldapCode === undefined ? {} : { ldapCode: err.ldapCode }) },
    });
  }
  if (err instanceof DrsrError) {
    const code: ErrorCode = err.code === 'drsr.missing_rights' ? 'DRSR_MISSING_RIGHTS' : 'DRSR_FAILED';
    return errorBody(code, {
      message: `${ERROR_CODES[code].message} (${err.message.slice(0, 1500)})`,
      details: { drsrCode: err.code },
    });
  }
  return errorBodyOf(err);
}

/** A cycle that stopped for a reason the cloud gave (lease lost, stale configuration, quarantine). */
export class CycleStopped extends Error {
  override readonly name = 'CycleStopped';
  constructor(
    readonly body: ErrorBody,
    readonly state: string,
  ) {
    super(body.message);
  }
}
