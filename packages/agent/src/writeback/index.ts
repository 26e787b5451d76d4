export { applyWritebackJob, unicodePwd } from './apply-job.js';
export { createWritebackChannel, type WritebackChannel } from './channel.js';
export { createWritebackWorker, type WritebackWorker, type WritebackWorkerOptions } from './worker.js';
