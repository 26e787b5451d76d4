// For tests only: the whole cloud (buildCloudApp) on a loopback port with one tenant, and helpers
// that get real access tokens through the sign-in's password grant.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { freePort } from '../../../../tests/harness/process.js';
import { buildCloudApp, type CloudApp } from '../app.js';
import type { Role } from '../auth/principal.js';
import { loadConfig } from '../config.js';
import { systemClock } from '../directory/clock.js';
import type { TxtLookup } from '../directory/domains/dns-txt.js';
import { initTenant } from '../tenant/init-tenant.js';

export const ADMIN_PASSWORD = 'Admin-Pass-1';

export interface ApiFixture {
  url: string;
  cloud: CloudApp;
  domain: string;
  adminToken: string;
  adminId: string;
  /** Sends a request; `body` is sent as JSON unless it is a string (sent as is). */
  call(
    method: string,
    path: string,
    options?: { token?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: unknown; text: string }>;
  /** Creates a user (with a password) holding `roles`, and returns it with a token. */
  userWithRoles(local: string, roles: Role[]): Promise<{ id: string; upn: string; token: string }>;
  tokenFor(upn: string, password: string): Promise<string>;
  close(): Promise<void>;
}

function lineSink(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
}

/** Starts the cloud on SQLite in a temporary directory (or on `databaseUrl`) with tenant `contoso`. */
export async function startApiFixture(
  options: {
    databaseUrl?: string;
    lookupTxt?: TxtLookup;
    /** Collects every log line, at trace level. */
    logs?: string[];
    /** Cycle lease lifetime (default 2 minutes). */
    leaseTtlMs?: number;
    /** More configuration, as the cloud reads it from its environment (e.g. CLOUDSYNC_SMTP_URL). */
    env?: Record<string, string>;
  } = {},
): Promise<ApiFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloudsync-api-'));
  const port = await freePort();
  const config = loadConfig({
    env: { ...options.env, ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}) },
    flags: { data: dataDir, port, host: '127.0.0.1', logLevel: 'silent' },
  });
  const cloud = await buildCloudApp({
    config,
    logger: options.logs ? pino({ level: 'trace' }, lineSink(options.logs)) : pino({ level: 'silent' }),
    ...(options.lookupTxt ? { lookupTxt: options.lookupTxt } : {}),
    ...(options.leaseTtlMs ? { leaseTtlMs: options.leaseTtlMs } : {}),
  });
  await cloud.app.listen({ host: '127.0.0.1', port });
  const url = `http://127.0.0.1:${port}`;
  const init = await initTenant(
    { directory: cloud.directory, clock: systemClock },
    { name: 'contoso', domainSuffix: 'cloudsync.test', adminPassword: ADMIN_PASSWORD },
  );

  async function tokenFor(upn: string, password: string): Promise<string> {
    const res = await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'cloudsync-cli',
        username: upn,
        password,
      }),
    });
    const body: unknown = await res.json();
    const token = typeof body === 'object' && body && 'access_token' in body ? body.access_token : undefined;
    if (typeof token !== 'string')
      throw new Error(`no token for ${upn}: ${res.status} ${JSON.stringify(body)}`);
    return token;
  }

  const adminToken = await tokenFor(init.adminUserPrincipalName, ADMIN_PASSWORD);
  const admin = await cloud.directory.users.get(init.adminUserPrincipalName);

  const call: ApiFixture['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    const token = opts.token === undefined ? adminToken : opts.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text };
  };

  return {
    url,
    cloud,
    domain: init.initialDomain,
    adminToken,
    adminId: admin.id,
    call,
    tokenFor,
    async userWithRoles(local, roles) {
      const upn = `${local}@${init.initialDomain}`;
      const password = `Pw-${local}-1a!`;
      const user = await cloud.directory.users.create(
        { kind: 'user', id: admin.id },
        { displayName: local, userPrincipalName: upn, passwordProfile: { password } },
      );
      for (const role of roles) {
        if (role !== 'User')
          await cloud.directory.roles.assign({ kind: 'user', id: admin.id }, user.id, role);
      }
      return { id: user.id, upn, token: await tokenFor(upn, password) };
    },
    async close() {
      await cloud.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
