// Test helper: a TCP relay in front of the DC's LDAPS port that a test can cut and resume, as if the
// DC restarted or the network dropped. It listens on the DC's own IP, so the DC's certificate
// (issued for that IP) still verifies through it.
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { freePort } from '../../../../../tests/harness/process.js';

/** A relay: `url` to connect to; `cut()` drops every connection and stops listening; `resume()`. */
export interface Relay {
  url: string;
  cut(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a relay to `ldapsUrl` on `ip`. */
export async function startRelay(ldapsUrl: string, ip: string): Promise<Relay> {
  const target = new URL(ldapsUrl);
  const port = await freePort(ip);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((down) => {
        const up = netConnect(Number(target.port), target.hostname);
        for (const s of [down, up]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        down.pipe(up).pipe(down);
      });
      server.listen(port, ip, () => resolve());
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      const s = server;
      server = undefined;
      if (s) s.close(() => resolve());
      else resolve();
    });
  await listen();
  return { url: `ldaps://${ip}:${port}`, cut: stop, resume: listen, close: stop };
}
