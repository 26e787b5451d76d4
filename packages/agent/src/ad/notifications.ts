// Change notification (LDAP_SERVER_NOTIFICATION_OID, 1.2.840.113556.1.4.528): the DC pushes an entry
// when something under a watched base changes. The watcher turns that into debounced "something
// changed" signals; the caller then runs a DirSync delta. Signals coalesce but are never dropped,
// and after a reconnect one is raised, because changes may have happened while the line was down.
// A delete raises no notification to an account that cannot read tombstones, so a USN watch
// (usn-watch.ts) raises an `unnotified` signal when highestCommittedUSN moved and nothing was notified.
//
// Scope: Windows AD accepts notifications on base or one-level scope only; Samba also accepts
// subtree. The watcher asks for a subtree first and, when the DC refuses it, watches every
// container and OU under the base one level each (Windows allows 5 notification searches per
// connection by default, so it spreads them over several connections).
import { type AdConnectionOptions, connectAd, targetOf } from './connection.js';
import { AdError, toAdError } from './errors.js';
import { PersistentSearchConnection, type WatchedSearch } from './persistent-search.js';
import { UsnWatch } from './usn-watch.js';

/**
 * Why a signal was raised: a notification, a reconnect (changes may have been missed), or the USN
 * moved with no notification (what a delete or a move out of sight looks like).
 */
export type ChangeReason = 'change' | 'reconnected' | 'unnotified';

/** "Something changed; run a delta." */
export interface ChangeSignal {
  reason: ChangeReason;
  /** Notifications (entries) coalesced into this signal. */
  notifications: number;
}

/** Watcher settings. */
export interface ChangeWatcherOptions {
  connection: AdConnectionOptions;
  /** Subtrees to watch (the domain root, or the OUs in scope). */
  bases: readonly string[];
  /** Quiet time before a signal fires, so a burst of writes makes one signal (default 1,000 ms). */
  debounceMs?: number;
  /** First and longest wait between reconnect attempts (default 1 s and 30 s). */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /**
   * `sub` (default): one subtree search a base, falling back to `one` when the DC refuses it.
   * `one`: one-level searches on every container and OU under each base, as Windows AD requires.
   */
  scope?: 'sub' | 'one';
  /** Notification searches per connection (Windows' MaxNotificationPerConn is 5). */
  searchesPerConnection?: number;
  /**
   * How often to read highestCommittedUSN for changes no notification reports (default 10 s; 0
   * turns it off). A delete is then signalled one to two polls after it happened.
   */
  usnPollMs?: number;
  /** Told about connection problems; the watcher keeps retrying regardless. */
  onError?: (error: AdError) => void;
}

const HEALTHY_AFTER_MS = 30_000;
const REFUSED_SCOPE = new Set(['ad.constraint', 'ad.unsupported', 'ad.protocol']);

/** Every container and OU under `base` (and `base` itself), for one-level watching. */
async function containersUnder(options: AdConnectionOptions, base: string): Promise<string[]> {
  const ad = await connectAd(options);
  try {
    const out: string[] = [];
    for await (const page of ad.searchPages(base, {
      scope: 'sub',
      filter: '(|(objectClass=organizationalUnit)(objectClass=container)(objectClass=domainDNS))',
      attributes: ['1.1'],
    })) {
      out.push(...page.map((e) => e.dn));
    }
    return out.includes(base) ? out : [base, ...out];
  } finally {
    await ad.close();
  }
}

/**
 * Watches AD for changes.
 *
 * @example
 * const watcher = watchChanges({ connection, bases: [domainRoot] });
 * for await (const signal of watcher) await runDelta(); // signals that arrive meanwhile coalesce
 */
export class ChangeWatcher implements AsyncIterable<ChangeSignal> {
  private connections: PersistentSearchConnection[] = [];
  private searches: WatchedSearch[];
  private ready: ChangeSignal | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private waiters: ((s: ChangeSignal | undefined) => void)[] = [];
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private expand: boolean;
  private healthy: NodeJS.Timeout | undefined;
  private backoff: number;
  private listeners: ((s: ChangeSignal) => void)[] = [];
  private usn: UsnWatch | undefined;
  /** Resolves once every search was sent on a bound connection (the first time). */
  readonly started: Promise<void>;
  private markStarted: () => void = () => undefined;

  constructor(private readonly options: ChangeWatcherOptions) {
    this.searches = options.bases.map((base) => ({ base, scope: 'sub' }));
    this.expand = options.scope === 'one';
    this.backoff = options.reconnectMinMs ?? 1000;
    this.started = new Promise((resolve) => {
      this.markStarted = resolve;
    });
    void this.connect(false);
    const pollMs = options.usnPollMs ?? 10_000;
    if (pollMs > 0) {
      this.usn = new UsnWatch({
        connection: options.connection,
        pollMs,
        onUnnotified: () => this.notify('unnotified', 0),
        onError: (err) => this.options.onError?.(this.asAdError(err)),
      });
    }
  }

  /** Calls `listener` with every signal (in addition to the async iterator). */
  onChange(listener: (s: ChangeSignal) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  private async connect(isReconnect: boolean): Promise<void> {
    if (this.closed) return;
    const per = this.options.searchesPerConnection ?? 5;
    const opened: PersistentSearchConnection[] = [];
    try {
      if (this.expand) {
        this.searches = await this.oneLevelSearches(this.options.bases);
        this.expand = false;
      }
      for (let i = 0; i < this.searches.length; i += per) {
        const chunk = this.searches.slice(i, i + per);
        const conn = await PersistentSearchConnection.open(this.options.connection, chunk);
        opened.push(conn);
        conn.on('entry', () => {
          this.usn?.notified();
          this.notify('change', 1);
        });
        conn.on('refused', (index, err) => void this.onRefused(chunk[index], err));
        conn.on('closed', (err) => this.onClosed(conn, err));
      }
    } catch (err) {
      for (const c of opened) {
        c.removeAllListeners();
        c.close();
      }
      this.options.onError?.(this.asAdError(err));
      this.scheduleReconnect();
      return;
    }
    if (this.closed) {
      for (const c of opened) c.close();
      return;
    }
    this.connections = opened;
    // The backoff resets only once the connections have held for a while, so a DC that accepts
    // and then drops or refuses at once is not retried in a tight loop.
    clearTimeout(this.healthy);
    this.healthy = setTimeout(() => {
      this.backoff = this.options.reconnectMinMs ?? 1000;
    }, HEALTHY_AFTER_MS);
    this.markStarted();
    if (isReconnect) this.notify('reconnected', 0);
  }

  private async onRefused(search: WatchedSearch | undefined, err: AdError): Promise<void> {
    if (!search || this.closed) return;
    if (search.scope !== 'sub' || !REFUSED_SCOPE.has(err.code)) {
      // Not a scope problem (rights, DC shutting down): report, and try again after the backoff.
      this.options.onError?.(err);
      this.restart();
      return;
    }
    // The DC does not do subtree notifications (Windows): watch each container one level.
    try {
      this.searches = [
        ...this.searches.filter((s) => s !== search),
        ...(await this.oneLevelSearches([search.base])),
      ];
      this.restart();
    } catch (e) {
      this.options.onError?.(this.asAdError(e));
      this.restart();
    }
  }

  private async oneLevelSearches(bases: readonly string[]): Promise<WatchedSearch[]> {
    const out: WatchedSearch[] = [];
    for (const base of bases) {
      for (const dn of await containersUnder(this.options.connection, base))
        out.push({ base: dn, scope: 'one' });
    }
    return out;
  }

  /** How many notification searches are open (after a fallback to one-level, one per container). */
  get watchedSearches(): number {
    return this.searches.length;
  }

  private asAdError(err: unknown): AdError {
    return err instanceof AdError
      ? err
      : toAdError(err, targetOf(this.options.connection.url), 'change notification');
  }

  private onClosed(conn: PersistentSearchConnection, err: AdError | undefined): void {
    if (this.closed || !this.connections.includes(conn)) return;
    if (err) this.options.onError?.(err);
    this.restart();
  }

  /** Drops every connection and connects again after the backoff. */
  private restart(): void {
    clearTimeout(this.healthy);
    const old = this.connections;
    this.connections = [];
    for (const c of old) {
      c.removeAllListeners();
      c.close();
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    const wait = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.options.reconnectMaxMs ?? 30_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect(true);
    }, wait);
  }

  private notify(reason: ChangeReason, count: number): void {
    if (this.closed) return;
    const prev = this.ready;
    this.ready = {
      reason: outranking(prev?.reason, reason),
      notifications: (prev?.notifications ?? 0) + count,
    };
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.flush(), this.options.debounceMs ?? 1000);
  }

  private flush(): void {
    this.debounce = undefined;
    const signal = this.ready;
    if (!signal) return;
    for (const l of this.listeners) l(signal);
    const waiter = this.waiters.shift();
    if (waiter) {
      this.ready = undefined;
      waiter(signal);
    } else if (this.listeners.length > 0) {
      this.ready = undefined;
    }
    // Otherwise it stays ready (coalescing with later ones) until someone asks.
  }

  /** The next signal; undefined after `close()`. */
  next(): Promise<ChangeSignal | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    if (this.ready && !this.debounce) {
      const s = this.ready;
      this.ready = undefined;
      return Promise.resolve(s);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ChangeSignal> {
    for (;;) {
      const s = await this.next();
      if (!s) return;
      yield s;
    }
  }

  /** Stops watching; pending `next()` calls resolve with undefined. */
  close(): void {
    this.closed = true;
    clearTimeout(this.debounce);
    clearTimeout(this.healthy);
    clearTimeout(this.retryTimer);
    void this.usn?.close();
    for (const c of this.connections) {
      c.removeAllListeners();
      c.close();
    }
    this.connections = [];
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}

/**
 * The reason of coalesced signals: a reconnect outranks the others (the caller learns the line was
 * down), and an unnotified move outranks a plain change (something happened no notification showed).
 */
function outranking(prev: ChangeReason | undefined, next: ChangeReason): ChangeReason {
  const rank: Record<ChangeReason, number> = { change: 0, unnotified: 1, reconnected: 2 };
  return prev !== undefined && rank[prev] > rank[next] ? prev : next;
}

/** Starts a `ChangeWatcher`. */
export function watchChanges(options: ChangeWatcherOptions): ChangeWatcher {
  return new ChangeWatcher(options);
}
