// The agent service (`cloudsync agent run`) as a child process for the sync benchmarks, with the
// cycles it logged ("cycle done" lines of its pino output).
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { poll } from '../fixtures/sync-environment.js';

const bin = new URL('../../bin/cloudsync.mjs', import.meta.url).pathname;

/** A cycle as the agent logs it ("cycle done"). */
export interface LoggedCycle {
  kind: string;
  state: string;
  startedAt: string;
  endedAt: string;
  pages?: number;
  counts?: Record<string, number>;
  error?: { code: string; message: string };
}

/** The agent service as a child process, with the cycles it logged. */
export interface AgentProcess {
  child: ChildProcess;
  pid: number;
  cycles: LoggedCycle[];
  stop(): Promise<void>;
}

/** What else to start the agent with. */
export interface AgentStartOptions {
  /** Flags for node (e.g. `--cpu-prof`). */
  nodeArgs?: readonly string[];
  logLevel?: 'info' | 'debug';
  /** Sees every log line the agent writes, parsed (pino's `time` is epoch milliseconds). */
  onLog?: (entry: { msg?: string; time?: number; [key: string]: unknown }) => void;
}

/**
 * Starts `cloudsync agent run` on `stateDir`.
 * @example const agent = startAgent(env.agent.stateDir); const full = await cycleAfter(agent, 0, 3_600_000);
 */
export function startAgent(stateDir: string, options: AgentStartOptions = {}): AgentProcess {
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      bin,
      'agent',
      'run',
      '--state-dir',
      stateDir,
      '--log-level',
      options.logLevel ?? 'info',
      '--heartbeat-seconds',
      '5',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (child.pid === undefined || !child.stdout) throw new Error('the agent did not start');
  const cycles: LoggedCycle[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    let entry: { msg?: string; cycle?: LoggedCycle; level?: number; time?: number } = {};
    try {
      // pino's JSON lines; their shape is the agent's own.
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return;
    }
    options.onLog?.(entry);
    if (entry.msg?.startsWith('cycle ') && entry.cycle?.endedAt) cycles.push(entry.cycle);
    else if ((entry.level ?? 0) >= 40) console.error(`  agent: ${line.slice(0, 400)}`);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    pid: child.pid,
    cycles,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until the agent has logged more than `after` cycles (bounded). */
export async function cycleAfter(
  agent: AgentProcess,
  after: number,
  timeoutMs: number,
): Promise<LoggedCycle> {
  return poll('an agent cycle', () => agent.cycles[after] ?? undefined, timeoutMs, 100);
}

/** A logged cycle's own duration in seconds. */
export const cycleSeconds = (c: LoggedCycle): number =>
  (Date.parse(c.endedAt) - Date.parse(c.startedAt)) / 1000;

/** CPU seconds (user + system) used so far by a process and its live descendants (Linux /proc). */
export function treeCpuSeconds(pid: number): number {
  const ticks = 100; // USER_HZ: the unit of /proc/<pid>/stat times on Linux
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let text: string;
    try {
      text = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // Fields after the command (which may hold spaces) in parentheses: state ppid … utime(14) stime(15).
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    stats.set(Number(name), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / ticks });
  }
  let total = 0;
  const wanted = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [p, s] of stats) {
      if (!wanted.has(p) && wanted.has(s.ppid)) {
        wanted.add(p);
        grew = true;
      }
    }
  }
  for (const p of wanted) total += stats.get(p)?.cpu ?? 0;
  return total;
}
