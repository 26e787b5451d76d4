import { EventEmitter } from 'node:events';

/** Wakes waiters of this process at once (job queued, job done); waiters also time out on their own. */
export interface JobNotifier {
  notify(event: string): void;
  /** Resolves on `event`, after `ms`, on abort, or on close: whichever comes first. */
  pause(event: string, ms: number, signal?: AbortSignal): Promise<void>;
  /** Wakes every waiter, now and later. */
  close(): void;
  readonly closed: boolean;
}

export function createJobNotifier(): JobNotifier {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  let closed = false;
  return {
    notify: (event) => events.emit(event),
    pause(event, ms, signal) {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          events.off(event, done);
          events.off('close', done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, closed ? 0 : Math.max(ms, 0));
        events.once(event, done);
        events.once('close', done);
        signal?.addEventListener('abort', done, { once: true });
      });
    },
    close() {
      closed = true;
      events.emit('close');
    },
    get closed() {
      return closed;
    },
  };
}
