// The agent's state directory: where its identity, keys, service-account password and cursors live.
import { chmod, mkdir, open, rename } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `/var/lib/cloudsync-agent` when running as root, else `~/.cloudsync-agent`. */
export function defaultStateDir(): string {
  return process.getuid?.() === 0 ? '/var/lib/cloudsync-agent' : join(homedir(), '.cloudsync-agent');
}

/** Creates the state directory (mode 0700) if it is missing. */
export async function ensureStateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

/**
 * Writes `text` to `path` through a temporary file renamed into place, so a crash leaves either the
 * old or the new file, never half of one. `mode` applies from the first byte.
 */
export async function writeFileAtomic(path: string, text: string, mode = 0o600): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w', mode);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await chmod(tmp, mode);
  await rename(tmp, path);
}
