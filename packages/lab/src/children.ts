// The lab's long-running children (`cloudsync cloud serve`, `cloudsync agent run`): started with
// their output in a log file, each leading its own process group (a Ctrl-C reaches the lab alone,
// which then stops them in order), dying with the lab should it be killed outright (pdeathsig), and
// stopped by pid.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exited, stopPid, tail } from './samba/process.js';

/** The repository's root folder. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The repository's `cloudsync` entry point. */
export const CLOUDSYNC_BIN = join(REPO_ROOT, 'bin', 'cloudsync.mjs');

/** A started child. */
export interface LabChild {
  name: string;
  pid: number;
  logFile: string;
  /** Undefined while it runs; a note with its exit status and log tail once it has exited. */
  exitNote(): string | undefined;
  stop(): Promise<void>;
}

/**
 * Starts `cloudsync <args>` with its output appended to `logFile`.
 * @example const cloud = await startCloudsync('cloud', ['cloud', 'serve'], { logFile, env });
 */
export async function startCloudsync(
  name: string,
  args: string[],
  opts: { logFile: string; env?: NodeJS.ProcessEnv },
): Promise<LabChild> {
  await mkdir(dirname(opts.logFile), { recursive: true });
  const out = openSync(opts.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn('setpriv', ['--pdeathsig=SIGTERM', '--', process.execPath, CLOUDSYNC_BIN, ...args], {
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...process.env, ...opts.env },
    });
  } finally {
    closeSync(out);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start cloudsync ${args.join(' ')}`);
  let note: string | undefined;
  child.once('exit', (code, signal) => {
    note = `${name} exited (${code ?? signal}); log ${opts.logFile}:\n${tail(readLog(opts.logFile), 15)}`;
  });
  return {
    name,
    pid,
    logFile: opts.logFile,
    exitNote: () => note,
    async stop() {
      await stopPid(pid, { signal: 'SIGTERM', graceMs: 10_000, group: true });
      await exited(child);
    },
  };
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Runs `node <args>` to completion in the repository with `input` on its stdin (secrets travel there,
 * never in argv); resolves with its output, rejects with the output's tail.
 */
export function runNode(
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${args.slice(0, 3).join(' ')} exited ${code}:\n${tail(output, 20)}`));
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs `cloudsync <args>` to completion (see `runNode`). */
export function runCloudsync(
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return runNode([CLOUDSYNC_BIN, ...args], opts);
}
