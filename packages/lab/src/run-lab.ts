// The lab's steps in order, and the running lab they leave behind.
import { type ChecklistOutput, type LabStep, runChecklistStep } from './checklist.js';
import { type LabContext, type LabOptions, newContext } from './lab-context.js';
import { startAgent } from './steps/agent.js';
import { createBobby } from './steps/bobby.js';
import { startCloud } from './steps/cloud.js';
import { startDomainController } from './steps/domain-controller.js';
import { licenseBobby } from './steps/licence.js';
import { resetBobbysPassword } from './steps/password-reset.js';
import { checkPrerequisites } from './steps/prerequisites.js';
import { signInBobby } from './steps/sign-in.js';

/** The lab's steps, in the order they run. */
export const LAB_STEPS: readonly LabStep<LabContext>[] = [
  checkPrerequisites,
  startDomainController,
  startCloud,
  startAgent,
  createBobby,
  licenseBobby,
  signInBobby,
  resetBobbysPassword,
];

/** A lab whose steps all passed: everything runs until `stop()`. */
export interface RunningLab {
  context: LabContext;
  /** Stops the agent, the cloud and the DC (by pid), in that order. */
  stop(): Promise<void>;
}

/** The lab stopped at a step; what it started was stopped, what it built stays in the folder. */
export class LabFailed extends Error {
  override name = 'LabFailed';
  constructor(
    readonly step: string,
    readonly context: LabContext,
    options: ErrorOptions,
  ) {
    super(`lab step failed: ${step}`, options);
  }
}

/** Stops what a context started, newest first; never throws. */
export async function stopLab(context: LabContext): Promise<void> {
  for (const cleanup of context.cleanups.splice(0).reverse()) {
    await cleanup().catch(() => undefined);
  }
}

/**
 * Runs every step, printing the checklist to `out`. On success everything keeps running; on failure
 * what was started is stopped and `LabFailed` names the step (the folder keeps logs and data).
 * @example
 *   const lab = await runLab({ dir: '.lab', ip: '127.0.0.11', tenant: 'contoso' }, out);
 *   await lab.stop();
 */
export async function runLab(
  options: LabOptions,
  out: ChecklistOutput,
  steps: readonly LabStep<LabContext>[] = LAB_STEPS,
  signal?: AbortSignal,
): Promise<RunningLab> {
  const context = newContext(options);
  let number = 0;
  let failed: LabFailed | undefined;
  for (const step of steps) {
    number++;
    if (signal?.aborted) {
      failed ??= new LabFailed(step.title, context, { cause: new Error('interrupted') });
      break;
    }
    try {
      await runChecklistStep(out, number, step, context);
    } catch (err) {
      failed ??= new LabFailed(step.title, context, { cause: err });
      if (!step.laterStepsRunWithoutIt) break;
    }
  }
  if (failed) {
    await stopLab(context);
    throw failed;
  }
  return { context, stop: () => stopLab(context) };
}
