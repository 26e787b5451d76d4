// A throw-away PostgreSQL: its own data folder and port on 127.0.0.1, running as the `postgres`
// system user when started by root (PostgreSQL refuses to run as root), stopped by pid.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { exited, freePort, runCommand, stopPid, tail, waitUntil } from './process.js';

/** A started PostgreSQL. */
export interface RunningPostgres {
  /** Superuser URL to the `postgres` database. */
  url: string;
  port: number;
  pid: number;
  dir: string;
  stop(): Promise<void>;
}

/** The bin folder of PostgreSQL 15, or of the newest version installed when 15 is not. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(join(root, '15', 'bin', 'postgres'))) return join(root, '15', 'bin');
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  return join(root, versions[0], 'bin');
}

function systemUser(name: string): { uid: number; gid: number } {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid && gid) return { uid: Number(uid), gid: Number(gid) };
  }
  throw new Error(`no system user ${name} (it comes with the postgresql package)`);
}

/**
 * How to run a PostgreSQL binary: as root, through `setpriv` as the postgres user, with a parent-death
 * signal so that the server shuts down (SIGQUIT = immediate shutdown) even when this process is killed.
 */
function asOwner(bin: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [bin, args];
  return [
    'setpriv',
    ['--reuid=postgres', '--regid=postgres', '--init-groups', '--pdeathsig=SIGQUIT', '--', bin, ...args],
  ];
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ one: number }>('select 1 as one');
    return rows[0]?.one === 1;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Initialises a data folder under `dir` and starts PostgreSQL on 127.0.0.1 (a free port unless one is
 * given), with password (SCRAM) authentication for a random superuser password.
 * @example const pg = await startPostgres({ dir: '/tmp/x/pg' }); ... await pg.stop();
 */
export async function startPostgres(opts: { dir: string; port?: number }): Promise<RunningPostgres> {
  const bin = postgresBinDir();
  const dir = resolve(opts.dir);
  const data = join(dir, 'data');
  const sockets = join(dir, 'sockets');
  mkdirSync(sockets, { recursive: true });
  if (process.getuid?.() === 0) {
    const owner = systemUser('postgres');
    chownSync(dir, owner.uid, owner.gid);
    chownSync(sockets, owner.uid, owner.gid);
  }
  const password = randomBytes(18).toString('base64url');
  const pwFile = join(dir, 'pwfile');
  await writeFile(pwFile, `${password}\n`, { mode: 0o600 });
  if (process.getuid?.() === 0) {
    const owner = systemUser('postgres');
    chownSync(pwFile, owner.uid, owner.gid);
  }
  try {
    const [cmd, args] = asOwner(join(bin, 'initdb'), [
      '--pgdata',
      data,
      '--username=postgres',
      `--pwfile=${pwFile}`,
      '--auth-local=scram-sha-256',
      '--auth-host=scram-sha-256',
      '--encoding=UTF8',
      '--no-locale',
      '--no-sync',
    ]);
    await runCommand(cmd, args);
  } finally {
    await unlink(pwFile).catch(() => undefined);
  }

  const port = opts.port ?? (await freePort());
  const logPath = join(dir, 'postgres.log');
  const out = openSync(logPath, 'a');
  const [cmd, args] = asOwner(join(bin, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    sockets,
    '-c',
    'listen_addresses=127.0.0.1',
    // Throw-away data: durability buys nothing here and costs time.
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
  ]);
  const child = spawn(cmd, args, { stdio: ['ignore', out, out] });
  closeSync(out);
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start postgres');
  let exitNote: string | undefined;
  child.once('exit', (code, signal) => {
    exitNote = `postgres exited (${code ?? signal}); log: ${logPath}\n${tail(readFileSync(logPath, 'utf8'), 20)}`;
  });
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  // setpriv execs postgres, so `pid` is the postmaster itself. SIGQUIT is the immediate shutdown:
  // no shutdown checkpoint, which after a whole suite's databases took tens of seconds, for data
  // that is thrown away anyway.
  const stop = async () => {
    await stopPid(pid, { signal: 'SIGQUIT', graceMs: 15_000 });
    await exited(child);
  };
  try {
    await waitUntil(`PostgreSQL on 127.0.0.1:${port}`, () => answers(url), {
      timeoutMs: 60_000,
      intervalMs: 200,
      abort: () => exitNote,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, pid, dir, stop };
}
