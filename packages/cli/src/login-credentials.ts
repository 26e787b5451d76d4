import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { LoginError, refreshSignIn } from './login-client.js';

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
    const missing = err instanceof Error && 'code' in err && err.code === 'ENOENT';
    if (!missing && !(err instanceof SyntaxError)) throw err;
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

/** Tokens are renewed this long before they expire, so a command never starts with a dying one. */
const RENEW_BEFORE_MS = 60_000;

/**
 * The access token later commands send to the cloud: the stored one while it is valid, else a new
 * one from the refresh token (saved back), else a `LoginError` that says to run `cloudsync login`.
 * @example
 *   const token = await storedAccessToken({ cloudUrl });
 *   await fetch(`${cloudUrl}/v1.0/users`, { headers: { authorization: `Bearer ${token}` } });
 */
export async function storedAccessToken(
  options: { cloudUrl?: string; home?: string; now?: Date } = {},
): Promise<string> {
  const saved = await readCredentials(options.cloudUrl, options.home);
  if (!saved) throw new LoginError('not signed in: run `cloudsync login --cloud <url>` first');
  const now = (options.now ?? new Date()).getTime();
  if (Date.parse(saved.expiresAt) - RENEW_BEFORE_MS > now) return saved.accessToken;
  if (!saved.refreshToken)
    throw new LoginError(`your token for ${saved.cloudUrl} has expired: run \`cloudsync login\` again`);
  const next = await refreshSignIn({ cloudUrl: saved.cloudUrl, refreshToken: saved.refreshToken });
  await saveCredentials(
    {
      ...saved,
      accessToken: next.accessToken,
      expiresAt: next.expiresAt.toISOString(),
      ...(next.refreshToken ? { refreshToken: next.refreshToken } : {}),
    },
    options.home,
  );
  return next.accessToken;
}
