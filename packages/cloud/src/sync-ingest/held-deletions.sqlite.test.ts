import { runHeldDeletionsContract } from './held-deletions-contract.js';

runHeldDeletionsContract('SQLite', async () => undefined);
