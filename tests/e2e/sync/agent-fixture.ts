// For the agent's end-to-end tests: a real cloud (SQLite, in this process), an agent installed
// unattended against the test DC in a fresh state directory, and a sync configuration scoped to an
// OU of the test's own, with password hash sync on and enabled through the admin API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { type SyncConfiguration, syncConfigurationSchema } from '@cloudsync/protocol';
import pino, { type Logger } from 'pino';
import { runCycle } from '../../../packages/agent/src/cycle/run-cycle.js';
import {
  type AgentRuntime,
  loadRuntime,
  type RuntimeOptions,
} from '../../../packages/agent/src/service/agent-runtime.js';
import type { CycleSummary } from '../../../packages/agent/src/state/local-store.js';
import { type InstallResult, install } from '../../../packages/agent/src/wizard/install.js';
import { createPrompter } from '../../../packages/agent/src/wizard/prompts.js';
import {
  ADMIN_PASSWORD,
  type ApiFixture,
  startApiFixture,
} from '../../../packages/cloud/src/api/api-fixture.js';
import { adFromEnv, createOu, deleteEntry, withDomainRootAclLock } from '../../support/ad.js';
import { uniqueName } from '../../support/unique.js';

export interface AgentFixture {
  fx: ApiFixture;
  stateDir: string;
  installed: InstallResult;
  /** The OU the configuration is scoped to. */
  ou: string;
  configurationId: string;
  /** Install output, for assertions on what the wizard printed. */
  printed: string[];
  /** The configuration as the agent pulls it. */
  configuration(): Promise<SyncConfiguration>;
  /** One cycle, in this process, as the service runs it. */
  cycle(options?: { kind?: 'full' | 'delta' }): Promise<CycleSummary>;
  runtime(options?: Partial<RuntimeOptions>): Promise<AgentRuntime>;
  /** Runs the wizard again on the same state directory (a repair). */
  installAgain(options: { passwordHashSync: boolean }): Promise<InstallResult>;
  /**
   * Installs another agent for the same domain (own host, service account and state directory,
   * removed by `close`), as a second machine running the wizard would; returns its state directory.
   */
  installAnotherAgent(): Promise<string>;
  /** A synced user as the admin API shows it, or undefined (404). */
  cloudUser(upnOrId: string): Promise<Record<string, unknown> | undefined>;
  close(): Promise<void>;
}

const USER_FIELDS =
  'id,userPrincipalName,displayName,accountEnabled,onPremisesSyncEnabled,onPremisesImmutableId';

/** Starts the cloud, installs the agent, creates and enables the configuration. */
export async function startAgentFixture(
  options: {
    passwordHashSync?: boolean /** Collects every agent log line, at trace level. */;
    logs?: string[];
    /** The cloud's cycle lease lifetime (default 2 minutes). */
    leaseTtlMs?: number;
    /** More cloud configuration, as its environment (e.g. CLOUDSYNC_SMTP_URL). */
    cloudEnv?: Record<string, string>;
  } = {},
): Promise<AgentFixture> {
  const ad = adFromEnv();
  const fx = await startApiFixture({
    ...(options.leaseTtlMs ? { leaseTtlMs: options.leaseTtlMs } : {}),
    ...(options.cloudEnv ? { env: options.cloudEnv } : {}),
  });
  const stateDirs: string[] = [];
  const newStateDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloudsync-agent-e2e-'));
    stateDirs.push(dir);
    return dir;
  };
  const printed: string[] = [];
  const output = new Writable({
    write(chunk: Buffer, _e, done) {
      printed.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const machine = () => ({
    stateDir: newStateDir(),
    host: `${uniqueName('agent', 40)}.corp.example.test`,
    serviceAccountName: uniqueName('csagt'),
  });
  const first = machine();
  const { stateDir } = first;
  const runInstall = (passwordHashSync: boolean, on = first) =>
    withDomainRootAclLock(() =>
      install({
        cloudUrl: fx.url,
        adminUser: `admin@${fx.domain}`,
        adminPassword: ADMIN_PASSWORD,
        dc: ad.ldapsUrl,
        caFile: ad.caFile,
        domainAdmin: ad.adminUpn,
        domainAdminPassword: ad.adminPassword,
        serviceAccountName: on.serviceAccountName,
        passwordHashSync,
        stateDir: on.stateDir,
        host: on.host,
        prompter: createPrompter({ interactive: false, yes: true, input: Readable.from([]), output }),
      }),
    );
  const installed = await runInstall(options.passwordHashSync ?? true);
  const ou = await createOu('agent');
  const created = await fx.call('POST', '/v1.0/cloudsync/configurations', {
    body: {
      domain: {
        dnsName: installed.domain.dnsDomainName.toLowerCase(),
        netbiosName: installed.domain.netbiosName,
        sid: installed.domain.domainSid,
      },
      scope: { kind: 'ous', ous: [ou] },
      passwordHashSync: options.passwordHashSync ?? true,
    },
  });
  if (created.status !== 201) throw new Error(`configuration not created: ${created.text}`);
  const configurationId = String((created.body as { id: string }).id);
  const enabled = await fx.call('POST', `/v1.0/cloudsync/configurations/${configurationId}/enable`);
  if (enabled.status >= 300) throw new Error(`configuration not enabled: ${enabled.text}`);

  const logs = options.logs;
  const quiet = logs
    ? pino(
        { level: 'trace' },
        new Writable({
          write(chunk: Buffer, _e, done) {
            logs.push(chunk.toString());
            done();
          },
        }),
      )
    : agentLog();
  let rt: AgentRuntime | undefined;
  const runtime = async (opts: Partial<RuntimeOptions> = {}) =>
    loadRuntime({ stateDir, log: quiet, reconcileMinIntervalMs: 0, ...opts });

  const fixture: AgentFixture = {
    fx,
    stateDir,
    installed,
    ou,
    configurationId,
    printed,
    async configuration() {
      rt ??= await runtime();
      const { configurations } = await rt.uplink.configurations();
      const found = configurations.find((c) => c.id === configurationId);
      if (!found) throw new Error('the agent does not see its configuration');
      return syncConfigurationSchema.parse(found);
    },
    async cycle(opts = {}) {
      rt ??= await runtime();
      return runCycle(rt.cycleDeps, await fixture.configuration(), opts);
    },
    runtime,
    async installAgain(opts) {
      rt?.close();
      rt = undefined;
      return runInstall(opts.passwordHashSync);
    },
    async installAnotherAgent() {
      const other = machine();
      await runInstall(options.passwordHashSync ?? true, other);
      return other.stateDir;
    },
    async cloudUser(upnOrId) {
      const res = await fx.call('GET', `/v1.0/users/${encodeURIComponent(upnOrId)}?$select=${USER_FIELDS}`);
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw new Error(`GET user ${upnOrId}: ${res.status} ${res.text}`);
      return res.body as Record<string, unknown>;
    },
    async close() {
      rt?.close();
      await deleteEntry(ou).catch(() => undefined);
      await fx.close();
      for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** The agent's logger in tests: silent unless CLOUDSYNC_TEST_AGENT_LOG names a level. */
export function agentLog(): Logger {
  return pino({ level: process.env.CLOUDSYNC_TEST_AGENT_LOG ?? 'silent' });
}

/** Polls `check` until it returns a value (not undefined), at most `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
