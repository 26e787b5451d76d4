// A whole cloud (SQLite, in this process) with a mail sink as its SMTP server and a clock the test
// moves, for the password reset and lockout browser tests.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { buildCloudApp, type CloudApp } from '../../../packages/cloud/src/app.js';
import { loadConfig } from '../../../packages/cloud/src/config.js';
import { SYSTEM_ACTOR } from '../../../packages/cloud/src/directory/actor.js';
import { type MailSink, startMailSink } from '../../../packages/cloud/src/mail-sink/mail-sink.js';
import { createSmtpMailer } from '../../../packages/cloud/src/password-reset/mailer.js';
import { initTenant } from '../../../packages/cloud/src/tenant/init-tenant.js';
import { freePort } from '../../harness/process.js';

export const ADMIN_PASSWORD = 'Admin-Pass-1';

export interface ResetCloud {
  url: string;
  cloud: CloudApp;
  sink: MailSink;
  adminToken: string;
  /** Moves the cloud's clock forward. */
  advance(ms: number): void;
  addUser(local: string): Promise<{ id: string; upn: string; password: string }>;
  tokenFor(upn: string, password: string): Promise<Response>;
  close(): Promise<void>;
}

export async function startResetCloud(): Promise<ResetCloud> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'cloudsync-sspr-'));
  const sink = await startMailSink();
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };
  const config = loadConfig({
    env: {},
    flags: { data: dataDir, port, host: '127.0.0.1', logLevel: 'silent' },
  });
  const cloud = await buildCloudApp({
    config,
    clock,
    logger: pino({ level: 'silent' }),
    mailer: createSmtpMailer({ url: sink.url, from: 'no-reply@contoso.cloudsync.test' }),
  });
  await cloud.app.listen({ host: '127.0.0.1', port });
  const url = `http://127.0.0.1:${port}`;
  const init = await initTenant(
    { directory: cloud.directory, clock },
    { name: 'contoso', domainSuffix: 'cloudsync.test', adminPassword: ADMIN_PASSWORD },
  );
  const tokenFor = (upn: string, password: string) =>
    fetch(`${url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'cloudsync-cli',
        username: upn,
        password,
      }),
    });
  const adminRes = await tokenFor(init.adminUserPrincipalName, ADMIN_PASSWORD);
  const adminToken = String(((await adminRes.json()) as { access_token: string }).access_token);
  return {
    url,
    cloud,
    sink,
    adminToken,
    advance: (ms) => {
      offset += ms;
    },
    async addUser(local) {
      const upn = `${local}-${randomUUID().slice(0, 6)}@contoso.cloudsync.test`;
      const password = `Pw-${randomUUID().slice(0, 12)}!a`;
      const user = await cloud.directory.users.create(SYSTEM_ACTOR, {
        displayName: local,
        userPrincipalName: upn,
        passwordProfile: { password },
      });
      return { id: user.id, upn, password };
    },
    tokenFor,
    async close() {
      await cloud.close();
      await sink.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
