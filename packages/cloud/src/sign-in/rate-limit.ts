import type { Clock } from '../directory/clock.js';

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one attempt for `key`; refused once `limit` attempts fell in the current window. */
  take(key: string): RateDecision;
}

/**
 * A fixed-window counter per key, in memory (per process: a second cloud process counts on its own).
 * Windows that ended are dropped once the table grows past `maxKeys`.
 * @example
 *   const perAddress = createRateLimiter({ limit: 60, windowMs: 60_000, clock });
 *   const d = perAddress.take(request.ip);
 *   if (!d.ok) reply.code(429).header('retry-after', d.retryAfterSeconds);
 */
export function createRateLimiter(options: {
  limit: number;
  windowMs: number;
  clock: Clock;
  maxKeys?: number;
}): RateLimiter {
  const { limit, windowMs, clock } = options;
  const maxKeys = options.maxKeys ?? 100_000;
  const windows = new Map<string, { start: number; count: number }>();
  const prune = (now: number) => {
    for (const [key, w] of windows) if (now - w.start >= windowMs) windows.delete(key);
  };
  return {
    take(key) {
      const now = clock.now().getTime();
      let w = windows.get(key);
      if (!w || now - w.start >= windowMs) {
        if (windows.size >= maxKeys) prune(now);
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      if (w.count <= limit) return { ok: true };
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)) };
    },
  };
}
