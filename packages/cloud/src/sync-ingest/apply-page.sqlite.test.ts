import { runApplyPageContract } from './apply-page-contract.js';

runApplyPageContract('SQLite', async () => undefined);
