import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

test('defaults: loopback, port 8443, SQLite in ./.cloudsync, a loud warning about plain HTTP', () => {
  const config = loadConfig({ env: {} });
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.port, 8443);
  assert.equal(config.publicUrl, 'http://127.0.0.1:8443');
  assert.match(config.sqliteFile, /\.cloudsync\/cloud\.sqlite$/);
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.domainSuffix, 'cloudsync.test');
  assert.deepEqual(config.dnsServers, []);
  assert.match(config.warnings[0] ?? '', /ATTENTION: serving plain HTTP/);
  assert.ok(Object.isFrozen(config));
});

test('flags win over the environment, and the environment is read once', () => {
  const config = loadConfig({
    env: {
      CLOUDSYNC_PORT: '9000',
      DATABASE_URL: 'postgres://u@127.0.0.1/db',
      CLOUDSYNC_DNS_SERVERS: '127.0.0.1:5353, 10.0.0.1',
    },
    flags: { port: '9001', data: '/tmp/x' },
  });
  assert.equal(config.port, 9001);
  assert.equal(config.dataDir, '/tmp/x');
  assert.equal(config.databaseUrl, 'postgres://u@127.0.0.1/db');
  assert.deepEqual(config.dnsServers, ['127.0.0.1:5353', '10.0.0.1']);
});

test('refuses plain HTTP off loopback, half a TLS pair, bad values — naming the option', () => {
  const refuse = (env: NodeJS.ProcessEnv, flags: Record<string, string>, pattern: RegExp) =>
    assert.throws(
      () => loadConfig({ env, flags }),
      (err: unknown) => err instanceof ConfigError && pattern.test(err.message),
    );
  refuse({}, { host: '0.0.0.0' }, /host: plain HTTP is allowed on a loopback address only/);
  refuse({}, { tlsCert: '/c.pem' }, /tlsKey: give both/);
  refuse({}, { port: '70000' }, /port/);
  refuse({ DATABASE_URL: 'mysql://x' }, {}, /databaseUrl/);
  refuse({}, { logLevel: 'loud' }, /logLevel/);
  const tls = loadConfig({ env: {}, flags: { host: '0.0.0.0', tlsCert: '/c.pem', tlsKey: '/k.pem' } });
  assert.equal(tls.publicUrl, 'https://0.0.0.0:8443');
  assert.deepEqual(tls.warnings, []);
});

test('the writeback wait: 30 s by default, CLOUDSYNC_WRITEBACK_TIMEOUT_MS sets it, bounds named', () => {
  assert.equal(loadConfig({ env: {} }).writebackTimeoutMs, 30_000);
  assert.equal(loadConfig({ env: { CLOUDSYNC_WRITEBACK_TIMEOUT_MS: '3000' } }).writebackTimeoutMs, 3_000);
  for (const bad of ['10', '400000', 'soon'])
    assert.throws(
      () => loadConfig({ env: { CLOUDSYNC_WRITEBACK_TIMEOUT_MS: bad } }),
      (err: unknown) => err instanceof ConfigError && /writebackTimeoutMs/.test(err.message),
    );
});
