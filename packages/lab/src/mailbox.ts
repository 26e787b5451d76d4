// The lab's local mailbox: an SMTP sink the cloud sends its e-mail to (password reset codes), and a
// small read-only web page on loopback that lists what arrived.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type MailSink, startMailSink } from '@cloudsync/cloud/mail-sink';

export interface LabMailbox {
  sink: MailSink;
  /** For the cloud's CLOUDSYNC_SMTP_URL. */
  smtpUrl: string;
  /** The web page that lists the messages. */
  url: string;
  close(): Promise<void>;
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function page(sink: MailSink): string {
  const items = [...sink.messages()]
    .reverse()
    .map(
      (m) =>
        `<article><h2>To ${escapeHtml(m.to.join(', '))}</h2><p><small>${escapeHtml(m.receivedAt)} from ${escapeHtml(m.from)}</small></p><pre>${escapeHtml(m.text)}</pre></article>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lab mailbox</title></head><body><h1>Lab mailbox</h1>${items || '<p>No mail yet.</p>'}</body></html>`;
}

/** Starts the sink and its page on `host` (free ports). */
export async function startLabMailbox(host: string): Promise<LabMailbox> {
  const sink = await startMailSink({ host });
  const server = createServer((req, res) => {
    if (req.url === '/messages.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(sink.messages()));
      return;
    }
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'",
      })
      .end(page(sink));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo; // listening on TCP, so an AddressInfo
  return {
    sink,
    smtpUrl: sink.url,
    url: `http://${host}:${port}/`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sink.close();
    },
  };
}
