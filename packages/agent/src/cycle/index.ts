// A sync cycle: import → scope → map → diff → export → log.
export { CycleStopped, cycleErrorBody } from './errors.js';
export { type CycleDeps, type CycleProgress, nextCycleKind, runCycle } from './run-cycle.js';
