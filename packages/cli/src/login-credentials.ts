import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** What `cloudsync login` keeps for one cloud. */
export interface StoredCredentials {
  cloudUrl: string;
  accessToken: string;
  /** ISO-8601. */
  expiresAt: string;
  refreshToken?: string;
  username?: string;
}

interface CredentialsFile {
  version: 1;
  /** The cloud the last `cloudsync login` signed in to. */
  current?: string;
  clouds: Record<string, StoredCredentials>;
}

/** `~/.cloudsync/credentials.json` (or under `home`). */
export function credentialsPath(home = homedir()): string {
  return join(home, '.cloudsync', 'credentials.json');
}

async function readFileOrEmpty(path: string): Promise<CredentialsFile> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (parsed && typeof parsed === 'object' && 'clouds' in parsed && typeof parsed.clouds === 'object') {
      // Written by saveCredentials below with this shape; anything else is started afresh.
      return parsed as CredentialsFile;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && !(err instanceof SyntaxError)) throw err;
  }
  return { version: 1, clouds: {} };
}

/**
 * Saves the token of one cloud, readable by the user only (directory 0700, file 0600), written to a
 * temporary file and renamed so a crash never leaves half a file. Returns the file's path.
 */
export async function saveCredentials(entry: StoredCredentials, home?: string): Promise<string> {
  const path = credentialsPath(home);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const file = await readFileOrEmpty(path);
  file.clouds[entry.cloudUrl] = entry;
  file.current = entry.cloudUrl;
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600); // the mode above is filtered by the umask; make sure
  await rename(temp, path);
  return path;
}

/** The stored token of `cloudUrl`, or of the cloud signed in to last. */
export async function readCredentials(
  cloudUrl?: string,
  home?: string,
): Promise<StoredCredentials | undefined> {
  const file = await readFileOrEmpty(credentialsPath(home));
  const key = cloudUrl ?? file.current;
  return key ? file.clouds[key] : undefined;
}
