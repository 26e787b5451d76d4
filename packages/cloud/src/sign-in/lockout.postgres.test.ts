import { createTestDatabase } from '../../../../tests/support/postgres.js';
import { runLockoutContract } from './lockout-contract.js';

runLockoutContract('postgres', async () => ({ databaseUrl: await createTestDatabase('lockout') }));
