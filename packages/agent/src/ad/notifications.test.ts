import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adFromEnv, createOu, createUser, deleteEntry } from '../../../../tests/support/ad.js';
import type { AdConnectionOptions } from './connection.js';
import type { AdError } from './errors.js';
import { type ChangeSignal, type ChangeWatcher, watchChanges } from './notifications.js';
import { startRelay } from './testing/relay.js';

const env = adFromEnv();
const connection: AdConnectionOptions = {
  url: env.ldapsUrl,
  bindDn: env.adminUpn,
  password: env.adminPassword,
  tls: { caFile: env.caFile },
};
// Samba checks for notifications on a timer (a few seconds), and the machine is shared: be generous.
const WAIT_MS = 30_000;
// Other test files change the shared DC all the time, which the USN watch reports as `unnotified`:
// off where a test expects the signal of its own notification.
const NO_USN = { usnPollMs: 0 };

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

describe('change notification', () => {
  let ou: string;
  let watcher: ChangeWatcher | undefined;
  const errors: AdError[] = [];

  before(async () => {
    ou = await createOu('notify');
  });
  after(() => watcher?.close());

  test('a change under the watched OU raises a signal within a bounded wait', async () => {
    watcher = watchChanges({
      ...NO_USN,
      connection,
      bases: [ou],
      debounceMs: 200,
      onError: (e) => errors.push(e),
    });
    await within(watcher.started, WAIT_MS, 'start');
    const next = watcher.next();
    await createUser({ ou, sam: 'ntf' });
    const signal = await within(next, WAIT_MS, 'notification');
    assert.equal(signal?.reason, 'change');
    assert.ok((signal?.notifications ?? 0) >= 1);
  });

  test('a burst of changes coalesces; nothing is lost while nobody listens', async () => {
    assert.ok(watcher);
    // Several writes while no one waits: they must still be reported once someone asks.
    await createUser({ ou, sam: 'ntf' });
    await createUser({ ou, sam: 'ntf' });
    const seen: ChangeSignal[] = [];
    const deadline = Date.now() + WAIT_MS;
    let total = 0;
    while (total < 2 && Date.now() < deadline) {
      const s = await within(watcher.next(), WAIT_MS, 'coalesced notification');
      if (s) seen.push(s);
      total = seen.reduce((n, x) => n + x.notifications, 0);
    }
    assert.ok(total >= 2, `saw ${total} notifications in ${seen.length} signals`);
  });

  test('after the line to the DC drops, it reconnects and says a change may have been missed', async () => {
    const relay = await startRelay(env.ldapsUrl, env.ip);
    const w = watchChanges({
      ...NO_USN,
      connection: { ...connection, url: relay.url },
      bases: [ou],
      debounceMs: 200,
      reconnectMinMs: 100,
      reconnectMaxMs: 500,
      onError: (e) => errors.push(e),
    });
    try {
      await within(w.started, WAIT_MS, 'start');
      await relay.cut();
      await createUser({ ou, sam: 'ntf' }); // happens while the watcher is disconnected
      await relay.resume();
      const signal = await within(w.next(), WAIT_MS, 'signal after reconnect');
      assert.equal(signal?.reason, 'reconnected');
      assert.ok(errors.some((e) => e.code === 'ad.connection_lost' || e.code === 'ad.unreachable'));
      // And it is watching again.
      const next = w.next();
      await createUser({ ou, sam: 'ntf' });
      assert.equal((await within(next, WAIT_MS, 'notification after reconnect'))?.reason, 'change');
    } finally {
      w.close();
      await relay.close();
    }
  });

  test('one-level mode (as Windows AD requires) watches every container, over several connections', async () => {
    const nested = await createOu('nested', ou);
    const w = watchChanges({
      ...NO_USN,
      connection,
      bases: [ou],
      scope: 'one',
      searchesPerConnection: 1,
      debounceMs: 200,
      onError: (e) => errors.push(e),
    });
    try {
      await within(w.started, WAIT_MS, 'start');
      assert.ok(w.watchedSearches >= 2, `watching ${w.watchedSearches} containers`);
      const next = w.next();
      await createUser({ ou: nested, sam: 'ntf' });
      assert.equal((await within(next, WAIT_MS, 'notification from a nested OU'))?.reason, 'change');
    } finally {
      w.close();
    }
  });

  test('a delete raises no notification; the USN watch signals it as unnotified', async () => {
    const gone = await createUser({ ou, sam: 'ntfdel' });
    const w = watchChanges({
      connection,
      bases: [ou],
      debounceMs: 200,
      usnPollMs: 500,
      onError: (e) => errors.push(e),
    });
    try {
      await within(w.started, WAIT_MS, 'start');
      const seen: ChangeSignal[] = [];
      w.onChange((s) => seen.push(s));
      await deleteEntry(gone.dn);
      const deadline = Date.now() + WAIT_MS;
      while (!seen.some((s) => s.reason === 'unnotified') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(
        seen.some((s) => s.reason === 'unnotified'),
        `signals: ${JSON.stringify(seen)}`,
      );
      assert.equal(
        seen.reduce((n, s) => n + s.notifications, 0),
        0,
        'the DC notified nothing of the delete',
      );
    } finally {
      w.close();
    }
  });

  test('a refused bind is reported and retried, not thrown', async () => {
    const bad = watchChanges({
      ...NO_USN,
      connection: { ...connection, password: 'wrong-password' },
      bases: [ou],
      reconnectMinMs: 50,
      reconnectMaxMs: 100,
      onError: (e) => errors.push(e),
    });
    try {
      const deadline = Date.now() + WAIT_MS;
      while (!errors.some((e) => e.code === 'ad.bind_refused') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(errors.filter((e) => e.code === 'ad.bind_refused').length >= 1);
    } finally {
      bad.close();
    }
    assert.equal(await bad.next(), undefined);
  });
});
