// The service account's password: generated at random, stored only in a 0600 file on the agent host.
import { randomBytes, randomInt } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
// No quote or backslash: the password travels inside `"..."` in unicodePwd and in JSON.
const SYMBOLS = '!#$%&()*+,-./:;<=>?@[]^_{|}~';
const ALL = LOWER + UPPER + DIGITS + SYMBOLS;

/**
 * A random password of `length` characters (default 64) with every character class AD's complexity
 * policy counts, from the OS's CSPRNG.
 */
export function generatePassword(length = 64): string {
  if (length < 8) throw new RangeError('a service account password needs at least 8 characters');
  const pick = (set: string) => set[randomInt(set.length)] ?? '';
  const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < length) chars.push(pick(ALL));
  // Fisher–Yates, so the guaranteed classes are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
  }
  return chars.join('');
}

/** A password as AD's unicodePwd attribute takes it: in double quotes, UTF-16LE. */
export function unicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

/** What the agent keeps about its service account. */
export interface StoredCredentials {
  /** `name@realm`, used to bind. */
  upn: string;
  dn: string;
  sid: string;
  password: string;
  /**
   * A password the agent is changing to: written before it asks AD for the change and dropped once
   * AD answered, so a crash in between leaves both here for the next bind to try (`session.ts`).
   */
  pendingPassword?: string;
  /** When the pending change began (ISO 8601). */
  pendingSince?: string;
}

/** File name of the credentials under the agent's state directory. */
export const CREDENTIALS_FILE = 'ad-service-account.json';

/** Writes the credentials to `<stateDir>/ad-service-account.json`, mode 0600 from the first byte. */
export async function storeCredentials(stateDir: string, creds: StoredCredentials): Promise<string> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const path = join(stateDir, CREDENTIALS_FILE);
  // A name of its own per write: two writers never share (and truncate) one temporary file.
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(`${JSON.stringify(creds, null, 2)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await chmod(tmp, 0o600); // in case the file pre-existed with wider rights
  await rename(tmp, path);
  return path;
}

/** Shape of the credentials file. */
const credentialsSchema = z.object({
  upn: z.string(),
  dn: z.string(),
  sid: z.string(),
  password: z.string().min(1),
  pendingPassword: z.string().min(1).optional(),
  pendingSince: z.string().optional(),
});

/** Reads the stored credentials, or undefined when there are none. */
export async function readCredentials(stateDir: string): Promise<StoredCredentials | undefined> {
  let text: string;
  try {
    text = await readFile(join(stateDir, CREDENTIALS_FILE), 'utf8');
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return undefined;
    throw err;
  }
  return credentialsSchema.parse(JSON.parse(text));
}

/** Deletes the stored credentials (uninstall). */
export async function forgetCredentials(stateDir: string): Promise<void> {
  await rm(join(stateDir, CREDENTIALS_FILE), { force: true });
}
