// One DC per loopback address, also across processes: a lock file per address in the temp folder,
// holding the pid of the process that owns the DC (its DC dies with it, so a dead pid means stale).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from './process.js';

/** Thrown when another live process holds the address. */
export class AddressInUseError extends Error {
  override name = 'AddressInUseError';
}

function lockPath(ip: string): string {
  return join(tmpdir(), `cloudsync-dc-${ip}.lock`);
}

function owner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Claims `ip` for this process; returns the function that releases it.
 * @throws AddressInUseError when a live process holds it.
 */
export function claimAddress(ip: string): () => void {
  const path = lockPath(ip);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      return () => {
        if (owner(path) === process.pid) rmSync(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = owner(path);
      if (pid !== undefined && isAlive(pid)) {
        throw new AddressInUseError(`${ip} is taken by the DC of process ${pid} (lock ${path})`);
      }
      rmSync(path, { force: true }); // stale: its owner is gone
    }
  }
  throw new AddressInUseError(`${ip}: could not take the lock ${path}`);
}
