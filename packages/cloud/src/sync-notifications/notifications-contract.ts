// One suite for the notification e-mails of sync configurations (what was notified, the outbox),
// run against SQLite and PostgreSQL, sending through SMTP to the real local mail sink.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ErrorBody } from '@cloudsync/protocol';
import { DEFAULT_MAPPINGS } from '@cloudsync/sync-engine';
import type { Kysely } from 'kysely';
import { freePort } from '../../../../tests/harness/process.js';
import { createDirectory } from '../directory/index.js';
import { type MailSink, startMailSink } from '../mail-sink/mail-sink.js';
import { createSmtpMailer } from '../password-reset/mailer.js';
import { openStore, type Store } from '../store/index.js';
import { createSyncConfigurations, type SyncConfigurations } from '../sync-config/configuration-store.js';
import { initTenant } from '../tenant/init-tenant.js';
import { type CycleReport, createSyncNotifications, type SyncNotifications } from './notifier.js';
import { retryDelayMs } from './outbox.js';
import type { SyncNotificationDatabase, SyncNotificationTables } from './schema.js';

const PUBLIC_URL = 'https://cloud.contoso.test';

export function runNotificationsContract(name: string, open: () => Promise<{ databaseUrl?: string }>): void {
  describe(`sync notification e-mails (${name})`, () => {
    let store: Store;
    let db: Kysely<SyncNotificationDatabase>;
    let sink: MailSink;
    let configurations: SyncConfigurations;
    const logs: { level: string; obj: object; msg: string }[] = [];
    const log = {
      info: (obj: object, msg: string) => void logs.push({ level: 'info', obj, msg }),
      warn: (obj: object, msg: string) => void logs.push({ level: 'warn', obj, msg }),
      error: (obj: object, msg: string) => void logs.push({ level: 'error', obj, msg }),
    };
    let t = Date.parse('2026-03-01T00:00:00Z');
    const clock = { now: () => new Date(t) };
    const open_: SyncNotifications[] = [];

    function notifier(mailer: 'sink' | 'none' | { url: string }): SyncNotifications {
      const n = createSyncNotifications({
        db: store.db,
        clock,
        log,
        publicUrl: PUBLIC_URL,
        ...(mailer === 'none'
          ? {}
          : {
              mailer: createSmtpMailer({
                url: mailer === 'sink' ? sink.url : mailer.url,
                from: 'cloudsync <no-reply@contoso.test>',
              }),
            }),
      });
      open_.push(n);
      return n;
    }

    async function configuration(email: string | null = `admin-${randomUUID().slice(0, 8)}@contoso.test`) {
      const dnsName = `d${randomUUID().slice(0, 8)}.example.test`;
      const c = await configurations.create({
        domain: { dnsName, netbiosName: 'CORP', sid: 'S-1-5-21-1-2-3' },
        deleteGuard: { threshold: 2 },
        notificationEmail: email,
        enabled: true,
      });
      return { id: c.id, dnsName, email: email ?? '' };
    }

    const heldReport = (configurationId: string, deletions: number): CycleReport => ({
      configurationId,
      status: 'error',
      reason: 'held',
      held: { deletions },
    });
    const mailsTo = (address: string) => sink.messages().filter((m) => m.to.includes(address.toLowerCase()));
    const outboxOf = (configurationId: string) =>
      db
        .selectFrom('sync_notification_outbox')
        .selectAll()
        .where('configuration_id', '=', configurationId)
        .orderBy('created_at')
        .execute();

    before(async () => {
      const o = await open();
      store = await openStore(o.databaseUrl ? { databaseUrl: o.databaseUrl } : { sqliteFile: ':memory:' });
      db = store.db.withTables<SyncNotificationTables>();
      const directory = createDirectory({ db: store.db, clock, lookupTxt: async () => [] });
      await initTenant({ directory, clock }, { name: 'contoso', domainSuffix: 'cloudsync.test' });
      configurations = createSyncConfigurations({ db: store.db, clock, defaultMappings: DEFAULT_MAPPINGS });
      sink = await startMailSink();
    });
    after(async () => {
      for (const n of open_) await n.close();
      await sink?.close();
      await store?.close();
    });

    test('a held cycle is e-mailed once with the deletions, the threshold and how to decide', async () => {
      const n = notifier('sink');
      const c = await configuration();
      await n.cycleReported(heldReport(c.id, 7));
      await n.flush();
      await n.cycleReported(heldReport(c.id, 8));
      await n.flush();
      const mails = mailsTo(c.email);
      assert.equal(mails.length, 1, 'a lasting hold is e-mailed once');
      const text = mails[0]?.text ?? '';
      assert.match(text, /contoso/i);
      assert.match(text, new RegExp(`Sync configuration: ${c.dnsName} \\(id ${c.id}\\)`));
      assert.match(text, /delete 7 objects, more than the\s+accidental-delete threshold of 2/);
      assert.ok(
        text.includes(`POST ${PUBLIC_URL}/v1.0/cloudsync/configurations/${c.id}/heldDeletions/approve`),
      );
      assert.ok(text.includes(`/heldDeletions/reject`));
      assert.ok(text.includes(`${PUBLIC_URL}/admin/#/cloud-sync/configurations/${c.id}`));
      assert.match(
        mails[0]?.raw ?? '',
        new RegExp(`Subject: \\[cloudsync\\] contoso: deletions held for ${c.dnsName}`),
      );
      assert.equal((await outboxOf(c.id)).filter((r) => r.sent_at !== null).length, 1);

      await n.heldResolved(c.id);
      await n.cycleReported(heldReport(c.id, 9));
      await n.flush();
      assert.equal(mailsTo(c.email).length, 2, 'a hold after a decision is e-mailed again');
      assert.match(mailsTo(c.email)[1]?.text ?? '', /delete 9 objects/);
    });

    test('quarantine is e-mailed once with its reason and retry time; the recovery once', async () => {
      const n = notifier('sink');
      const c = await configuration();
      const until = new Date(t + 5 * 60_000);
      const reason = 'Quarantined after 3 failed cycles in a row (1 object(s) could not be written).';
      await n.cycleReported({ configurationId: c.id, status: 'error', reason: 'one failure' });
      await n.cycleReported({ configurationId: c.id, status: 'quarantine', reason, quarantinedUntil: until });
      await n.cycleReported({
        configurationId: c.id,
        status: 'quarantine',
        reason,
        quarantinedUntil: new Date(t + 10 * 60_000),
      });
      await n.flush();
      let mails = mailsTo(c.email);
      assert.equal(mails.length, 1, 'errors before quarantine and repeated quarantine are not e-mailed');
      assert.ok(mails[0]?.text.includes(reason));
      assert.ok(mails[0]?.text.includes(`Next automatic retry: ${until.toISOString()}`));
      assert.ok(mails[0]?.text.includes(`POST ${PUBLIC_URL}/v1.0/cloudsync/configurations/${c.id}/restart`));

      await n.cycleReported({ configurationId: c.id, status: 'healthy', reason: null });
      await n.cycleReported({ configurationId: c.id, status: 'healthy', reason: null });
      await n.flush();
      mails = mailsTo(c.email);
      assert.equal(mails.length, 2, 'one recovery e-mail');
      assert.match(mails[1]?.raw ?? '', new RegExp(`${c.dnsName} is healthy again`));
      assert.match(mails[1]?.text ?? '', /It had been in quarantine\./);

      await n.cycleReported({ configurationId: c.id, status: 'quarantine', reason, quarantinedUntil: until });
      await n.flush();
      assert.equal(mailsTo(c.email).length, 3, 'a new quarantine after the recovery is e-mailed');
    });

    test('an agent error is e-mailed once per code until a cycle succeeds', async () => {
      const n = notifier('sink');
      const c = await configuration();
      const agent = { id: randomUUID(), host: 'dc1.corp.example.test' };
      const rights: ErrorBody = {
        code: 'DRSR_MISSING_RIGHTS',
        message: 'replication refused',
        retryable: false,
      };
      await n.agentError(c.id, rights, agent);
      await n.agentError(c.id, { ...rights, message: 'replication refused again' }, agent);
      await n.agentError(c.id, rights, { id: randomUUID(), host: 'dc2.corp.example.test' });
      await n.flush();
      assert.equal(mailsTo(c.email).length, 1);
      const first = mailsTo(c.email)[0]?.text ?? '';
      assert.ok(first.includes('The agent on dc1.corp.example.test reports an error'));
      assert.ok(first.includes('Error:   DRSR_MISSING_RIGHTS'));
      assert.match(first, /Replicating Directory Changes All/, 'the protocol says what to do');

      await n.agentError(c.id, { code: 'AD_UNREACHABLE', message: 'no answer', retryable: true }, agent);
      await n.flush();
      assert.equal(mailsTo(c.email).length, 2, 'another error code is another e-mail');

      await n.cycleReported({ configurationId: c.id, status: 'healthy', reason: null });
      await n.flush();
      assert.equal(mailsTo(c.email).length, 3);
      assert.match(mailsTo(c.email)[2]?.text ?? '', /error state \(agent error\)/);
      await n.agentError(c.id, rights, agent);
      await n.flush();
      assert.equal(mailsTo(c.email).length, 4, 'after it cleared, the same error is e-mailed again');
    });

    test('a configuration without a notification e-mail queues nothing', async () => {
      const n = notifier('sink');
      const c = await configuration(null);
      await n.cycleReported(heldReport(c.id, 3));
      await n.cycleReported({
        configurationId: c.id,
        status: 'quarantine',
        reason: 'x',
        quarantinedUntil: null,
      });
      assert.deepEqual(await outboxOf(c.id), []);
    });

    test('SMTP down: the cycle goes on, the failure is logged without secrets, the e-mail is retried and sent once', async () => {
      const secret = `S3cret-${randomUUID().slice(0, 8)}`;
      const down = notifier({ url: `smtp://cloudsync:${secret}@127.0.0.1:${await freePort()}` });
      const c = await configuration();
      await down.cycleReported({
        configurationId: c.id,
        status: 'quarantine',
        reason: 'r',
        quarantinedUntil: null,
      });
      const tried = await down.flush();
      const [row] = await outboxOf(c.id);
      assert.ok(row);
      assert.equal(row.sent_at, null, 'not lost');
      assert.ok(Number(row.attempts) >= 1);
      assert.match(row.last_error ?? '', /ECONNREFUSED/);
      assert.equal(tried.sent, 0);
      assert.equal((await down.flush()).failed, 0, 'not retried before its backoff');
      const warned = logs.filter((l) => l.msg.includes('retried later'));
      assert.ok(warned.length >= 1);
      assert.ok(!JSON.stringify(logs).includes(secret), 'no SMTP password in the logs');
      assert.ok(!(row.last_error ?? '').includes(secret));

      const up = notifier('sink');
      t += retryDelayMs(Number(row.attempts)) + 1;
      assert.equal((await up.flush()).sent, 1);
      assert.equal((await up.flush()).sent, 0);
      assert.equal(mailsTo(c.email).length, 1);
    });

    test('without an SMTP server the e-mail waits in the outbox, and is sent once a mailer runs', async () => {
      const none = notifier('none');
      const c = await configuration();
      await none.cycleReported(heldReport(c.id, 5));
      assert.equal((await none.flush()).sent, 0);
      assert.equal((await outboxOf(c.id))[0]?.sent_at, null);
      assert.ok(logs.some((l) => l.msg.includes('no SMTP server is configured')));
      const up = notifier('sink');
      await up.flush();
      assert.equal(mailsTo(c.email).length, 1);
    });

    test('two senders at once send each e-mail exactly once', async () => {
      const a = notifier('none');
      const c = await configuration();
      for (const code of ['AD_UNREACHABLE', 'AD_BIND_FAILED', 'AD_TLS_FAILED'] as const) {
        await a.agentError(c.id, { code, message: 'm', retryable: true }, { id: 'x', host: 'h' });
      }
      const [s1, s2] = [notifier('sink'), notifier('sink')];
      const [r1, r2] = await Promise.all([s1.flush(), s2.flush()]);
      assert.equal(r1.sent + r2.sent, 3);
      assert.equal(mailsTo(c.email).length, 3);
    });
  });
}
