import { runIngestContract } from './ingest-contract.js';

runIngestContract('SQLite', async () => undefined);
