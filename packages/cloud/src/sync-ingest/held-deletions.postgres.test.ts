import { createTestDatabase } from '../../../../tests/support/postgres.js';
import { runHeldDeletionsContract } from './held-deletions-contract.js';

runHeldDeletionsContract('PostgreSQL', createTestDatabase);
