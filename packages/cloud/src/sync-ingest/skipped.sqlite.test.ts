import { runSkippedContract } from './skipped-contract.js';

runSkippedContract('SQLite', async () => undefined);
