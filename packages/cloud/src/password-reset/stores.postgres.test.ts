import { createTestDatabase } from '../../../../tests/support/postgres.js';
import { runResetStoresContract } from './stores-contract.js';

runResetStoresContract('postgres', async () => ({ databaseUrl: await createTestDatabase('reset_stores') }));
