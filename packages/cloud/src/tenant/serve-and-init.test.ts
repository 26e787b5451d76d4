// The commands as an operator runs them: `cloudsync cloud init` then `cloudsync cloud serve`,
// stopped and started again, on SQLite and on PostgreSQL.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { freePort } from '../../../../tests/harness/process.js';
import { createTestDatabase } from '../../../../tests/support/postgres.js';

const root = new URL('../../../../', import.meta.url).pathname;
const bin = join(root, 'bin/cloudsync.mjs');
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

async function serve(dataDir: string, port: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [bin, 'cloud', 'serve', '--data', dataDir, '--port', String(port), '--log-level', 'warn'],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  for (let i = 0; i < 200; i += 1) {
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${stderr}`);
    const up = await fetch(`http://127.0.0.1:${port}/v1.0/organization`).then(
      (r) => r.status === 401,
      () => false,
    );
    if (up) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error(`serve did not come up: ${stderr}`);
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

async function token(port: number, username: string, password: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'cloudsync-cli', username, password }),
  });
  const body = (await res.json()) as { access_token?: string };
  assert.ok(body.access_token, JSON.stringify(body));
  return body.access_token;
}

function backends(): [string, () => Promise<NodeJS.ProcessEnv>][] {
  return [
    ['sqlite', async () => ({ DATABASE_URL: '' })],
    ['postgres', async () => ({ DATABASE_URL: await createTestDatabase('serve') })],
  ];
}

for (const [name, envFor] of backends()) {
  describe(`cloudsync cloud init + serve (${name})`, () => {
    test('init creates the tenant once; serve keeps everything across a restart', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'cloudsync-serve-'));
      dirs.push(dataDir);
      const env = await envFor();
      const first = cli(['cloud', 'init', '--tenant', 'contoso', '--data', dataDir], env);
      assert.equal(first.status, 0, first.stderr);
      const password = /Password \(shown once, stored only as a hash\): (\S+)/.exec(first.stdout)?.[1];
      assert.ok(password, first.stdout);
      assert.match(first.stdout, /Global Administrator: admin@contoso\.cloudsync\.test/);

      const again = cli(
        ['cloud', 'init', '--tenant', 'fabrikam', '--data', dataDir, '--admin-password', 'Other-Pass-2'],
        env,
      );
      assert.equal(again.status, 1);
      assert.match(again.stderr, /already has tenant 'contoso'.*nothing was changed/);

      const port = await freePort();
      let server = await serve(dataDir, port, env);
      try {
        const admin = await token(port, 'admin@contoso.cloudsync.test', password);
        const created = await fetch(`http://127.0.0.1:${port}/v1.0/users`, {
          method: 'POST',
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            displayName: 'Persisted',
            userPrincipalName: 'persisted@contoso.cloudsync.test',
          }),
        });
        assert.equal(created.status, 201);
        assert.equal(await stop(server), 0);
        server = await serve(dataDir, port, env);
        const admin2 = await token(port, 'admin@contoso.cloudsync.test', password);
        const read = await fetch(`http://127.0.0.1:${port}/v1.0/users/persisted@contoso.cloudsync.test`, {
          headers: { authorization: `Bearer ${admin2}` },
        });
        assert.equal(read.status, 200);
        const org = await fetch(`http://127.0.0.1:${port}/v1.0/organization`, {
          headers: { authorization: `Bearer ${admin2}` },
        });
        assert.equal(
          ((await org.json()) as { value: { displayName: string }[] }).value[0]?.displayName,
          'contoso',
        );
      } finally {
        await stop(server);
      }
    });
  });
}
