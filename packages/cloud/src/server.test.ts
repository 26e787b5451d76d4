import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { connect } from 'node:tls';
import { httpsOptions } from './app.js';
import { type RunningCloud, startCloudServer } from './server.js';

let dir: string;
let running: RunningCloud;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cloudsync-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  running = await startCloudServer(
    { data: dir, port: 0, tlsCert: join(dir, 'cert.pem'), tlsKey: join(dir, 'key.pem'), logLevel: 'silent' },
    {},
  );
});
after(async () => {
  await running.close();
  rmSync(dir, { recursive: true, force: true });
});

function handshake(maxVersion: 'TLSv1.1' | 'TLSv1.2'): Promise<string> {
  const port = Number(new URL(running.url).port);
  return new Promise((resolve, reject) => {
    // The client is made to offer old versions (SECLEVEL=0), so a refusal can only come from the server.
    const socket = connect({
      host: '127.0.0.1',
      port,
      minVersion: 'TLSv1',
      maxVersion,
      ciphers: 'DEFAULT@SECLEVEL=0',
      rejectUnauthorized: false,
    });
    socket.once('secureConnect', () => {
      resolve(socket.getProtocol() ?? '');
      socket.end();
    });
    socket.once('error', reject);
  });
}

test('the HTTPS options set TLS 1.2 as the minimum, and nothing without a certificate', () => {
  const options = httpsOptions({ tlsCert: join(dir, 'cert.pem'), tlsKey: join(dir, 'key.pem') });
  assert.equal(options.https?.minVersion, 'TLSv1.2');
  assert.deepEqual(httpsOptions({}), {});
});

// Debian's OpenSSL also refuses TLS 1.1 at its default security level; the explicit minimum above
// keeps that true where it does not.
test('with a certificate the service speaks HTTPS and refuses anything older than TLS 1.2', async () => {
  assert.match(running.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(await handshake('TLSv1.2'), 'TLSv1.2');
  await assert.rejects(handshake('TLSv1.1'), /protocol version|unsupported protocol|alert/i);
});
