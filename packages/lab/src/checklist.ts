// The lab's checklist: one line per step with its duration, a spinner and the latest progress note
// while the step waits (on a terminal), and for a failed step what went wrong and how to fix it.
import { performance } from 'node:perf_hooks';

/** A step failed in a way the lab can explain: `message` says what went wrong, `fix` what to do. */
export class LabStepError extends Error {
  override name = 'LabStepError';
  constructor(
    message: string,
    readonly fix: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Where the checklist writes: a terminal gets a live spinner, anything else one line per event. */
export interface ChecklistOutput {
  write(text: string): void;
  /** True on a terminal (spinner and in-place updates). */
  interactive: boolean;
}

/** Tells the person waiting what a step is doing now (shown beside the spinner). */
export type Progress = (note: string) => void;

/** A step of the lab, run in order. */
export interface LabStep<C> {
  title: string;
  /** Later steps do not need this one: when it fails they still run (the lab still fails at the end). */
  laterStepsRunWithoutIt?: boolean;
  run(context: C, progress: Progress): Promise<string | undefined>;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The failure of a step, as the checklist prints it. */
export function explainFailure(err: unknown): { message: string; fix: string } {
  if (err instanceof LabStepError) return { message: err.message, fix: err.fix };
  const message = err instanceof Error ? err.message : String(err);
  return {
    message,
    fix: 'this is unexpected: read the logs named above, then run `npm run lab` again (it reuses what exists)',
  };
}

/**
 * Runs one step, printing `✓ n. title  (1.2 s) — note` or `✗ …` with the reason and the fix.
 * Rethrows the step's error after printing it.
 */
export async function runChecklistStep<C>(
  out: ChecklistOutput,
  number: number,
  step: LabStep<C>,
  context: C,
): Promise<void> {
  const label = `${number}. ${step.title}`;
  const started = performance.now();
  let note = '';
  let frame = 0;
  const render = () => {
    const elapsed = seconds(performance.now() - started);
    out.write(`\r\x1b[2K${FRAMES[frame % FRAMES.length]} ${label}  ${elapsed}${note ? ` — ${note}` : ''}`);
    frame++;
  };
  const timer = out.interactive ? setInterval(render, 100) : undefined;
  if (out.interactive) render();
  else out.write(`• ${label}…\n`);
  const progress: Progress = (text) => {
    note = text;
    if (!out.interactive) out.write(`    ${text}\n`);
  };
  const clear = out.interactive ? '\r\x1b[2K' : '';
  try {
    const done = await step.run(context, progress);
    out.write(`${clear}✓ ${label}  (${seconds(performance.now() - started)})${done ? ` — ${done}` : ''}\n`);
  } catch (err) {
    const { message, fix } = explainFailure(err);
    out.write(`${clear}✗ ${label}  (${seconds(performance.now() - started)})\n`);
    out.write(`    what went wrong: ${indent(message)}\n    how to fix it:   ${indent(fix)}\n`);
    throw err;
  } finally {
    if (timer) clearInterval(timer);
  }
}

function indent(text: string): string {
  return text.split('\n').join('\n                     ');
}
