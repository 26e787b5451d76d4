// What change notification cannot report: a delete (and a move to where the account cannot read).
// The DC sends no notification for an object that became a tombstone, to an account that cannot
// read tombstones — the least-privileged service account — and, without the show-deleted control,
// not even to Administrator (observed on Samba 4.17, see docs/ad-source.md). What everyone can see
// is the rootDSE's highestCommittedUSN moving. This polls it and reports a move that no
// notification explained within one more poll (Samba notifies 5–6 s after a write).
import { type AdConnection, type AdConnectionOptions, connectAd } from './connection.js';
import { highestCommittedUsn } from './discovery.js';

/** What the USN watch remembers between two polls. */
export interface UsnWatchState {
  /** highestCommittedUSN explained so far (by a notification, or reported). */
  usn?: bigint;
  /** The last poll saw the USN move with no notification; the next one decides. */
  unexplained: boolean;
}

/**
 * One poll: the next state, and whether to report "changed, but nothing was notified". A move is
 * reported at the second poll that finds it unexplained, so a notification on its way has one poll
 * interval to arrive; any notification since the last poll explains every move up to now.
 */
export function nextUsnWatch(
  prev: UsnWatchState,
  usn: bigint,
  notified: boolean,
): { state: UsnWatchState; report: boolean } {
  if (prev.usn === undefined || usn <= prev.usn || notified) {
    return { state: { usn, unexplained: false }, report: false };
  }
  if (!prev.unexplained) return { state: { usn: prev.usn, unexplained: true }, report: false };
  return { state: { usn, unexplained: false }, report: true };
}

/** Settings of {@link UsnWatch}. */
export interface UsnWatchOptions {
  connection: AdConnectionOptions;
  /** Time between two reads of highestCommittedUSN (the watch reports at most every two). */
  pollMs: number;
  /** Called with a move no notification explained. */
  onUnnotified: () => void;
  /** Told when a read fails (once until one succeeds again); the watch keeps polling. */
  onError: (err: unknown) => void;
}

/**
 * Polls highestCommittedUSN on one kept connection; `notified()` marks that a notification came.
 * @example
 *   const usn = new UsnWatch({ connection, pollMs: 10_000, onUnnotified: runDelta, onError: warn });
 *   persistentSearch.on('entry', () => usn.notified());
 *   // ...
 *   await usn.close();
 */
export class UsnWatch {
  private state: UsnWatchState = { unexplained: false };
  private sawNotification = false;
  private ad: AdConnection | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  private closed = false;

  constructor(private readonly options: UsnWatchOptions) {
    this.schedule(0);
  }

  /** A notification arrived: moves up to the next poll are explained. */
  notified(): void {
    this.sawNotification = true;
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.poll(), ms);
  }

  private async poll(): Promise<void> {
    try {
      if (!this.ad) {
        const ad = await connectAd(this.options.connection);
        if (this.closed) return void (await ad.close().catch(() => undefined));
        this.ad = ad;
      }
      const usn = BigInt(await highestCommittedUsn(this.ad));
      const notified = this.sawNotification;
      this.sawNotification = false;
      const { state, report } = nextUsnWatch(this.state, usn, notified);
      this.state = state;
      this.failing = false;
      if (report && !this.closed) this.options.onUnnotified();
    } catch (err) {
      const ad = this.ad;
      this.ad = undefined;
      await ad?.close().catch(() => undefined);
      if (!this.failing && !this.closed) this.options.onError(err);
      this.failing = true;
    }
    this.schedule(this.options.pollMs);
  }

  /** Stops polling and closes the connection. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const ad = this.ad;
    this.ad = undefined;
    await ad?.close().catch(() => undefined);
  }
}
