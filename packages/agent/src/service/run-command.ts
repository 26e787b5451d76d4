// The command-line faces of the service: `cloudsync agent run` and `cloudsync agent status`.
import pino from 'pino';
import type { RunFlags } from '../cli.js';
import { defaultStateDir } from '../state/state-dir.js';
import { NotInstalledError } from './agent-runtime.js';
import { runService } from './run-service.js';
import { formatStatus, readStatus } from './status.js';

function seconds(value: string | undefined, fallback: number, allowZero = false): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !allowZero))
    throw new Error(`not a valid number of seconds: ${value}`);
  return n * 1000;
}

/** `cloudsync agent run`: runs until SIGTERM or SIGINT; returns the exit code. */
export async function runAgentCommand(flags: RunFlags): Promise<number> {
  const log = pino({
    level: flags.logLevel ?? 'info',
    // Never log a secret, whatever a caller passes in by mistake.
    redact: {
      paths: ['password', '*.password', 'adConnection', 'credentials', '*.credentials'],
      remove: true,
    },
  });
  const stop = new AbortController();
  const onSignal = (signal: string) => {
    log.info({ signal }, 'stopping');
    stop.abort(new Error(signal));
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  try {
    await runService({
      stateDir: flags.stateDir ?? defaultStateDir(),
      log,
      signal: stop.signal,
      heartbeatMs: seconds(flags.heartbeatSeconds, 30),
      scheduleMs: seconds(flags.scheduleSeconds, 120),
      watch: flags.watch !== false,
      reconcileMinIntervalMs: seconds(flags.reconcileSeconds, 300, true),
      ...(flags.pageSize ? { pageSize: Math.max(1, Math.min(500, Number(flags.pageSize) || 500)) } : {}),
    });
    return 0;
  } catch (err) {
    if (err instanceof NotInstalledError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    log.error({ err }, 'the agent stopped on an error');
    return 1;
  }
}

/** `cloudsync agent status`. */
export async function runStatusCommand(flags: { stateDir?: string; json?: boolean }): Promise<number> {
  const status = await readStatus(flags.stateDir ?? defaultStateDir());
  process.stdout.write(`${flags.json ? JSON.stringify(status, null, 2) : formatStatus(status)}\n`);
  return status.agentId ? 0 : 2;
}
