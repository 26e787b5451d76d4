import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message the sink received, as sent (RFC 5322 text), with its envelope. */
export interface SunkMail {
  from: string;
  to: string[];
  raw: string;
  /** The decoded body text (quoted-printable soft breaks and escapes undone). */
  text: string;
  receivedAt: string;
}

export interface MailSink {
  /** `smtp://127.0.0.1:<port>`, for the cloud's `CLOUDSYNC_SMTP_URL`. */
  url: string;
  port: number;
  messages(): readonly SunkMail[];
  /** Resolves with the first message to `address` received after `since`, polling up to `timeoutMs`. */
  waitFor(address: string, options?: { timeoutMs?: number; since?: number }): Promise<SunkMail>;
  close(): Promise<void>;
}

function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** The body of a single-part message (nodemailer's text mail): after the first blank line. */
function bodyOf(raw: string): string {
  const at = raw.search(/\r?\n\r?\n/);
  const body = at < 0 ? '' : raw.slice(at).trim();
  return /content-transfer-encoding:\s*quoted-printable/i.test(raw.slice(0, at))
    ? decodeQuotedPrintable(body)
    : body;
}

/**
 * A local SMTP sink for tests and the lab: accepts any mail on loopback without authentication and
 * keeps it in memory (at most 1,000 messages). Never expose it beyond loopback.
 * @example
 *   const sink = await startMailSink();
 *   const mail = await sink.waitFor('adele@contoso.test');
 */
export async function startMailSink(options: { port?: number; host?: string } = {}): Promise<MailSink> {
  const received: SunkMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        received.push({
          from,
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw,
          text: bodyOf(raw),
          receivedAt: new Date().toISOString(),
        });
        if (received.length > 1000) received.shift();
        callback();
      });
    },
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address: AddressInfo | string | null = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://${host}:${port}`,
    port,
    messages: () => received,
    async waitFor(to, { timeoutMs = 10_000, since = 0 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.slice(since).find((m) => m.to.includes(to.toLowerCase()));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
