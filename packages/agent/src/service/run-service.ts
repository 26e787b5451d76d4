// `cloudsync agent run`: the agent's service loop. Outbound only: heartbeats every 30 s, pulls
// configurations when their version changes, runs a cycle on AD change notifications (debounced) and
// on a schedule (2 minutes) as the safety net, honours run-now requests and provision-on-demand jobs,
// and keeps going through AD or cloud outages (backoff). Aborting the signal (SIGTERM) stops it.
// A pass started by a change signal whose deletion scan was deferred (ad/delta.ts) is followed by one
// more cycle when the scan may run, so a delete reaches the cloud within seconds, not at the schedule.
import type { ErrorBody, HeartbeatResponse, SyncConfiguration } from '@cloudsync/protocol';
import { PROTOCOL_VERSION } from '@cloudsync/protocol';
import type { Logger } from 'pino';
import { quietReconcileDueAt } from '../ad/delta.js';
import { type ChangeWatcher, watchChanges } from '../ad/notifications.js';
import { cycleErrorBody } from '../cycle/errors.js';
import { type CycleProgress, runCycle } from '../cycle/run-cycle.js';
import { sleep } from '../uplink/backoff.js';
import { runWritebackLoop } from '../writeback/service-loop.js';
import { AGENT_VERSION, type AgentRuntime, loadRuntime, type RuntimeOptions } from './agent-runtime.js';
import { provisionOnDemand } from './provision-on-demand.js';

export interface ServiceOptions extends RuntimeOptions {
  /** Heartbeat interval (default 30 s). */
  heartbeatMs?: number;
  /** Cycle schedule, the safety net behind notifications (default 2 minutes). */
  scheduleMs?: number;
  /** Quiet time after a change notification before the cycle starts (default 3 s). */
  notificationDebounceMs?: number;
  /** Watch AD for change notifications (default true). */
  watch?: boolean;
  signal: AbortSignal;
}

/** A wake-up flag the loops share: `set()` wakes `wait()` at once, or it returns after `ms`. */
function createWake() {
  let pending = false;
  let wakeUp: (() => void) | undefined;
  return {
    set() {
      pending = true;
      wakeUp?.();
    },
    async wait(ms: number, signal: AbortSignal): Promise<void> {
      if (pending) {
        pending = false;
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', done, { once: true });
        wakeUp = done;
        function done() {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          wakeUp = undefined;
          resolve();
        }
      });
      pending = false;
    },
  };
}

/** The state the loops share. */
interface ServiceState {
  configurations: Map<string, SyncConfiguration>;
  /** Configurations to restart with a full cycle (run-now). */
  fullRequested: Set<string>;
  current: CycleProgress | undefined;
  lastError: ErrorBody | null;
  needPull: boolean;
  /** A change signal (notification, reconnect, unnotified USN move) came since the last pass began. */
  notified: boolean;
}

/** What the heartbeat and cycle loops share: the runtime, their state, the options, the wake-ups. */
interface Loop {
  rt: AgentRuntime;
  state: ServiceState;
  options: ServiceOptions;
  cycleWake: ReturnType<typeof createWake>;
  heartbeatWake: ReturnType<typeof createWake>;
}

/**
 * Runs the agent until `options.signal` aborts.
 * @example
 *   const stop = new AbortController();
 *   process.once('SIGTERM', () => stop.abort());
 *   await runService({ stateDir, log, signal: stop.signal });
 */
export async function runService(options: ServiceOptions): Promise<void> {
  const rt = await loadRuntime(options);
  const log = options.log;
  const state: ServiceState = {
    configurations: new Map(),
    fullRequested: new Set(),
    current: undefined,
    lastError: null,
    needPull: true,
    notified: false,
  };
  const cycleWake = createWake();
  const heartbeatWake = createWake();
  const loop: Loop = { rt, state, options, cycleWake, heartbeatWake };
  rt.cycleDeps.onProgress = (p) => {
    state.current = p ? { ...p } : undefined;
  };
  abandonUnfinishedCycles(rt, log);
  let watcher: ChangeWatcher | undefined;
  if (options.watch ?? true) {
    watcher = watchChanges({
      connection: rt.adConnection,
      bases: [rt.identity.domain.domainRoot],
      debounceMs: options.notificationDebounceMs ?? 3000,
      onError: (err) =>
        log.warn({ code: err.code, message: err.message }, 'change notifications interrupted'),
    });
    watcher.onChange((signal) => {
      log.debug({ reason: signal.reason, notifications: signal.notifications }, 'AD changed');
      state.notified = true;
      cycleWake.set();
    });
  }
  log.info({ agentId: rt.identity.agentId, domain: rt.identity.domain.dnsName }, 'agent started');
  try {
    await Promise.all([heartbeatLoop(loop), cycleLoop(loop), runWritebackLoop(rt, options)]);
  } finally {
    watcher?.close();
    rt.close();
    log.info('agent stopped');
  }
}

/** Pages of cycles the previous process never ended: dropped; the next cycle re-reads from the cursor. */
function abandonUnfinishedCycles(rt: AgentRuntime, log: Logger): void {
  const cycles = new Set(rt.store.pendingPages().map((p) => p.cycleId));
  for (const cycleId of cycles) {
    log.warn(
      { cycleId },
      'a cycle was interrupted (agent stopped mid-cycle); it is run again from the last cursor',
    );
    rt.store.dropCycle(cycleId);
  }
}

function runStatus(state: ServiceState) {
  if (state.current) return 'syncing' as const;
  return state.lastError ? ('degraded' as const) : ('idle' as const);
}

async function heartbeatLoop(loop: Loop): Promise<void> {
  const { rt, state, options, cycleWake, heartbeatWake } = loop;
  while (!options.signal.aborted) {
    try {
      const answer = await rt.uplink.heartbeat({
        status: runStatus(state),
        currentCycle: state.current ?? null,
        versions: { agent: AGENT_VERSION, protocol: PROTOCOL_VERSION, node: process.versions.node },
        configurationVersions: Object.fromEntries(
          [...state.configurations].map(([id, c]) => [id, c.version]),
        ),
        lastError: state.lastError,
        sentAt: new Date().toISOString(),
      });
      rt.store.setValue('lastHeartbeat', new Date().toISOString());
      if (await actOnHeartbeat(rt, state, answer, options)) cycleWake.set();
    } catch (err) {
      if (options.signal.aborted) break;
      const body = cycleErrorBody(err);
      options.log.warn({ code: body.code, message: body.message }, 'heartbeat failed');
    }
    await heartbeatWake.wait(options.heartbeatMs ?? 30_000, options.signal);
  }
}

/** Applies a heartbeat answer; true when a cycle should run now. */
async function actOnHeartbeat(
  rt: AgentRuntime,
  state: ServiceState,
  answer: HeartbeatResponse,
  options: ServiceOptions,
): Promise<boolean> {
  let wake = false;
  const known = answer.configurations
    .map((c) => `${c.id}:${c.version}`)
    .sort()
    .join();
  const mine = [...state.configurations.values()]
    .map((c) => `${c.id}:${c.version}`)
    .sort()
    .join();
  if (known !== mine) {
    state.needPull = true;
    wake = true;
  }
  for (const run of answer.runNow) {
    if (run.kind === 'full' && !state.fullRequested.has(run.configurationId)) {
      options.log.info({ configurationId: run.configurationId }, 'restart requested: clearing cursors');
      rt.store.clearCursors(run.configurationId);
      state.fullRequested.add(run.configurationId);
    }
    wake = true;
  }
  if (answer.pendingJobs > 0) await runJobs(rt, state, options);
  return wake;
}

async function runJobs(rt: AgentRuntime, state: ServiceState, options: ServiceOptions): Promise<void> {
  const { jobs } = await rt.uplink.pollJobs(1);
  for (const job of jobs) {
    options.log.info({ jobId: job.jobId, kind: job.kind }, 'job received');
    const result = await provisionOnDemand(rt.cycleDeps, state.configurations.get(job.configurationId), job);
    await rt.uplink.jobResult(result);
  }
}

async function pullConfigurations(rt: AgentRuntime, state: ServiceState): Promise<void> {
  const { configurations } = await rt.uplink.configurations();
  state.configurations = new Map(configurations.map((c) => [c.id, c]));
  state.needPull = false;
}

async function cycleLoop(loop: Loop): Promise<void> {
  const { rt, state, options, cycleWake, heartbeatWake } = loop;
  let failures = 0;
  while (!options.signal.aborted) {
    let error: ErrorBody | null = null;
    const notified = state.notified;
    state.notified = false;
    const passStart = Date.now();
    let leaseFreeInMs: number | undefined; // another agent holds a lease: ask again when it ends
    try {
      if (state.needPull) await pullConfigurations(rt, state);
      await rt.serviceAccount.keepFresh(); // changes the AD password when its expiry is near
      for (const configuration of state.configurations.values()) {
        if (!configuration.enabled || options.signal.aborted) continue;
        const kind = state.fullRequested.has(configuration.id) ? 'full' : undefined;
        const summary = await runCycle(rt.cycleDeps, configuration, kind ? { kind } : {});
        if (summary.state !== 'waiting' && kind) state.fullRequested.delete(configuration.id);
        if (summary.retryAfterSeconds)
          leaseFreeInMs = Math.min(
            leaseFreeInMs ?? Number.POSITIVE_INFINITY,
            summary.retryAfterSeconds * 1000,
          );
        if (summary.error?.code === 'CONFIG_VERSION_STALE') state.needPull = true;
        if (summary.error?.code === 'DIRSYNC_COOKIE_INVALID') cycleWake.set();
        // Deletions held for an administrator are a decision to wait for, not a failure to retry
        // quickly: the next cycle comes on schedule or with a change, and re-sends them.
        if (summary.state !== 'held-by-delete-guard') error = summary.error ?? error;
      }
    } catch (err) {
      if (options.signal.aborted) break;
      error = cycleErrorBody(err);
      options.log.warn({ code: error.code, message: error.message }, 'cycle loop failed');
    }
    state.lastError = error;
    rt.store.setValue('lastError', error ? JSON.stringify(error) : undefined);
    heartbeatWake.set();
    failures = error ? failures + 1 : 0;
    // After failures, wait with backoff (but never longer than the schedule) before the next try.
    const schedule = options.scheduleMs ?? 120_000;
    const wait = failures > 0 ? Math.min(schedule, 2000 * 2 ** Math.min(failures - 1, 6)) : schedule;
    if (failures > 0) await sleep(Math.min(wait, 1000), options.signal).catch(() => undefined);
    const followUp = notified && !error ? deferredScanWait(loop, passStart) : undefined;
    await cycleWake.wait(Math.min(wait, followUp ?? wait, leaseFreeInMs ?? wait), options.signal);
  }
}

/**
 * After a pass a change signal started: the milliseconds until a deletion scan that a delta of
 * the pass deferred may run (`quietReconcileDueAt`), or undefined when none waits. A delta that
 * scanned in this pass has a `reconciledAt` after `passStart` and waits for nothing.
 */
function deferredScanWait(loop: Loop, passStart: number): number | undefined {
  let soonest: number | undefined;
  for (const configuration of loop.state.configurations.values()) {
    if (!configuration.enabled) continue;
    const delta = loop.rt.store.cursor(configuration.id)?.deltaState;
    if (!delta?.reconciledAt || Date.parse(delta.reconciledAt) >= passStart) continue;
    const due = quietReconcileDueAt(delta, loop.rt.cycleDeps);
    const ms = (due?.getTime() ?? 0) - Date.now();
    if (ms > 0) soonest = Math.min(soonest ?? ms, ms);
  }
  // A little after the due time, so the delta's own clock reading finds the interval passed.
  return soonest === undefined ? undefined : soonest + 250;
}
