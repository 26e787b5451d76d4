// `cloudsync lab` (`npm run lab`): runs the lab's steps, prints where everything is and the
// credentials of this run, and keeps it all running until Ctrl-C; `--down` removes a stopped lab.
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChecklistOutput } from './checklist.js';
import { type LabContext, labPaths } from './lab-context.js';
import { LabFailed, runLab } from './run-lab.js';
import { isAlive } from './samba/process.js';
import { labSummary } from './summary.js';

export interface LabFlags {
  dir: string;
  ip: string;
  tenant: string;
  down?: boolean;
}

function terminal(): ChecklistOutput {
  return { write: (text) => process.stdout.write(text), interactive: process.stdout.isTTY === true };
}

/** The pid of the lab's DC when it runs (another `npm run lab` holds the folder). */
function runningDcPid(dir: string): number | undefined {
  const pidFile = join(labPaths(dir).dc, 'run', 'samba.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
  return pid > 0 && isAlive(pid) ? pid : undefined;
}

/** `npm run lab -- --down`: removes the lab's folder (its DC, cloud data, agent state and logs). */
async function down(dir: string): Promise<number> {
  const paths = labPaths(dir);
  const pid = runningDcPid(dir);
  if (pid !== undefined) {
    process.stderr.write(
      `✗ the lab in ${paths.root} is running (DC pid ${pid}): stop it with Ctrl-C first\n`,
    );
    return 1;
  }
  if (!existsSync(paths.root)) {
    process.stdout.write(`nothing to remove: ${paths.root} does not exist\n`);
    return 0;
  }
  await rm(paths.root, { recursive: true, force: true });
  process.stdout.write(`✓ removed ${paths.root}\n`);
  return 0;
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

function failureHint(context: LabContext): string {
  return `\nWhat the lab built stays in ${context.paths.root} (logs in ${context.paths.logs}, DC logs in ${context.paths.dc}/log).\nRun \`npm run lab\` again to retry (it reuses what exists), or \`npm run lab -- --down\` to start afresh.\n`;
}

/** Runs the lab in the foreground; returns the exit code. */
export async function runLabCommand(flags: LabFlags): Promise<number> {
  if (flags.down) return down(flags.dir);
  const out = terminal();
  const interrupted = new AbortController();
  // First Ctrl-C: stop after the current step, cleanly. Second: leave at once; the DC exits when its
  // stdin closes and the cloud and the agent get SIGTERM when the lab dies (pdeathsig).
  const onEarlySignal = () => {
    if (interrupted.signal.aborted) process.exit(130);
    interrupted.abort();
    out.write('\nstopping after this step (Ctrl-C again to leave at once)\n');
  };
  process.on('SIGINT', onEarlySignal);
  process.on('SIGTERM', onEarlySignal);
  out.write(`cloudsync lab in ${labPaths(flags.dir).root}\n\n`);
  let lab: Awaited<ReturnType<typeof runLab>>;
  try {
    lab = await runLab(
      { dir: flags.dir, ip: flags.ip, tenant: flags.tenant },
      out,
      undefined,
      interrupted.signal,
    );
  } catch (err) {
    if (!(err instanceof LabFailed)) throw err;
    out.write(failureHint(err.context));
    return 1;
  } finally {
    process.off('SIGINT', onEarlySignal);
    process.off('SIGTERM', onEarlySignal);
  }
  out.write(`\n${labSummary(lab.context)}\nEverything runs until Ctrl-C.\n`);
  const signal = await waitForSignal();
  out.write(`\n${signal}: stopping the agent, the cloud and the DC…\n`);
  await lab.stop();
  out.write('✓ stopped (run `npm run lab` again to resume, `npm run lab -- --down` to remove it)\n');
  return 0;
}
