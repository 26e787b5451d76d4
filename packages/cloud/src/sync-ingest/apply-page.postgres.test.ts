import { createTestDatabase } from '../../../../tests/support/postgres.js';
import { runApplyPageContract } from './apply-page-contract.js';

runApplyPageContract('PostgreSQL', createTestDatabase);
