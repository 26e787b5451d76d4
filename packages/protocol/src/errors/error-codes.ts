/**
 * Stable error codes shared by agent and cloud. A code never changes meaning; add new ones instead.
 * Each carries the HTTP status the cloud answers with, whether retrying may help, and a safe message
 * that says what to do next.
 */
export const ERROR_CODES = Object.freeze({
  // Active Directory side (reported by the agent)
  AD_UNREACHABLE: {
    status: 503,
    retryable: true,
    message: 'The domain controller did not answer: check DNS and that TCP 389/636 reach it.',
  },
  AD_BIND_FAILED: {
    status: 502,
    retryable: false,
    message:
      'AD refused the bind: check the service account password, or run `cloudsync agent install` again to repair it.',
  },
  AD_TLS_FAILED: {
    status: 502,
    retryable: false,
    message: 'The LDAPS handshake failed: check the domain controller certificate and the trusted CAs.',
  },
  AD_SEARCH_FAILED: {
    status: 502,
    retryable: true,
    message: 'An LDAP search failed; the cycle will retry. See the agent log for the LDAP result code.',
  },
  DIRSYNC_COOKIE_INVALID: {
    status: 409,
    retryable: true,
    message: 'The DirSync cookie was refused by AD; the agent falls back to a full import.',
  },
  DRSR_MISSING_RIGHTS: {
    status: 403,
    retryable: false,
    message:
      'The service account lacks "Replicating Directory Changes" and "Replicating Directory Changes All": grant them on the domain root.',
  },
  DRSR_FAILED: {
    status: 502,
    retryable: true,
    message: 'Directory replication (MS-DRSR) failed; password hashes are retried next cycle.',
  },
  WRITEBACK_REFUSED: {
    status: 422,
    retryable: false,
    message: 'AD refused the new password: it does not meet the domain password policy.',
  },
  WRITEBACK_MISSING_RIGHTS: {
    status: 403,
    retryable: false,
    message: 'The service account may not reset passwords: grant "Reset password" on the synchronized OUs.',
  },
  // Cloud side
  CLOUD_UNREACHABLE: {
    status: 503,
    retryable: true,
    message: 'The cloud did not answer; the agent keeps changes in its outbox and retries with backoff.',
  },
  UNAUTHENTICATED: {
    status: 401,
    retryable: false,
    message: 'The agent token is missing or invalid: re-register with `cloudsync agent register`.',
  },
  FORBIDDEN: { status: 403, retryable: false, message: 'This agent may not act on that resource.' },
  AGENT_NOT_FOUND: {
    status: 404,
    retryable: false,
    message: 'The cloud does not know this agent any more: register it again.',
  },
  CONFIG_NOT_FOUND: {
    status: 404,
    retryable: false,
    message: 'No sync configuration with that id: it may have been deleted in the admin center.',
  },
  CONFIG_VERSION_STALE: {
    status: 409,
    retryable: true,
    message: 'The configuration changed since this cycle started: pull it again and restart the cycle.',
  },
  CONFIG_DISABLED: {
    status: 409,
    retryable: false,
    message: 'The sync configuration is disabled in the admin center.',
  },
  CONFIG_QUARANTINED: {
    status: 409,
    retryable: true,
    message: 'The configuration is in quarantine after repeated failures; it retries with backoff.',
  },
  CYCLE_LEASE_LOST: {
    status: 409,
    retryable: false,
    message:
      'This agent no longer holds the cycle lease (it expired and another agent took over): abandon the cycle.',
  },
  CYCLE_NOT_FOUND: { status: 404, retryable: false, message: 'No cycle with that id is open.' },
  SEQUENCE_OUT_OF_ORDER: {
    status: 409,
    retryable: true,
    message: 'A change-set page arrived out of order: resend from the last acknowledged sequence.',
  },
  DELETE_THRESHOLD_EXCEEDED: {
    status: 409,
    retryable: false,
    message:
      'The cycle would delete more objects than the accidental-delete threshold allows: an admin must approve or reject.',
  },
  UPN_CONFLICT: {
    status: 409,
    retryable: false,
    message: 'The userPrincipalName is already used by another object; a unique variant was assigned.',
  },
  PROXY_ADDRESS_CONFLICT: {
    status: 409,
    retryable: false,
    message: 'A proxy address is already used by another object; it was left out.',
  },
  ANCHOR_CONFLICT: {
    status: 409,
    retryable: false,
    message: 'Another synced object already has this anchor (onPremisesImmutableId).',
  },
  OBJECT_NOT_FOUND: { status: 404, retryable: false, message: 'No synced object has that anchor.' },
  OBJECT_NOT_MAPPED: {
    status: 422,
    retryable: true,
    message:
      'The agent could not map this AD object (a mapping failed on its values): fix the value or the mapping; the cloud keeps the object as it was, and the agent retries it every cycle.',
  },
  MEMBER_NOT_FOUND: {
    status: 422,
    retryable: true,
    message: 'A group member is not synced yet; membership is completed when it arrives.',
  },
  HASH_ENVELOPE_INVALID: {
    status: 422,
    retryable: false,
    message: 'The password hash envelope is not a valid $pbkdf2-sha256-nt$ string.',
  },
  JOB_EXPIRED: { status: 410, retryable: false, message: 'The writeback job expired before it was done.' },
  JOB_NOT_FOUND: { status: 404, retryable: false, message: 'No writeback job with that id.' },
  VALIDATION_FAILED: {
    status: 400,
    retryable: false,
    message: 'The message does not match the protocol: see details for the first problems.',
  },
  PAYLOAD_TOO_LARGE: { status: 413, retryable: false, message: 'The message exceeds the protocol limits.' },
  PROTOCOL_VERSION_UNSUPPORTED: {
    status: 426,
    retryable: false,
    message: 'This agent speaks a protocol version the cloud no longer supports: upgrade the agent.',
  },
  RATE_LIMITED: { status: 429, retryable: true, message: 'Too many requests: back off and retry.' },
  INTERNAL: { status: 500, retryable: true, message: 'An unexpected error happened; it was logged.' },
} as const satisfies Record<string, { status: number; retryable: boolean; message: string }>);

export type ErrorCode = keyof typeof ERROR_CODES;

/** Every error code, in declaration order. */
export const ERROR_CODE_LIST = Object.freeze(Object.keys(ERROR_CODES)) as readonly [
  ErrorCode,
  ...ErrorCode[],
]; // Object.keys loses the literal key type; the keys are exactly ErrorCode.
