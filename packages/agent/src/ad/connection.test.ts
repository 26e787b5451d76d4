import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { freePort } from '../../../../tests/harness/process.js';
import { adFromEnv } from '../../../../tests/support/ad.js';
import { type AdConnectionOptions, connectAd } from './connection.js';
import { AdError } from './errors.js';
import { startRelay } from './testing/relay.js';
import { certificateSha256 } from './tls.js';

const env = adFromEnv();
const admin: AdConnectionOptions = {
  url: env.ldapsUrl,
  bindDn: env.adminUpn,
  password: env.adminPassword,
  tls: { caFile: env.caFile },
};

async function rootDn(options: AdConnectionOptions): Promise<unknown> {
  const ad = await connectAd(options);
  try {
    const [root] = await ad.search('', { scope: 'base', attributes: ['defaultNamingContext'] });
    return root?.defaultNamingContext;
  } finally {
    await ad.close();
  }
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof AdError, `expected an AdError, got ${String(err)}`);
    return err.code;
  }
  assert.fail('expected the connection to fail');
}

/** The DER of the certificate the DC presents. */
function peerCertificate(): Promise<Buffer> {
  const { hostname, port } = new URL(env.ldapsUrl);
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
      resolve(s.getPeerCertificate().raw);
      s.end();
    });
    s.on('error', reject);
  });
}

describe('AD connection', () => {
  test('binds over LDAPS with the CA file, as UPN and as DN', async () => {
    assert.equal(await rootDn(admin), env.baseDn);
    assert.equal(await rootDn({ ...admin, bindDn: env.adminDn }), env.baseDn);
  });

  test('a paged search, read one page ahead, yields every page in order; stopping early is clean', async () => {
    const ad = await connectAd(admin);
    try {
      const options = { scope: 'one' as const, filter: '(objectClass=*)', attributes: ['cn'] };
      const base = `CN=Builtin,${env.baseDn}`;
      const whole = (await ad.search(base, options)).map((e) => e.dn);
      assert.ok(whole.length > 8, 'several pages of 4');
      const paged: string[] = [];
      for await (const page of ad.searchPages(base, { ...options, paged: { pageSize: 4 } })) {
        assert.ok(page.length <= 4);
        paged.push(...page.map((e) => e.dn));
      }
      assert.deepEqual(paged, whole);
      for await (const page of ad.searchPages(base, { ...options, paged: { pageSize: 4 } })) {
        assert.equal(page.length, 4);
        break;
      }
      assert.deepEqual(
        (await ad.search(base, options)).map((e) => e.dn),
        whole,
      );
    } finally {
      await ad.close();
    }
  });

  test('binds over LDAP + StartTLS', async () => {
    assert.equal(await rootDn({ ...admin, url: env.ldapUrl, startTls: true }), env.baseDn);
  });

  test('a wrong password is ad.bind_refused with the next step', async () => {
    const err = await connectAd({ ...admin, password: 'not-the-password' }).catch((e: unknown) => e);
    assert.ok(err instanceof AdError);
    assert.equal(err.code, 'ad.bind_refused');
    assert.equal(err.ldapCode, 49);
    assert.match(err.message, /check the service account password/);
    assert.doesNotMatch(err.message, /not-the-password/);
  });

  test('nobody listening is ad.unreachable naming host:port', async () => {
    const port = await freePort('127.0.0.1');
    const err = await connectAd({ ...admin, url: `ldaps://127.0.0.1:${port}` }).catch((e: unknown) => e);
    assert.ok(err instanceof AdError);
    assert.equal(err.code, 'ad.unreachable');
    assert.match(err.message, new RegExp(`cannot reach the DC at 127\\.0\\.0\\.1:${port}`));
  });

  test('an untrusted certificate is ad.tls_untrusted', async () => {
    assert.equal(await codeOf(connectAd({ ...admin, tls: {} })), 'ad.tls_untrusted');
  });

  test('a pinned certificate is accepted without a CA, another pin is refused before the bind', async () => {
    const der = await peerCertificate();
    // The pin is the DC's own certificate, the one the harness's CA issued.
    const issued = new X509Certificate(readFileSync(env.caFile));
    assert.ok(new X509Certificate(der).checkIssued(issued));
    assert.equal(await rootDn({ ...admin, tls: { pinnedSha256: certificateSha256(der) } }), env.baseDn);
    assert.equal(
      await codeOf(connectAd({ ...admin, tls: { pinnedSha256: 'ab'.repeat(32) } })),
      'ad.tls_pin_mismatch',
    );
  });

  test('a read after the DC dropped the line reconnects and rebinds by itself', async () => {
    const relay = await startRelay(env.ldapsUrl, env.ip);
    const ad = await connectAd({ ...admin, url: relay.url });
    try {
      const [before] = await ad.search(env.baseDn, { scope: 'base', attributes: ['objectGUID'] });
      assert.ok(before);
      await relay.cut();
      await relay.resume();
      // Reading the domain object needs the bind (anonymous reads of it are refused).
      const [after] = await ad.search(env.baseDn, { scope: 'base', attributes: ['objectSid'] });
      assert.equal(after?.dn, env.baseDn);
      assert.ok(Buffer.isBuffer(after?.objectSid) || typeof after?.objectSid === 'string');
    } finally {
      await ad.close();
      await relay.close();
    }
  });

  test('a dropped line with the DC still down is ad.unreachable', async () => {
    const relay = await startRelay(env.ldapsUrl, env.ip);
    const ad = await connectAd({ ...admin, url: relay.url });
    try {
      await relay.cut();
      const err = await ad.search(env.baseDn, { scope: 'base' }).catch((e: unknown) => e);
      assert.ok(err instanceof AdError);
      assert.equal(err.code, 'ad.unreachable');
    } finally {
      await ad.close();
      await relay.close();
    }
  });

  test('a host that accepts but never answers is ad.unreachable after the connect timeout', async () => {
    const silent = createServer(() => undefined); // accepts, never speaks TLS
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const err = await connectAd({
        ...admin,
        url: `ldaps://127.0.0.1:${port}`,
        connectTimeoutMs: 300,
      }).catch((e: unknown) => e);
      assert.ok(err instanceof AdError);
      assert.equal(err.code, 'ad.unreachable');
      assert.match(err.message, /timeout/i);
    } finally {
      silent.close();
    }
  });
});
