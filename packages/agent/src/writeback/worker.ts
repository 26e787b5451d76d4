import type { KeyObject } from 'node:crypto';
import { type WritebackJob, writebackSecretSchema } from '@cloudsync/protocol';
import { compactDecrypt } from 'jose';
import type { Logger } from 'pino';
import type { AdConnection } from '../ad/connection.js';
import { applyWritebackJob } from './apply-job.js';
import type { WritebackChannel } from './channel.js';

export interface WritebackWorkerOptions {
  channel: WritebackChannel;
  /** Opens a bound LDAPS connection as the service account. */
  connectAd: () => Promise<AdConnection>;
  /** The agent's private key: only it opens the sealed passwords. */
  privateKey: KeyObject;
  /** The key on disk now: a repair replaces it while the service runs, and the cloud seals to the new one. */
  reloadKey?: () => Promise<KeyObject | undefined>;
  log: Logger;
  /** Long-poll length (default 25 s). */
  waitSeconds?: number;
  /** Pause after a failed poll (default 5 s). */
  retryMs?: number;
}

/**
 * The agent's writeback loop: long-polls the cloud for jobs, opens each sealed password with the
 * agent's key, applies it to AD and posts AD's answer. Passwords live only in memory for the job.
 * @example
 *   const worker = createWritebackWorker({ channel, connectAd, privateKey, log });
 *   await worker.run(controller.signal);
 */
export function createWritebackWorker(options: WritebackWorkerOptions) {
  const { channel, log } = options;
  let privateKey = options.privateKey;

  /** Opens a sealed secret; a job sealed to a key this process does not hold yet reloads it once. */
  async function open(encrypted: string): Promise<Uint8Array> {
    try {
      return (await compactDecrypt(encrypted, privateKey)).plaintext;
    } catch (err) {
      const stored = await options.reloadKey?.();
      if (!stored || stored.equals(privateKey)) throw err;
      const { plaintext } = await compactDecrypt(encrypted, stored);
      privateKey = stored;
      log.info('the agent key was replaced (repair): writeback uses the new one');
      return plaintext;
    }
  }

  async function handle(job: WritebackJob): Promise<void> {
    if (Date.parse(job.expiresAt) <= Date.now()) {
      log.info({ jobId: job.jobId }, 'writeback job expired before it was applied');
      return;
    }
    const plaintext = await open(job.encrypted);
    const secret = writebackSecretSchema.safeParse(JSON.parse(new TextDecoder().decode(plaintext)));
    if (!secret.success || secret.data.jobId !== job.jobId) {
      await channel.result({ jobId: job.jobId, status: 'failed', code: 'VALIDATION_FAILED' });
      return;
    }
    const ad = await options.connectAd();
    try {
      const result = await applyWritebackJob(ad, job, secret.data);
      log.info(
        { jobId: job.jobId, kind: job.kind, status: result.status, adErrorCode: result.adErrorCode },
        'writeback applied',
      );
      await channel.result(result);
    } finally {
      await ad.close().catch(() => undefined);
    }
  }

  return {
    handle,
    /** Runs until `signal` aborts; one job at a time, in the order the cloud hands them out. */
    async run(signal: AbortSignal): Promise<void> {
      while (!signal.aborted) {
        let jobs: WritebackJob[];
        try {
          jobs = await channel.poll(options.waitSeconds ?? 25, signal);
        } catch (err) {
          if (signal.aborted) return;
          log.warn({ err }, 'writeback poll failed; retrying');
          await new Promise((r) => setTimeout(r, options.retryMs ?? 5000));
          continue;
        }
        for (const job of jobs) {
          await handle(job).catch((err: unknown) =>
            log.error({ err, jobId: job.jobId }, 'writeback job failed'),
          );
        }
      }
    },
  };
}

export type WritebackWorker = ReturnType<typeof createWritebackWorker>;
