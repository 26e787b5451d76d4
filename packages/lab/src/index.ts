// The lab's public surface: run the lab's steps from code (the end-to-end test does).
export { canBind } from './ad.js';
export { type ChecklistOutput, explainFailure, LabStepError } from './checklist.js';
export type { LabContext, LabOptions } from './lab-context.js';
export { LAB_STEPS, LabFailed, type RunningLab, runLab, stopLab } from './run-lab.js';
