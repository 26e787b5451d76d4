// Typed errors of the Active Directory source. Each code names one thing the operator can act on,
// and each message ends with the next step.

/** Stable codes of the AD source's errors. */
export type AdErrorCode =
  /** No TCP/TLS connection to the DC: address, port, firewall, DC down. */
  | 'ad.unreachable'
  /** The DC's certificate did not validate against the configured CA, or does not name the host. */
  | 'ad.tls_untrusted'
  /** The DC presented a certificate other than the pinned one. */
  | 'ad.tls_pin_mismatch'
  /** AD refused the simple bind: wrong password, disabled, expired or locked account. */
  | 'ad.bind_refused'
  /** The bound account lacks a right the operation needs. */
  | 'ad.insufficient_rights'
  /** The base or target object does not exist. */
  | 'ad.no_such_object'
  /** AD refused a write by policy (password complexity, naming, constraints). */
  | 'ad.constraint'
  /** A control the agent needs is not supported or was refused by the DC. */
  | 'ad.unsupported'
  /** The DC did not answer in time. */
  | 'ad.timeout'
  /** The DC dropped the connection mid-operation. */
  | 'ad.connection_lost'
  /** A reply did not have the expected shape. */
  | 'ad.protocol'
  /** The service account exists but is missing rights (see `missing`). */
  | 'ad.missing_rights';

/** An error of the AD source: a stable `code`, a message that says what to do next. */
export class AdError extends Error {
  override readonly name = 'AdError';
  readonly code: AdErrorCode;
  /** The LDAP result code, when the DC answered with one. */
  readonly ldapCode: number | undefined;

  constructor(code: AdErrorCode, message: string, options: { ldapCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.ldapCode = options.ldapCode;
  }
}

/** Where the agent talks to, for messages: `host:port`. */
export interface AdTarget {
  host: string;
  port: number;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
]);

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function ldapCodeOf(err: object): number | undefined {
  const code = 'code' in err ? err.code : undefined;
  return typeof code === 'number' ? code : undefined;
}

function sysCodeOf(err: object): string | undefined {
  const code = 'code' in err ? err.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns whatever ldapts, net or tls threw into an `AdError` with a next step. `what` names the
 * operation for the message ("search CN=Users,...", "bind as svc@corp").
 */
export function toAdError(err: unknown, target: AdTarget, what: string): AdError {
  if (err instanceof AdError) return err;
  const where = `${target.host}:${target.port}`;
  if (!(err instanceof Error))
    return new AdError('ad.protocol', `${what} failed at ${where}: ${String(err)}`);
  const ldapCode = ldapCodeOf(err);
  const sys = sysCodeOf(err);
  const reason = err.message.split('\n')[0] ?? err.message;
  if (ldapCode !== undefined) return fromLdapCode(ldapCode, reason, where, what, err);
  if (sys && TLS_CODES.has(sys)) {
    return new AdError(
      'ad.tls_untrusted',
      `the DC at ${where} presented a certificate the agent does not trust (${sys}): give the CA that signed it (caFile), the host name it was issued to (servername), or pin it`,
      { cause: err },
    );
  }
  if ((sys && NETWORK_CODES.has(sys)) || /Connection timeout/.test(reason)) {
    return new AdError(
      'ad.unreachable',
      `cannot reach the DC at ${where}: ${reason}. Check the host name, the firewall, and that the DC listens on this port`,
      { cause: err },
    );
  }
  if (/Operation timed out/.test(reason)) {
    return new AdError(
      'ad.timeout',
      `the DC at ${where} did not answer ${what} in time; it may be overloaded`,
      {
        cause: err,
      },
    );
  }
  if (
    /Connection closed|Socket error|socket connection not established|write after|destroyed/i.test(reason)
  ) {
    return new AdError('ad.connection_lost', `the connection to ${where} dropped during ${what}: ${reason}`, {
      cause: err,
    });
  }
  return new AdError('ad.protocol', `${what} failed at ${where}: ${reason}`, { cause: err });
}

function fromLdapCode(code: number, reason: string, where: string, what: string, cause: Error): AdError {
  const opts = { ldapCode: code, cause };
  switch (code) {
    case 49:
      return new AdError(
        'ad.bind_refused',
        `AD refused the bind (${what} at ${where}: ${reason}): check the service account password, or run \`cloudsync agent install\` again to repair`,
        opts,
      );
    case 50:
      return new AdError(
        'ad.insufficient_rights',
        `AD denied ${what} (${reason}): the account lacks a right; run \`cloudsync agent install\` again to repair the service account`,
        opts,
      );
    case 32:
      return new AdError('ad.no_such_object', `${what}: no such object at ${where} (${reason})`, opts);
    case 19:
    case 53:
    case 64:
    case 65:
    case 68:
      return new AdError('ad.constraint', `AD refused ${what}: ${reason}`, opts);
    case 12:
      return new AdError(
        'ad.unsupported',
        `the DC at ${where} does not support a control ${what} needs: ${reason}`,
        opts,
      );
    case 3:
      return new AdError('ad.timeout', `the DC at ${where} stopped ${what} at its time limit`, opts);
    default:
      return new AdError('ad.protocol', `${what} failed at ${where} (LDAP ${code}): ${reason}`, opts);
  }
}
