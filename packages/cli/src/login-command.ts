import { homedir } from 'node:os';
import { LoginError, type SignInResult, signInAsAdmin, startDeviceSignIn } from './login-client.js';
import { saveCredentials } from './login-credentials.js';

export interface LoginOptions {
  cloud: string;
  username?: string;
  passwordStdin?: boolean;
}

export interface LoginIo {
  stdin: AsyncIterable<Buffer | string>;
  out: (line: string) => void;
  home: string;
}

/** Reads the password piped to stdin, without its final line break. */
async function readPassword(stdin: AsyncIterable<Buffer | string>): Promise<string> {
  let text = '';
  for await (const chunk of stdin) text += chunk.toString();
  return text.replace(/\r?\n$/, '');
}

function normaliseCloudUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new LoginError(
      `--cloud ${raw} is not a URL: give the cloud's address, e.g. https://cloud.example.com`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new LoginError('--cloud must be an https:// URL');
  return url.href.replace(/\/+$/, '');
}

async function passwordSignIn(cloudUrl: string, username: string, io: LoginIo): Promise<SignInResult> {
  const password = await readPassword(io.stdin);
  if (!password)
    throw new LoginError('no password on stdin: pipe it in, e.g. `printf %s "$PW" | cloudsync login ...`');
  return signInAsAdmin({ cloudUrl, username, password });
}

async function deviceSignIn(cloudUrl: string, io: LoginIo): Promise<SignInResult> {
  const device = await startDeviceSignIn({ cloudUrl });
  io.out(`To sign in, open ${device.verificationUri} in a browser and enter the code ${device.userCode}`);
  if (device.verificationUriComplete) io.out(`(or open ${device.verificationUriComplete})`);
  io.out('Waiting for you to sign in...');
  return device.wait();
}

/**
 * `cloudsync login`: gets an admin API token (device flow, or the password grant with
 * `--username --password-stdin`) and keeps it in `~/.cloudsync/credentials.json`.
 */
export async function runLogin(options: LoginOptions, io: LoginIo): Promise<void> {
  const cloudUrl = normaliseCloudUrl(options.cloud);
  if (options.passwordStdin && !options.username) throw new LoginError('--password-stdin needs --username');
  if (options.username && !options.passwordStdin) {
    throw new LoginError('give the password on stdin with --password-stdin (never on the command line)');
  }
  const result = options.username
    ? await passwordSignIn(cloudUrl, options.username, io)
    : await deviceSignIn(cloudUrl, io);
  const path = await saveCredentials(
    {
      cloudUrl,
      accessToken: result.accessToken,
      expiresAt: result.expiresAt.toISOString(),
      ...(result.refreshToken ? { refreshToken: result.refreshToken } : {}),
      ...(options.username ? { username: options.username } : {}),
    },
    io.home,
  );
  io.out(`Signed in to ${cloudUrl}. Token saved to ${path} (valid until ${result.expiresAt.toISOString()}).`);
}

/** The process's own stdin, stdout and home folder. */
export function processIo(): LoginIo {
  return { stdin: process.stdin, out: (line) => process.stdout.write(`${line}\n`), home: homedir() };
}
