import { createTestDatabase } from '../../../../tests/support/postgres.js';
import { runDirectoryContract } from './directory-contract.js';

runDirectoryContract('postgres', async () => ({ databaseUrl: await createTestDatabase('directory') }));
