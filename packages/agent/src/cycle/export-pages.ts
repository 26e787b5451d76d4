// The export step: changes go to the cloud in pages of at most 500, in sequence. Each page is written
// to the outbox before it is sent and stays there until the cycle commits, so a page is never
// dropped: the uplink retries it for as long as the cloud is away, and the end marker's
// `missingSequences` are re-sent from the outbox.
// One page is in flight while the next one fills: the import and the plan go on while the cloud
// applies a page, and a page is sent only once the one before it was acknowledged (the cloud takes
// them in sequence).
import {
  type Change,
  type ChangeSetPage,
  type CycleKind,
  errorBody,
  LIMITS,
  type PageAcknowledgement,
} from '@cloudsync/protocol';
import type { LocalStore } from '../state/local-store.js';
import { UplinkError } from '../uplink/errors.js';
import type { Uplink } from '../uplink/uplink.js';
import { CycleStopped } from './errors.js';

export interface PageSenderOptions {
  uplink: Uplink;
  store: LocalStore;
  configurationId: string;
  configurationVersion: number;
  cycleId: string;
  kind: CycleKind;
  /** Changes per page (default and maximum: the protocol's 500). */
  pageSize?: number;
  /** Called after each acknowledged page (heartbeat progress, logs). */
  onPage?: (ack: PageAcknowledgement) => void;
}

/** Buffers changes and sends full pages; `flush()` sends the rest and waits for every acknowledgement. */
export interface PageSender {
  /** Resolves once the change is buffered; a full page is sent after the previous one's acknowledgement. */
  add(change: Change): Promise<void>;
  flush(): Promise<void>;
  /** The last sequence sent (the end marker's `pages`). */
  readonly pages: number;
  /** Every page sent, by sequence (for re-sending what the cloud reports missing). */
  resend(sequences: readonly number[]): Promise<void>;
  /** Per-change results of conflicts and errors the cloud reported, for the log. */
  readonly problems: PageAcknowledgement['results'];
}

const STOPPING_STATES = new Set(['quarantined', 'rejected']);

/** Starts a page sender for one cycle. */
export function createPageSender(options: PageSenderOptions): PageSender {
  const size = Math.min(options.pageSize ?? LIMITS.changesPerPage, LIMITS.changesPerPage);
  let buffer: Change[] = [];
  let sequence = 0;
  /** The page sent and not yet acknowledged; its failure surfaces at the next `add` or `flush`. */
  let inFlight: Promise<void> | undefined;
  const problems: PageAcknowledgement['results'] = [];

  async function send(page: ChangeSetPage): Promise<void> {
    let ack: PageAcknowledgement;
    try {
      ack = await options.uplink.sendPage(page);
    } catch (err) {
      if (err instanceof UplinkError && !err.retryable) throw new CycleStopped(err.body, 'stopped');
      if (err instanceof UplinkError && err.code === 'CONFIG_VERSION_STALE')
        throw new CycleStopped(err.body, 'stale');
      throw err;
    }
    for (const r of ack.results) if (r.result === 'conflict' || r.result === 'error') problems.push(r);
    if (STOPPING_STATES.has(ack.cycleState)) {
      throw new CycleStopped(
        errorBody(ack.cycleState === 'quarantined' ? 'CONFIG_QUARANTINED' : 'INTERNAL', {
          message: `the cloud answered the page with cycle state ${ack.cycleState}`,
        }),
        ack.cycleState,
      );
    }
    options.onPage?.(ack);
  }

  async function sendBuffered(): Promise<void> {
    sequence += 1;
    const page: ChangeSetPage = {
      configurationId: options.configurationId,
      configurationVersion: options.configurationVersion,
      cycleId: options.cycleId,
      kind: options.kind,
      sequence,
      changes: buffer,
    };
    buffer = [];
    await inFlight;
    options.store.putPage(page);
    const sending = send(page);
    // Awaited by the next page or by flush(); until then a failure must not count as unhandled.
    sending.catch(() => undefined);
    inFlight = sending;
  }

  return {
    async add(change) {
      buffer.push(change);
      if (buffer.length >= size) await sendBuffered();
    },
    async flush() {
      if (buffer.length > 0) await sendBuffered();
      await inFlight;
    },
    get pages() {
      return sequence;
    },
    async resend(sequences) {
      await inFlight;
      const wanted = new Set(sequences);
      for (const page of options.store.pendingPages()) {
        if (page.cycleId === options.cycleId && wanted.has(page.sequence)) await send(page);
      }
    },
    problems,
  };
}
