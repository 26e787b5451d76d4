// A synced user whose password can be reset through a real agent: the agent installed against the
// test DC with password hash sync, `cloudsync agent writeback enable` run, a user made in AD and
// synced, the reset policy on for everyone with an authenticator registered for the user (the
// cloud's SMTP server is a mail sink, for e-mailed codes), and the agent's writeback worker (in this
// process, with the agent's own key) started and stopped on demand.
import { PROTOCOL_VERSION } from '@cloudsync/protocol';
import { generateSecret } from 'otplib';
import { loadKey } from '../../../packages/agent/src/state/identity.js';
import { createTokenSource, sendHttp } from '../../../packages/agent/src/uplink/index.js';
import { enableWriteback } from '../../../packages/agent/src/writeback/enable.js';
import {
  createWritebackChannel,
  createWritebackWorker,
} from '../../../packages/agent/src/writeback/index.js';
import { ADMIN_PASSWORD } from '../../../packages/cloud/src/api/api-fixture.js';
import { type MailSink, startMailSink } from '../../../packages/cloud/src/mail-sink/mail-sink.js';
import { adFromEnv, createUser, withDomainRootAclLock } from '../../support/ad.js';
import { type AgentFixture, agentLog, startAgentFixture } from '../sync/agent-fixture.js';

export interface WritebackFixture {
  fx: AgentFixture;
  user: { dn: string; sam: string; cloudId: string; upn: string };
  /** The authenticator key registered for the user. */
  totp: string;
  /** An e-mail address for the user to register, and the cloud's SMTP server that receives its codes. */
  email: string;
  sink: MailSink;
  /** The rights `writeback enable` granted, and what it printed. */
  granted: { right: string }[];
  printed: string[];
  /** Starts the agent's writeback worker (long-poll, 2 s). */
  startWorker(): void;
  /** Stops it, as a stopped agent service would; resolves once it no longer polls. */
  stopWorker(): Promise<void>;
  /** The agent's heartbeat, as its service sends every 30 s: the cloud counts it active. */
  heartbeat(): Promise<void>;
  close(): Promise<void>;
}

export async function startWritebackFixture(options: {
  password: string;
  sam: string;
  givenName: string;
  sn: string;
  /** The cloud's wait for AD's answer (CLOUDSYNC_WRITEBACK_TIMEOUT_MS); its default otherwise. */
  writebackTimeoutMs?: number;
}): Promise<WritebackFixture> {
  const sink = await startMailSink();
  const fx = await startAgentFixture({
    passwordHashSync: true,
    cloudEnv: {
      CLOUDSYNC_SMTP_URL: sink.url,
      ...(options.writebackTimeoutMs
        ? { CLOUDSYNC_WRITEBACK_TIMEOUT_MS: String(options.writebackTimeoutMs) }
        : {}),
    },
  });
  const ad = adFromEnv();
  const printed: string[] = [];
  const granted = await withDomainRootAclLock(() =>
    enableWriteback({
      stateDir: fx.stateDir,
      adminUser: `admin@${fx.fx.domain}`,
      adminPassword: ADMIN_PASSWORD,
      domainAdmin: ad.adminUpn,
      domainAdminPassword: ad.adminPassword,
      print: (line) => printed.push(line),
    }),
  );
  const made = await createUser({
    ou: fx.ou,
    sam: options.sam,
    givenName: options.givenName,
    sn: options.sn,
    password: options.password,
  });
  await fx.cycle({ kind: 'full' });
  // The agent is active for the cloud once it heartbeats (its service does this every 30 s).
  const heartbeat = async () => {
    const rt = await fx.runtime();
    try {
      await rt.uplink.heartbeat({
        status: 'idle',
        currentCycle: null,
        versions: { agent: '0.1.0', protocol: PROTOCOL_VERSION },
        configurationVersions: {},
        lastError: null,
        sentAt: new Date().toISOString(),
      });
    } finally {
      rt.close();
    }
  };
  await heartbeat();
  const row = await fx.fx.cloud.store.db
    .selectFrom('users')
    .select(['id', 'user_principal_name'])
    .where('on_premises_sam_account_name', '=', made.sam)
    .executeTakeFirstOrThrow();
  const user = { dn: made.dn, sam: made.sam, cloudId: row.id, upn: row.user_principal_name };
  const totp = generateSecret();
  await fx.fx.cloud.passwordReset.policies.update({ enabledFor: 'all' });
  await fx.fx.cloud.passwordReset.methods.set(user.cloudId, { kind: 'authenticatorApp', value: totp });
  // Registered by the tests that use it, through the registration page.
  const email = `${made.sam}.private@example.org`;

  let worker = new AbortController();
  let running: Promise<void> | undefined;
  const run = async () => {
    const { signal } = worker;
    const runtime = await fx.runtime();
    const key = await loadKey(fx.stateDir);
    if (!key) throw new Error('no agent key');
    const { identity } = runtime;
    const tokens = createTokenSource({
      clientId: identity.clientId,
      tokenEndpoint: identity.tokenEndpoint,
      privateKey: key.privateKey,
      send: sendHttp,
    });
    const channel = createWritebackChannel({ apiBaseUrl: identity.apiBaseUrl, tokens, send: sendHttp });
    await createWritebackWorker({
      channel,
      connectAd: runtime.cycleDeps.connectAd,
      privateKey: key.privateKey,
      log: agentLog(),
      waitSeconds: 2,
    }).run(signal);
  };
  return {
    fx,
    user,
    totp,
    email,
    sink,
    granted,
    printed,
    startWorker() {
      running ??= run();
    },
    async stopWorker() {
      worker.abort();
      await running?.catch(() => undefined);
      running = undefined;
      worker = new AbortController();
    },
    heartbeat,
    async close() {
      worker.abort();
      await running?.catch(() => undefined);
      await fx.close();
      await sink.close();
    },
  };
}
