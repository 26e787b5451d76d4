import { createTestDatabase } from '../../../../tests/support/postgres.js';
import { runIngestContract } from './ingest-contract.js';

runIngestContract('PostgreSQL', createTestDatabase);
