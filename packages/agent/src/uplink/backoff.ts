// Exponential backoff with full jitter, and a sleep that an AbortSignal cuts short.

export interface BackoffOptions {
  /** First delay (default 500 ms). */
  initialMs?: number;
  /** Longest delay (default 60 s). */
  maxMs?: number;
  /** Random source in [0, 1), for tests. */
  random?: () => number;
}

/** Delay before retry number `attempt` (0-based): uniform in [base/2, base], base = initial·2^attempt ≤ max. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? 500;
  const max = options.maxMs ?? 60_000;
  const base = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  const r = (options.random ?? Math.random)();
  return Math.round(base / 2 + (base / 2) * r);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
