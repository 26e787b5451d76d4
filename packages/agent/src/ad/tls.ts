// TLS settings for talking to a DC: a CA file, or a pinned certificate (SHA-256 of its DER), and
// the host name the certificate was issued to when the agent connects by IP address.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConnectionOptions, PeerCertificate, TLSSocket } from 'node:tls';
import { AdError } from './errors.js';

/** How the agent trusts the DC's certificate. */
export interface AdTlsOptions {
  /** PEM file of the CA that issued the DC's certificate. */
  caFile?: string;
  /** The same as PEM text. */
  ca?: string;
  /**
   * SHA-256 of the DC certificate's DER, hex (colons allowed). When set, that certificate is
   * accepted whoever issued it, and no other.
   */
  pinnedSha256?: string;
  /** Host name to verify the certificate against (and send as SNI) when the URL holds an IP. */
  servername?: string;
}

/** SHA-256 fingerprint of a certificate, lower-case hex without separators. */
export function certificateSha256(cert: PeerCertificate | Buffer): string {
  const der = Buffer.isBuffer(cert) ? cert : cert.raw;
  return createHash('sha256').update(der).digest('hex');
}

function normalizePin(pin: string): string {
  return pin.replaceAll(':', '').toLowerCase();
}

/** Node TLS options for these settings. Pinning turns off chain checks; `checkPin` then decides. */
export function tlsConnectionOptions(opts: AdTlsOptions = {}): ConnectionOptions {
  const out: ConnectionOptions = { minVersion: 'TLSv1.2' };
  if (opts.servername) out.servername = opts.servername;
  if (opts.pinnedSha256) {
    out.rejectUnauthorized = false;
    return out;
  }
  const ca = opts.ca ?? (opts.caFile ? readFileSync(opts.caFile, 'utf8') : undefined);
  if (ca) out.ca = ca;
  out.rejectUnauthorized = true;
  return out;
}

/**
 * Checks a freshly connected socket against the pin, if there is one. Throws `ad.tls_pin_mismatch`
 * and destroys the socket before anything (a password) is written to it.
 */
export function checkPin(socket: TLSSocket, opts: AdTlsOptions, where: string): void {
  if (!opts.pinnedSha256) return;
  const seen = certificateSha256(socket.getPeerCertificate());
  if (seen !== normalizePin(opts.pinnedSha256)) {
    const err = new AdError(
      'ad.tls_pin_mismatch',
      `the DC at ${where} presented certificate sha256=${seen}, not the pinned one: if the DC's certificate was renewed, pin the new one`,
    );
    socket.destroy(err);
    throw err;
  }
}
