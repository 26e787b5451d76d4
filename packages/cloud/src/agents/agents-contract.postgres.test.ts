import { createTestDatabase } from '../../../../tests/support/postgres.js';
import { runAgentsContract } from './agents-contract.js';

runAgentsContract('postgres', async () => ({ databaseUrl: await createTestDatabase('agents') }));
